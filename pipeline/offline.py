"""Keep third-party libraries from reaching the network at run time."""

from __future__ import annotations

from functools import cache


@cache
def use_bundled_suffix_list() -> None:
    """Make tldextract (used by Presidio's email and URL checks) use its bundled suffix list.

    tldextract's module-level extractor fetches the Public Suffix List over HTTP on first use; the
    replacement reads only the snapshot shipped inside the package and caches nothing on disk.
    """
    import tldextract
    import tldextract.tldextract as module

    offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    module.TLD_EXTRACTOR = offline
