"""The ``cstograph`` command line.

Exit codes: 0 success; 1 the data has violations or is inconsistent; 2 unusable input or bad usage.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Settings
from .errors import CstographError, InconsistencyError, InputError, QueryError, ValidationFailed

if TYPE_CHECKING:
    from rdflib import Dataset, URIRef

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.discover(project_dir=args.project, build_dir=args.build_dir)


def _optional_settings(args: argparse.Namespace) -> Settings | None:
    """The project, when there is one (its named queries and shapes); None when there is none."""
    try:
        return _settings(args)
    except FileNotFoundError:
        return None


# --- build -------------------------------------------------------------------------------------------
def cmd_build(args: argparse.Namespace) -> int:
    from .pipeline import build

    result = build(_settings(args), force=args.force, engine=args.engine, store_dir=args.store, shacl=args.shacl)
    m = result.manifest
    reasoning = m.get("reasoning")
    for warning in reasoning.get("warnings", []) if isinstance(reasoning, dict) else []:
        print(f"cstograph: warning: {warning}", file=sys.stderr)
    state = "reused" if result.reused else "built"
    print(f"{state} {result.path} — {m['triples']} triples in {len(m['graphs'])} graphs "  # type: ignore[arg-type]
          f"({m['inferred_triples']} inferred)")
    if result.store is not None:
        if result.store.reused:
            print(f"reused store version {result.store.path} — build {m['input_hash']} was current already")
        else:
            print(f"store {args.store.resolve()} now holds build {m['input_hash']} ({result.store.path.name})")
    return EXIT_OK


# --- publish -----------------------------------------------------------------------------------------
def cmd_publish(args: argparse.Namespace) -> int:
    """Load the current build into a remote SPARQL server (Graph Store HTTP Protocol, graph by graph)."""
    import os

    from .namespaces import BASE, GRAPH
    from .pipeline import DATASET_NQ, build
    from .store import MemoryStore, RemoteError, RemoteStore, publish_graphs

    settings = _settings(args)
    if not (settings.current_build / DATASET_NQ).is_file():
        build(settings)
    import json

    from .snapshot import PUBLICATION_GRAPH, publication_record

    source = MemoryStore.from_files([settings.current_build / DATASET_NQ])
    password = os.environ.get("CSTOGRAPH_REMOTE_PASSWORD") if args.user else None
    snapshot_file = settings.current_build / "snapshot" / "snapshot.json"
    client = RemoteStore(args.query_url or args.to, graphs=[], user=args.user, password=password)
    try:
        # the record of which build the server holds goes first and comes back last: a publish that fails half
        # way, or one that cannot delete stale graphs (no --query-url), leaves none
        client.delete_graph(args.to, PUBLICATION_GRAPH, missing_ok=True)
        done = publish_graphs(source, args.to, query_url=args.query_url, graph_prefix=str(GRAPH),
                              skolem_base=BASE, user=args.user, password=password)
        if args.query_url and snapshot_file.is_file():  # serve --store URL beside this build opens its snapshot
            identifier = json.loads(snapshot_file.read_text(encoding="utf-8"))["id"]
            status = client.put_graph(args.to, PUBLICATION_GRAPH, publication_record(identifier))
            done.append(f"{status} PUT {PUBLICATION_GRAPH} (snapshot {identifier})")
    except RemoteError as exc:
        raise InputError(str(exc)) from exc
    except OSError as exc:
        raise InputError(f"{args.to}: cannot reach the server: {exc}") from exc
    for line in done:
        print(line)
    return EXIT_OK


# --- validate ----------------------------------------------------------------------------------------
def _with_user_files(settings: Settings, given: list[Path], *, alone: bool) -> tuple[Dataset, dict[URIRef, str]]:
    """The project without the given files (a given project file replaces its own graph), then each given
    file in its own graph (its file: URI); ``alone``: the ontology and the files only."""
    from .load import load_dataset
    from .validate import user_graph_name

    given_set = {p.resolve() for p in given}
    project = [settings.ontology_file] if alone else [
        settings.ontology_file, *(f for f in settings.data_files() if f.resolve() not in given_set)]
    ds = load_dataset(project, data_dir=settings.data_dir)
    users = {}
    for path in given:
        name = user_graph_name(path)
        target = ds.graph(name)
        for g in load_dataset([path]).graphs():
            for t in g:
                target.add(t)
        users[name] = str(path)
    return ds, users


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate the project's data, or the given files TOGETHER with the project (the report then shows
    the results that involve the given files' triples; ``--alone``: the files without the project)."""
    from .load import load_graph
    from .pipeline import asserted_sources
    from .validate import validate_dataset

    settings = _settings(args)
    shapes_dir = Path(args.shapes) if args.shapes else settings.shapes_dir
    shape_files = sorted(shapes_dir.glob("*.ttl"))
    if not shape_files:
        raise InputError(f"{shapes_dir}: no shapes (*.ttl)")
    given = [Path(p) for p in args.paths]
    for path in given:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
    _check_rdf_files(given)
    if given:
        ds, users = _with_user_files(settings, given, alone=args.alone)
        report = validate_dataset(ds, load_graph(shape_files), user_graphs=users, sources=users)
    else:
        report = validate_dataset(asserted_sources(settings), load_graph(shape_files))
    if args.format == "turtle":
        sys.stdout.write(report.render_turtle())
    elif args.format == "json":
        print(json.dumps(report.to_json(everything=args.all), indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(report.render_text(everything=args.all))
    return EXIT_OK if report.conforms else EXIT_FAILED


# --- compliance --------------------------------------------------------------------------------------
def cmd_compliance(args: argparse.Namespace) -> int:
    from .compliance import compliance_report, render

    settings = _settings(args)
    _check_rdf_files(args.data)
    store = _open_store(settings, args.data)
    sys.stdout.write(render(compliance_report(store, settings.queries_dir), args.format))
    return EXIT_OK


# --- reason ------------------------------------------------------------------------------------------
def cmd_reason(args: argparse.Namespace) -> int:
    from .pipeline import asserted_sources
    from .reason import explain, reason

    ds = asserted_sources(_settings(args))
    if args.explain:
        try:
            steps = explain(ds.graphs(), args.explain)
        except ValueError as exc:
            raise InputError(str(exc)) from exc
        print("\n\n".join(step.render() for step in steps) if steps else f"no inferred triples about {args.explain}")
        return EXIT_OK
    result = reason(ds.graphs(), engine=args.engine)
    for warning in result.warnings:
        print(f"cstograph: warning: {warning}", file=sys.stderr)
    if result.fallback:
        print(f"cstograph: note: fast engine fell back to owlrl for: {', '.join(result.fallback)}", file=sys.stderr)
    inferred = result.inferred
    if args.output:
        inferred.serialize(args.output, format="turtle")
        print(f"{len(inferred)} inferred triples written to {args.output}")
    else:
        print(inferred.serialize(format="turtle"))
    return EXIT_OK


# --- query -------------------------------------------------------------------------------------------
def _open_store(settings: Settings | None, data: Sequence[Path] | None):  # type: ignore[no-untyped-def]
    from .pipeline import DATASET_NQ, build
    from .store import GraphStore

    if data:
        with progress("loading " + ", ".join(p.name for p in data)):
            return GraphStore.from_files(data)
    assert settings is not None, "without --data, the project is required"
    if not (settings.current_build / DATASET_NQ).is_file():
        with progress(f"no build yet: building the graph into {settings.build_dir}"):
            build(settings)
    with progress("loading the graph"):
        return GraphStore.from_files([settings.current_build / DATASET_NQ])


def _closest_query(qualified: str, known: set[str]) -> str | None:
    """The known query ``qualified`` most likely means, or None when none is close.

    Names are compared without their group (``examples/`` would make every name look alike) and also without
    a leading number (``members-on-date`` means ``02-members-on-date``), with difflib's similarity ≥ 0.6; then
    the whole name, for a misspelled group.

    >>> known = {"examples/02-members-on-date", "examples/10b-single-source-facts", "checks/obligation-compliance"}
    >>> _closest_query("examples/members-on-dat", known)
    'examples/02-members-on-date'
    >>> _closest_query("check/obligation-compliance", known)
    'checks/obligation-compliance'
    >>> _closest_query("examples/nosuch", known) is None
    True
    """
    import difflib

    def bare(name: str) -> str:
        number, dash, rest = name.partition("-")
        return rest if dash and number[:1].isdigit() else name

    group, _, name = qualified.rpartition("/")
    by_name: dict[str, str] = {}
    for k in sorted(known):
        g, _, n = k.rpartition("/")
        if g == group:
            by_name.setdefault(n, k)
            by_name.setdefault(bare(n), k)
    for wanted in (name, bare(name)):
        close = difflib.get_close_matches(wanted, by_name, n=1, cutoff=0.6)
        if close:
            return by_name[close[0]]
    close = difflib.get_close_matches(qualified, sorted(known), n=1, cutoff=0.8)
    return close[0] if close else None


def cmd_query(args: argparse.Namespace) -> int:
    import pyoxigraph as ox

    from .queries import ParameterError, bind_parameters, load_queries, parse_query_file

    settings = _settings(args)
    path = Path(args.query)
    if path.suffix == ".rq":
        if not path.is_file():
            raise InputError(f"{path}: no such query file")
        try:
            named = parse_query_file(path, require_summary=False)  # a plain .rq file: headers are optional
        except ValueError as exc:  # a malformed '#+' header (named with its file), or not UTF-8 text
            raise InputError(str(exc) if str(exc).startswith(str(path)) else f"{path}: {exc}") from None
    else:
        group, _, name = args.query.rpartition("/")
        groups = sorted(d.name for d in settings.queries_dir.iterdir() if d.is_dir())
        known = {f"{g}/{n}" for g in groups for n in load_queries(settings.queries_dir, g)}
        qualified = f"{group or 'examples'}/{name}"
        if qualified not in known:
            close = _closest_query(qualified, known)
            meant = f"did you mean {close}? " if close else ""
            listed = sorted(k for k in known if k.split("/")[0] in {"examples", "checks"})
            others = ", ".join(f"{g}/…" for g in groups if g not in {"examples", "checks"})
            raise InputError(f"no query named {args.query!r}: {meant}known: {', '.join(listed)}"
                             f"{', ' + others if others else ''} (or give a .rq file)")
        named = load_queries(settings.queries_dir, group or "examples")[name]
    given: dict[str, str] = {}
    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise InputError(f"-p expects NAME=VALUE, got {item!r}")
        given[key.strip()] = value.strip()
    try:
        subs = bind_parameters(named, given)
    except ParameterError as exc:
        raise InputError(str(exc)) from exc
    _check_rdf_files(args.data)
    store = _open_store(settings, args.data)
    result = store.query(named.text, substitutions=subs)
    fmt = {"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV,
           "tsv": ox.QueryResultsFormat.TSV, "xml": ox.QueryResultsFormat.XML}[args.format]
    if isinstance(result, ox.QueryTriples):
        sys.stdout.write((result.serialize(format=ox.RdfFormat.TURTLE) or b"").decode())
    else:
        sys.stdout.write(result.serialize(format=fmt).decode())
    return EXIT_OK


# --- stats -------------------------------------------------------------------------------------------
def cmd_stats(args: argparse.Namespace) -> int:
    from .pipeline import MANIFEST, build

    settings = _settings(args)
    manifest_path = settings.current_build / MANIFEST
    manifest: dict[str, Any] = (json.loads(manifest_path.read_text()) if manifest_path.is_file()
                                else build(settings).manifest)
    if args.format == "json":
        print(json.dumps({k: manifest[k] for k in ("triples", "graphs", "classes", "inferred_triples")}, indent=2))
        return EXIT_OK
    print(f"{manifest['triples']} triples, {manifest['inferred_triples']} inferred")
    print("\ntriples per graph:")
    for g, n in manifest["graphs"].items():
        print(f"  {n:>8}  {g}")
    print("\ninstances per class:")
    for c, n in manifest["classes"].items():
        print(f"  {n:>8}  {c}")
    return EXIT_OK


# --- link --------------------------------------------------------------------------------------------
def cmd_link(args: argparse.Namespace) -> int:
    from .link import link

    if args.wikidata_export:
        _check_rdf_files([args.wikidata_export])
    report = link(_settings(args), wikidata_export=args.wikidata_export, online=args.online,
                  date=args.date, write=not args.dry_run)
    print(report.to_json() if args.format == "json" else report.to_text())
    return EXIT_FAILED if args.strict and report.conflicts else EXIT_OK


# --- export ------------------------------------------------------------------------------------------
def cmd_export(args: argparse.Namespace) -> int:
    """Tidy CSV tables with a Frictionless data package (queries/export/*.rq on the build)."""
    import pyoxigraph as ox

    from .export import export
    from .pipeline import DATASET_NQ, build
    from .store import load_file

    settings = _settings(args)
    store = ox.Store()
    _check_rdf_files(args.data)
    if args.data:
        for path in args.data:
            load_file(store, Path(path))
    else:
        if not (settings.current_build / DATASET_NQ).is_file():
            build(settings)
        store.bulk_load(path=str(settings.current_build / DATASET_NQ), format=ox.RdfFormat.N_QUADS)
    for path in export(store, settings.queries_dir, args.out):
        print(path)
    return EXIT_OK


# --- serve -------------------------------------------------------------------------------------------
def _current_build(settings: Settings) -> Path:
    """The published build, building it first (in a child process: the server imports no build code) if
    there is none."""
    current = settings.current_build
    if not (current / "dataset.nq").is_file():
        import subprocess

        command = [sys.executable, "-m", "cstograph.cli", "--project", str(settings.project_dir),
                   "--build-dir", str(settings.build_dir), "build"]
        if subprocess.run(command, check=False).returncode != 0:
            raise InputError("the graph could not be built (see above); nothing to serve")
    return current.resolve()


def _published_build(settings: Settings, url: str) -> Path | None:
    """The local build whose snapshot ``cstograph publish`` recorded in the server at ``url``, if it is this
    project's current build (its snapshot is then opened, not computed from the server)."""
    import json

    from .snapshot import published_snapshot
    from .store import RemoteStore

    current = settings.current_build
    try:
        local = json.loads((current / "snapshot" / "snapshot.json").read_text(encoding="utf-8"))["id"]
        remote = published_snapshot(RemoteStore(url, graphs=[]))
    except Exception:  # noqa: BLE001 - anything the server answers here only means: compute the snapshot
        return None
    if remote != local:
        print(f"the server holds snapshot {remote or '(none recorded)'}, the current build {local}: computing "
              "the snapshot from the server", file=sys.stderr)
        return None
    return current.resolve()


def cmd_serve(args: argparse.Namespace) -> int:
    from .namespaces import BASE
    from .server import ServerConfig
    from .server.app import open_snapshot
    from .server.sandbox import PoolLimits
    from .snapshot import snapshot_id
    from .store import GraphStore

    settings = _settings(args) if not args.data else _optional_settings(args)  # --data needs no project
    build: Path | None = None
    if args.store and args.data:
        raise InputError("give --store or --data, not both")
    if args.store:
        from .namespaces import GRAPH
        from .store import StoreLocation

        location = StoreLocation.parse(args.store, graph_prefix=str(GRAPH))
        store = location.open_per_process()
        build = getattr(store, "path", None)  # a store folder's version holds its build's snapshot
        if location.kind == "url" and settings is not None:
            build = _published_build(settings, args.store)
    elif args.data:
        _check_rdf_files(args.data)
        store = GraphStore.from_files(args.data, union_default_graph=args.default_graph != "file")
    else:
        assert settings is not None
        build = _current_build(settings)
        store = GraphStore.from_files([build / "dataset.nq"])
    config = ServerConfig(
        query_timeout=args.timeout, queries_dir=settings.queries_dir if settings else None, max_rows=args.max_rows,
        max_result_bytes=args.max_result_bytes, max_body_bytes=args.max_body_bytes,
        service_allowlist=tuple(args.service_allow), cors_origin=args.cors_origin,
        iri_base=args.iri_base or BASE, public_url=args.public_url,
        query_pool=PoolLimits(size=args.query_processes, long_slots=max(1, args.long_queries),
                              memory_mb=args.query_memory),
        result_cache_mb=args.result_cache_mb, validation=not args.no_shacl,
    )
    try:
        snapshot = open_snapshot(store, config, build=build,  # type: ignore[arg-type]
                                 snapshot_id=snapshot_id(args.data) if args.data else "unbuilt")
    except ValueError as exc:  # a store or build written by an older version (another snapshot format)
        raise InputError(str(exc)) from exc
    if args.dev:
        from .server import create_app

        app = create_app(config, store, snapshot=snapshot)  # type: ignore[arg-type]
        if args.access_log:
            from .server.access_log import AccessLog

            app.wsgi_app = AccessLog(app.wsgi_app, args.access_log)  # type: ignore[method-assign]
        print(f"serving {len(store)} quads on http://{args.host}:{args.port}/sparql (development server)", flush=True)
        app.run(host=args.host, port=args.port, threaded=True)
        return EXIT_OK
    from .server.runtime import serve
    from .server.web import WebOptions

    web = WebOptions(host=args.host, port=args.port, workers=args.workers, threads=args.threads,
                     access_log=args.access_log, request_timeout=args.request_timeout,
                     idle_timeout=args.idle_timeout,
                     max_body_bytes=max(args.max_body_bytes, config.validation_body_limit))
    try:
        return serve(config, store, web, snapshot=snapshot, announce=lambda line: print(line, flush=True))  # type: ignore[arg-type]
    except OSError as exc:
        print(f"cstograph: error: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_INPUT


# --- input files, progress, output ----------------------------------------------------------------------------
def _check_rdf_files(paths: Sequence[Path] | None) -> None:
    """Read each given RDF file once with the one reader (:func:`cstograph.store.check_file`), so that every
    command reports a bad file in the same words: ``file:line:column: message`` (exit 2)."""
    from .store import check_file

    for path in paths or ():
        check_file(Path(path))


@contextlib.contextmanager
def progress(what: str) -> Iterator[None]:
    """A spinner with the elapsed time on stderr while a step runs (rich), when stderr is a terminal; gone
    when the step ends. Nothing when stderr is a file or a pipe, or when ``CSTOGRAPH_PROGRESS=0``."""
    if not sys.stderr.isatty() or os.environ.get("CSTOGRAPH_PROGRESS") == "0":
        yield
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True,
                  redirect_stdout=sys.stdout.isatty(), redirect_stderr=True) as bar:
        bar.add_task(what, total=None)
        yield


# --- parser ------------------------------------------------------------------------------------------
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cstograph")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree that is not installed
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cstograph", description="A knowledge graph of the CSTO: build, validate, reason, query and serve it.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument("--project", type=Path, help="project folder (default: found from the working directory)")
    parser.add_argument("--build-dir", type=Path, help="build folder (default: <project>/build)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build", help="load, validate, reason and write the publishable dataset")
    p.add_argument("--force", action="store_true", help="rebuild even if the inputs are unchanged")
    p.add_argument("--engine", choices=["fast", "owlrl"], default="fast", help="reasoning engine (see `reason`)")
    p.add_argument("--shacl", choices=["turbo", "pyshacl"], default="turbo",
                   help="SHACL Core engine: pyshacl-turbo on the store (default) or pySHACL (the reference)")
    p.add_argument("--store", type=Path, metavar="DIR",
                   help="also write the dataset into this on-disk store (a new version, swapped in atomically)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("publish", help="load the current build into a SPARQL 1.1 server (Graph Store Protocol)")
    p.add_argument("--to", required=True, metavar="URL",
                   help="the server's Graph Store endpoint (e.g. http://host:7878/store, "
                        "http://host:8890/sparql-graph-crud); each named graph is replaced with one PUT")
    p.add_argument("--query-url", metavar="URL",
                   help="its query endpoint: graphs of an earlier publish that the build no longer has are deleted")
    p.add_argument("--user", help="user for HTTP basic authentication (password from $CSTOGRAPH_REMOTE_PASSWORD)")
    p.set_defaults(func=cmd_publish)

    p = sub.add_parser("validate", help="validate the data (or given files, with the project) against the SHACL shapes")
    p.add_argument("paths", nargs="*", type=Path,
                   help="your RDF files: validated together with the project's data; the report shows their results")
    p.add_argument("--format", choices=["text", "turtle", "json"], default="text")
    p.add_argument("--shapes", help="folder of shapes (default: shapes/)")
    p.add_argument("--alone", action="store_true", help="validate the given files without the project's data")
    p.add_argument("--all", action="store_true", help="with files: show the project's own results too")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("compliance", help="the obligation-compliance report (queries/checks/obligation-compliance.rq)")
    p.add_argument("--format", choices=["text", "json", "csv"], default="text")
    p.add_argument("--data", nargs="+", type=Path, help="report on these RDF files instead of the build")
    p.set_defaults(func=cmd_compliance)

    p = sub.add_parser("reason", help="compute the inferred triples (OWL 2 RL)")
    p.add_argument("-o", "--output", type=Path, help="write Turtle here instead of stdout")
    p.add_argument("--engine", choices=["fast", "owlrl"], default="fast",
                   help="fast: owlrl on the schema + the ontology's rules on the data (default); owlrl: owlrl on all")
    p.add_argument("--explain", metavar="IRI|'S P O'",
                   help="show how an inferred triple (or every inferred triple about IRI) was derived")
    p.set_defaults(func=cmd_reason)

    p = sub.add_parser("query", help="run a .rq file or a named query (e.g. examples/02-members-on-date)")
    p.add_argument("query", help="path to a .rq file, or [group/]name of a query under queries/ "
                                 "(examples/…, checks/…; an unknown name lists the known ones)")
    p.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                   help="bind a declared query parameter: a date as YYYY-MM-DD (or today), an IRI as https://… "
                        "or a prefixed name (state:ARM)")
    p.add_argument("--format", choices=["json", "csv", "tsv", "xml"], default="csv")
    p.add_argument("--data", nargs="+", type=Path, help="query these RDF files instead of the build")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("stats", help="triples per graph and instances per class of the current build")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("link", help="compute and check links to Wikidata, ISO 3166 and COW/ATOP; compare memberships")
    p.add_argument("--wikidata-export", type=Path, metavar="FILE",
                   help="a Wikidata-shaped RDF export (wdt:P298, p:P463 + pq:P580/pq:P582) "
                        "to check links and compare memberships")
    p.add_argument("--online", action="store_true",
                   help="also ask the live Wikidata SPARQL service (query.wikidata.org only; never by default)")
    p.add_argument("--date", type=date.fromisoformat, help="date recorded for the links (default: today)")
    p.add_argument("--dry-run", action="store_true", help="report only; do not write data/links/linkset.ttl")
    p.add_argument("--strict", action="store_true", help="exit 1 when a link or code conflicts")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_link)

    p = sub.add_parser("export", help="tidy CSV tables with a Frictionless data package (member spells, events, "
                                      "requests, obligations by member, claims, disagreements)")
    p.add_argument("--out", type=Path, default=Path("export"), help="folder to write (default: ./export)")
    p.add_argument("--data", nargs="+", type=Path, help="export these RDF files instead of the build")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("serve", help="serve the graph over HTTP (SPARQL 1.1 Protocol)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--data", nargs="+", type=Path,
                   help="serve these RDF files (Turtle, TriG, N-Triples, N-Quads) instead of the build")
    p.add_argument("--store", metavar="DIR|URL",
                   help="serve an on-disk store written by `build --store DIR` (opened read-only, nothing re-loaded), "
                        "or front an existing SPARQL 1.1 server's query endpoint URL")
    p.add_argument("--workers", type=int, default=2, help="web worker processes (production server)")
    p.add_argument("--threads", type=int, default=8, help="request threads per web worker")
    p.add_argument("--query-processes", type=int, default=6, help="sandbox processes that evaluate queries")
    p.add_argument("--long-queries", type=int, default=2,
                   help="queries that may run longer than 0.25 s at once (the other processes stay free)")
    p.add_argument("--query-memory", type=int, default=2048, help="memory a query may use, in MiB")
    p.add_argument("--result-cache-mb", type=int, default=64,
                   help="MiB of query answers each web worker keeps (the data does not change while served); 0: none")
    p.add_argument("--request-timeout", type=float, default=10.0,
                   help="seconds a client has to send a whole request (slower clients are disconnected)")
    p.add_argument("--idle-timeout", type=float, default=30.0,
                   help="seconds an idle connection (nothing sent, nothing being answered) is kept open")
    p.add_argument("--timeout", type=float, default=5.0, help="query time limit in seconds (clients may lower it)")
    p.add_argument("--max-rows", type=int, default=100_000, help="largest SELECT result, in rows")
    p.add_argument("--max-result-bytes", type=int, default=50_000_000, help="largest response body, in bytes")
    p.add_argument("--max-body-bytes", type=int, default=1_000_000, help="largest request body (413 above)")
    p.add_argument("--service-allow", action="append", default=[], metavar="URL",
                   help="a SERVICE endpoint queries may call (repeatable; default: none, SERVICE is refused)")
    p.add_argument("--cors-origin", default="*", help="Access-Control-Allow-Origin ('' disables CORS)")
    p.add_argument("--default-graph", choices=["union", "file"], default="union",
                   help="with --data: default graph = union of all graphs (triple files each in a named graph "
                        "named after the file), or the files' own default graph")
    p.add_argument("--public-url",
                   help="the URL users reach this server at (VoID, dumps, links); default: the request's host")
    p.add_argument("--iri-base", help="the IRI base that request paths map onto (default https://w3id.org/cstograph/)")
    p.add_argument("--no-shacl", action="store_true",
                   help="no POST /shacl and no validation pool (which holds a copy of the project's asserted graphs: "
                        "hundreds of MiB at a million triples)")
    p.add_argument("--dev", action="store_true", help="use Flask's development server")
    p.add_argument("--access-log", nargs="?", const="-", metavar="FILE",
                   help="log every request in Common Log Format, to FILE (appended) or to stdout without one")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = _run(args)
        sys.stdout.flush()  # here, not at exit: a closed pipe is then caught below
        return code
    except BrokenPipeError:
        # The reader went away (`cstograph stats | head`): stop quietly, as a shell tool does (128 + SIGPIPE).
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return 141


def _run(args: argparse.Namespace) -> int:
    try:
        if args.command in ("build", "validate", "reason", "link", "stats"):
            with progress(f"cstograph {args.command}"):
                return int(args.func(args))
        return int(args.func(args))
    except InputError as exc:
        print(f"cstograph: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except (ValidationFailed, InconsistencyError) as exc:
        print(f"cstograph: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except QueryError as exc:
        print(f"cstograph: query error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except CstographError as exc:
        print(f"cstograph: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except FileNotFoundError as exc:
        print(f"cstograph: error: {exc}", file=sys.stderr)
        return EXIT_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
