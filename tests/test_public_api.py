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


def test_tests_import_only_public_names_of_the_package() -> None:
    """Tests use the package through its public names: no ``from cstograph.x import _y``, no private module."""
    import ast
    from pathlib import Path

    private = []
    for path in sorted(Path(__file__).resolve().parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cstograph"):
                names = [a.name for a in node.names if a.name.startswith("_")]
                if names or any(part.startswith("_") for part in (node.module or "").split(".")):
                    private.append(f"{path.name}:{node.lineno} from {node.module} import {', '.join(names) or '…'}")
            elif isinstance(node, ast.Import):
                private += [f"{path.name}:{node.lineno} import {a.name}" for a in node.names
                            if a.name.startswith("cstograph") and any(p.startswith("_") for p in a.name.split("."))]
    assert private == []
