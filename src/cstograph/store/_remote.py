"""The remote store: an existing SPARQL 1.1 server the institution already runs (Oxigraph, Virtuoso,
GraphDB, Neptune…), read through the SPARQL 1.1 Protocol and written through the Graph Store HTTP
Protocol. Nothing here reaches the network unless an operator named the URL (``serve --store URL``,
``publish --to URL``).

- Queries go as form-encoded POSTs (SPARQL 1.1 Protocol §2.1.2; Virtuoso 7.2 hangs on a POST with an
  ``application/sparql-query`` body), results come back as SPARQL JSON or N-Triples and are read by
  pyoxigraph, so that a result has the same interface whatever store answered (:meth:`RemoteStore.query`);
  an endpoint that only passes answers on asks for them serialised (:meth:`RemoteStore.query_results`: the
  server's JSON or XML passed through, CSV/TSV written from its JSON).
- The store is *scoped* to a set of named graphs (by default those under the project's graph
  namespace): the union default graph of a query is those graphs, given as ``default-graph-uri`` (and
  ``named-graph-uri``), so a server's own system graphs (Virtuoso's) never leak into answers.
- Query parameters are bound with a ``VALUES`` block at the head of the query's top-level group, the one
  binding mechanism every SPARQL 1.1 server has (SEP-0007 substitution is an Oxigraph extension); the
  position is found by the project's SPARQL lexer, never by a regular expression, and the terms are
  written by pyoxigraph (whose constructors validate them).
"""

from __future__ import annotations

import base64
import io
import json
import re
import threading
import time
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from http import HTTPStatus
from typing import IO

import pyoxigraph as ox

from ..errors import CstographError, QuerySyntaxError
from ..namespaces import XSD
from ._base import Output, OxigraphStore, Row, Term, names_own_dataset, rows
from ._http import RemoteConnection, StaleConnection

__all__ = [
    "RemoteError", "RemoteStore", "RemoteTriples", "bind_rows", "bind_values", "publish_graphs", "skolemize",
]

_JSON = "application/sparql-results+json"
_TRIPLES_ACCEPT = "application/n-triples, text/turtle;q=0.9"


