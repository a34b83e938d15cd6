"""The public surface of ``cstograph.reason`` is its ``__all__`` (httpx style); the rest is private."""

from __future__ import annotations

import cstograph.reason as reason


def test_all_is_the_public_surface() -> None:
    assert sorted(reason.__all__) == sorted([
        "ENGINES", "ERROR_PREDICATE", "Engine", "Explainer", "Reasoning", "Schema", "Step", "closure", "closure_key",
        "explain", "fast_path_obstacles", "inferred_triples", "is_schema_triple", "is_trivial", "profile_warnings",
        "read_nquads", "reason", "reason_dataset", "union",
        "Closure", "StoreReasoning", "reason_store", "reason_triples",
    ])
    for name in reason.__all__:
        assert hasattr(reason, name), name
    assert not [n for n in dir(reason) if not n.startswith("_") and n not in reason.__all__ and n != "annotations"]
