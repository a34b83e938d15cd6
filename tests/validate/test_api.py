"""The public surface of ``cstograph.validate`` is its ``__all__`` (httpx style); the rest is private."""

from __future__ import annotations

import cstograph.validate as validate


def test_all_is_the_public_surface() -> None:
    assert sorted(validate.__all__) == sorted([
        "LocatedResult", "ValidationOutcome", "ValidationReport", "ValidationResult", "locate", "user_graph_name",
        "validate_dataset", "validate_graph",
        "CORE_ENGINES", "CoreEngine", "read_outcome", "validate_store", "write_outcome", "ProjectValidator",
    ])
    for name in validate.__all__:
        assert hasattr(validate, name), name
    assert not [n for n in dir(validate) if not n.startswith("_") and n not in validate.__all__ and n != "annotations"]
