"""Encryption at rest: no reporter detail in the database's bytes; keys, binding and rotation."""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
from store_reports import fake_draft, fake_guard, make_report

from pipeline import review
from pipeline.crypto import SealError, encode_key, load_keyring, new_key
from pipeline.errors import ConfigError
from pipeline.pseudonym import pseudonym_key
from pipeline.retention import erase_member
from pipeline.settings import Settings
from pipeline.store import Store, rotate_keys


def _unique_name() -> str:
    return f"Zephyrine {secrets.token_hex(5).upper()}"


def _full_history(store: Store, name: str) -> None:
    """A report by *name* through every step that writes text, and a roster entry."""
    review.store_received(store, make_report("R-SECRET-1", name=name, member_id="M-SECRET"))
    review.draft_pending(store, fake_draft)
    review.edit(
        store, "R-SECRET-1", "Ann", "alert.sms.text", f"NUM ALERT: {name}", guard=fake_guard
    )
    review.edit(
        store, "R-SECRET-1", "Ann", "alert.sms.text", "NUM ALERT: robbery", guard=fake_guard
    )
    review.ask_for_information(store, "R-SECRET-1", "Ann", f"Is {name} safe?")
    review.resume(store, "R-SECRET-1", "Ann")
    review.approve(store, "R-SECRET-1", "Ann", guard=fake_guard)
    review.mark_released(store, "R-SECRET-1", "Bob")
    review.store_received(store, make_report("R-SECRET-1", name=name, narrative=f"{name} again"))
    with store.begin() as connection:
        store.put_member(connection, "M-SECRET", {"email": f"{name}@example.com"}, ["NW"], [])


def _variants(name: str) -> list[bytes]:
    surname = name.split()[1]
    return [name.encode(), surname.encode(), surname.lower().encode(), surname.encode("utf-16-le")]


def test_a_unique_reporter_name_is_nowhere_in_the_database_files(store: Store) -> None:
    name = _unique_name()
    _full_history(store, name)
    assert review.report_view(store, "R-SECRET-1", include_raw=True)["raw"]["narrative"].startswith(
        f"I am {name}"
    )  # it is stored, and opens
    store.close()
    if not store.settings.database_url.startswith("sqlite"):
        dump = subprocess.run(
            [
                "pg_dump",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-d",
                "test",
                "--data-only",
                "-n",
                store.settings.database_schema or "public",
            ],
            check=True,
            capture_output=True,
        ).stdout
        assert b"Greater Manchester Police" in dump  # the dump holds the tables' data
        for variant in _variants(name):
            assert variant not in dump
        return
    files = [path for path in store.settings.home.iterdir() if path.name.startswith("mugs.db")]
    data = b"".join(path.read_bytes() for path in files)
    assert b"Greater Manchester Police" in data  # the scan reads the rows
    for variant in _variants(name):
        assert variant not in data, f"found in {[p.name for p in files]}"


def test_a_sealed_value_copied_into_another_row_does_not_open(store: Store) -> None:
    review.store_received(store, make_report("R-A"))
    review.store_received(store, make_report("R-B"))
    with store.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE reports SET raw_sealed = "
            "(SELECT raw_sealed FROM reports WHERE report_id = 'R-A') "
            "WHERE report_id = 'R-B'"
        )
    with pytest.raises(SealError, match="reports.raw:R-B: does not open"):
        review.report_view(store, "R-B", include_raw=True)


def test_the_key_file_is_created_private_and_a_readable_one_is_refused(settings: Settings) -> None:
    load_keyring(settings)
    assert stat.S_IMODE(settings.key_file.stat().st_mode) == 0o600
    os.chmod(settings.key_file, 0o644)
    with pytest.raises(ConfigError, match="readable by others .* chmod 600"):
        load_keyring(settings)


def test_threads_racing_to_create_the_key_files_all_read_the_same_complete_keys(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Regression: the first scheduled sanitise run drafts reports on several threads at once; a
    # thread that lost the race used to read the pseudonym key file before it was written.
    monkeypatch.setenv("MUGS_HOME", str(tmp_path / "fresh-home"))
    monkeypatch.delenv("MUGS_PSEUDONYM_KEY", raising=False)
    barrier = threading.Barrier(8)

    def both_keys(_: int) -> tuple[bytes, bytes]:
        barrier.wait()
        return pseudonym_key(), load_keyring(settings).active.secret

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = set(pool.map(both_keys, range(8)))
    assert len(results) == 1
    pseudonym, secret = results.pop()
    assert len(pseudonym) == 32 and len(secret) == 32
    assert stat.S_IMODE((tmp_path / "fresh-home" / "pseudonym.key").stat().st_mode) == 0o600
    for folder in (tmp_path / "fresh-home", settings.key_file.parent):
        assert [path.name for path in folder.iterdir() if path.name.startswith(".")] == []


def test_a_key_given_in_the_setting_is_used_and_no_key_file_is_written(settings: Settings) -> None:
    keyed = replace(settings, keys=(encode_key(new_key()),))
    with Store.open(keyed) as store:
        review.store_received(store, make_report())
        assert review.report_view(store, "R-TEST-000001", include_raw=True)["raw"]["report_id"]
    assert not keyed.key_file.exists()
    with Store.open(replace(keyed, keys=(encode_key(new_key()),))) as other:
        with pytest.raises(SealError, match="not loaded"):
            review.report_view(other, "R-TEST-000001", include_raw=True)


def test_rotation_reencrypts_everything_and_retires_the_old_key(store: Store) -> None:
    _full_history(store, "Jade Wilson")
    review.store_received(store, make_report("R-PENDING", member_id="M-SECRET"))
    old = store.keyring.active.key_id
    rotate_keys(store)
    new = store.keyring.active.key_id
    with store.begin() as connection:
        assert set(store.sealed_key_ids(connection)) == {new} != {old}
    assert old not in settings_keys(store.settings.key_file)
    with Store.open(store.settings) as reopened:  # from the key file alone
        assert review.report_view(reopened, "R-SECRET-1", include_raw=True)["raw"]
        with reopened.begin() as connection:
            assert reopened.get_member(connection, "M-SECRET").contacts["email"].startswith("Jade")
        erasure = erase_member(reopened, "M-SECRET")  # lookups by member still work
        assert erasure.member_found and erasure.deleted_reports == ["R-PENDING"]
        assert erasure.reduced_reports == ["R-SECRET-1"]
        assert [e["action"] for e in review.report_view(reopened, "R-SECRET-1")["audit"]][-1] == (
            "erase_member"
        )


def test_rotation_with_keys_in_the_setting_moves_to_the_first_key(settings: Settings) -> None:
    old, new = encode_key(new_key()), encode_key(new_key())
    with Store.open(replace(settings, keys=(old,))) as store:
        review.store_received(store, make_report())
    with Store.open(replace(settings, keys=(new, old))) as store:
        rotate_keys(store)
    with Store.open(replace(settings, keys=(new,))) as store:
        assert review.report_view(store, "R-TEST-000001", include_raw=True)["raw"]


def settings_keys(path: Path) -> set[str]:
    """Key ids in a key file."""
    import json

    return set(json.loads(path.read_text())["keys"])


def test_a_fresh_home_gets_a_private_folder_database_and_key(tmp_path: Path) -> None:
    from pipeline.settings import load_settings

    home = tmp_path / "new-home"
    settings = load_settings({"MUGS_HOME": str(home)})
    with Store.open(settings) as store:
        review.store_received(store, make_report())
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "mugs.db").stat().st_mode) == 0o600
    assert stat.S_IMODE((home / "keys.json").stat().st_mode) == 0o600
    shutil.rmtree(home)
