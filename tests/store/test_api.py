"""The public surface of ``cstograph.store`` is its ``__all__`` (httpx style); the rest is private."""

from __future__ import annotations

import doctest

import cstograph.store as store


def test_all_is_the_public_surface() -> None:
    assert sorted(store.__all__) == sorted([
        "FORMATS", "MEDIA_TYPES", "DiskStore", "DiskVersion", "GraphStore", "MemoryStore", "OxigraphStore",
        "ProcessLocalStore",
        "QueryResult", "RemoteConnection", "RemoteError", "RemoteStore", "RemoteTriples", "Row", "StaleConnection",
        "Store", "StoreLocation", "Term",
        "bind_rows", "bind_values",
        "check_file", "load_file", "named_substitutions", "publish_graphs", "rdf_format", "rows", "skolemize",
        "to_term",
        "write_disk_store",
    ])
    for name in store.__all__:
        assert hasattr(store, name), name
    assert not [n for n in dir(store) if not n.startswith("_") and n not in store.__all__ and n != "annotations"]


def test_graph_store_is_the_in_memory_store() -> None:
    assert store.GraphStore is store.MemoryStore
    assert isinstance(store.MemoryStore(), store.Store)


def test_doctests() -> None:
    """Every example in the docstrings of the store's public names runs (pyoxigraph style)."""
    finder, runner = doctest.DocTestFinder(), doctest.DocTestRunner()
    tests = [t for name in store.__all__ for t in finder.find(getattr(store, name), name) if t.examples]
    assert len(tests) >= 3  # the examples exist: MemoryStore, StoreLocation, to_term at least
    for test in tests:
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
