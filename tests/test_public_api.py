import cstograph


def test_all_is_the_public_surface() -> None:
    assert sorted(cstograph.__all__) == sorted(
        [
            "BuildResult", "CstographError", "GraphStore", "InconsistencyError", "InputError", "QueryError",
            "QueryRefused", "QuerySyntaxError", "RDFSyntaxError", "Settings", "ValidationFailed",
            "ValidationOutcome", "__version__", "build", "inferred_triples", "load_dataset", "validate_graph",
        ]
    )
    for name in cstograph.__all__:
        assert hasattr(cstograph, name), name


def test_error_tree() -> None:
    assert issubclass(cstograph.RDFSyntaxError, cstograph.InputError)
    assert issubclass(cstograph.QuerySyntaxError, cstograph.QueryError)
    assert issubclass(cstograph.QueryRefused, cstograph.QueryError)
    for name in ("InputError", "ValidationFailed", "InconsistencyError", "QueryError"):
        assert issubclass(getattr(cstograph, name), cstograph.CstographError)
