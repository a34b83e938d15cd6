"""The package's dependency direction is one way, with no cycles (STYLE.md, "A layout drawn from them"):

    __main__ → cli → pipeline → {load, validate, reason, link} → snapshot → store → foundation (config, errors,
    …) → namespaces
    server → {snapshot, store, queries, validate, compliance, load} (and its own modules)
    nothing imports cli but __main__; only cli imports server.

Inside ``server/``: routers → services → views, and everything → the mechanisms (negotiation, caching,
errors, jobs, execution, limits, sandbox); nothing imports the process tree (``runtime``, ``web``) but the
CLI; ``sandbox`` imports nothing else of the server. The web process never imports pySHACL, owlrl or
rdflib's SPARQL engine (checked on the code path ``cstograph serve`` runs before it forks).

Inside the packages (``reason/``, ``validate/``, ``link/``; httpx's layout): the modules are private
(``_x.py``), the package's ``__init__`` is its only public surface, so nothing outside a package imports
one of its private modules, and nothing inside imports its own ``__init__`` (which imports them all).

Imports are read with ``ast`` from the source (module-level and function-level alike); imports under
``if TYPE_CHECKING:`` are for annotations only and do not count.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import PROJECT_DIR

PACKAGE = "cstograph"
SRC = PROJECT_DIR / "src" / PACKAGE

# The vocabulary (namespaces and the generated closed cst: namespace) imports nothing else of the package;
# the foundation imports only the vocabulary.
VOCABULARY = frozenset({"namespaces", "_cst"})
FOUNDATION = frozenset({"config", "errors", "queries", "sparql"}) | VOCABULARY
STEPS = frozenset({"load", "validate", "reason", "link", "checks", "export"})
PACKAGES = ("reason", "validate", "link", "store")

# Layer of a module (its first dotted part below the package; "__init__" for the package itself) →
# the layers it may import.
ALLOWED: dict[str, frozenset[str]] = {
    "_cst": frozenset(),
    "namespaces": frozenset({"_cst"}),
    **{name: VOCABULARY for name in FOUNDATION - VOCABULARY},
    "store": FOUNDATION,
    # the one crossing between the store (pyoxigraph) and rdflib (pySHACL, owlrl, the reasoner's terms)
    "bridge": FOUNDATION | {"store"},
    **{name: FOUNDATION | {"store", "bridge"} for name in STEPS},
    "compliance": FOUNDATION | {"store"},
    "snapshot": FOUNDATION | {"store", "compliance"},
    "pipeline": FOUNDATION | {"store", "bridge", "snapshot"} | STEPS,
    # the validation sandbox parses posted files (load) and validates them (validate) for POST /shacl.
    "server": FOUNDATION | {"store", "bridge", "validate", "compliance", "load", "snapshot", "server"},
    "cli": FOUNDATION | {"store", "bridge", "compliance", "pipeline", "snapshot", "server"} | STEPS,
    # ``python -m cstograph``: the command, nothing else
    "__main__": frozenset({"cli"}),
    # the public API re-exports the library, never the CLI or the server
    "__init__": FOUNDATION | {"store", "compliance", "pipeline"} | STEPS,
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)  # "" for the package itself


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node, except the bodies of ``if TYPE_CHECKING:`` blocks."""
    out: list[ast.AST] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        out.append(node)
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))
    return out


def _in_package(name: str) -> bool:
    return name == PACKAGE or name.startswith(PACKAGE + ".")


def _from_import(node: ast.ImportFrom, package: list[str]) -> set[str]:
    """The package modules a ``from … import …`` names (relative to ``package``, or absolute)."""
    if not node.level:
        return {node.module.removeprefix(PACKAGE).lstrip(".")} if node.module and _in_package(node.module) else set()
    base = package[: len(package) - node.level + 1]
    if node.module:
        return {".".join([*base, node.module])}
    return {".".join([*base, alias.name]) for alias in node.names}


def imports_of(path: Path) -> set[str]:
    """The package modules ``path`` imports, as dotted names below the package ("store", "server.app")."""
    module = _module_name(path)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    package = [p for p in package if p]
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            found |= _from_import(node, package)
        elif isinstance(node, ast.Import):
            found.update(alias.name.removeprefix(PACKAGE).lstrip(".") for alias in node.names
                         if _in_package(alias.name))
    return {name for name in found if name} - {module}


def layer(module: str) -> str:
    return module.split(".")[0] if module else "__init__"


def import_graph() -> dict[str, set[str]]:
    return {_module_name(path): imports_of(path) for path in sorted(SRC.rglob("*.py"))}


def test_the_import_parser_sees_relative_and_absolute_imports() -> None:
    graph = import_graph()
    assert "store" in graph["pipeline"] or "load" in graph["pipeline"]
    assert "server.negotiation" in graph["server.routers.sparql"]
    assert "server.app" in graph["server"]


def test_every_module_has_a_layer() -> None:
    assert {layer(m) for m in import_graph()} <= set(ALLOWED)


def test_dependencies_point_one_way() -> None:
    wrong = sorted(f"{module or PACKAGE} imports {target}"
                   for module, targets in import_graph().items()
                   for target in targets
                   if layer(target) != layer(module) and layer(target) not in ALLOWED[layer(module)])
    assert wrong == []


def test_nothing_imports_cli_and_only_cli_imports_server() -> None:
    graph = import_graph()
    assert sorted(m for m, targets in graph.items()
                  if layer(m) != "__main__" and "cli" in {layer(t) for t in targets}) == []
    assert sorted(m for m, targets in graph.items()
                  if layer(m) not in ("cli", "server") and "server" in {layer(t) for t in targets}) == []


