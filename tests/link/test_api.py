"""The public surface of ``cstograph.link`` is its ``__all__`` (httpx style); the rest is private."""

from __future__ import annotations

import cstograph.link as link


def test_all_is_the_public_surface() -> None:
    assert sorted(link.__all__) == sorted([
        "LINKSET_FILE", "Code", "Finding", "LinkReport", "Reference", "compare_memberships", "fetch_wikidata",
        "link", "linkset_text", "load_reference",
    ])
    for name in link.__all__:
        assert hasattr(link, name), name
    assert not [n for n in dir(link) if not n.startswith("_") and n not in link.__all__ and n != "annotations"]