class RemoteError(CstographError):
    """The remote SPARQL server refused or failed a request (the message gives its status and answer)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class RemoteTriples:
    """The triples of a CONSTRUCT / DESCRIBE answered by a remote server, with the interface of
    ``pyoxigraph.QueryTriples`` (iteration, ``serialize(output, format=…)``)."""

    def __init__(self, triples: list[ox.Triple]) -> None:
        self._triples = triples

    def __iter__(self) -> Iterator[ox.Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def serialize(self, output: IO[bytes] | str | None = None, format: ox.RdfFormat = ox.RdfFormat.N_TRIPLES
                  ) -> bytes | None:
        return ox.serialize(self._triples, output, format=format)


@lru_cache(maxsize=256)
def _top_group(sparql: str) -> int:
    """The offset just after the ``{`` that opens the query's top-level WHERE group."""
    from ..sparql import tokens

    depth, form, template_done = 0, "", False
    for token in tokens(sparql):
        if not form and token.is_word("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"):
            form = token.text
            template_done = form != "CONSTRUCT"
        elif form and token.is_word("WHERE") and depth == 0:
            template_done = True
        elif token.is_punct("{"):
            if depth == 0 and form and template_done:
                return token.pos + 1
            depth += 1
        elif token.is_punct("}"):
            depth -= 1
            if depth == 0 and form == "CONSTRUCT":
                template_done = True
    raise QuerySyntaxError("the query has no WHERE group to bind its parameters in")


def bind_rows(sparql: str, names: Sequence[str], table: Sequence[Sequence[Term]]) -> str:
    """The query with a ``VALUES (?a ?b) { (…) (…) }`` block at the head of its top-level group: every row of
    ``table`` (terms written by pyoxigraph) joined with the rest of the group."""
    for row in table:
        for term in row:
            if not isinstance(term, ox.NamedNode | ox.Literal):
                raise ValueError(f"a bound value must be an IRI or a literal, not {term!r}")
    at = _top_group(sparql)
    head = " VALUES (" + " ".join(f"?{ox.Variable(n).value}" for n in names) + ") {"
    body = " ".join("(" + " ".join(str(term) for term in row) + ")" for row in table)
    return sparql[:at] + head + " " + body + " }\n" + sparql[at:]


def bind_values(sparql: str, substitutions: Mapping[str, Term] | None) -> str:
    """The query with its parameters bound by a ``VALUES`` block at the head of its top-level group.

    >>> bind_values("SELECT ?x WHERE { ?x ?p ?d }", {"d": ox.Literal("1")})
    'SELECT ?x WHERE { VALUES (?d) { ("1") }\\n ?x ?p ?d }'
    """
    if not substitutions:
        return sparql
    names = sorted(substitutions)
    return bind_rows(sparql, names, [[substitutions[n] for n in names]])


def skolemize(term: object, base: str) -> object:
    """A blank node as a Skolem IRI (RDF 1.1 Concepts §3.5: ``…/.well-known/genid/<label>``), so that a
    blank node shared between named graphs stays one node when the graphs are loaded one by one."""
    if isinstance(term, ox.BlankNode):
        return ox.NamedNode(f"{base}.well-known/genid/{term.value}")
    if isinstance(term, ox.Triple):
        return ox.Triple(skolemize(term.subject, base), term.predicate, skolemize(term.object, base))  # type: ignore[arg-type]
    return term


def _form(sparql: str) -> str:
    """The query form (``SELECT``…) by the project's parser; raises :class:`QuerySyntaxError`."""
    from ..sparql import QueryTooComplex, SparqlSyntaxError, UpdateRequest, analyse

    try:
        return analyse(sparql).form
    except (SparqlSyntaxError, UpdateRequest, QueryTooComplex) as exc:
        raise QuerySyntaxError(str(exc)) from exc


@lru_cache(maxsize=64)
def _graph_fields(default: tuple[str, ...], named: tuple[str, ...]) -> str:
    """``&default-graph-uri=…&named-graph-uri=…`` form-encoded (the same scoped graphs on every query: encoded
    once)."""
    fields = [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in named]
    return "&" + urllib.parse.urlencode(fields) if fields else ""


HTTP_REASONS = {status.value: status.phrase for status in HTTPStatus}


class RemoteStore:
    """A SPARQL 1.1 server as a :class:`~cstograph.store.Store`.

    ``query_url`` is its query endpoint; ``graphs`` the named graphs it is scoped to (default: every
    graph whose IRI starts with ``graph_prefix``, listed once when the store is opened).
    """

    def __init__(self, query_url: str, *, graphs: Sequence[str] | None = None, graph_prefix: str | None = None,
                 timeout: float = 60.0, user: str | None = None, password: str | None = None) -> None:
        scheme = urllib.parse.urlsplit(query_url).scheme
        if scheme not in ("http", "https"):
            raise ValueError(f"a remote store needs an http(s) URL, not {query_url!r}")
        self.url = query_url
        self.timeout = timeout
        self.union_default_graph = True
        self._local = threading.local()
        self._opened: list[RemoteConnection] = []  # every thread's, to close them all
        self._auth = ("Basic " + base64.b64encode(f"{user}:{password or ''}".encode()).decode()) if user else None
        self._graphs = sorted(graphs) if graphs is not None else self._discover(graph_prefix)
        self._len: int | None = None

    # --- HTTP ------------------------------------------------------------------------------------------
    def _connection(self, scheme: str, netloc: str) -> RemoteConnection:
        """This thread's kept-alive connection to ``netloc`` (one per thread: web workers use threads)."""
        conns: dict[tuple[str, str], RemoteConnection] = self._local.__dict__.setdefault("conns", {})
        key = (scheme, netloc)
        if key not in conns:
            parts = urllib.parse.urlsplit(f"{scheme}://{netloc}")
            port = parts.port or (443 if scheme == "https" else 80)
            conns[key] = RemoteConnection(scheme, parts.hostname or "", port, timeout=self.timeout)
            self._opened.append(conns[key])
        return conns[key]

    def close(self) -> None:
        """Close the kept-alive connections (of every thread)."""
        opened = getattr(self, "_opened", [])  # (a store whose __init__ failed has none)
        for conn in opened:
            conn.close()
        opened.clear()

    def __del__(self) -> None:
        self.close()

    def request(self, url: str, *, method: str = "GET", body: bytes | None = None,
                headers: Mapping[str, str] | None = None, limit: int | None = None,
                timeout: float | None = None) -> tuple[int, str, bytes]:
        """One HTTP exchange on a kept-alive connection: (status, content type, body). Redirects are not
        followed (the operator named this server, not another). With ``limit``, at most ``limit + 1`` bytes of
        the body are read (more: the connection is dropped). ``timeout`` (default: the store's) bounds the
        connection and each read. Raises :class:`RemoteError` for a failure status other than 400 (which the
        caller reads), ``TimeoutError`` past the timeout (the connection is then dropped), ``OSError`` when
        the server cannot be reached."""
        all_headers = dict(headers or {})
        if self._auth:
            all_headers["Authorization"] = self._auth
        parts = urllib.parse.urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        wait = self.timeout if timeout is None else max(0.001, timeout)
        conn = self._connection(parts.scheme, parts.netloc)
        try:
            answer = conn.exchange(method, target, headers=all_headers, body=body, limit=limit, timeout=wait)
        except StaleConnection:  # a kept-alive connection the server closed meanwhile: once more on a new one
            answer = conn.exchange(method, target, headers=all_headers, body=body, limit=limit, timeout=wait)
        except ValueError as exc:
            raise RemoteError(f"{method} {url}: {exc}") from exc
        data = answer.body
        ctype = answer.header("content-type")
        if answer.status == 400:
            return 400, ctype, data[:2000]
        if answer.status >= 300:
            text = data[:2000].decode("utf-8", "replace").strip()
            reason = HTTP_REASONS.get(answer.status, "")
            raise RemoteError(f"{method} {url}: {answer.status} {reason}: {text}", answer.status)
        return answer.status, ctype, data

    def _post_query(self, sparql: str, accept: str, *, default: Sequence[str] | None,
                    named: Sequence[str] | None, limit: int | None = None,
                    timeout: float | None = None) -> tuple[str, bytes]:
        form = urllib.parse.urlencode([("query", sparql)]) + _graph_fields(tuple(default or ()), tuple(named or ()))
        status, ctype, body = self.request(
            self.url, method="POST", body=form.encode(), limit=limit, timeout=timeout,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
        if status == 400:
            raise QuerySyntaxError(f"the remote server refused the query: {body.decode('utf-8', 'replace')}")
        return ctype, body

    def _discover(self, prefix: str | None) -> list[str]:
        """The named graphs under ``prefix``: ``GRAPH ?g {}`` lists them without reading a triple (SPARQL 1.1
        §18.6; Oxigraph), else (Virtuoso 7.2 answers it with nothing) one scan of the quads."""
        found: list[str] = []
        for query in ("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }",
                      "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            _, body = self._post_query(query, _JSON, default=None, named=None)
            found = [r["g"].value for r in rows(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))
                     if isinstance(r.get("g"), ox.NamedNode)]
            if found:
                break
        return sorted(g for g in found if prefix is None or g.startswith(prefix))

    # --- the Store protocol ----------------------------------------------------------------------------
    def query(self, sparql: str, *, default_graph: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None, substitutions: Mapping[str, Term] | None = None,
              base_iri: str | None = None, union_default_graph: bool | None = None, timeout: float | None = None
              ) -> ox.QuerySolutions | ox.QueryBoolean | RemoteTriples:
        """Send the query; the dataset options mean what they mean for the embedded stores (the union of
        the scoped graphs by default). ``base_iri`` is sent as a ``BASE`` declaration; ``timeout``: see
        :meth:`request`."""
        form = _form(sparql)
        text, default, named = self._request_for(sparql, default_graph=default_graph, named_graphs=named_graphs,
                                                 substitutions=substitutions, base_iri=base_iri,
                                                 union_default_graph=union_default_graph)
        if form in ("CONSTRUCT", "DESCRIBE"):
            ctype, body = self._post_query(text, _TRIPLES_ACCEPT, default=default, named=named, timeout=timeout)
            fmt = ox.RdfFormat.TURTLE if "turtle" in ctype else ox.RdfFormat.N_TRIPLES
            return RemoteTriples([q.triple for q in ox.parse(body, format=fmt)])
        _, body = self._post_query(text, _JSON, default=default, named=named, timeout=timeout)
        return ox.parse_query_results(_legacy_json(body), format=ox.QueryResultsFormat.JSON)

    def _request_for(self, sparql: str, *, default_graph: Sequence[str] | None, named_graphs: Sequence[str] | None,
                     substitutions: Mapping[str, Term] | None, base_iri: str | None,
                     union_default_graph: bool | None) -> tuple[str, Sequence[str] | None, Sequence[str] | None]:
        """(query text with its parameters bound and its base declared, default graphs, named graphs) to send."""
        if union_default_graph is None:
            union_default_graph = self.union_default_graph and not names_own_dataset(sparql)
        default, named = default_graph, named_graphs
        if default is None and named is None and union_default_graph:
            default, named = self._graphs, self._graphs
        elif default is None and named is not None:
            default = []
        text = bind_values(sparql, substitutions)
        if base_iri:
            text = f"BASE {ox.NamedNode(base_iri)}\n{text}"
        return text, default, named

    def query_results(self, sparql: str, *, format: ox.QueryResultsFormat, max_bytes: int,
                      default_graph: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
                      substitutions: Mapping[str, Term] | None = None, base_iri: str | None = None,
                      union_default_graph: bool | None = None, timeout: float | None = None) -> bytes:
        """The answer of a SELECT or ASK in ``format``, serialised by the server, not read term by term here:

        - JSON and XML: the server's own bytes, passed through (with the legacy forms of older servers
          rewritten: :func:`_legacy_json`, :func:`_legacy_xml`);
        - CSV and TSV: the server's XML written by Oxigraph, as the embedded stores write them (servers' own
          CSV and TSV lose or misstate terms: Virtuoso 7's TSV is CSV with tabs, its CSV writes ``0``/``1``).
          XML, not JSON: servers write it as fast or faster (Virtuoso 7: 1.3–1.5×), and Virtuoso's XML writes
          booleans as ``true``/``false`` where its JSON writes ``1``/``0``.

        At most ``max_bytes + 1`` bytes are read from the server: a longer body comes back cut, for the caller
        to refuse. The dataset options mean what they mean for :meth:`query`; ``timeout``: see :meth:`request`
        (it bounds the whole answer's exchanges: the time left is passed on to the second when there is one). Raises
        :class:`QuerySyntaxError` (the query, or the server refused it) and :class:`RemoteError` when the
        server answers in another format or fails."""
        form = _form(sparql)
        if form not in ("SELECT", "ASK"):
            raise QuerySyntaxError(f"a {form} query has no SPARQL results format")
        text, default, named = self._request_for(sparql, default_graph=default_graph, named_graphs=named_graphs,
                                                 substitutions=substitutions, base_iri=base_iri,
                                                 union_default_graph=union_default_graph)

        until = None if timeout is None else time.monotonic() + timeout

        def ask(fmt: ox.QueryResultsFormat) -> bytes:
            media_type = fmt.media_type.split(";")[0]
            left = None if until is None else until - time.monotonic()
            if left is not None and left <= 0:
                raise TimeoutError("no answer before the time limit")
            ctype, body = self._post_query(text, media_type, default=default, named=named, limit=max_bytes,
                                           timeout=left)
            got = ctype.split(";")[0].strip().lower()
            if got != media_type and not (fmt == ox.QueryResultsFormat.JSON and got == "application/json"):
                raise RemoteError(f"the server answered {got or 'no Content-Type'}, not {media_type}")
            if len(body) > max_bytes:
                return body  # (cut: for the caller to refuse)
            if fmt == ox.QueryResultsFormat.JSON:
                return _legacy_json(body).getvalue()
            return _legacy_xml(body)

        if format == ox.QueryResultsFormat.JSON:
            return ask(format)
        body = ask(ox.QueryResultsFormat.XML)
        if format == ox.QueryResultsFormat.XML or len(body) > max_bytes:
            return body
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.XML).serialize(format=format) or b""

    def select(self, sparql: str, **options: object) -> list[Row]:
        return rows(self.query(sparql, **options))  # type: ignore[arg-type]

    def quads(self, subject: object = None, predicate: object = None, object: object = None,
              graph: object = None) -> Iterator[ox.Quad]:
        """The quads of the scoped graphs matching a pattern (one SELECT; bound positions as VALUES)."""
        subs: dict[str, Term] = {}
        for name, term in (("s", subject), ("p", predicate), ("o", object), ("g", graph)):
            if term is not None:
                if isinstance(term, ox.BlankNode):
                    return iter(())  # a blank node of one answer means nothing in the next query
                subs[name] = term  # type: ignore[assignment]
        found = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", substitutions=subs,
                           default_graph=[], named_graphs=self._graphs)
        return (ox.Quad(subject or r["s"], predicate or r["p"], object or r["o"], graph or r["g"])  # type: ignore[arg-type]
                for r in found)  # type: ignore[union-attr]

    def graph_names(self) -> list[str]:
        return list(self._graphs)

    def sizes(self) -> dict[str, int]:
        found = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                            default_graph=[], named_graphs=self._graphs)
        return {r["g"].value: int(r["n"].value) for r in found}

    #: Set by whoever opened the store when it knows the build the server holds.
    version: str | None = None

    @property
    def oxigraph(self) -> _QuadsView:
        """``quads_for_pattern`` and ``dump`` under their pyoxigraph names, for server code that still
        reaches past the Store protocol (to be removed with those uses)."""
        return _QuadsView(self)

    def __len__(self) -> int:
        if self._len is None:
            n = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", default_graph=[],
                            named_graphs=self._graphs)
            self._len = int(n[0]["n"].value) if n else 0
        return self._len

    def dump(self, output: Output = None, *, format: ox.RdfFormat, graph: str | None = None,
             prefixes: Mapping[str, str] | None = None) -> bytes | None:
        """The scoped graphs (or one) serialised: gathered with one query per graph."""
        quads: list[ox.Quad] = []
        for name in [graph] if graph is not None else self._graphs:
            g = ox.NamedNode(name)
            target: ox.NamedNode | ox.DefaultGraph = g if format.supports_datasets else ox.DefaultGraph()
            quads += [ox.Quad(q.subject, q.predicate, q.object, target) for q in self.quads(graph=g)]
        kwargs: dict[str, object] = {"format": format}
        if prefixes and format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
            kwargs["prefixes"] = dict(prefixes)
        if not format.supports_datasets:
            return ox.serialize([q.triple for q in quads], output, **kwargs)  # type: ignore[arg-type]
        return ox.serialize(quads, output, **kwargs)  # type: ignore[arg-type]

    # --- the Graph Store HTTP Protocol -----------------------------------------------------------------
    def put_graph(self, graph_store_url: str, graph: str, ntriples: bytes) -> int:
        """Replace one named graph (Graph Store HTTP Protocol §5.3, ``PUT ?graph=``) in one request: the
        server replaces it in one transaction where it can. N-Triples is sent as Turtle (a subset of it),
        the one RDF syntax every Graph Store implementation reads. Returns the HTTP status."""
        url = _with_query(graph_store_url, {"graph": graph})
        status, _, body = self.request(url, method="PUT", body=ntriples,
                                       headers={"Content-Type": "text/turtle; charset=utf-8"})
        if status == 400:
            raise RemoteError(f"PUT {url}: 400: {body.decode('utf-8', 'replace')}")
        return status

    def delete_graph(self, graph_store_url: str, graph: str, *, missing_ok: bool = False) -> int:
        """Remove one named graph (Graph Store HTTP Protocol §5.4); with ``missing_ok``, a graph the server
        does not have (404) is not an error."""
        try:
            status, _, _ = self.request(_with_query(graph_store_url, {"graph": graph}), method="DELETE")
        except RemoteError as exc:
            if missing_ok and exc.status == 404:
                return 404
            raise
        return status


