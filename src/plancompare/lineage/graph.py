"""The lineage graph: documents, the edges between them and the missing links, found from each document's references."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal
from pydantic import Field, PrivateAttr
from ..align.models import Comparison
from ..store import Corpus, DocHeader, doc_label, level_rank
from ..models import SCHEMA_VERSION, DocumentInfo, Level, ParsedDocument
from ._common import _M, _REL_RANK
from .settings import LineageSettings


# ====================================================================== documents and the graph


class DocRef(_M):
    """A document as results name it; other records point to it by ``id``."""

    id: str = Field(description="Short content hash (12 hex digits).")
    label: str = Field(description="Number, or kind and place for documents without one.")
    number: str | None = None
    kind: str | None = None
    level: Level = Level.unknown
    place: str | None = None
    issuer: str | None = None
    issue_date: dt.date | None = None
    file: str | None = None
    tasks: int = 0
    indicators: int = 0

    @classmethod
    def of(cls, did: str, doc: ParsedDocument, file: str | None = None) -> "DocRef":
        return cls.of_info(did, doc.document, file, len(doc.tasks), len(doc.all_indicators()))

    @classmethod
    def of_header(cls, h: DocHeader) -> "DocRef":
        return cls.of_info(h.id, h.document, h.file, h.tasks, h.indicators)

    @classmethod
    def of_info(cls, did: str, i: DocumentInfo, file: str | None, tasks: int, indicators: int) -> "DocRef":
        return cls(id=did, label=doc_label(i), number=i.number, kind=i.kind, level=i.level, place=i.place, issuer=i.issuer, issue_date=i.issue_date, file=file or i.source_file, tasks=tasks, indicators=indicators)


def _docref(corpus: Corpus, did: str) -> DocRef:
    return DocRef.of(did, corpus.doc(did), corpus.entry(did).file)


class _Result(_M):
    """What every lineage result shares: document labels by id, the settings used, and JSON serialisation."""

    FORMATS: ClassVar[tuple[str, ...]] = ("table", "json", "csv", "md")  # the CLI's --format values (cli/output.py)

    lineage_settings: LineageSettings = Field(default_factory=LineageSettings, description="The settings the result was made with (thresholds and task scope), for reproducibility.")

    def _docs(self) -> list[DocRef]:
        return self.documents  # type: ignore[attr-defined]

    def label(self, did: str | None) -> str:
        if did is None:
            return ""
        return next((d.label for d in self._docs() if d.id == did), did)

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)


class EdgeSummary(_M):
    """The diff summary of one parent -> child edge."""

    parent_tasks: int
    child_tasks: int
    coverage: float = Field(description="Share of the parent's tasks carried into the child (copied or changed).")
    copied: int
    changed: int
    dropped: int
    added: int
    links: int
    kinds: dict[str, int] = Field(default_factory=dict)

    @classmethod
    def of(cls, c: Comparison) -> "EdgeSummary":
        s = c.summary
        return cls(parent_tasks=s.parent_tasks, child_tasks=s.child_tasks, coverage=s.coverage, copied=s.statuses.get("copied", 0), changed=s.statuses.get("changed", 0), dropped=s.statuses.get("dropped", 0), added=s.statuses.get("added", 0), links=s.links, kinds=dict(s.kinds))


class Substitution(_M):
    """A corpus document standing in for a cited document that amends it and is not in the corpus."""

    cited: str = Field(description="Number of the cited (amending) document, absent from the corpus.")
    cited_date: dt.date | None = None
    cited_issuer: str | None = None
    stands_in: str = Field(description="Id of the amended corpus document used in its place.")
    evidence: str = Field(description="The words of the citing text that say what the cited document amends.")
    score: float = Field(description="Match of those words with the stand-in's number (100) or title (rapidfuzz token_sort_ratio, 0..100).")
    source: Literal["text", "manifest"] = "text"


class Edge(_M):
    """Parent -> child: the child cites the parent (or a document the parent stands in for)."""

    parent: str
    child: str
    relation: Literal["implements", "basis", "amends", "mentions", "manifest"] = Field(description="How the child cites it: implements ('Thực hiện'), basis ('Căn cứ'), amends, mentions (cited elsewhere only), manifest (added by the manifest).")
    cited_as: str | None = Field(None, description="The number as the child writes it.")
    cited_date: dt.date | None = None
    match: Literal["number_and_date", "number", "number_date_differs", "amendment", "manifest"] = Field(description="How the citation was matched to the corpus document.")
    note: str | None = None
    substitution: Substitution | None = None
    summary: EdgeSummary | None = Field(None, description="Diff summary parent -> child (chain only).")


class MissingLink(_M):
    """A document cited as implemented or as basis that is not in the corpus."""

    child: str = Field(description="Id of the citing document.")
    number: str
    kind: str | None = None
    issuer: str | None = None
    date: dt.date | None = None
    relation: str
    via: str | None = Field(None, description="Id of a corpus parent of the child that cites the same document (the child cites it through that parent).")
    stands_in: str | None = Field(None, description="Id of the corpus document that stands in for it (it amends that document).")
    context: str | None = Field(None, description="The citing sentence.")


#: how surely a citation names its parent, for choosing the primary parent
_MATCH_RANK = {"number_date_differs": 0, "number": 1, "amendment": 1, "number_and_date": 2, "manifest": 2}


class LineageGraph(_M):
    """All documents of a corpus with the edges and missing links between them."""

    schema_version: str = SCHEMA_VERSION
    documents: list[DocRef]
    edges: list[Edge]
    missing: list[MissingLink]
    warnings: list[str] = Field(default_factory=list)
    _index: tuple[Any, ...] | None = PrivateAttr(None)

    def _adjacency(self) -> tuple[dict[str, DocRef], dict[str, list[Edge]], dict[str, list[Edge]], dict[str, int]]:
        """Documents by id, edges by child and by parent, document order: built once per list of edges."""
        if self._index is None or self._index[0] is not self.edges or self._index[1] is not self.documents:
            docs = {d.id: d for d in self.documents}
            up: dict[str, list[Edge]] = {}
            down: dict[str, list[Edge]] = {}
            for e in self.edges:
                up.setdefault(e.child, []).append(e)
                down.setdefault(e.parent, []).append(e)
            self._index = (self.edges, self.documents, (docs, up, down, {d.id: n for n, d in enumerate(self.documents)}))
        return self._index[2]

    def doc(self, did: str) -> DocRef:
        return self._adjacency()[0][did]

    def parents(self, did: str) -> list[Edge]:
        return list(self._adjacency()[1].get(did, ()))

    def children(self, did: str) -> list[Edge]:
        return list(self._adjacency()[2].get(did, ()))

    def primary_parent(self, did: str, among: list[Edge] | None = None) -> Edge | None:
        """The parent a document is shown under (chain) and compared with (batch): a cited parent
        before a mentioned one, then the nearest level, implements before basis, the surest match,
        the latest date, the first listed. ``among``: the edges to choose from (default: all of the document's)."""
        _, up, _, order = self._adjacency()

        def key(e: Edge) -> tuple:
            p = self.doc(e.parent)
            rank = level_rank(p.level)
            return (e.relation != "mentions", -1 if rank is None else rank, -_REL_RANK[e.relation], _MATCH_RANK[e.match], p.issue_date or dt.date.min, -order[e.parent])

        ps = up.get(did) if among is None else among
        return max(ps, key=key) if ps else None

    def _walk(self, did: str, up: bool) -> dict[str, int]:
        """Breadth-first distances from did, upwards (parents) or downwards (children), nearest first."""
        dist = {did: 0}
        frontier = [did]
        while frontier:
            nxt = []
            for d in frontier:
                for e in self.parents(d) if up else self.children(d):
                    other = e.parent if up else e.child
                    if other not in dist:
                        dist[other] = dist[d] + 1
                        nxt.append(other)
            frontier = nxt
        dist.pop(did)
        return dist

    def ancestors(self, did: str) -> list[str]:
        """Ancestors, nearest first (breadth-first)."""
        return list(self._walk(did, up=True))

    def descendants(self, did: str) -> list[str]:
        """Descendants, nearest first (breadth-first)."""
        return list(self._walk(did, up=False))

    def distances_up(self, did: str) -> dict[str, int]:
        return self._walk(did, up=True)


def nearest_common_ancestor(g: LineageGraph, docs: list[str], prefer: Any = None) -> str | None:
    """The common ancestor of all ``docs`` that is not an ancestor of another common ancestor (lowest level first)."""
    common: set[str] | None = None
    for d in docs:
        a = set(g.ancestors(d))
        common = a if common is None else common & a
    if not common:
        return None
    nearest = [a for a in common if not any(a in g.ancestors(b) for b in common if b != a)]
    order = {d.id: n for n, d in enumerate(g.documents)}
    nearest.sort(key=lambda a: -order[a])
    if prefer is not None:
        good = [a for a in nearest if prefer(a)]
        if good:
            return good[0]
        rest = sorted((a for a in common if prefer(a)), key=lambda a: -order[a])
        if rest:
            return rest[0]
    return nearest[0]


