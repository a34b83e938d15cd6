// Unit tests of the query page's pure functions (node --test; the browser suite tests the page itself).
import assert from "node:assert/strict";
import { test } from "node:test";

import { namedSnippets, snippets } from "../src/snippets.js";
import { declaredPrefixes, queryForm, serverErrorOffset, syntaxErrors, withPrefix } from "../src/sparqlinfo.js";
import { compareTerms, linkTarget, parseNTriples, rowMatches, shorten } from "../src/terms.js";

const P = { cst: "https://w3id.org/cstograph/ontology#", state: "https://w3id.org/cstograph/id/state/" };
const XSD = "http://www.w3.org/2001/XMLSchema#";

test("shorten picks the longest namespace and refuses invalid local names", () => {
  assert.equal(shorten("https://w3id.org/cstograph/id/state/ARM", { ...P, id: "https://w3id.org/cstograph/id/" }),
    "state:ARM");
  assert.equal(shorten("https://w3id.org/cstograph/id/state/a/b", P), null);
  assert.equal(shorten("http://example.org/x", P), null);
});

test("links go to local pages, http(s) IRIs, never to other schemes", () => {
  const base = "https://w3id.org/cstograph/";
  assert.equal(linkTarget("https://w3id.org/cstograph/id/state/ARM", { base }), "/id/state/ARM");
  assert.equal(linkTarget("http://www.wikidata.org/entity/Q399", { base }), "http://www.wikidata.org/entity/Q399");
  assert.equal(linkTarget("javascript:alert(1)", { base }), null);
  assert.equal(linkTarget(base + "/evil.example/x", { base }), "/%2Fevil.example/x"); // never "//evil.example/x"
  assert.equal(linkTarget("urn:x", { base, labels: { "urn:x": { label: "X", href: "/id/x" } } }), "/id/x");
});

test("numbers sort by value, dates as dates, labels as shown", () => {
  const n = (v) => ({ type: "literal", value: v, datatype: XSD + "integer" });
  assert.ok(compareTerms(n("9"), n("10")) < 0);
  const d = (v) => ({ type: "literal", value: v, datatype: XSD + "date" });
  assert.ok(compareTerms(d("1992-05-15"), d("2002-10-07")) < 0);
  const labels = { "urn:a": { label: "Zeta" }, "urn:b": { label: "alpha" } };
  assert.ok(compareTerms({ type: "uri", value: "urn:a" }, { type: "uri", value: "urn:b" }, { labels }) > 0);
  assert.ok(compareTerms(undefined, n("1")) > 0, "unbound sorts last");
  assert.ok(rowMatches({ s: { type: "uri", value: "urn:b" } }, ["s"], "ALPH", { labels }));
});

test("N-Triples read into subject/predicate/object terms", () => {
  const rows = parseNTriples('<urn:s> <urn:p> "a \\"q\\"\\u00e9"@en .\n_:b <urn:p> "3"^^<' + XSD + 'integer> .\n');
  assert.equal(rows.length, 2);
  assert.deepEqual(rows[0].object, { type: "literal", value: 'a "q"é', "xml:lang": "en" });
  assert.equal(rows[1].subject.type, "bnode");
  assert.equal(rows[1].object.datatype, XSD + "integer");
});

test("query form, prefixes and syntax errors with positions", () => {
  assert.equal(queryForm("# SELECT\nPREFIX x: <urn:select>\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"), "CONSTRUCT");
  assert.deepEqual(declaredPrefixes("PREFIX cst: <urn:c>\nprefix : <urn:d>"), { cst: "urn:c", "": "urn:d" });
  assert.deepEqual(syntaxErrors("SELECT * WHERE { ?s ?p ?o }"), []);
  const text = "SELECT * WHERE {\n ?s ?p ?o .\n FILTER(?s = }";
  const [err] = syntaxErrors(text);
  assert.equal(text.slice(err.from, err.to), "}");
  const [undeclared] = syntaxErrors("SELECT * WHERE { ?s a cst:State }");
  assert.equal(undeclared.prefix, "cst");
  assert.equal("SELECT * WHERE { ?s a cst:State }".slice(undeclared.from, undeclared.to), "cst:");
  assert.equal(serverErrorOffset("a\nbcd", "malformed query: 2:3: expected x"), 4);
  assert.equal(serverErrorOffset("a\nbcd", "SERVICE (federated query) is not allowed (line 2, column 2)"), 3);
  assert.equal(serverErrorOffset("a\nbcd", "the query took too long"), null);
  assert.equal(withPrefix("SELECT", "cst", "urn:c").text, "PREFIX cst: <urn:c>\nSELECT");
  assert.equal(withPrefix("PREFIX cst: <urn:c>\nSELECT", "cst", "urn:c").added, "");
});

test("snippets carry the query unchanged", () => {
  const q = 'SELECT * WHERE { ?s ?p "it\'s \\"q\\" \\\\ """ " }';
  const s = snippets("http://h/sparql", q, "SELECT");
  assert.match(s.curl, /--data-urlencode 'query=SELECT/);
  assert.ok(s.python.includes("SPARQLWrapper(\"http://h/sparql\")"));
  assert.match(namedSnippets("http://h/queries/examples/x?date=1995-01-01", "SELECT").curl,
    /x\?date=1995-01-01&format=csv/);
});