class _QuadsView:
    def __init__(self, store: RemoteStore) -> None:
        self._store = store

    def quads_for_pattern(self, s: object, p: object, o: object, g: object = None) -> Iterator[ox.Quad]:
        return self._store.quads(s, p, o, None if isinstance(g, ox.DefaultGraph) else g)

    def dump(self, output: Output = None, *, format: ox.RdfFormat, prefixes: Mapping[str, str] | None = None,
             from_graph: ox.NamedNode | None = None) -> bytes | None:
        return self._store.dump(output, format=format, prefixes=prefixes,
                                graph=from_graph.value if from_graph is not None else None)


def _with_query(url: str, params: Mapping[str, str]) -> str:
    parts = urllib.parse.urlsplit(url)
    query = "&".join(p for p in (parts.query, urllib.parse.urlencode(params)) if p)
    return urllib.parse.urlunsplit(parts._replace(query=query))


_BOOLEAN = str(XSD.boolean)


def _legacy_json(body: bytes) -> io.BytesIO:
    """SPARQL JSON results as SPARQL 1.1 Query Results JSON §3.2.2 writes them: the ``typed-literal`` term
    type of older servers (Virtuoso 7) read as ``literal``, and ``xsd:boolean`` values in their canonical
    form (Virtuoso writes ``1``/``0``), so that every store gives the same terms."""
    if b'"typed-literal"' not in body and _BOOLEAN.encode() not in body:
        return io.BytesIO(body)
    data = json.loads(body)
    for binding in data.get("results", {}).get("bindings", []):
        for term in binding.values():
            if term.get("type") == "typed-literal":
                term["type"] = "literal"
            if term.get("datatype") == _BOOLEAN and term.get("value") in ("0", "1"):
                term["value"] = "true" if term["value"] == "1" else "false"
    return io.BytesIO(json.dumps(data).encode())


