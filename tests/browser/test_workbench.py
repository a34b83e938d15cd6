"""What a researcher does on the site, in a real Chromium: write a query with highlighting, error markers and
completion; run named queries through their forms; page, sort and filter results shown by label and linked to
the local pages; look at a timeline or chart; keep tabs and history; share a link and reopen it; download a
result; copy a code snippet that runs. Outcomes are read from the DOM, the downloaded bytes and the server.

Every row of the issue's table runs by default (each test a few seconds); only the walk through the main pages
and the refused-parameter check are marked ``slow`` as well (``scripts/test -m slow``, or ``-m browser`` for the
whole suite)."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from cstograph.namespaces import sparql_prefixes
from tests.conftest import RunningServer

from .conftest import screenshot

MEMBERS = "examples/02-members-on-date"
LABELS = sparql_prefixes("rdfs") + 'SELECT ?thing ?label WHERE { ?thing rdfs:label ?label FILTER(lang(?label) = "en") }'


def open_query_page(page: Any, site: RunningServer, suffix: str = "") -> None:
    page.goto(site.sparql + suffix)
    page.wait_for_selector(".cm-content")


def editor_text(page: Any) -> str:
    return str(page.input_value("#query"))  # the form's textarea mirrors the editor


def set_query(page: Any, text: str) -> None:
    page.click(".cm-content")
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


DONE = re.compile(r"rows|triples|ASK|HTTP")


def run(page: Any) -> str:
    """Run the query (the status says "running…" until the answer is shown)."""
    page.click("#run")
    page.locator("#status").filter(has_text=DONE).wait_for()
    return str(page.inner_text("#status"))


def column(page: Any, index: int) -> list[str]:
    return list(page.eval_on_selector_all(f"#out table.results tbody tr td:nth-child({index})",
                                          "cells => cells.map(c => c.innerText)"))


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as reply:  # noqa: S310 - loopback test server
        return bytes(reply.read())


# --- the editor ---------------------------------------------------------------------------------------------
def test_editor_highlights_and_marks_a_syntax_error(page: Any, site: RunningServer) -> None:
    open_query_page(page, site)
    keywords = page.eval_on_selector_all(".cm-content .tok-keyword", "els => els.map(e => e.textContent)")
    assert "SELECT" in keywords and "WHERE" in keywords
    assert page.eval_on_selector_all(".cm-content .tok-variableName.tok-local", "els => els.length") >= 2
    screenshot(page, "query-page")
    set_query(page, "SELECT * WHERE {\n  ?s ?p \n}")
    marker = page.wait_for_selector(".cm-lintRange-error")
    assert marker.inner_text() == "}"  # the token the parser stopped at
    page.hover(".cm-lintRange-error")
    assert "unexpected" in page.wait_for_selector(".cm-tooltip-lint").inner_text()
    page.mouse.move(0, 0)
    set_query(page, "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    page.wait_for_selector(".cm-lintRange-error", state="detached")


def test_completion_of_vocabulary_and_labels_declares_the_prefix(page: Any, site: RunningServer) -> None:
    open_query_page(page, site)
    set_query(page, "SELECT * WHERE { ?s a ")
    page.keyboard.type("cst:Sta")
    options = page.wait_for_selector(".cm-tooltip-autocomplete").inner_text()
    assert "cst:State" in options and "state" in options  # the class, and its label
    page.click(".cm-tooltip-autocomplete li:has-text('cst:State')")
    page.keyboard.type(" ; cst:isMemberOf ?org . ?org cst:member Tajik")
    page.click(".cm-tooltip-autocomplete li:has-text('Tajikistan')")
    page.keyboard.type(" }")
    text = editor_text(page)
    assert text.startswith("PREFIX state: <https://w3id.org/cstograph/id/state/>\n"
                           "PREFIX cst: <https://w3id.org/cstograph/ontology#>\n")
    assert text.endswith("?s a cst:State ; cst:isMemberOf ?org . ?org cst:member state:TJK }")
    page.wait_for_timeout(500)  # the linter's delay: an undeclared prefix would be marked by now
    assert page.query_selector(".cm-lintRange-error") is None


def test_server_error_is_marked_at_its_line_and_column(page: Any, site: RunningServer) -> None:
    """A query the editor finds well-formed but the server refuses: the server's ``(line, column)`` is marked."""
    query = "SELECT * WHERE {\n  ?s ?p ?o\n  SERVICE <http://elsewhere.example/sparql> { ?s ?p ?o }\n}"
    open_query_page(page, site)
    set_query(page, query)
    page.wait_for_timeout(500)  # the linter's delay: nothing marked before the run
    assert page.query_selector(".cm-lintRange-error") is None
    assert run(page).startswith("HTTP 400")
    message = page.inner_text("#out .err")
    where = re.search(r"\(line (\d+), column (\d+)\)", message)
    assert "SERVICE" in message and where, message
    line, column = int(where.group(1)), int(where.group(2))
    assert (line, column) == (3, 11)  # the service's IRI, as the server reports it
    marker = page.wait_for_selector(".cm-lintRange-error")
    assert marker.inner_text() == query.split("\n")[line - 1][column - 1]  # "<": the marked character
    # the marker sits on the third line of the editor, and its tooltip says why
    marked_line = page.eval_on_selector(".cm-lintRange-error", "m => m.closest('.cm-line').textContent")
    assert marked_line == query.split("\n")[line - 1]
    page.hover(".cm-lintRange-error")
    assert "not allowed" in page.wait_for_selector(".cm-tooltip-lint").inner_text()


