"""Disclosure control: small counts are hidden and none can be worked back from the totals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline.disclosure import (
    SUPPRESSED_MARKER,
    TOTAL,
    DisclosureError,
    ProtectedTable,
    determined_positions,
    protect,
)


def table(rows: dict[str, list[int]], columns: list[str] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame.from_dict(rows, orient="index").astype("int64")
    frame.columns = columns or [f"c{j}" for j in range(frame.shape[1])]
    return frame


def recoverable(protected: ProtectedTable) -> list[tuple[object, object]]:
    """Hidden positions pinned down by the published values, by a null-space argument.

    Written independently of the module: every position of the table with margins is an unknown,
    the published ones are fixed by extra equations, and a hidden value is undetermined exactly when
    some solution of the homogeneous system moves it.
    """
    counts = protected.counts.to_numpy()
    hidden = protected.suppressed.to_numpy()
    rows, columns = counts.shape
    index = {(i, j): i * columns + j for i in range(rows) for j in range(columns)}
    equations = []
    for i in range(rows):  # cells of row i add up to its last position
        line = np.zeros(rows * columns)
        for j in range(columns - 1):
            line[index[i, j]] = 1
        line[index[i, columns - 1]] = -1
        equations.append(line)
    for j in range(columns):  # cells of column j add up to its last position
        line = np.zeros(rows * columns)
        for i in range(rows - 1):
            line[index[i, j]] = 1
        line[index[rows - 1, j]] = -1
        equations.append(line)
    for position, number in index.items():  # every published value is known
        if not hidden[position]:
            line = np.zeros(rows * columns)
            line[number] = 1
            equations.append(line)
    system = np.array(equations)
    _, singular, vt = np.linalg.svd(system)
    rank = int((singular > 1e-9).sum())
    null_space = vt[rank:]
    return [
        (protected.counts.index[i], protected.counts.columns[j])
        for (i, j), number in index.items()
        if hidden[i, j] and (null_space.shape[0] == 0 or np.abs(null_space[:, number]).max() < 1e-9)
    ]


# --- primary suppression ------------------------------------------------------------------------


def test_counts_from_one_to_threshold_minus_one_are_hidden_and_zeros_are_shown() -> None:
    counts = table({"a": [0, 1, 4, 5], "b": [20, 30, 40, 50], "c": [20, 30, 40, 50]})
    protected = protect(counts, threshold=5)
    assert protected.primary.loc["a"].to_list() == [False, True, True, False, False]
    assert not protected.is_hidden("a", "c0")  # zero: published
    assert protected.value("a", "c0") == 0
    assert protected.is_hidden("a", "c1") and protected.is_hidden("a", "c2")
    assert not protected.is_hidden("a", "c3")


def test_threshold_is_configurable() -> None:
    counts = table({"a": [9, 10, 50], "b": [9, 10, 50], "c": [40, 40, 40]})
    assert not protect(counts, threshold=5).suppressed.to_numpy().any()
    strict = protect(counts, threshold=10)
    assert strict.is_hidden("a", "c0") and strict.is_hidden("b", "c0")
    assert not strict.is_hidden("a", "c2") and not strict.is_hidden("c", "c0")
    assert recoverable(strict) == []


def test_margins_are_added_and_small_totals_are_hidden_too() -> None:
    counts = table({"a": [1, 2], "b": [30, 40], "c": [50, 60]})
    protected = protect(counts)
    assert protected.counts.loc["a", TOTAL] == 3
    assert protected.counts.loc[TOTAL, TOTAL] == 183
    assert protected.primary.loc["a", TOTAL]


def test_published_table_writes_one_marker_for_every_hidden_value() -> None:
    counts = table({"a": [3, 50, 60], "b": [40, 50, 60], "c": [40, 50, 60]})
    shown = protect(counts).published()
    assert shown.loc["a", "c0"] == SUPPRESSED_MARKER
    hidden_texts = set(shown.to_numpy()[protect(counts).suppressed.to_numpy()])
    assert hidden_texts == {SUPPRESSED_MARKER}  # a primary cell looks like its complements
    assert shown.loc["c", "c2"] == "60"


# --- secondary suppression --------------------------------------------------------------------


def test_one_small_cell_gets_the_smallest_complements_in_its_row_and_column() -> None:
    counts = table({"a": [3, 50, 7, 100], "b": [60, 9, 80, 90], "c": [70, 80, 6, 90]})
    protected = protect(counts)
    hidden = {
        (r, c)
        for r in protected.counts.index
        for c in protected.counts.columns
        if protected.is_hidden(r, c)
    }
    # Row a: 7 is the smallest other cell; column c0: 60 is; then c2 and row b need a second one.
    assert ("a", "c0") in hidden and ("a", "c2") in hidden and ("b", "c0") in hidden
    assert ("a", "c3") not in hidden  # 100 is never the smallest choice
    assert recoverable(protected) == []


def test_a_row_with_one_small_cell_and_zeros_hides_its_total_rather_than_a_zero() -> None:
    counts = table({"a": [3, 0, 0], "b": [20, 30, 40], "c": [25, 35, 45]})
    protected = protect(counts)
    assert protected.is_hidden("a", "c0")
    assert not protected.is_hidden("a", "c1") and not protected.is_hidden("a", "c2")
    assert protected.is_hidden("a", TOTAL)  # the row total is the only non-zero complement
    assert recoverable(protected) == []


def test_a_single_column_table_hides_two_rows_or_the_total() -> None:
    counts = table({"a": [2], "b": [30], "c": [40]}, columns=["reports"])
    protected = protect(counts)
    hidden_rows = [r for r in ("a", "b", "c") if protected.is_hidden(r, "reports")]
    assert len(hidden_rows) >= 2 or protected.is_hidden(TOTAL, "reports")
    assert recoverable(protected) == []


def test_a_hidden_value_bridging_two_hidden_blocks_gets_a_complement() -> None:
    # Forced hiding of two separate 2x2 blocks plus one cell joining them: each line has two hidden
    # values, yet the joining cell is determined (it lies on no cycle) until more is hidden.
    counts = table({f"r{i}": [10 + i + j for j in range(5)] for i in range(5)})
    blocks = [
        ("r0", "c0"),
        ("r0", "c1"),
        ("r1", "c0"),
        ("r1", "c1"),
        ("r3", "c3"),
        ("r3", "c4"),
        ("r4", "c3"),
        ("r4", "c4"),
        ("r1", "c3"),
    ]
    bare = ProtectedTable(
        counts=protect(counts, threshold=1).counts,
        suppressed=protect(counts, threshold=1).suppressed.copy(),
        primary=protect(counts, threshold=1).primary,
        threshold=1,
    )
    for position in blocks:
        bare.suppressed.loc[position] = True
    assert ("r1", "c3") in recoverable(bare)  # the checker sees the bridge
    assert ("r1", "c3") in determined_positions(bare)
    protected = protect(counts, threshold=1, forced=blocks)
    assert all(protected.is_hidden(*position) for position in blocks)
    assert recoverable(protected) == []
    assert determined_positions(protected) == []


def test_forced_positions_stay_hidden_with_their_complements() -> None:
    counts = table({"a": [30, 50], "b": [40, 60]})
    protected = protect(counts, forced=[(TOTAL, "c0")])
    assert protected.is_hidden(TOTAL, "c0")
    assert recoverable(protected) == []


@pytest.mark.parametrize("threshold", [3, 5, 10])
def test_no_hidden_value_can_be_recovered_from_totals_in_many_random_tables(threshold: int) -> None:
    rng = np.random.default_rng(threshold)
    hidden_total = 0
    for _ in range(100):
        rows, columns = int(rng.integers(1, 9)), int(rng.integers(1, 7))
        sparse = rng.random() < 0.5
        values = rng.poisson(2 if sparse else 12, size=(rows, columns))
        values[rng.random((rows, columns)) < 0.2] = 0
        counts = pd.DataFrame(
            values.astype("int64"),
            index=[f"r{i}" for i in range(rows)],
            columns=[f"c{j}" for j in range(columns)],
        )
        protected = protect(counts, threshold=threshold)
        framed = protected.counts.to_numpy()
        assert (protected.suppressed.to_numpy() >= protected.primary.to_numpy()).all()
        assert np.array_equal(protected.primary.to_numpy(), (framed > 0) & (framed < threshold))
        assert recoverable(protected) == [], counts.to_dict()
        assert determined_positions(protected) == []
        hidden_total += int(protected.suppressed.to_numpy().sum())
    assert hidden_total > 80  # the tables really exercised suppression


def test_tables_with_nothing_small_are_published_whole() -> None:
    counts = table({"a": [10, 20], "b": [30, 40]})
    protected = protect(counts)
    assert not protected.suppressed.to_numpy().any()
    assert protected.published().loc[TOTAL, TOTAL] == "100"


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("threshold", [0, -1, 2.5, True])
def test_a_bad_threshold_is_refused_with_its_value(threshold: object) -> None:
    with pytest.raises(DisclosureError, match="threshold"):
        protect(table({"a": [1]}), threshold=threshold)  # type: ignore[arg-type]


def test_negative_or_fractional_counts_are_refused() -> None:
    with pytest.raises(DisclosureError, match="negative"):
        protect(table({"a": [1, -2]}))
    with pytest.raises(DisclosureError, match="whole numbers"):
        protect(pd.DataFrame({"c0": [1.5]}))


def test_a_label_that_clashes_with_the_margin_is_refused() -> None:
    with pytest.raises(DisclosureError, match="Total"):
        protect(table({TOTAL: [1, 2]}))