_XML_BOOLEAN = re.compile(rb'(datatype="' + re.escape(_BOOLEAN.encode()) + rb'"\s*>\s*)([01])(\s*<)')


def _legacy_xml(body: bytes) -> bytes:
    """SPARQL XML results with ``xsd:boolean`` values in their canonical form (``true``/``false``), as the
    embedded stores write them: a server may write ``1``/``0`` (Virtuoso 7 does in JSON)."""
    if _BOOLEAN.encode() not in body:
        return body
    return _XML_BOOLEAN.sub(lambda m: m[1] + (b"true" if m[2] == b"1" else b"false") + m[3], body)


def publish_graphs(source: OxigraphStore, graph_store_url: str, *, query_url: str | None = None,
                   graph_prefix: str | None = None, skolem_base: str = "urn:cstograph:", user: str | None = None,
                   password: str | None = None) -> list[str]:
    """Load every named graph of ``source`` into a remote server: one Graph Store Protocol ``PUT`` per graph
    (the server replaces the graph in one request; Oxigraph and Virtuoso do it in one transaction), blank
    nodes skolemized so that those shared between graphs stay shared. With ``query_url``, graphs under
    ``graph_prefix`` that ``source`` no longer has are deleted afterwards. Returns one line per graph."""
    client = RemoteStore(query_url or graph_store_url, graphs=[], user=user, password=password)
    done = []
    names = source.graph_names()
    for name in names:
        triples: list[ox.Triple] = [skolemize(q.triple, skolem_base)  # type: ignore[misc]
                   for q in source.quads(None, None, None, ox.NamedNode(name))]
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        status = client.put_graph(graph_store_url, name, body)
        done.append(f"{status} PUT {name} ({len(triples)} triples)")
    if query_url is not None:
        remote = RemoteStore(query_url, graph_prefix=graph_prefix, user=user, password=password)
        for stale in sorted(set(remote.graph_names()) - set(names)):
            status = client.delete_graph(graph_store_url, stale)
            done.append(f"{status} DELETE {stale}")
    return done
