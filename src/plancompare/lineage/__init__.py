"""Lineage across the cascade of plans: chain, trace, attribution, drops from the top, siblings, indicators.

Everything here works on a :class:`~plancompare.store.Corpus` (except
:func:`attribute`, which takes parsed documents) and returns pydantic models
that serialise themselves (``to_json``, ``to_csv``, ``to_markdown``).

**Parents are found, not configured.** A document's references are matched to
the corpus by normalised number (:func:`plancompare.normalize.number_key`) and
date:

* a reference that *implements* or is the *basis* of the document, found in the
  corpus, is an edge ``parent -> child``. Numbers restart every year, so a
  cited date in another year is another document; a date in the same year that
  differs is kept, with a note (a typo in the citing text). A parent never sits
  below its child (at its level only when issued by the same body: a Government
  resolution amending another) nor is issued after it, so two communes' plans
  that happen to share a number are not parent and child;
* such a reference absent from the corpus is a *missing link*. When the
  sentence that cites it says it amends ("sửa đổi, bổ sung ...") a document of
  the corpus (matched by its number or by its title, same issuer, issued
  earlier), that document stands in for it: an edge marked as a *substitution*;
* a missing link that a corpus parent of the document also cites is shown as
  reached *via* that parent;
* a document that only *mentions* another document of a higher level, issued
  earlier and not already among its ancestors, gets a weaker ``mentions`` edge
  (how a provincial programme that cites the Government's programme only in its
  purpose section is still placed under it).

A document with several parents is shown under (and, in ``batch``, compared with) its
primary parent (:meth:`LineageGraph.primary_parent`): a cited parent before a mentioned one,
the nearest level, *implements* before *basis*. One resolver (:func:`resolve`, over
:class:`~plancompare.store.DocHeader` records) serves ``chain``, ``trace``, ``check`` and ``batch``.

A YAML manifest (see :mod:`plancompare.store`) may add parents and amendments.
No rule here is keyed to a file name or a document number.

**The package.** One module per question: :mod:`.graph` (the documents, edges and missing
links), :mod:`.resolve` (the one parent resolver: headers in, graph out), :mod:`.survival` (how a top task survives one edge down), :mod:`.chain`, :mod:`.trace`, :mod:`.attribution`, :mod:`.dropped`, :mod:`.indicators`,
:mod:`.siblings`. It owns these questions over a corpus; it may import
:mod:`plancompare.models`, :mod:`plancompare.normalize`, :mod:`plancompare.io`,
:mod:`plancompare.errors`, :mod:`plancompare.align` and :mod:`plancompare.store`, never the CLI,
the gate, the views or the national scale.
"""

from __future__ import annotations

from ._common import NATIONAL_LEVELS, PARENT_RELATIONS, connected_groups
from .graph import DocRef, Edge, EdgeSummary, LineageGraph, MissingLink, Substitution, nearest_common_ancestor
from .resolve import Resolver, build_graph, resolve
from .chain import ChainNode, ChainResult, chain
from .trace import TracePoint, TraceResult, TraceStep, find_task, trace
from .attribution import AttributedTask, Attribution, ParentCandidate, ParentShare, attribute
from .dropped import Carrier, PlanReach, TopDrops, TopSection, TopTask, dropped_from_top
from .indicators import IndicatorCell, IndicatorFlag, IndicatorRow, IndicatorTable, compare_targets, indicator_key, indicators, targets_text, unit_key, units_agree
from .siblings import CoverageRow, NearGroup, NearMember, OnlyIn, SectionRow, SiblingCell, SiblingSummary, SiblingsResult, siblings

__all__ = [
    "AttributedTask",
    "Attribution",
    "Carrier",
    "ChainNode",
    "ChainResult",
    "CoverageRow",
    "DocRef",
    "Edge",
    "EdgeSummary",
    "IndicatorCell",
    "IndicatorFlag",
    "IndicatorRow",
    "IndicatorTable",
    "LineageGraph",
    "MissingLink",
    "NATIONAL_LEVELS",
    "NearGroup",
    "NearMember",
    "OnlyIn",
    "PARENT_RELATIONS",
    "ParentCandidate",
    "ParentShare",
    "PlanReach",
    "Resolver",
    "SectionRow",
    "SiblingCell",
    "SiblingSummary",
    "SiblingsResult",
    "Substitution",
    "TopDrops",
    "TopSection",
    "TopTask",
    "TracePoint",
    "TraceResult",
    "TraceStep",
    "attribute",
    "build_graph",
    "chain",
    "compare_targets",
    "connected_groups",
    "dropped_from_top",
    "find_task",
    "indicator_key",
    "indicators",
    "nearest_common_ancestor",
    "resolve",
    "siblings",
    "targets_text",
    "trace",
    "unit_key",
    "units_agree",
]
