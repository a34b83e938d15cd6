"""Hypothesis strategies for hostile input: SPARQL queries drawn from the grammar (§19.8) and then mutated,
request paths and parameters for every route, headers, and posted RDF documents in every accepted format.

The queries aim at what has hurt endpoints: deep nesting, SERVICE in every lexical form (aimed at the
loopback canary), huge VALUES, regular expressions, property paths, cartesian products, odd encodings.
"""

from __future__ import annotations

import json

from hypothesis import strategies as st

from cstograph.namespaces import sparql_prefixes, turtle_prefixes

#: Where the generated SERVICE clauses, FROM clauses and contexts point (replaced by the canary's URL).
CANARY = "http://canary.invalid"

_NAMES = st.sampled_from(["s", "p", "o", "x", "y", "g", "n", "v1", "SERVICE", "select", "a"])
VARS = _NAMES.map(lambda n: "?" + n) | _NAMES.map(lambda n: "$" + n)
IRIS = st.sampled_from([
    "<https://w3id.org/cstograph/ontology#State>", "<https://w3id.org/cstograph/id/state/ARM>",
    "<http://www.w3.org/2000/01/rdf-schema#label>", "<http://example.org/x>", "cst:memberOf", "cst:State",
    "rdfs:label", "<urn:x>", "<file:///etc/passwd>", f"<{CANARY}/x>", "<javascript:alert(1)>",
])
LITERALS = st.one_of(
    st.text(max_size=12).map(lambda t: json.dumps(t)),  # a double-quoted string with JSON escapes
    st.sampled_from(["'a'", '"b"@en', '"c"@ru', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>', "'''x\ny'''",
                     r'"\u0041"', '"2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date>', "true", "false"]),
    st.integers(-10**6, 10**6).map(str), st.floats(allow_nan=False, allow_infinity=False).map(repr),
)
TERMS = VARS | IRIS | LITERALS | st.just("[]") | st.just("_:b1")
_SERVICE_KEYWORD = st.sampled_from(["SERVICE", "service", "SeRvIcE", "SERVICE SILENT", "service#x\n", "SERVICE\t"])
_SERVICE_TARGET = st.sampled_from([f"<{CANARY}/q>", f"<{CANARY}/q>", "canary:q", "canary:", "?svc",
                                   "<" + "".join(f"\\u{ord(c):04X}" for c in CANARY) + "/q>"])
PROLOGUE = st.just(sparql_prefixes("cst", "rdfs") + f"PREFIX canary: <{CANARY}/>\n")


def _expressions(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, st.sampled_from(["||", "&&", "=", "!=", "<", ">", "<=", "+", "-", "*", "/"]),
                  children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["STR", "LANG", "UCASE", "STRLEN", "isIRI", "BOUND", "ABS", "MD5"]),
                  children).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(children, st.sampled_from(["'a'", "'^.*(a|b)*$'", "'(x+x+)+y'", "'['"])).map(
            lambda t: f"REGEX(STR({t[0]}), {t[1]}, 'i')"),
        st.tuples(children, children).map(lambda t: f"IF(BOUND({t[0]}), {t[1]}, 0)"),
        children.map(lambda c: f"!({c})"),
    )


EXPRESSIONS = st.recursive(TERMS, _expressions, max_leaves=8)
PATHS = st.recursive(IRIS | st.just("a"), lambda c: st.one_of(
    st.tuples(c, c).map(lambda t: f"{t[0]}/{t[1]}"), st.tuples(c, c).map(lambda t: f"({t[0]}|{t[1]})"),
    c.map(lambda p: f"^{p}"), st.tuples(c, st.sampled_from("*+?")).map(lambda t: f"({t[0]}){t[1]}"),
    IRIS.map(lambda i: f"!{i}")), max_leaves=5)


def _patterns(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.lists(children, min_size=1, max_size=4).map(lambda ps: "{ " + " . ".join(ps) + " }"),
        children.map(lambda p: "OPTIONAL { " + p + " }"),
        st.tuples(children, children).map(lambda t: "{ " + t[0] + " } UNION { " + t[1] + " }"),
        children.map(lambda p: "MINUS { " + p + " }"),
        st.tuples(st.sampled_from(["?g", f"<{CANARY}/g>"]), children).map(lambda t: f"GRAPH {t[0]} {{ {t[1]} }}"),
        st.tuples(_SERVICE_KEYWORD, _SERVICE_TARGET, children).map(lambda t: f"{t[0]} {t[1]} {{ {t[2]} }}"),
        children.map(lambda p: "{ SELECT * WHERE { " + p + " } LIMIT 5 }"),
        st.tuples(children, EXPRESSIONS).map(lambda t: f"{t[0]} FILTER({t[1]})"),
        st.tuples(children, children).map(lambda t: f"{t[0]} FILTER NOT EXISTS {{ {t[1]} }}"),
    )


_TRIPLES = st.one_of(
    st.tuples(TERMS, VARS | IRIS | st.just("a"), TERMS).map(" ".join),
    st.tuples(VARS, PATHS, TERMS).map(" ".join),
    st.tuples(VARS, EXPRESSIONS, VARS).map(lambda t: f"BIND({t[1]} AS {t[2]}) {t[0]} ?p ?o"),
    st.lists(LITERALS | IRIS, max_size=20).map(lambda vs: "VALUES ?v { " + " ".join(vs) + " }"),
)
PATTERNS = st.recursive(_TRIPLES, _patterns, max_leaves=10)
MODIFIERS = st.lists(st.sampled_from(["ORDER BY ?s", "ORDER BY DESC(STR(?o))", "LIMIT 10", "OFFSET 3",
                                      "GROUP BY ?s", "LIMIT 0", "LIMIT 99999999999999999999"]),
                     max_size=2).map(" ".join)


@st.composite
def grammar_queries(draw: st.DrawFn) -> str:
    """A query built from the grammar's productions (not always valid: scope rules are not followed)."""
    where = draw(PATTERNS)
    form = draw(st.sampled_from([
        "SELECT * WHERE {{ {w} }}", "SELECT DISTINCT ?s (COUNT(*) AS ?n) WHERE {{ {w} }} GROUP BY ?s",
        "ASK {{ {w} }}", "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {w} }}", "DESCRIBE ?s WHERE {{ {w} }}",
        f"SELECT * FROM <{CANARY}/g> FROM NAMED <file:///etc/passwd> WHERE {{{{ {{w}} }}}}",
        "SELECT * WHERE {{ ?a ?b ?c . ?d ?e ?f . {w} }}",
    ]))
    return draw(PROLOGUE) + form.format(w=where) + " " + draw(MODIFIERS)


@st.composite
def deep_queries(draw: st.DrawFn) -> str:
    """Deep nesting or long chains of one construct, 50 to 6000 levels."""
    n = draw(st.integers(50, 6000))
    kind = draw(st.sampled_from(["group", "optional", "subselect", "paren", "path", "union", "or", "join",
                                 "exists", "bnode", "collection", "func", "service"]))
    return {
        "group": "SELECT * WHERE " + "{ " * n + "?s ?p ?o" + " }" * n,
        "optional": "SELECT * { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * n + "}" * n + " }",
        "subselect": "SELECT * WHERE { " * n + "?s ?p ?o" + " }" * n,
        "paren": "SELECT (" + "(" * n + "1" + ")" * n + " AS ?x) {}",
        "path": "SELECT * { ?s " + "/".join(["<http://p>"] * n) + " ?o }",
        "union": "SELECT * { " + " UNION ".join(["{ ?s ?p ?o }"] * n) + " }",
        "or": "SELECT * { ?s ?p ?o FILTER(" + " || ".join(["?o = 1"] * n) + ") }",
        "join": "SELECT * { " + " ".join(f"?s{i} ?p ?s{i + 1} ." for i in range(min(n, 2000))) + " }",
        "exists": "SELECT * { ?s ?p ?o " + "FILTER EXISTS { ?s ?p ?o " * n + "}" * n + " }",
        "bnode": "SELECT * { ?s <http://p> " + "[ <http://p> " * n + "?o" + " ]" * n + " }",
        "collection": "SELECT * { ?s <http://p> " + "(" * n + "1" + ")" * n + " }",
        "func": "SELECT (" + "STR(" * n + "1" + ")" * n + " AS ?x) {}",
        "service": "SELECT * { " + f"SERVICE <{CANARY}/q> {{ " * n + "?s ?p ?o" + " }" * n + " }",
    }[kind]


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[str]) -> str:
    """A query with random edits: characters deleted, duplicated, replaced by odd ones (NUL, U+2028,
    surrogate-like escapes, quotes, braces)."""
    text = draw(base)
    for _ in range(draw(st.integers(0, 4))):
        if not text:
            break
        i = draw(st.integers(0, len(text) - 1))
        edit = draw(st.sampled_from(["delete", "duplicate", "insert"]))
        if edit == "delete":
            text = text[:i] + text[i + 1:]
        elif edit == "duplicate":
            text = text[:i] + text[i:i + 20] * draw(st.integers(2, 50)) + text[i:]
        else:
            odd = draw(st.sampled_from(["\x00", "\u2028", "\\uD800", "\\u0000", "{", "}", "'", '"', "<", "#",
                                        "\\", "SERVICE <" + CANARY + "/m> {}", "\ufeff", "é", "\U0001F600"]))
            text = text[:i] + odd + text[i:]
    return text


QUERIES = st.one_of(grammar_queries(), deep_queries(), mutated(grammar_queries()), mutated(deep_queries()),
                    st.text(max_size=200))

# --- routes, parameters, headers --------------------------------------------------------------------------------
_SEGMENTS = st.one_of(
    st.sampled_from(["ARM", "csto", "cst", "ZZZ", "..", ".", "", "%00", "%ff%fe", "%0d%0a", "a%20b", "%2F%2F",
                     "x.ttl", "x.html", "x.rdf", "x.jsonld", "x.nt", "x.exe", "%E2%80%A8", "<x>", "State"]),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=8).map(lambda t: "".join(
        c if c.isalnum() else f"%{ord(c) & 0xFF:02X}" for c in t)),
)
_ROUTES = st.sampled_from(["/", "/sparql", "/queries", "/queries/examples/02-members-on-date",
                           "/queries/checks/obligation-compliance", "/id/state/{s}", "/id/{s}/{s}", "/ontology",
                           "/ontology/{s}", "/ontology.{s}", "/timeline", "/.well-known/void", "/void",
                           "/dumps/{s}", "/health", "/metrics", "/compliance", "/shacl", "/static/{s}", "/{s}"])
_PARAM_NAMES = st.sampled_from(["query", "format", "timeout", "default-graph-uri", "named-graph-uri", "today",
                                "of", "date", "state", "with-project", "update", "x"])
_PARAM_VALUES = st.one_of(
    st.sampled_from(["", "json", "turtle", "csv", "html", "nonsense", "0", "-1", "nan", "inf", "1e309",
                     "2020-01-01", "2020-13-45", "0001-01-01", "9999-12-31", "yesterday", "javascript:alert(1)",
                     f"{CANARY}/x",
                     "https://w3id.org/cstograph/id/state/ARM", "file:///etc/passwd", "true", "perhaps",
                     "SELECT * {}", "x" * 5000]),
    st.text(max_size=30),
)
PARAMS = st.lists(st.tuples(_PARAM_NAMES, _PARAM_VALUES), max_size=4)
ACCEPTS = st.one_of(st.none(), st.sampled_from([
    "*/*", "text/html", "application/json", "application/sparql-results+json", "text/turtle;q=0.5, */*;q=0.1",
    "image/png", "text/html;q=0", "application/ld+json", "application/rdf+xml", "text/csv", "text/plain",
    ";;;", "*/*;q=nan", "text/*", "application/*;q=0.3", "\u00e9/\u00e9",
]))
CONTENT_TYPES = st.sampled_from([
    "application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update", "text/turtle",
    "application/ld+json", "application/rdf+xml", "application/trig", "application/n-quads", "text/plain",
    "multipart/form-data; boundary=x", "application/sparql-query; charset=utf-16", "", "x/y",
])


@st.composite
def paths(draw: st.DrawFn) -> str:
    route = draw(_ROUTES)
    while "{s}" in route:
        route = route.replace("{s}", draw(_SEGMENTS), 1)
    from urllib.parse import quote

    params = draw(PARAMS)
    if params:
        route += "?" + "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in params)
    return route


# --- posted RDF documents --------------------------------------------------------------------------------------
_VALID = {
    "text/turtle": "@prefix ex: <http://example.org/> . ex:a ex:b \"c\" ; ex:d ( 1 2 ) .",
    "application/n-triples": "<http://example.org/a> <http://example.org/b> \"c\" .\n",
    "application/trig": "<http://example.org/g> { <http://example.org/a> <http://example.org/b> 1 . }",
    "application/n-quads": "<http://example.org/a> <http://example.org/b> \"c\" <http://example.org/g> .\n",
    "application/ld+json": json.dumps({"@id": "http://example.org/a", "http://example.org/b": "c"}),
    "application/rdf+xml": ('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                            '<rdf:Description rdf:about="http://example.org/a"/></rdf:RDF>'),
}
_MALICIOUS = st.sampled_from([
    ("application/ld+json", json.dumps({"@context": f"{CANARY}/ctx.jsonld", "@id": "http://a"})),
    ("application/ld+json", json.dumps({"@context": {"@import": f"{CANARY}/i"}, "@id": "http://a"})),
    ("application/ld+json", json.dumps({"@context": "file:///etc/passwd", "@id": "http://a"})),
    ("application/ld+json", "[" * 5000 + "]" * 5000),
    ("application/ld+json", '{"@id": "http://a", "http://b": ' + "{" * 3000 + "}" * 3000 + "}"),
    ("application/rdf+xml", f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "{CANARY}/e">]><r>&e;</r>'),
    ("application/rdf+xml", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
                            + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(8))
                            + ']><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                              '<rdf:Description rdf:about="http://a"><rdf:value>&i;</rdf:value></rdf:Description>'
                              "</rdf:RDF>"),
    ("application/rdf+xml", "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>" + "<a>" * 5000),
    ("text/turtle", turtle_prefixes("owl") +
                    f"<{CANARY}/o> owl:imports <{CANARY}/i.ttl> , <file:///etc/passwd> ."),
    ("text/turtle", "<http://a> <http://b> " + "[ <http://b> " * 5000 + "1" + " ]" * 5000 + " ."),
    ("text/turtle", "<http://a> <http://b> " + "(" * 5000 + "1" + ")" * 5000 + " ."),
    ("application/trig", "<g> { " * 100),
    ("text/turtle", '<http://a> <http://b> "' + "x" * 200_000 + '" .'),
])


@st.composite
def posted_documents(draw: st.DrawFn) -> tuple[str, bytes]:
    """(media type, body): valid documents cut or edited at random, malicious ones, or random bytes."""
    choice = draw(st.integers(0, 3))
    if choice == 0:
        media_type, text = draw(_MALICIOUS)
        return media_type, text.encode()
    media_type = draw(st.sampled_from(sorted(_VALID)))
    if choice == 1:
        return media_type, draw(st.binary(max_size=300))
    text = _VALID[media_type]
    body = draw(mutated(st.just(text))) if choice == 2 else text[: draw(st.integers(0, len(text)))]
    return media_type, body.encode("utf-8", "surrogatepass")
