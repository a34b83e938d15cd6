"""OWL 2 RL reasoning: the closure of ontology + data, kept apart from the asserted triples.

What is published (graph ``…/graph/inferred``) is ``closure(asserted) − asserted − trivial`` (the trivial
triples are listed in ``_trivial.py``). The asserted graphs are never modified. Two engines compute the
same inferred graph:

``owlrl``
    the reference (``_owlrl.py``): ``owlrl.DeductiveClosure(OWLRL_Semantics)`` over everything (without
    axiomatic and datatype triples). Correct for all of OWL 2 RL, but slow: it re-scans the whole graph on
    every cycle and derives ``x owl:sameAs x`` for every term (≈20 s for 10 k triples).
``fast`` (the default)
    owlrl over the *schema* triples only (Table 9 ``scm-*``, ``_scm.py``), then the rules this ontology
    needs applied to the data with a semi-naive fixpoint (``_fixpoint.py``): Table 5 ``prp-spo1``,
    ``prp-eqp1/2`` (via the closed hierarchy), ``prp-inv1/2``, ``prp-dom``, ``prp-rng``, ``prp-symp``,
    ``prp-trp``, ``prp-spo2`` (``_prp.py``); Table 7 ``cax-sco``, ``cax-eqc1/2`` (via the closed
    hierarchy) and the clash rules ``cax-dw`` and ``cax-adc`` (``_cax.py``). When the input uses anything
    else that OWL 2 RL gives meaning to (owl:sameAs, functional properties, restrictions, keys, class
    constructors…), ``fast`` falls back to ``owlrl`` and says why (:func:`fast_path_obstacles`).

Inconsistency: a clash (owlrl's ``err:error`` triples, or the fast engine's own ``cax-dw``/``cax-adc``
check) raises :class:`~cstograph.errors.InconsistencyError` naming the resources and the axiom. Ontology
axioms outside OWL 2 RL, which owlrl silently ignores, are reported by :func:`profile_warnings`
(``_profile.py``). ``_explain.py`` runs the rules backwards for ``cstograph reason --explain``;
``_cache.py`` keeps closures by a key of their inputs.

Module boundaries (one job each; nothing outside this package imports a private module)::

    _facts   the fact base (triples, ranks, join indexes)      _trivial  what is never published
    _scm     Table 9: the closed schema and its rule tables    _profile  §4.2: axioms outside the profile
    _prp     Table 5: prp-* rules, forward and backward        _owlrl    the reference engine
    _cax     Table 7: cax-* rules and clashes                  _engine   reason(): engine choice, result
    _fixpoint  the semi-naive fixpoint over _prp and _cax      _cache    closure key, N-Quads cache
    _explain   derivations for --explain

The engines work on rdflib terms, which the build's store hands them through :mod:`cstograph.bridge`
(``reason_store``: the inferred triples go back into the store's inferred graph).
"""

from __future__ import annotations

from ._cache import StoreReasoning, closure_key, read_nquads, reason_dataset, reason_store
from ._engine import ENGINES, Closure, Engine, Reasoning, inferred_triples, reason, reason_triples, union
from ._explain import Explainer, Step, explain
from ._fixpoint import fast_path_obstacles
from ._owlrl import closure
from ._profile import profile_warnings
from ._scm import Schema, is_schema_triple
from ._trivial import ERROR_PREDICATE, is_trivial

__all__ = [
    "ENGINES",
    "Closure",
    "ERROR_PREDICATE",
    "Engine",
    "Explainer",
    "Reasoning",
    "Schema",
    "Step",
    "StoreReasoning",
    "closure",
    "closure_key",
    "explain",
    "fast_path_obstacles",
    "inferred_triples",
    "is_schema_triple",
    "is_trivial",
    "profile_warnings",
    "read_nquads",
    "reason",
    "reason_dataset",
    "reason_store",
    "reason_triples",
    "union",
]