# --- named queries and results ---------------------------------------------------------------------------------
def test_named_query_form_results_by_label_and_local_links(page: Any, site: RunningServer) -> None:
    open_query_page(page, site)
    page.select_option("#examples", MEMBERS)
    date = page.wait_for_selector("#params input[name=date]")
    assert date.get_attribute("type") == "date"  # a typed form field for an xsd:date parameter
    date.fill("1995-01-01")
    status = run(page)
    assert status.startswith("9 rows")
    # labels are asked for after the rows are shown (one request per 100 IRIs) and then replace the prefixed names
    page.wait_for_selector("#out table.results a[href='/id/state/ARM']:text-is('Armenia')")
    states = page.eval_on_selector_all("#out table.results td a[href^='/id/state/']",
                                       "as => as.map(a => [a.textContent, a.getAttribute('href')])")
    assert ["Armenia", "/id/state/ARM"] in states  # shown by label, linking to the local page
    assert "state:ARM" in page.inner_text("#out table.results")  # the IRI shortened by its prefix
    screenshot(page, "query-results")
    page.click("#out table.results a[href='/id/state/ARM']")
    page.wait_for_url("**/id/state/ARM*")
    assert "Armenia" in page.inner_text("h1")
    screenshot(page, "resource-page")


@pytest.mark.slow
def test_a_bad_parameter_is_refused_before_running(page: Any, site: RunningServer) -> None:
    open_query_page(page, site)
    page.select_option("#examples", "examples/03-membership-history")
    page.fill("#params input[name=state]", "not an iri")
    assert run(page).startswith("HTTP 400")
    assert "IRI" in page.inner_text("#out .err")
    page.fill("#params input[name=state]", "state:ARM")  # a prefixed name is accepted
    assert int(run(page).split()[0]) >= 3


def test_paging_sorting_and_filtering(page: Any, site: RunningServer) -> None:
    open_query_page(page, site)
    set_query(page, LABELS)
    total = int(run(page).split()[0])
    assert total > 100
    assert page.inner_text("#page-info") == f"rows 1–50 of {total}"
    first_page = column(page, 2)
    page.click("#next-page")
    assert page.inner_text("#page-info") == f"rows 51–100 of {total}"
    assert column(page, 2) != first_page
    page.wait_for_selector("#out td code.curie")  # the labels have arrived (an IRI shown by label + its name)...
    assert page.inner_text("#page-info") == f"rows 51–100 of {total}"  # ...and the reader is still on page 2
    page.click("#out th[data-var=label] button")  # sort by ?label, ascending
    assert page.get_attribute("#out th[data-var=label]", "aria-sort") == "ascending"
    assert page.inner_text("#page-info") == f"rows 1–50 of {total}"
    # The whole result sorted, not just the page: the first 50 are the 50 smallest labels of the endpoint's
    # answer, in the browser's collation (Intl.Collator, case- and accent-insensitive, numbers by value).
    answer = json.loads(fetch(site.sparql + "?" + urllib.parse.urlencode({"query": LABELS, "format": "json"})))
    every = [b["label"]["value"] for b in answer["results"]["bindings"]]
    assert len(every) == total
    order = page.evaluate("""labels => {
        const c = new Intl.Collator(undefined, {sensitivity: 'base', numeric: true});
        const up = labels.slice().sort(c.compare);
        return {up: up.slice(0, 50), down: up.slice().reverse().slice(0, 50)}; }""", every)

    def same(shown: list[str], expected: list[str]) -> bool:  # equal up to case and accents (ties keep any order)
        return bool(page.evaluate("""([a, b]) => {
            const c = new Intl.Collator(undefined, {sensitivity: 'base', numeric: true});
            return a.length === b.length && a.every((x, i) => c.compare(x, b[i]) === 0); }""", [shown, expected]))

    labels = [s.removesuffix(" @en") for s in column(page, 2)]
    assert same(labels, order["up"]), (labels[:5], order["up"][:5])
    page.click("#out th[data-var=label] button")
    assert page.get_attribute("#out th[data-var=label]", "aria-sort") == "descending"
    labels = [s.removesuffix(" @en") for s in column(page, 2)]
    assert same(labels, order["down"]), (labels[:5], order["down"][:5])
    page.fill("#filter", "Kazakhstan")
    shown = column(page, 2)
    assert shown and all("kazakhstan" in s.lower() for s in shown)
    assert "filtered from" in page.inner_text("#page-info")
    page.select_option("#page-size", "100")
    assert len(column(page, 2)) == len(shown)


