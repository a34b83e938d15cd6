"""The closure cache: its key follows the inputs, and a cached closure shares blank nodes with the
asserted graphs (tiny fixture)."""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, URIRef

from cstograph.load import load_dataset
from cstograph.namespaces import INFERRED_GRAPH, turtle_prefixes
from cstograph.reason import closure_key, reason_dataset

from ..conftest import FIXTURES

DATA = FIXTURES / "reason" / "rules" / "prp-spo2.ttl"


def test_key_follows_the_files_and_the_engine(tmp_path: Path) -> None:
    copy = tmp_path / DATA.name
    copy.write_bytes(DATA.read_bytes())
    key = closure_key([copy])
    assert key == closure_key([copy]) and len(key) == 16
    assert closure_key([copy], engine="owlrl") != key
    copy.write_bytes(DATA.read_bytes() + b"\n# changed\n")
    assert closure_key([copy]) != key


def test_a_cached_closure_is_reused_with_its_blank_nodes(tmp_path: Path) -> None:
    data = tmp_path / "chain.ttl"
    data.write_text(turtle_prefixes("owl", "rdfs") + "@prefix ex: <http://example.org/> .\n"
                    "ex:source owl:propertyChainAxiom ( ex:citation ex:citedSource ) .\n"
                    "ex:citedSource rdfs:domain ex:Citation .\n"
                    "ex:fact ex:citation [ ex:citedSource ex:seed ] .\n", encoding="utf-8")
    key = closure_key([data])
    first = reason_dataset(load_dataset([data]), cache_dir=tmp_path / "closure", key=key)
    assert not first.reused and (tmp_path / "closure" / f"{key}.nq").is_file()
    again = reason_dataset(load_dataset([data]), cache_dir=tmp_path / "closure", key=key)
    assert again.reused and len(again.inferred) == len(first.inferred)
    assert (URIRef("http://example.org/fact"), URIRef("http://example.org/source"),
            URIRef("http://example.org/seed")) in again.inferred
    assert again.dataset is not None
    asserted = {n for g in again.dataset.graphs() if g.identifier != INFERRED_GRAPH for t in g for n in t
                if isinstance(n, BNode)}
    inferred = {n for t in again.dataset.graph(INFERRED_GRAPH) for n in t if isinstance(n, BNode)}
    assert inferred and inferred <= asserted
