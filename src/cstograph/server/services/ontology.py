"""The ontology as served: its triples (``/ontology.ttl``…) and its documentation page (classes, properties,
hierarchy, domains and ranges, English and Russian labels, definitions), computed once per process."""

from __future__ import annotations

import threading
from typing import Any

import pyoxigraph as ox

from ...namespaces import CST, DCTERMS, ONTOLOGY_GRAPH, ONTOLOGY_IRI, OWL, RDF, RDFS, SKOS, to_ox
from .resources import ResourceService

__all__ = ["OntologyService"]


class OntologyService:
    def __init__(self, resources: ResourceService) -> None:
        self._resources = resources
        self._lock = threading.Lock()
        self._triples: list[ox.Triple] | None = None
        self._page: dict[str, Any] | None = None

    def _graph(self) -> ox.NamedNode | None:
        """The ontology's named graph, or None when served from plain files (it is wherever it was loaded)."""
        graph = to_ox(ONTOLOGY_GRAPH)
        return graph if next(self._resources.store.quads(None, None, None, graph), None) is not None else None

    def triples(self) -> list[ox.Triple]:
        with self._lock:
            if self._triples is None:
                store, graph = self._resources.store, self._graph()
                if graph is not None:
                    self._triples = [q.triple for q in store.quads(None, None, None, graph)]
                else:
                    found: dict[ox.Triple, None] = {}
                    for q in store.quads():
                        if isinstance(q.subject, ox.NamedNode) and (
                                q.subject.value.startswith(str(CST)) or q.subject.value == ONTOLOGY_IRI):
                            found[q.triple] = None
                    self._triples = list(found)
            return self._triples

    def page(self) -> dict[str, Any]:
        """The view model of ``templates/ontology.html``."""
        with self._lock:
            if self._page is None:
                self._page = self._make_page()
            return self._page

    def _make_page(self) -> dict[str, Any]:
        resources, graph = self._resources, self._graph()
        store = resources.store

        def objs(node: ox.NamedNode, prop: object) -> list[Any]:
            return [q.object for q in store.quads(node, ox.NamedNode(str(prop)), None, graph)]

        def lit(node: ox.NamedNode, prop: object, language: str) -> str:
            for o in objs(node, prop):
                if isinstance(o, ox.Literal) and o.language in (language, None):
                    return o.value
            return ""

        def links(node: ox.NamedNode, *props: object) -> list[Any]:
            return [resources.value(o) for p in props for o in objs(node, p) if isinstance(o, ox.NamedNode)]

        def term_view(node: ox.NamedNode) -> dict[str, Any]:
            return {
                "iri": node.value, "name": node.value[len(str(CST)):],
                "en": lit(node, RDFS.label, "en"), "ru": lit(node, RDFS.label, "ru"),
                "definition": lit(node, SKOS.definition, "en"), "comment": lit(node, RDFS.comment, "en"),
                "parents": links(node, RDFS.subClassOf, RDFS.subPropertyOf), "domain": links(node, RDFS.domain),
                "range": links(node, RDFS.range), "inverse": links(node, OWL.inverseOf), "children": [],
            }

        def defined(kind: object) -> list[ox.NamedNode]:
            typed = store.quads(None, to_ox(RDF.type), ox.NamedNode(str(kind)), graph)
            return sorted({q.subject for q in typed
                           if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(str(CST))},
                          key=lambda n: n.value)

        classes = [term_view(n) for n in defined(OWL.Class)]
        by_path = {resources.value(ox.NamedNode(c["iri"])).href: c for c in classes}
        for c in classes:
            for parent in c["parents"]:
                if parent.href in by_path:
                    by_path[parent.href]["children"].append(c["name"])
        onto = ox.NamedNode(ONTOLOGY_IRI)
        return {"classes": classes, "object_properties": [term_view(n) for n in defined(OWL.ObjectProperty)],
                "datatype_properties": [term_view(n) for n in defined(OWL.DatatypeProperty)],
                "concepts": [term_view(n) for n in defined(SKOS.Concept)],
                "title": lit(onto, DCTERMS.title, "en") or "cstograph ontology",
                "description": lit(onto, DCTERMS.description, "en"),
                "version": lit(onto, OWL.versionInfo, "en")}