def test_timeline_for_dates_and_chart_for_counts(page: Any, site: RunningServer) -> None:
    open_query_page(page, site)
    page.select_option("#examples", "examples/03-membership-history")
    run(page)
    page.click("#views button[data-view=timeline]")
    bars = page.eval_on_selector_all("svg.timeline-view rect.bar", "rs => rs.map(r => r.getBoundingClientRect().width)")
    assert bars and all(w > 0 for w in bars)
    screenshot(page, "query-timeline")
    set_query(page, "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n) LIMIT 10")
    run(page)
    page.click("#views button[data-view=chart]")
    assert page.eval_on_selector_all("svg.chart-view rect.bar", "rs => rs.length") == 10


# --- tabs, history, share, download, code -------------------------------------------------------------------------
def test_tabs_and_history_survive_a_reload(page: Any, site: RunningServer) -> None:
    open_query_page(page, site)
    set_query(page, "SELECT (1 AS ?one) WHERE {}")
    run(page)
    page.click("#new-tab")
    set_query(page, "ASK { ?s ?p ?o }")
    assert run(page).startswith("ASK: true")
    page.reload()
    page.wait_for_selector(".cm-content")
    tabs = page.eval_on_selector_all("#tabs .tab-title", "ts => ts.map(t => t.textContent)")
    assert tabs == ["Query 1", "Query 2"]
    assert editor_text(page) == "ASK { ?s ?p ?o }"  # the active tab, as it was
    page.click("#tabs .tab-title >> text=Query 1")
    assert editor_text(page) == "SELECT (1 AS ?one) WHERE {}"
    page.click("#history-box summary")
    entries = page.eval_on_selector_all("#history .history-item", "bs => bs.map(b => b.title)")
    assert entries[:2] == ["ASK { ?s ?p ?o }", "SELECT (1 AS ?one) WHERE {}"]
    page.click("#history .history-item >> nth=0")
    assert editor_text(page) == "ASK { ?s ?p ?o }"


def test_share_link_reopens_and_reruns_the_query(page: Any, site: RunningServer) -> None:
    open_query_page(page, site)
    query = ("SELECT ?label WHERE { <https://w3id.org/cstograph/id/state/KAZ> "
             "<http://www.w3.org/2000/01/rdf-schema#label> ?label }")
    set_query(page, query)
    page.click("#share")
    link = page.input_value("#share-url")
    assert link.startswith(site.sparql + "?query=")
    colleague = page.context.browser.new_context()  # another browser: no tabs of ours
    other = colleague.new_page()
    other.goto(link)
    other.wait_for_selector("#out table.results")
    assert other.input_value("#query") == query
    assert "Kazakhstan" in other.inner_text("#out table.results")
    assert "Shared query" in other.inner_text("#tabs")
    colleague.close()
    # a named query with its parameters
    page.select_option("#examples", MEMBERS)
    page.fill("#params input[name=date]", "2013-01-01")
    page.click("#share")
    link = page.input_value("#share-url")
    assert "#example=" in link and "date=2013-01-01" in link
    again = page.context.new_page()
    again.goto(link)
    again.wait_for_selector("#out table.results")
    assert again.input_value("#params input[name=date]") == "2013-01-01"
    answer = json.loads(fetch(site.url + "/queries/" + MEMBERS + "?date=2013-01-01&format=json"))
    assert again.inner_text("#status").startswith(f"{len(answer['results']['bindings'])} rows")