def _inside_a_package(module: str) -> bool:
    return layer(module) in PACKAGES and module not in PACKAGES


def test_modules_inside_packages_are_private() -> None:
    inside = [m for m in import_graph() if _inside_a_package(m)]
    assert inside, "the packages have modules"
    assert [m for m in inside if not m.rsplit(".", 1)[-1].startswith("_")] == []


def test_nothing_outside_a_package_imports_its_private_modules() -> None:
    wrong = sorted(f"{module or PACKAGE} imports {target}" for module, targets in import_graph().items()
                   for target in targets if _inside_a_package(target) and layer(module) != layer(target))
    assert wrong == [], "import the package, not its private modules"


def test_no_private_module_imports_its_own_package() -> None:
    wrong = sorted(f"{module} imports {target}" for module, targets in import_graph().items()
                   for target in targets if _inside_a_package(module) and target == layer(module))
    assert wrong == [], "the package's __init__ imports its modules, not the other way round"


def test_no_import_cycles() -> None:
    graph = import_graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph.get(module, set())):
            if target not in graph:
                continue
            if state.get(target) == 1:
                cycles.append([*path[path.index(target):], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


# --- inside the server ------------------------------------------------------------------------------------
SERVER_MECHANISMS = frozenset({"server.negotiation", "server.caching", "server.errors", "server.jobs",
                               "server.execution", "server.limits", "server.config", "server.sandbox"})


def _server_part(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else module


def test_server_layers_point_one_way() -> None:
    """routers → services → views; mechanisms below them all; the process tree above (only the CLI uses it)."""
    graph = import_graph()
    forbidden = {
        "server.services": {"server.routers", "server.app", "server.state", "server.hooks", "server.runtime",
                            "server.web"},
        "server.views": {"server.routers", "server.app", "server.state", "server.runtime", "server.web"},
        "server.sandbox": {p for p in map(_server_part, graph) if p.startswith("server.")} - {"server.sandbox"},
    }
    wrong = sorted(f"{m} imports {t}" for m, targets in graph.items() for t in targets
                   if _server_part(m) in forbidden and _server_part(t) in forbidden[_server_part(m)])
    assert wrong == []
    users = sorted(m for m, targets in graph.items() for t in targets
                   if _server_part(t) in ("server.runtime", "server.web") and layer(m) != "cli"
                   and _server_part(m) not in ("server.runtime", "server.web"))
    assert users == []


def test_the_web_process_imports_no_validator_reasoner_or_rdflib_sparql(tmp_path: Path) -> None:
    """What ``cstograph serve`` imports before it forks, every web worker has: not pySHACL, owlrl, or rdflib's
    SPARQL engine (validation runs in its own sandbox pool, which imports them after it forks)."""
    import json
    import subprocess
    import sys

    script = f"""
import json, sys
from pathlib import Path
from cstograph.server.app import open_snapshot
from cstograph.server.config import ServerConfig
from cstograph.server.runtime import serving_app
from cstograph.store import GraphStore
store = GraphStore.from_files([Path({str(PROJECT_DIR / 'tests' / 'fixtures' / 'server' / 'hostile.ttl')!r})])
config = ServerConfig(queries_dir=Path({str(PROJECT_DIR / 'queries')!r}))
app, pools, metrics = serving_app(config, store, open_snapshot(store, config), Path({str(tmp_path)!r}))
app.test_client().get("/id/state/ZZZ.html")
print(json.dumps(sorted(m for m in sys.modules if m.startswith(("pyshacl", "owlrl", "rdflib.plugins.sparql")))))
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert json.loads(run.stdout.strip().splitlines()[-1]) == []


#: Modules of cstograph with no tests of their own, and why.
UNTESTED_MODULES = {
    "__init__": "the public surface: tests/test_public_api.py",
    "_cst": "generated from the ontology; tests/test_namespaces.py checks it equals what the ontology declares",
    "__main__": "python -m cstograph is the command: tests/cli/test_usage.py::test_python_dash_m_is_the_command",
}


def test_tests_mirror_the_package() -> None:
    """Each subpackage of cstograph has its tests in tests/<subpackage>/, each module's tests are named after it
    (tests/test_<module>.py or tests/<module>/), every module has such tests (or is in UNTESTED_MODULES, with the
    reason), and no test file is left at the top but those of the whole project (architecture, public names,
    code quality, packaging, the tests' own layout)."""
    tests = PROJECT_DIR / "tests"
    subpackages = sorted(p.parent.name for p in SRC.glob("*/__init__.py"))
    assert [name for name in subpackages if not (tests / name / "__init__.py").is_file()] == []
    modules = {p.stem for p in SRC.glob("*.py")} | set(subpackages)
    whole = {"architecture", "public_api", "quality", "packaging", "layout"}
    top = {p.stem.removeprefix("test_") for p in tests.glob("test_*.py")}
    assert sorted(top - modules - whole) == []
    folders = {p.parent.name for p in tests.glob("*/test_*.py")}
    assert sorted(folders - modules - {"project", "browser"}) == []  # the project's content; the browser suite
    untested = sorted(m for m in modules - set(UNTESTED_MODULES) if m not in top and m not in folders)
    assert untested == [], "no tests/test_<module>.py nor tests/<module>/test_*.py for these"
    assert sorted(set(UNTESTED_MODULES) - modules) == [], "UNTESTED_MODULES names a module that is gone"
