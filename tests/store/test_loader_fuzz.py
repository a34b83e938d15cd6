"""The loaders against malformed and malicious RDF (issue 10): ``cstograph validate FILE`` on documents in every
syntax the project reads — cut, edited, random, or built to fetch (remote JSON-LD contexts, XML external
entities, ``owl:imports``) or to exhaust (nesting, entity expansion). Invariant: a clear exit status (2 with a
message that names the file, never a traceback), and nothing fetched — the network guard fails the test if
this process connects anywhere, and the loopback canary would see a fetch by anything else."""

from __future__ import annotations

import contextlib
import io
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from cstograph.cli import main

from ..conftest import PROJECT_DIR, Canary
from ..server._strategies import CANARY, posted_documents

SUFFIXES = {"text/turtle": ".ttl", "application/x-turtle": ".ttl", "application/n-triples": ".nt",
            "text/plain": ".nt", "application/trig": ".trig", "application/n-quads": ".nq",
            "application/ld+json": ".jsonld", "application/json": ".jsonld", "application/rdf+xml": ".rdf"}


def _validate(path: Path) -> tuple[int, str]:
    """``cstograph validate --alone --format json PATH`` in this process (the network guard watches it), with
    warnings as a user sees them (not errors, as the test settings make them: a parser's deprecation
    warning must not stop it before it reaches the code that would fetch)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = main(["--project", str(PROJECT_DIR), "validate", "--alone", "--format", "json", str(path)])
    return code, err.getvalue()


def _check(document: tuple[str, bytes], folder: Path, canary: Canary) -> None:
    media_type, body = document
    body = body.replace(CANARY.encode(), canary.url.encode())
    path = folder / f"input{SUFFIXES[media_type]}"
    path.write_bytes(body)
    code, err = _validate(path)
    assert code in (0, 1, 2), (media_type, code, err)
    assert "Traceback" not in err, err
    if code == 2:
        assert str(path) in err, err  # the message names the file (file:line:column where the parser knows)
    assert canary.take() == [], (media_type, body[:200])


@settings(max_examples=10, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(document=posted_documents())
def test_loaders_refuse_bad_documents_cleanly(document: tuple[str, bytes], tmp_path_factory: pytest.TempPathFactory,
                                               canary: Canary) -> None:
    _check(document, tmp_path_factory.mktemp("loader"), canary)


@pytest.mark.fuzz
@settings(max_examples=600, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(document=posted_documents())
def test_loaders_refuse_bad_documents_cleanly_long(document: tuple[str, bytes],
                                                    tmp_path_factory: pytest.TempPathFactory, canary: Canary) -> None:
    _check(document, tmp_path_factory.mktemp("loader"), canary)


@pytest.mark.parametrize("media_type, body", [
    ("application/ld+json", '{{"@context": "{u}/ctx.jsonld", "@id": "http://example.org/a", "x": "1"}}'),
    ("application/ld+json", '{{"@context": {{"@import": "{u}/i.jsonld"}}, "@id": "http://example.org/a"}}'),
    ("application/ld+json", '{{"@context": "file:///etc/passwd", "@id": "http://example.org/a"}}'),
    ("application/rdf+xml", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "{u}/e">]>'
                            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                            '<rdf:Description rdf:about="http://example.org/a"><rdf:value>&e;</rdf:value>'
                            '</rdf:Description></rdf:RDF>'),
], ids=["jsonld-remote-context", "jsonld-import", "jsonld-file-context", "rdfxml-external-entity"])
def test_loaders_never_fetch(media_type: str, body: str, tmp_path: Path, canary: Canary) -> None:
    path = tmp_path / f"input{SUFFIXES[media_type]}"
    path.write_text(body.format(u=canary.url), encoding="utf-8")
    code, err = _validate(path)
    assert code == 2 and str(path) in err and "root:" not in err, (code, err)
    assert canary.take() == []




_RDF_XML = ('<?xml version="1.0"?><!DOCTYPE rdf:RDF [{entities}]>'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="&ex;a"><rdf:value>{value}</rdf:value></rdf:Description></rdf:RDF>')
_EX = '<!ENTITY ex "http://example.org/">'


@pytest.mark.parametrize("entities, value, refused", [
    # nested entities: a billion laughs (10^9 bytes from a 1 kB file)
    (_EX + '<!ENTITY a0 "xxxxxxxxxx">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 9)),
     "&a8;", "nested entities"),
    # one flat entity repeated: quadratic growth (1 MB value × 40 uses)
    (_EX + f'<!ENTITY big "{"x" * 1_000_000}">', "&big;" * 40, "would expand to"),
    (_EX + '<!ENTITY % pe "x">', "v", "parameter entities"),
    (_EX + '<!ENTITY ext SYSTEM "file:///etc/passwd">', "&ext;", "external"),
    # the short names of hand-written OWL files are read as before
    (_EX + '<!ENTITY owl "http://www.w3.org/2002/07/owl#">', "&owl;Thing", None),
], ids=["billion-laughs", "quadratic", "parameter-entity", "system-entity", "owl-short-names"])
def test_rdf_xml_entities_that_could_explode_or_fetch_are_refused(entities: str, value: str, refused: str | None,
                                                                   tmp_path: Path, canary: Canary) -> None:
    path = tmp_path / "input.rdf"
    path.write_text(_RDF_XML.format(entities=entities, value=value), encoding="utf-8")
    code, err = _validate(path)
    if refused is None:
        assert code in (0, 1), err  # read (the document is then validated with the project)
    else:
        assert code == 2 and f"{path}:" in err and refused in err, (code, err)
    assert canary.take() == []


@pytest.mark.parametrize("doctype", ['<!DOCTYPE rdf:RDF SYSTEM "{u}/x.dtd">',
                                     '<!DOCTYPE rdf:RDF PUBLIC "-//X//DTD X//EN" "{u}/x.dtd" [<!ENTITY ex "http://example.org/">]>'],
                         ids=["system", "public-with-subset"])
def test_rdf_xml_naming_an_external_dtd_is_refused(doctype: str, tmp_path: Path, canary: Canary) -> None:
    path = tmp_path / "input.rdf"
    path.write_text('<?xml version="1.0"?>' + doctype.format(u=canary.url) +
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', encoding="utf-8")
    code, err = _validate(path)
    assert code == 2 and f"{path}:1: " in err and "external DTD" in err, (code, err)
    assert canary.take() == []


_RDF = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">'


@pytest.mark.parametrize(("text", "refused"), [
    # a stray '>' ends the DOCTYPE for the XML parser, a ']>' in the text would end it for a subset pattern
    ('<!DOCTYPE r [ <!ENTITY a "' + "A" * 1000 + '"> >' + _RDF + '<rdf:Description rdf:about="http://e/s"><e:p>'
     + "&a;" * 20_000 + "</e:p><e:q>]></e:q></rdf:Description></rdf:RDF>", "would expand to more than"),
    # a DOCTYPE in a comment before the real one, which names an external DTD
    ('<!-- <!DOCTYPE x [ --><!DOCTYPE r SYSTEM "file:///dev/zero" [ <!ENTITY a "xx"> ]>' + _RDF + "</rdf:RDF>",
     "external DTD"),
    # many unterminated DOCTYPEs: read in linear time, refused for their entity-free subsets' sake or parsed
    ("<!DOCTYPE a [" * 20_000 + _RDF + "</rdf:RDF>", None),
], ids=["stray-gt", "commented-doctype", "unterminated-doctypes"])
def test_the_entity_check_reads_the_whole_file(text: str, refused: str | None, tmp_path: Path) -> None:
    """Forms found by review: the check must not be fooled by where a pattern thinks the DOCTYPE ends."""
    path = tmp_path / "input.rdf"
    path.write_text('<?xml version="1.0"?>' + text, encoding="utf-8")
    code, err = _validate(path)
    assert code == 2 and f"{path}:" in err and "Traceback" not in err, (code, err)
    if refused is not None:
        assert refused in err, err