def test_downloads_are_files_with_the_results(page: Any, site: RunningServer) -> None:
    open_query_page(page, site)
    set_query(page, LABELS + " ORDER BY ?thing LIMIT 20")
    page.select_option("#format", "csv")
    with page.expect_download() as info:
        page.click("#download")
    download = info.value
    assert download.suggested_filename == "Query-1.csv"
    body = Path(download.path()).read_bytes()
    expected = fetch(site.sparql + "?" + urllib.parse.urlencode({"query": LABELS + " ORDER BY ?thing LIMIT 20",
                                                                 "format": "csv"}))
    assert body == expected and len(list(csv.reader(io.StringIO(body.decode())))) == 21
    assert page.url.startswith(site.sparql)  # no new tab, no navigation
    for fmt in ("tsv", "json"):  # the other results formats: the same answer as the endpoint gives a program
        page.select_option("#format", fmt)
        with page.expect_download() as info:
            page.click("#download")
        assert info.value.suggested_filename == f"Query-1.{fmt}"
        body = Path(info.value.path()).read_bytes()
        expected = fetch(site.sparql + "?" + urllib.parse.urlencode(
            {"query": LABELS + " ORDER BY ?thing LIMIT 20", "format": fmt}))
        if fmt == "tsv":
            assert body == expected and len(body.decode().splitlines()) == 21
            assert body.decode().splitlines()[0] == "?thing\t?label"
        else:
            assert json.loads(body) == json.loads(expected) and len(json.loads(body)["results"]["bindings"]) == 20
    set_query(page, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5")
    formats = page.eval_on_selector_all("#format option", "os => os.map(o => o.value)")
    assert formats == ["turtle", "ntriples", "rdfxml", "jsonld", "trig", "nquads"]
    page.select_option("#format", "turtle")
    with page.expect_download() as info:
        page.click("#download")
    assert info.value.suggested_filename.endswith(".ttl")
    import pyoxigraph as ox

    triples = list(ox.parse(Path(info.value.path()).read_bytes(), format=ox.RdfFormat.TURTLE))
    assert len(triples) == 5


def test_python_snippet_runs_and_prints_the_rows(page: Any, site: RunningServer) -> None:
    open_query_page(page, site)
    set_query(page, 'SELECT ?label WHERE { <https://w3id.org/cstograph/id/state/ARM> '
                    '<http://www.w3.org/2000/01/rdf-schema#label> ?label FILTER(lang(?label) = "ru") }')
    page.click("#code")
    page.click("#code-box [data-lang=python]")
    code = page.inner_text("#snippet")
    assert "SPARQLWrapper" in code
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Армения" in result.stdout
    page.click("#code-box [data-lang=curl]")
    curl = page.inner_text("#snippet")
    assert curl.startswith("curl -s '" + site.sparql + "'")
    page.click("#code-box [data-lang=r]")
    assert "library(httr)" in page.inner_text("#snippet")


def test_browser_get_of_a_query_url_shows_the_page_with_results(page: Any, site: RunningServer) -> None:
    query = "SELECT ?s WHERE { ?s a <https://w3id.org/cstograph/ontology#State> } LIMIT 3"
    page.goto(site.sparql + "?" + urllib.parse.urlencode({"query": query}))
    page.wait_for_selector("#out table.results")
    assert page.inner_text("#status").startswith("3 rows")
    assert json.loads(fetch(site.sparql + "?" + urllib.parse.urlencode({"query": query}))
                      )["results"]["bindings"]  # a program at the same URL still gets results


# --- the site around it -------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_main_pages_render_and_link_to_each_other(page: Any, site: RunningServer) -> None:
    """From the home page, the header's links to the timeline, the ontology, the lists and the query page, each
    drawn without a CSP problem."""
    for name, path in (("timeline", "/timeline"), ("ontology", "/ontology"), ("browse", "/id/"), ("query", "/sparql")):
        page.goto(site.url + "/")
        if name == "timeline":
            screenshot(page, "home")
        page.click(f"header a[href='{path}']")
        page.wait_for_url(f"**{path}")
        page.wait_for_load_state()
        # every page is an HTML page of the site: its header with the search box, and a heading
        assert page.evaluate("document.contentType") == "text/html", name
        assert page.is_visible("header.site"), name
        assert page.is_visible("header.site form.search input[name=q]"), name
        assert page.is_visible("h1"), name
        if name == "timeline":  # the picture inline in the page, its bars linking to the pages of the states
            assert page.eval_on_selector_all("main svg.timeline g.row", "gs => gs.length") >= 6
            page.click("main svg.timeline g.row a[href^='/id/state/'] >> nth=0")
            page.wait_for_url("**/id/state/*")
            assert page.is_visible("header.site")
        screenshot(page, f"page-{name}")


def test_search_box_finds_a_state_and_opens_its_page(page: Any, site: RunningServer) -> None:
    """The header's search box: a label in Russian, without its accents, finds the page."""
    page.goto(site.url + "/")
    box = page.query_selector("header.site form.search input[name=q]")
    assert box is not None and box.is_visible(), "the site header has no search box"
    box.fill("армения")
    box.press("Enter")
    page.wait_for_load_state()
    page.click("a[href='/id/state/ARM'], a[href='/id/state/ARM.html']")
    page.wait_for_url("**/id/state/ARM*")
    assert "Armenia" in page.inner_text("h1")
