"""/api/search, /api/labels, /api/vocabulary on the built graph (in-process app: same code as the server)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from cstograph.server import ServerConfig, create_app
from cstograph.server.services.search import normalise
from cstograph.store import GraphStore

from ..conftest import PROJECT_DIR

ARM = "https://w3id.org/cstograph/id/state/ARM"


@pytest.fixture(scope="module")
def client(store: GraphStore) -> Iterator[FlaskClient]:
    yield create_app(ServerConfig(queries_dir=PROJECT_DIR / "queries"), store).test_client()


def top(client: FlaskClient, q: str, **params: str) -> list[dict[str, object]]:
    reply = client.get("/api/search", query_string={"q": q, **params})
    assert reply.status_code == 200, reply.data
    results: list[dict[str, object]] = reply.get_json()["results"]
    return results


def test_normalise_folds_case_accents_and_yo() -> None:
    assert normalise("  Ёлка  ÉTÉ ") == "елка ete"


@pytest.mark.parametrize("q, lang, label", [
    ("armenia", "en", "Armenia"), ("ARMENIA", "en", "Armenia"), ("армения", "ru", "Армения"),
    ("Armén", "en", "Armenia"), ("kazakhstan", "en", "Kazakhstan"), ("Казахстан", "ru", "Казахстан"),
])
def test_search_finds_states_in_both_languages(client: FlaskClient, q: str, lang: str, label: str) -> None:
    first = top(client, q, lang=lang, limit="1")[0]
    assert first["label"] == label and "cst:State" in first["types"] and first["href"].startswith("/id/state/")


def test_search_ranks_whole_then_prefix_then_words(client: FlaskClient) -> None:
    results = top(client, "secretary general")
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True) and results[0]["score"] >= 3
    assert any(r["label"] == "Secretary General of the CSTO" for r in results)
    assert top(client, "general secretary")  # words in any order


def test_search_by_alternative_label_and_type_filter(client: FlaskClient) -> None:
    csto = top(client, "csto", limit="1")[0]
    assert csto["iri"] == "https://w3id.org/cstograph/id/organization/csto"
    only_states = top(client, "a", type="https://w3id.org/cstograph/ontology#State", limit="50")
    assert only_states and all("cst:State" in r["types"] for r in only_states)


@pytest.mark.parametrize("query, says", [("", "'q'"), ("a" * 201, "200"), ("a&limit=0", "limit"),
                                         ("a&limit=x", "limit"), ("a&lang=fr", "lang")])
def test_search_rejects_bad_parameters(client: FlaskClient, query: str, says: str) -> None:
    reply = client.get("/api/search?q=" + query)
    assert reply.status_code == 400 and says in reply.get_data(as_text=True)


def test_labels_of_iris(client: FlaskClient) -> None:
    reply = client.get("/api/labels", query_string={"iri": [ARM, "http://example.org/none"], "lang": "ru"})
    assert reply.get_json() == {ARM: {"label": "Армения", "href": "/id/state/ARM"}}


def test_vocabulary_lists_used_classes_and_properties_with_labels(client: FlaskClient) -> None:
    vocabulary = client.get("/api/vocabulary").get_json()
    assert vocabulary["prefixes"]["cst"] == "https://w3id.org/cstograph/ontology#"
    state = next(t for t in vocabulary["classes"] if t["curie"] == "cst:State")
    assert state["labels"]["en"] and state["labels"]["ru"]
    assert any(t["curie"] == "cst:memberOf" for t in vocabulary["properties"])
