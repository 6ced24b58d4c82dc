"""Lineage across the cascade of plans: chain, trace, attribution, drops from the top, siblings, indicators.

Everything here works on a :class:`~plancompare.corpus.Corpus` (except
:func:`attribute`, which takes parsed documents) and returns pydantic models
that serialise themselves (``to_json``, ``to_csv``, ``to_markdown``).

**Parents are found, not configured.** A document's references are matched to
the corpus by normalised number (:func:`plancompare.normalize.number_key`) and
date:

* a reference that *implements* or is the *basis* of the document, found in the
  corpus, is an edge ``parent -> child``. Numbers restart every year, so a
  cited date in another year is another document; a date in the same year that
  differs is kept, with a note (a typo in the citing text);
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

A YAML manifest (see :mod:`plancompare.corpus`) may add parents and amendments.
No rule here is keyed to a file name or a document number.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from typing import Any, ClassVar, Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz

from .align.models import Comparison, Kind, Pair, Status, TaskRef
from .corpus import LEVEL_RANK, Corpus, doc_id, doc_label
from .errors import ComparisonError, InputError
from .io import markdown_view
from .models import SCHEMA_VERSION, Indicator, Level, ParsedDocument, Reference, Target, Task
from .normalize import key as text_key
from .normalize import nfc, normalize_tone, number_key
from .normalize import shorten as _short
from .normalize import md_cell as _md

PARENT_RELATIONS = ("implements", "basis", "amends")
NATIONAL_LEVELS = (Level.central_party, Level.government, Level.ministry)
_REL_RANK = {"implements": 0, "basis": 1, "amends": 2, "manifest": 3, "mentions": 4}


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _csv(columns: Iterable[str], rows: list[dict[str, Any]]) -> str:
    from .io import csv_text

    return csv_text(columns, rows)


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
        i = doc.document
        return cls(id=did, label=doc_label(i), number=i.number, kind=i.kind, level=i.level, place=i.place, issuer=i.issuer, issue_date=i.issue_date, file=file or i.source_file, tasks=len(doc.tasks), indicators=len(doc.all_indicators()))


def _docref(corpus: Corpus, did: str) -> DocRef:
    return DocRef.of(did, corpus.doc(did), corpus.entry(did).file)


class _Result(_M):
    """What every lineage result shares: document labels by id, and JSON serialisation."""

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


class LineageGraph(_M):
    """All documents of a corpus with the edges and missing links between them."""

    schema_version: str = SCHEMA_VERSION
    documents: list[DocRef]
    edges: list[Edge]
    missing: list[MissingLink]
    warnings: list[str] = Field(default_factory=list)

    def doc(self, did: str) -> DocRef:
        return next(d for d in self.documents if d.id == did)

    def parents(self, did: str) -> list[Edge]:
        return [e for e in self.edges if e.child == did]

    def children(self, did: str) -> list[Edge]:
        return [e for e in self.edges if e.parent == did]

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


# ---------------------------------------------------------------- reference matching

_DATE_IN_TEXT = re.compile(r"ngày\s+\d{1,2}\s*(?:/|tháng)\s*\d{1,2}\s*(?:/|năm)\s*\d{4}|\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}", re.I)
_NUMBER = re.compile(r"\d{1,4}\s*[-/]\s*[A-Za-zĐđ]+(?:\s*[-/]\s*[A-Za-zĐđ0-9]+)*")
_AMEND = re.compile(r"\b(?:sửa đổi|bổ sung|điều chỉnh)\b", re.I)
_AMEND_LEAD = re.compile(r"^(?:\s*(?:về việc|về|sửa đổi|bổ sung|cập nhật|điều chỉnh|một số điều|một số nội dung|nội dung|của|và|,|;))+\s*", re.I)
_DOC_KIND = r"(?:Nghị quyết|Kế hoạch hành động|Kế hoạch|Chương trình hành động|Chương trình|Quyết định|Chỉ thị|Kết luận|Công văn|Đề án)"


def _title_key(t: str | None) -> str:
    return text_key(_DATE_IN_TEXT.sub(" ", t or ""))


def _issuer_compatible(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    ka, kb = text_key(a), text_key(b)
    return ka in kb or kb in ka or fuzz.partial_ratio(ka, kb) >= 90


def _match_reference(corpus: Corpus, r: Reference, cands: list[str], child: str) -> tuple[str | None, str, str | None]:
    """Best corpus document for a citation: (id, match, note)."""
    best: tuple[float, str] | None = None
    for i in cands:
        if i == child:
            continue
        d = corpus.info(i).issue_date
        if r.date and d and r.date != d:
            if r.date.year != d.year:
                continue  # numbers restart every year: another document
            score = 0.0
        elif r.date and d:
            score = 2.0
        else:
            score = 1.0
        if r.issuer and corpus.info(i).issuer and _issuer_compatible(r.issuer, corpus.info(i).issuer):
            score += 0.5
        if best is None or score > best[0]:
            best = (score, i)
    if best is None:
        return None, "number", None
    i = best[1]
    d = corpus.info(i).issue_date
    if r.date and d and r.date != d:
        return i, "number_date_differs", f"cited with the date {r.date:%d/%m/%Y}; the document is dated {d:%d/%m/%Y}"
    if r.date and d:
        return i, "number_and_date", None
    return i, "number", None


def _amended_document(corpus: Corpus, r: Reference, context: str, child: str, by_key: dict[str, list[str]]) -> tuple[str, str, float] | None:
    """The corpus document a cited (absent) document amends, from the citing sentence: (id, evidence, score)."""
    text = context or ""
    if r.title and r.title not in text:
        text = text + " về " + r.title
    want = number_key(r.number)
    start = 0
    for m in _NUMBER.finditer(text):
        if number_key(m.group(0)) == want:
            start = m.end()
            break
    after = text[start:]
    m = _AMEND.search(after)
    if not m:
        return None
    # the amendment must be the subject of this citation, not of a later one
    nxt = _NUMBER.search(after[: m.start()])
    if nxt and re.search(_DOC_KIND + r"\s+(?:số\s+)?$", after[: nxt.start()]):
        return None
    obj = _AMEND_LEAD.sub("", after[m.start() :]).strip()
    if not obj:
        return None
    evidence = after[m.start() :][:300].strip()
    named = re.match(r"(?:" + _DOC_KIND + r")?\s*(?:số\s*)?(" + _NUMBER.pattern + ")", obj)
    if named:
        for i in by_key.get(number_key(named.group(1)) or "", []):
            if i != child:
                return i, evidence, 100.0
    ok = _title_key(obj)
    scored = []
    for i in corpus.ids:
        if i == child:
            continue
        info = corpus.info(i)
        if r.date and info.issue_date and info.issue_date >= r.date:
            continue
        if not info.title:
            continue
        if r.issuer and info.issuer and not _issuer_compatible(r.issuer, info.issuer):
            continue
        scored.append((fuzz.token_sort_ratio(ok, _title_key(info.title)), i))
    scored.sort(key=lambda x: (-x[0], x[1]))
    if not scored or scored[0][0] < 85:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < 5:
        return None
    return scored[0][1], evidence, round(scored[0][0], 1)


def build_graph(corpus: Corpus) -> LineageGraph:
    """Find every document's parents in the corpus from its references (see the module docstring)."""
    ids = corpus.ids
    by_key: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        k = number_key(corpus.info(i).number)
        if k:
            by_key[k].append(i)
    edges: dict[tuple[str, str], Edge] = {}
    missing: list[MissingLink] = []
    mentions: dict[str, list[Edge]] = defaultdict(list)
    warnings: list[str] = []

    def reaches(a: str, b: str) -> bool:
        """Is there a path a -> ... -> b over the edges so far?"""
        seen = {a}
        stack = [a]
        while stack:
            x = stack.pop()
            if x == b:
                return True
            for (p, c) in edges:
                if p == x and c not in seen:
                    seen.add(c)
                    stack.append(c)
        return False

    def add(e: Edge) -> None:
        if e.parent == e.child:
            return
        old = edges.get((e.parent, e.child))
        if old is not None:
            if _REL_RANK[e.relation] < _REL_RANK[old.relation] and not (old.substitution is None and e.substitution is not None):
                edges[(e.parent, e.child)] = e
            return
        if reaches(e.child, e.parent):
            warnings.append(f"{corpus.label(e.child)} cites {corpus.label(e.parent)}, which descends from it: edge left out (a cycle)")
            return
        edges[(e.parent, e.child)] = e

    for c in ids:
        doc = corpus.doc(c)
        own = number_key(doc.document.number)
        man = corpus.manifest_entry(c)
        ignore = {number_key(x) for x in (man.ignore_references if man else [])}
        cits = corpus.citations(c)
        for idx, r in enumerate(doc.references):
            if not r.number:
                continue
            k = number_key(r.number)
            if k == own or k in ignore:
                continue
            target, match, note = _match_reference(corpus, r, by_key.get(k or "", []), c)
            ctx = cits[idx].context if idx < len(cits) else (r.title or "")
            if target is not None:
                e = Edge(parent=target, child=c, relation=r.relation if r.relation != "replaces" else "mentions", cited_as=r.number_as_written or r.number, cited_date=r.date, match=match, note=note)  # type: ignore[arg-type]
                if r.relation in PARENT_RELATIONS:
                    add(e)
                elif r.relation == "mentions":
                    mentions[c].append(e)
                continue
            if r.relation not in PARENT_RELATIONS:
                continue
            if any(m.child == c and number_key(m.number) == k for m in missing):
                continue
            ml = MissingLink(child=c, number=r.number, kind=r.kind, issuer=r.issuer, date=r.date, relation=r.relation, context=ctx or None)
            sub = _amended_document(corpus, r, ctx, c, by_key)
            if sub is not None:
                target, evidence, score = sub
                ml.stands_in = target
                add(Edge(parent=target, child=c, relation=r.relation, cited_as=r.number_as_written or r.number, cited_date=r.date, match="amendment", substitution=Substitution(cited=r.number, cited_date=r.date, cited_issuer=r.issuer, stands_in=target, evidence=evidence, score=score)))  # type: ignore[arg-type]
            missing.append(ml)
        if man is not None:
            for p in man.parents:
                try:
                    pid = corpus.resolve(p)
                except InputError:
                    warnings.append(f"manifest: parent '{p}' of {man.file} is not in the corpus")
                    continue
                add(Edge(parent=pid, child=c, relation="manifest", cited_as=p, match="manifest"))
    for a in corpus.manifest.amendments:
        try:
            target = corpus.resolve(a.amended)
        except InputError:
            warnings.append(f"manifest: amended document '{a.amended}' is not in the corpus")
            continue
        ak = number_key(a.amending)
        for ml in missing:
            if number_key(ml.number) == ak and ml.stands_in is None and ml.child != target:
                ml.stands_in = target
                add(Edge(parent=target, child=ml.child, relation=ml.relation, cited_as=ml.number, cited_date=ml.date, match="amendment", substitution=Substitution(cited=ml.number, cited_date=ml.date, cited_issuer=ml.issuer, stands_in=target, evidence=a.note or "manifest", score=100.0, source="manifest")))  # type: ignore[arg-type]
    # mentions: a higher-level, earlier document that is not yet an ancestor
    for c in sorted(ids, key=lambda i: LEVEL_RANK.get(corpus.info(i).level, 9)):
        rc = LEVEL_RANK.get(corpus.info(c).level)
        for e in mentions.get(c, []):
            p = e.parent
            rp = LEVEL_RANK.get(corpus.info(p).level)
            if rp is None or rc is None or rp >= rc:
                continue
            dp, dc = corpus.info(p).issue_date, corpus.info(c).issue_date
            if dp and dc and dp > dc:
                continue
            if reaches(p, c):
                continue
            add(e)
    # missing links cited through a parent
    for ml in missing:
        k = number_key(ml.number)
        for (p, c2), e in edges.items():
            if c2 == ml.child and any(number_key(r.number) == k for r in corpus.doc(p).references):
                ml.via = p
                break
    docs = [_docref(corpus, i) for i in ids]
    order = {d: n for n, d in enumerate(ids)}
    elist = sorted(edges.values(), key=lambda e: (order[e.parent], order[e.child]))
    return LineageGraph(documents=docs, edges=elist, missing=missing, warnings=warnings)


# ====================================================================== chain


class ChainNode(_M):
    """One document in the tree view; ``edge`` links it to the node above."""

    doc: str
    edge: Edge | None = None
    repeated: bool = Field(False, description="Shown in full under another parent; not expanded here.")
    shown_under: str | None = Field(None, description="When repeated: id of the parent it is expanded under.")
    missing: list[MissingLink] = Field(default_factory=list, description="Documents it cites that are not in the corpus.")
    children: list["ChainNode"] = Field(default_factory=list)


class ChainResult(_Result):
    """The tree of documents with the diff summary on each edge and the missing links."""

    schema_version: str = SCHEMA_VERSION
    focus: str | None = Field(None, description="Id of the document asked about (None: the whole corpus).")
    documents: list[DocRef]
    edges: list[Edge]
    missing: list[MissingLink]
    tree: list[ChainNode]
    warnings: list[str] = Field(default_factory=list)

    CSV_COLUMNS: ClassVar[tuple[str, ...]] = ("row", "parent_id", "parent", "child_id", "child", "relation", "match", "substitution_for", "coverage", "parent_tasks", "child_tasks", "copied", "changed", "dropped", "added", "via", "note")

    def csv_rows(self) -> list[dict[str, Any]]:
        rows = []
        for e in self.edges:
            s = e.summary
            rows.append(
                {
                    "row": "edge",
                    "parent_id": e.parent,
                    "parent": self.label(e.parent),
                    "child_id": e.child,
                    "child": self.label(e.child),
                    "relation": e.relation,
                    "match": e.match,
                    "substitution_for": e.substitution.cited if e.substitution else "",
                    "coverage": f"{s.coverage:.3f}" if s else "",
                    "parent_tasks": s.parent_tasks if s else "",
                    "child_tasks": s.child_tasks if s else "",
                    "copied": s.copied if s else "",
                    "changed": s.changed if s else "",
                    "dropped": s.dropped if s else "",
                    "added": s.added if s else "",
                    "note": e.note or "",
                }
            )
        for m in self.missing:
            rows.append({"row": "missing", "parent": m.number, "child_id": m.child, "child": self.label(m.child), "relation": m.relation, "match": "missing", "via": self.label(m.via) if m.via else "", "substitution_for": "", "note": f"stands in: {self.label(m.stands_in)}" if m.stands_in else ""})
        return rows

    def to_csv(self) -> str:
        return _csv(self.CSV_COLUMNS, self.csv_rows())

    @markdown_view

    def to_markdown(self) -> str:
        out = ["# Chain", ""]

        def walk(n: ChainNode, depth: int) -> None:
            pad = "  " * depth
            line = f"{pad}- **{_md(self.label(n.doc))}**"
            if n.edge is not None:
                line += " — " + _edge_text(n.edge, self.label)
            if n.repeated:
                line += f" *(see under {_md(self.label(n.shown_under))})*" if n.shown_under else " *(shown above)*"
            out.append(line)
            for m in n.missing:
                out.append(f"{pad}  - ⚠ {_missing_text(m, self.label)}")
            for ch in n.children:
                walk(ch, depth + 1)

        for n in self.tree:
            walk(n, 0)
        out += ["", "| parent | child | relation | coverage | copied | changed | dropped | added |", "|---|---|---|---|---|---|---|---|"]
        for e in self.edges:
            s = e.summary
            rel = e.relation + (f" (stands in for {e.substitution.cited})" if e.substitution else "")
            if s:
                out.append(f"| {_md(self.label(e.parent))} | {_md(self.label(e.child))} | {rel} | {s.coverage:.0%} | {s.copied} | {s.changed} | {s.dropped} | {s.added} |")
            else:
                out.append(f"| {_md(self.label(e.parent))} | {_md(self.label(e.child))} | {rel} | | | | | |")
        if self.missing:
            out += ["", "Missing links:", ""]
            for m in self.missing:
                out.append(f"- {_md(self.label(m.child))}: {_missing_text(m, self.label)}")
        return "\n".join(out) + "\n"


def _edge_text(e: Edge, label: Any) -> str:
    parts = [e.relation]
    if e.substitution:
        parts.append(f"substitution: {label(e.substitution.stands_in)} stands in for {e.substitution.cited} (which amends it)")
    if e.summary:
        s = e.summary
        parts.append(f"coverage {s.coverage:.0%} · copied {s.copied} · changed {s.changed} · dropped {s.dropped} · added {s.added}")
    if e.note:
        parts.append(e.note)
    return " · ".join(parts)


def _missing_text(m: MissingLink, label: Any) -> str:
    t = f"cites {m.number}"
    if m.date:
        t += f" ({m.date:%d/%m/%Y})"
    t += " — missing (not in the corpus)"
    if m.stands_in:
        t += f"; {label(m.stands_in)} stands in for it"
    if m.via:
        t += f"; cited via {label(m.via)}"
    return t


def chain(corpus: Corpus, doc: str | None = None, *, include_appendix: bool | None = None, diff: bool = True, graph: LineageGraph | None = None) -> ChainResult:
    """The tree of documents (all, or the ancestors and descendants of ``doc``) with a diff summary per edge."""
    g = graph or build_graph(corpus)
    focus = corpus.resolve(doc) if doc is not None else None
    if focus is not None and not any(d.id == focus for d in g.documents):
        g = build_graph(corpus)  # a file added from outside the corpus folder
    if focus is None:
        keep = [d.id for d in g.documents]
    else:
        keep = [focus] + g.ancestors(focus) + g.descendants(focus)
    keep_set = set(keep)
    edges = [e for e in g.edges if e.parent in keep_set and e.child in keep_set]
    warnings = list(g.warnings)
    if diff:
        out = []
        for e in edges:
            try:
                s = EdgeSummary.of(corpus.compare(e.parent, e.child, include_appendix))
                out.append(e.model_copy(update={"summary": s}))
            except ComparisonError as err:
                warnings.append(str(err))
                out.append(e)
        edges = out
    order = {d.id: n for n, d in enumerate(g.documents)}
    rank = {d.id: (LEVEL_RANK.get(d.level, 9), d.issue_date or dt.date.min) for d in g.documents}
    parents_of: dict[str, list[Edge]] = defaultdict(list)
    children_of: dict[str, list[Edge]] = defaultdict(list)
    for e in edges:
        parents_of[e.child].append(e)
        children_of[e.parent].append(e)
    # a document with several parents is expanded under the nearest one (the lowest level)
    primary = {c: max(ps, key=lambda e: (_REL_RANK[e.relation] < _REL_RANK["mentions"], rank[e.parent], -order[e.parent])).parent for c, ps in parents_of.items()}
    missing = [m for m in g.missing if m.child in keep_set]
    miss_of: dict[str, list[MissingLink]] = defaultdict(list)
    for m in missing:
        miss_of[m.child].append(m)
    shown: set[str] = set()

    def node(did: str, edge: Edge | None) -> ChainNode:
        if did in shown or (edge is not None and primary.get(did) not in (None, edge.parent)):
            return ChainNode(doc=did, edge=edge, repeated=True, shown_under=primary.get(did))
        shown.add(did)
        kids = sorted(children_of.get(did, []), key=lambda e: order[e.child])
        return ChainNode(doc=did, edge=edge, missing=miss_of.get(did, []), children=[node(e.child, e) for e in kids])

    roots = [d for d in sorted(keep_set, key=lambda x: order[x]) if not parents_of.get(d)]
    tree = [node(r, None) for r in roots]
    for d in sorted(keep_set, key=lambda x: order[x]):  # anything left (only in cycles, which build_graph prevents)
        if d not in shown:
            tree.append(node(d, None))
    docs = [d for d in g.documents if d.id in keep_set]
    return ChainResult(focus=focus, documents=docs, edges=edges, missing=missing, tree=tree, warnings=warnings)


# ====================================================================== trace


class TraceStep(_M):
    """The task's counterpart in one neighbouring document (or its absence there)."""

    doc: str
    task: TaskRef | None = Field(None, description="The counterpart task; None when the task is not in this document (status added/dropped).")
    status: Status = Field(description="Status of the link between the two tasks, seen from the parent: copied or changed; added (going up: not in this parent) or dropped (going down: not in this child).")
    kinds: list[Kind] = Field(default_factory=list)
    score: float = 0.0
    via: Literal["parent", "ancestor"] = Field("parent", description="ancestor: no parent carries the task, it was found by comparing with a document further up.")
    substitution: str | None = Field(None, description="When the edge is a substitution, the cited number the document stands in for.")
    steps: list["TraceStep"] = Field(default_factory=list, description="Further up (for up) or down (for down).")


class TracePoint(_M):
    doc: str
    task: TaskRef
    path: list[str] = Field(description="Ids of the documents from the traced one to this one.")
    score: float = Field(0.0, description="The weakest link score along the path (1.0 for the task itself).")


class TraceResult(_Result):
    """One task followed up to its origin and down to every descendant."""

    schema_version: str = SCHEMA_VERSION
    documents: list[DocRef]
    doc: str
    task: TaskRef
    up: list[TraceStep]
    down: list[TraceStep]
    origins: list[TracePoint] = Field(description="The topmost tasks reached going up (the task itself when no parent carries it).")
    descendants: list[TracePoint] = Field(description="Every task reached going down.")
    dropped_in: list[str] = Field(default_factory=list, description="Ids of documents below that dropped it.")
    notes: list[str] = Field(default_factory=list)

    CSV_COLUMNS: ClassVar[tuple[str, ...]] = ("direction", "depth", "from_doc", "from_task", "doc_id", "doc", "task_id", "task_label", "status", "kinds", "score", "via", "substitution", "text")

    def csv_rows(self) -> list[dict[str, Any]]:
        rows = [{"direction": "start", "depth": 0, "doc_id": self.doc, "doc": self.label(self.doc), "task_id": self.task.id, "task_label": self.task.label, "text": self.task.text}]

        def walk(steps: list[TraceStep], direction: str, depth: int, fdoc: str, ftask: str) -> None:
            for s in steps:
                rows.append(
                    {
                        "direction": direction,
                        "depth": depth,
                        "from_doc": self.label(fdoc),
                        "from_task": ftask,
                        "doc_id": s.doc,
                        "doc": self.label(s.doc),
                        "task_id": s.task.id if s.task else "",
                        "task_label": (s.task.label or "") if s.task else "",
                        "status": s.status.value,
                        "kinds": ";".join(k.value for k in s.kinds),
                        "score": f"{s.score:.3f}",
                        "via": s.via,
                        "substitution": s.substitution or "",
                        "text": s.task.text if s.task else "",
                    }
                )
                if s.task:
                    walk(s.steps, direction, depth + 1, s.doc, s.task.id)

        walk(self.up, "up", 1, self.doc, self.task.id)
        walk(self.down, "down", 1, self.doc, self.task.id)
        return rows

    def to_csv(self) -> str:
        return _csv(self.CSV_COLUMNS, self.csv_rows())

    @markdown_view

    def to_markdown(self) -> str:
        out = [f"# Trace {_md(self.label(self.doc))} {self.task.path}", "", f"> {_md(_short(self.task.text, 300))}", ""]

        def walk(steps: list[TraceStep], depth: int, arrow: str) -> None:
            for s in steps:
                pad = "  " * depth
                what = f"{s.task.path}: {_md(_short(s.task.text))}" if s.task else ("not in this document" if s.status == Status.added else "dropped")
                extra = ", ".join(k.value for k in s.kinds)
                sub = f" (stands in for {s.substitution})" if s.substitution else ""
                via = " [found further up]" if s.via == "ancestor" else ""
                out.append(f"{pad}- {arrow} **{_md(self.label(s.doc))}**{sub}{via} — {s.status.value}{' (' + extra + ')' if extra else ''}{f' {s.score:.2f}' if s.score else ''} — {what}")
                walk(s.steps, depth + 1, arrow)

        out.append("## Up")
        walk(self.up, 0, "↑")
        out += ["", "## Down"]
        walk(self.down, 0, "↓")
        out += ["", "Origins: " + "; ".join(f"{self.label(o.doc)} {o.task.path} ({o.score:.2f})" for o in self.origins)]
        for n in self.notes:
            out.append(f"\n> {n}")
        return "\n".join(out) + "\n"


def _index(c: Comparison) -> tuple[dict[str, list[Pair]], dict[str, list[Pair]]]:
    by_child: dict[str, list[Pair]] = defaultdict(list)
    by_parent: dict[str, list[Pair]] = defaultdict(list)
    for p in c.pairs:
        if p.parent and p.child:
            by_child[p.child.id].append(p)
            by_parent[p.parent.id].append(p)
    return by_child, by_parent


def find_task(doc: ParsedDocument, ref: str, label: str = "") -> Task:
    """A task by id, path or label (see ParsedDocument.task), with a helpful error."""
    r = ref.strip()
    if not r.startswith("T:"):
        try:
            return doc.task("T:" + r)
        except KeyError:
            pass
    try:
        return doc.task(r)
    except KeyError:
        pass
    hits = [t for t in doc.tasks if t.path.endswith("." + r) or t.label == r or t.path.endswith("." + r.rstrip(")."))]
    name = label or doc_label(doc.document)
    if len(hits) > 1:
        raise InputError(f"task '{ref}' is ambiguous in {name}: {', '.join(t.path for t in hits[:8])}")
    sample = ", ".join(t.path for t in doc.tasks[:6])
    raise InputError(f"{name} has no task '{ref}' (its {len(doc.tasks)} tasks have paths like {sample})")


def trace(corpus: Corpus, doc: str, task: str, *, include_appendix: bool | None = None, graph: LineageGraph | None = None) -> TraceResult:
    """Follow a task up to its origin and down to every descendant."""
    did = corpus.resolve(doc)
    g = graph if graph is not None and any(d.id == did for d in graph.documents) else build_graph(corpus)
    d = corpus.doc(did)
    t = find_task(d, task, corpus.label(did))
    notes: list[str] = []
    if t.source == "appendix" and not include_appendix:
        include_appendix = True
        notes.append("the task is in an appendix table: appendix tasks are compared too")
    used: set[str] = {did}

    def cmp(p: str, c: str) -> tuple[dict[str, list[Pair]], dict[str, list[Pair]]] | None:
        try:
            return _index(corpus.compare(p, c, include_appendix))
        except ComparisonError as e:
            notes.append(str(e))
            return None

    def up(x: str, tid: str, seen: frozenset[str]) -> list[TraceStep]:
        steps: list[TraceStep] = []
        found = False
        for e in g.parents(x):
            if e.parent in seen:
                continue
            ix = cmp(e.parent, x)
            if ix is None:
                continue
            used.add(e.parent)
            links = ix[0].get(tid, [])
            sub = e.substitution.cited if e.substitution else None
            if not links:
                steps.append(TraceStep(doc=e.parent, status=Status.added, substitution=sub))
                continue
            found = True
            for p in links:
                steps.append(TraceStep(doc=e.parent, task=p.parent, status=p.status, kinds=p.kinds, score=p.score, substitution=sub, steps=up(e.parent, p.parent.id, seen | {e.parent})))  # type: ignore[union-attr]
        if not found:
            # no parent carries it: look further up, nearest ancestors first
            dist = g.distances_up(x)
            parents = {e.parent for e in g.parents(x)}
            for level in sorted(set(dist.values())):
                if level < 2:
                    continue
                hits = []
                for a in sorted((a for a, n in dist.items() if n == level and a not in parents and a not in seen), key=lambda a: corpus.ids.index(a)):
                    ix = cmp(a, x)
                    if ix is None:
                        continue
                    for p in ix[0].get(tid, []):
                        used.add(a)
                        hits.append(TraceStep(doc=a, task=p.parent, status=p.status, kinds=p.kinds, score=p.score, via="ancestor", steps=up(a, p.parent.id, seen | {a})))  # type: ignore[union-attr]
                if hits:
                    steps.extend(hits)
                    break
        return steps

    def down(x: str, tid: str, seen: frozenset[str]) -> list[TraceStep]:
        steps: list[TraceStep] = []
        for e in g.children(x):
            if e.child in seen:
                continue
            ix = cmp(x, e.child)
            if ix is None:
                continue
            used.add(e.child)
            links = ix[1].get(tid, [])
            sub = e.substitution.cited if e.substitution else None
            if not links:
                steps.append(TraceStep(doc=e.child, status=Status.dropped, substitution=sub))
                continue
            for p in links:
                steps.append(TraceStep(doc=e.child, task=p.child, status=p.status, kinds=p.kinds, score=p.score, substitution=sub, steps=down(e.child, p.child.id, seen | {e.child})))  # type: ignore[union-attr]
        return steps

    ups = up(did, t.id, frozenset({did}))
    downs = down(did, t.id, frozenset({did}))
    me = TaskRef.of(t)
    origins: list[TracePoint] = []

    def collect_up(steps: list[TraceStep], path: list[str], score: float) -> bool:
        any_task = False
        for s in steps:
            if s.task is None:
                continue
            any_task = True
            sc = min(score, s.score)
            if not collect_up(s.steps, path + [s.doc], sc):
                old = next((o for o in origins if o.doc == s.doc and o.task.id == s.task.id), None)
                if old is None:
                    origins.append(TracePoint(doc=s.doc, task=s.task, path=path + [s.doc], score=sc))
                elif sc > old.score:
                    old.score, old.path = sc, path + [s.doc]
        return any_task

    if not collect_up(ups, [did], 1.0):
        origins.append(TracePoint(doc=did, task=me, path=[did], score=1.0))
    origins.sort(key=lambda o: -o.score)
    desc: list[TracePoint] = []
    dropped: list[str] = []

    def collect_down(steps: list[TraceStep], path: list[str], score: float) -> None:
        for s in steps:
            if s.task is None:
                if s.doc not in dropped:
                    dropped.append(s.doc)
                continue
            desc.append(TracePoint(doc=s.doc, task=s.task, path=path + [s.doc], score=min(score, s.score)))
            collect_down(s.steps, path + [s.doc], min(score, s.score))

    collect_down(downs, [did], 1.0)
    docs = [_docref(corpus, i) for i in corpus.ids if i in used]
    return TraceResult(documents=docs, doc=did, task=me, up=ups, down=downs, origins=origins, descendants=desc, dropped_in=dropped, notes=notes)


# ====================================================================== attribution to several parents


class ParentCandidate(_M):
    parent: str
    tasks: list[TaskRef]
    status: Status
    kinds: list[Kind] = Field(default_factory=list)
    score: float


class AttributedTask(_M):
    """A child task and the parent it came from (or none)."""

    child: TaskRef
    parent: str | None = Field(description="Id of the parent it is attributed to; None when no parent carries it.")
    parent_tasks: list[TaskRef] = Field(default_factory=list)
    status: Status = Field(description="copied / changed from the chosen parent, or added.")
    kinds: list[Kind] = Field(default_factory=list)
    score: float = 0.0
    alternatives: list[ParentCandidate] = Field(default_factory=list, description="Links to the other parents, best first.")
    ambiguous: bool = Field(False, description="Another parent scores within the margin of the chosen one.")


class ParentShare(_M):
    parent: str
    attributed: int = Field(description="Child tasks attributed to this parent.")
    share: float = Field(description="Share of the child's tasks attributed to it.")
    linked: int = Field(description="Child tasks with any link to this parent.")
    parent_tasks: int
    coverage: float = Field(description="Share of the parent's tasks carried into the child.")


class Attribution(_Result):
    """Each task of a child plan attributed to the parent plan it came from, or to none."""

    schema_version: str = SCHEMA_VERSION
    child: DocRef
    parents: list[DocRef]
    tasks: list[AttributedTask]
    per_parent: list[ParentShare]
    unattributed: int
    settings: dict[str, float | str] = Field(default_factory=dict)

    CSV_COLUMNS: ClassVar[tuple[str, ...]] = ("child_id", "child_label", "child_section", "status", "kinds", "score", "parent", "parent_task_ids", "parent_task_labels", "ambiguous", "alternatives", "child_text", "parent_text")

    def _docs(self) -> list[DocRef]:
        return self.parents + [self.child]

    def only(self, statuses: Iterable[str] | None) -> "Attribution":
        if not statuses:
            return self
        keep = {Status(s) for s in statuses}
        return self.model_copy(update={"tasks": [t for t in self.tasks if t.status in keep]})

    def csv_rows(self) -> list[dict[str, Any]]:
        rows = []
        for t in self.tasks:
            rows.append(
                {
                    "child_id": t.child.id,
                    "child_label": t.child.label or "",
                    "child_section": ((t.child.section_path or "") + " " + (t.child.section_title or "")).strip(),
                    "status": t.status.value,
                    "kinds": ";".join(k.value for k in t.kinds),
                    "score": f"{t.score:.3f}",
                    "parent": self.label(t.parent),
                    "parent_task_ids": ";".join(x.id for x in t.parent_tasks),
                    "parent_task_labels": ";".join(x.label or "" for x in t.parent_tasks),
                    "ambiguous": "yes" if t.ambiguous else "",
                    "alternatives": "; ".join(f"{self.label(a.parent)} {','.join(x.id for x in a.tasks)} {a.score:.2f}" for a in t.alternatives),
                    "child_text": t.child.text,
                    "parent_text": "\n".join(x.text for x in t.parent_tasks),
                }
            )
        return rows

    def to_csv(self) -> str:
        return _csv(self.CSV_COLUMNS, self.csv_rows())

    @markdown_view

    def to_markdown(self) -> str:
        out = [f"# {_md(self.child.label)} ← " + ", ".join(_md(p.label) for p in self.parents), ""]
        out += ["| parent | attributed | share | linked | parent tasks | parent coverage |", "|---|---|---|---|---|---|"]
        for s in self.per_parent:
            out.append(f"| {_md(self.label(s.parent))} | {s.attributed} | {s.share:.0%} | {s.linked} | {s.parent_tasks} | {s.coverage:.0%} |")
        out.append(f"| none | {self.unattributed} | {self.unattributed / max(1, len(self.tasks)):.0%} | | | |")
        out += ["", "| child task | parent | parent task | status | score | also |", "|---|---|---|---|---|---|"]
        for t in self.tasks:
            pt = ", ".join(x.path for x in t.parent_tasks)
            also = "; ".join(f"{_md(self.label(a.parent))} {','.join(x.path for x in a.tasks)} {a.score:.2f}" for a in t.alternatives)
            out.append(f"| {t.child.path}: {_md(_short(t.child.text, 70))} | {_md(self.label(t.parent)) or '—'} | {pt} | {t.status.value}{' (' + ', '.join(k.value for k in t.kinds) + ')' if t.kinds else ''} | {t.score:.2f} | {also} |")
        return "\n".join(out) + "\n"


def attribute(child: ParsedDocument, parents: list[ParsedDocument], *, include_appendix: bool | None = None, margin: float = 0.05, corpus: Corpus | None = None) -> Attribution:
    """Attribute each task of ``child`` to the parent it came from (best link score), or to none."""
    if not parents:
        raise InputError("give at least one parent plan")
    cid = doc_id(child)
    pids: list[str] = []
    pdocs: list[ParsedDocument] = []
    for p in parents:
        pid = doc_id(p)
        if pid == cid:
            raise InputError(f"{doc_label(p.document)} is given both as the child and as a parent")
        if pid not in pids:
            pids.append(pid)
            pdocs.append(p)
    from .align import compare

    comps: list[Comparison] = []
    for pid, p in zip(pids, pdocs):
        if corpus is not None and pid in corpus.ids and cid in corpus.ids:
            comps.append(corpus.compare(pid, cid, include_appendix))
        else:
            comps.append(compare(p, child, include_appendix=include_appendix))
    child_tasks: list[TaskRef] = []
    seen: set[str] = set()
    for c in comps:
        for pr in c.pairs:
            if pr.child and pr.child.id not in seen:
                seen.add(pr.child.id)
                child_tasks.append(pr.child)
    order = {t.id: n for n, t in enumerate(child.tasks)}
    child_tasks.sort(key=lambda t: order.get(t.id, 10**6))
    out: list[AttributedTask] = []
    for ct in child_tasks:
        cands: list[tuple[ParentCandidate, int]] = []
        for n, (pid, c) in enumerate(zip(pids, comps)):
            links = [p for p in c.pairs if p.child and p.parent and p.child.id == ct.id]
            if not links:
                continue
            best = max(links, key=lambda p: p.score)
            status = Status.changed if (len(links) > 1 or any(p.status == Status.changed for p in links)) else Status.copied
            kinds = sorted({k for p in links for k in p.kinds}, key=lambda k: list(Kind).index(k))
            cands.append((ParentCandidate(parent=pid, tasks=[p.parent for p in links], status=status, kinds=kinds, score=best.score), n))  # type: ignore[misc]
        if not cands:
            out.append(AttributedTask(child=ct, parent=None, status=Status.added))
            continue
        cands.sort(key=lambda x: (-x[0].score, x[1]))
        win = cands[0][0]
        alts = [c for c, _ in cands[1:]]
        out.append(AttributedTask(child=ct, parent=win.parent, parent_tasks=win.tasks, status=win.status, kinds=win.kinds, score=win.score, alternatives=alts, ambiguous=bool(alts) and win.score - alts[0].score < margin))
    n = max(1, len(out))
    shares = []
    for pid, c in zip(pids, comps):
        k = sum(1 for t in out if t.parent == pid)
        linked = len({p.child.id for p in c.pairs if p.child and p.parent})
        shares.append(ParentShare(parent=pid, attributed=k, share=round(k / n, 3), linked=linked, parent_tasks=c.summary.parent_tasks, coverage=c.summary.coverage))
    return Attribution(
        child=DocRef.of(cid, child),
        parents=[DocRef.of(pid, p) for pid, p in zip(pids, pdocs)],
        tasks=out,
        per_parent=shares,
        unattributed=sum(1 for t in out if t.parent is None),
        settings={"margin": margin, "include_appendix": str(include_appendix)},
    )


# ====================================================================== what each level dropped from the top


class Carrier(_M):
    doc: str
    tasks: list[str] = Field(description="Ids of the document's tasks that carry the top task.")
    how: list[Literal["direct", "chain"]] = Field(description="direct: found by comparing with the top document; chain: followed link by link down the chain.")


class TopTask(_M):
    top: str
    task: TaskRef
    carried: bool = Field(description="Carried by at least one of the plans.")
    carriers: list[Carrier] = Field(default_factory=list)
    lost_at: list[str] = Field(default_factory=list, description="Plans whose parent (in the chain) carried the task and that did not.")


class PlanReach(_M):
    doc: str
    carried: int = Field(description="Top tasks this plan carries.")
    lost: int = Field(description="Top tasks a parent of this plan carried and this plan did not.")
    share: float = Field(description="Share of the top tasks this plan carries.")


class TopSection(_M):
    top: str
    section_path: str | None
    section_title: str | None
    tasks: int
    never_carried: int
    share_never_carried: float


class TopDrops(_Result):
    """The tasks of the top documents (the national plans above a province's plans) that those plans never carried."""

    schema_version: str = SCHEMA_VERSION
    documents: list[DocRef]
    plans: list[str] = Field(description="Ids of the plans examined (those given and their non-national ancestors).")
    tops: list[str]
    tasks: list[TopTask]
    sections: list[TopSection]
    per_plan: list[PlanReach]
    totals: dict[str, dict[str, float]] = Field(description="Per top document: tasks, never_carried, share_never_carried.")

    CSV_COLUMNS: ClassVar[tuple[str, ...]] = ("top", "task_id", "task_label", "section", "carried", "carriers", "lost_at", "text")

    def never_carried(self) -> list[TopTask]:
        return [t for t in self.tasks if not t.carried]

    def csv_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "top": self.label(t.top),
                "task_id": t.task.id,
                "task_label": t.task.label or "",
                "section": ((t.task.section_path or "") + " " + (t.task.section_title or "")).strip(),
                "carried": "yes" if t.carried else "no",
                "carriers": "; ".join(f"{self.label(c.doc)} {','.join(c.tasks)}" for c in t.carriers),
                "lost_at": "; ".join(self.label(x) for x in t.lost_at),
                "text": t.task.text,
            }
            for t in self.tasks
        ]

    def to_csv(self) -> str:
        return _csv(self.CSV_COLUMNS, self.csv_rows())

    @markdown_view

    def to_markdown(self) -> str:
        out = ["# Dropped from the top", "", "Plans: " + ", ".join(_md(self.label(p)) for p in self.plans), ""]
        for top, v in self.totals.items():
            out.append(f"- {_md(self.label(top))}: {int(v['never_carried'])} of {int(v['tasks'])} tasks never carried ({v['share_never_carried']:.0%})")
        out += ["", "| top | section | tasks | never carried | share |", "|---|---|---|---|---|"]
        for s in self.sections:
            out.append(f"| {_md(self.label(s.top))} | {_md(s.section_path)} {_md(_short(s.section_title, 60))} | {s.tasks} | {s.never_carried} | {s.share_never_carried:.0%} |")
        out += ["", "| plan | carries | lost | share |", "|---|---|---|---|"]
        for p in self.per_plan:
            out.append(f"| {_md(self.label(p.doc))} | {p.carried} | {p.lost} | {p.share:.0%} |")
        out += ["", "Never carried:", ""]
        for t in self.never_carried():
            out.append(f"- {_md(self.label(t.top))} {t.task.path}: {_md(_short(t.task.text, 160))}")
        return "\n".join(out) + "\n"


def dropped_from_top(corpus: Corpus, docs: list[str], tops: list[str] | None = None, *, include_appendix: bool | None = None, graph: LineageGraph | None = None) -> TopDrops:
    """Which tasks of the top documents the given plans (and their non-national ancestors) never carried."""
    if not docs:
        raise InputError("give at least one plan")
    g = graph or build_graph(corpus)
    given = [corpus.resolve(d) for d in docs]
    level = {d.id: d.level for d in g.documents}
    plans: list[str] = []
    for d in given:
        for x in [d] + g.ancestors(d):
            if x not in plans and level.get(x) not in NATIONAL_LEVELS:
                plans.append(x)
    if tops:
        top_ids = [corpus.resolve(t) for t in tops]
    else:
        top_ids = []
        for d in given:
            for x in g.ancestors(d):
                if level.get(x) in NATIONAL_LEVELS and x not in top_ids:
                    top_ids.append(x)
        if not top_ids:
            for d in given:
                top_ids += [x for x in g.ancestors(d) if not g.parents(x) and x not in top_ids]
    top_ids = [t for t in top_ids if t not in given]
    plans = [p for p in plans if p not in top_ids]
    if not top_ids:
        raise InputError(f"{', '.join(corpus.label(d) for d in given)}: no document above it in the corpus; name one with --top")
    ids_order = corpus.ids
    plans.sort(key=ids_order.index)
    allowed = set(plans) | set(top_ids)
    for p in plans:
        allowed |= set(g.ancestors(p))
    topo = [i for i in ids_order if i in allowed]  # ordered by level: parents before children
    tasks_out: list[TopTask] = []
    for top in top_ids:
        direct = {p: _index(corpus.compare(top, p, include_appendix))[1] for p in plans}
        edge_ix: dict[tuple[str, str], dict[str, list[Pair]]] = {}
        for top_task in _compared_tasks(corpus.doc(top), include_appendix):
            reach: dict[str, set[str]] = {top: {top_task.id}}
            for x in topo:
                if x == top:
                    continue
                got: set[str] = set()
                for e in g.parents(x):
                    if e.parent not in reach or not reach[e.parent] or e.parent not in allowed:
                        continue
                    k = (e.parent, x)
                    if k not in edge_ix:
                        edge_ix[k] = _index(corpus.compare(e.parent, x, include_appendix))[1]
                    for tid in reach[e.parent]:
                        got |= {p.child.id for p in edge_ix[k].get(tid, [])}  # type: ignore[union-attr]
                if got:
                    reach[x] = got
            carriers = []
            lost = []
            for p in plans:
                dt_ids = {pr.child.id for pr in direct[p].get(top_task.id, [])}  # type: ignore[union-attr]
                ch_ids = reach.get(p, set())
                how: list[Literal["direct", "chain"]] = []
                if dt_ids:
                    how.append("direct")
                if ch_ids:
                    how.append("chain")
                if how:
                    carriers.append(Carrier(doc=p, tasks=sorted(dt_ids | ch_ids, key=_task_sort(corpus.doc(p))), how=how))
                elif any(reach.get(e.parent) for e in g.parents(p)):
                    lost.append(p)
            tasks_out.append(TopTask(top=top, task=TaskRef.of(top_task), carried=bool(carriers), carriers=carriers, lost_at=lost))
    sections: list[TopSection] = []
    totals: dict[str, dict[str, float]] = {}
    for top in top_ids:
        mine = [t for t in tasks_out if t.top == top]
        groups: dict[str | None, list[TopTask]] = defaultdict(list)
        for t in mine:
            groups[t.task.section_path].append(t)
        for path, ts in groups.items():
            never = sum(1 for t in ts if not t.carried)
            sections.append(TopSection(top=top, section_path=path, section_title=ts[0].task.section_title, tasks=len(ts), never_carried=never, share_never_carried=round(never / len(ts), 3)))
        never = sum(1 for t in mine if not t.carried)
        totals[top] = {"tasks": len(mine), "never_carried": never, "share_never_carried": round(never / max(1, len(mine)), 3)}
    per_plan = []
    for p in plans:
        carried = sum(1 for t in tasks_out if any(c.doc == p for c in t.carriers))
        lost = sum(1 for t in tasks_out if p in t.lost_at)
        per_plan.append(PlanReach(doc=p, carried=carried, lost=lost, share=round(carried / max(1, len(tasks_out)), 3)))
    used = set(plans) | set(top_ids)
    return TopDrops(documents=[_docref(corpus, i) for i in ids_order if i in used], plans=plans, tops=top_ids, tasks=tasks_out, sections=sections, per_plan=per_plan, totals=totals)


def _compared_tasks(doc: ParsedDocument, include_appendix: bool | None) -> list[Task]:
    body = [t for t in doc.tasks if t.source == "body"]
    if include_appendix or not body:
        return body + [t for t in doc.tasks if t.source == "appendix"]
    return body


def _task_sort(doc: ParsedDocument) -> Any:
    order = {t.id: n for n, t in enumerate(doc.tasks)}
    return lambda tid: order.get(tid, 10**6)


# ====================================================================== indicators side by side


IndicatorFlag = Literal["weaker_value", "later_year", "missing", "not_comparable"]


class IndicatorCell(_M):
    """One document's indicator in a row (several rows of one document with the same name are merged)."""

    doc: str
    indicator_ids: list[str]
    name: str
    unit: str | None = None
    score: float = Field(description="Match of its name with the row's name: rapidfuzz token_set_ratio on the indicator key, 0..100 (100 for the row's own name).")
    overlap: float = Field(1.0, description="Weighted overlap of the two names' words (rare words weigh more), 0..1.")
    unit_agreement: Literal["same", "compatible", "unknown"] = "same"
    targets: list[Target]
    flags: list[IndicatorFlag] = Field(default_factory=list, description="Against the parent's targets: weaker_value (a lower value for a ≥ target, a higher one for a ≤ target), later_year (the parent's value only reached later), not_comparable.")
    notes: list[str] = Field(default_factory=list)


class IndicatorRow(_M):
    name: str = Field(description="The name the row is matched on (the parent's, else the first document's).")
    unit: str | None = None
    parent: IndicatorCell | None = None
    cells: list[IndicatorCell | None] = Field(description="One per document of the table, in order; None when the document has no matching indicator.")
    weaker_in: list[str] = Field(default_factory=list)
    missing_in: list[str] = Field(default_factory=list, description="Documents without the parent's indicator.")


class IndicatorTable(_Result):
    """The same targets across documents, with the parent's value and flags where a child is weaker."""

    schema_version: str = SCHEMA_VERSION
    documents: list[DocRef]
    parent: str | None
    columns: list[str] = Field(description="Ids of the documents compared, in column order.")
    rows: list[IndicatorRow]
    min_score: float
    min_overlap: float = 0.5
    notes: list[str] = Field(default_factory=list)

    CSV_COLUMNS: ClassVar[tuple[str, ...]] = ("row", "unit", "doc", "indicator_ids", "name", "score", "targets", "parent_targets", "flags")

    def csv_rows(self) -> list[dict[str, Any]]:
        rows = []
        for n, r in enumerate(self.rows, 1):
            pt = targets_text(r.parent.targets) if r.parent else ""
            for did, c in zip(self.columns, r.cells):
                rows.append(
                    {
                        "row": f"{n}. {r.name}",
                        "unit": r.unit or "",
                        "doc": self.label(did),
                        "indicator_ids": ";".join(c.indicator_ids) if c else "",
                        "name": c.name if c else "",
                        "score": f"{c.score:.0f}" if c else "",
                        "targets": targets_text(c.targets) if c else "",
                        "parent_targets": pt,
                        "flags": ";".join(c.flags) if c else ("missing" if did in r.missing_in else ""),
                    }
                )
        return rows

    def to_csv(self) -> str:
        return _csv(self.CSV_COLUMNS, self.csv_rows())

    @markdown_view

    def to_markdown(self) -> str:
        head = ["indicator"] + ([f"{self.label(self.parent)} (parent)"] if self.parent else []) + [self.label(c) for c in self.columns]
        out = ["# Indicators", "", "| " + " | ".join(_md(h) for h in head) + " |", "|" + "---|" * len(head)]
        for r in self.rows:
            cells = [f"{_md(_short(r.name, 60))} [{_md(r.unit or '')}]"]
            if self.parent:
                cells.append(_md(targets_text(r.parent.targets)) if r.parent else "—")
            for did, c in zip(self.columns, r.cells):
                if c is None:
                    cells.append("**missing**" if did in r.missing_in else "—")
                else:
                    flag = f" **{', '.join(c.flags)}**" if c.flags else ""
                    cells.append(f"{_md(targets_text(c.targets))} ({c.score:.0f}){flag}")
            out.append("| " + " | ".join(cells) + " |")
        for n in self.notes:
            out.append(f"\n> {n}")
        return "\n".join(out) + "\n"


def targets_text(ts: list[Target]) -> str:
    return "; ".join(f"{t.year or t.period or '?'}: {t.raw}" for t in ts)


def unit_key(u: str | None) -> str | None:
    if not u:
        return None
    k = re.sub(r"\s+", "", normalize_tone(nfc(u)).lower()).strip(".,;:")
    k = k.replace("grdp", "gdp")
    return k or None


def units_agree(a: str | None, b: str | None) -> Literal["same", "compatible", "unknown", "different"]:
    ka, kb = unit_key(a), unit_key(b)
    if ka is None or kb is None:
        return "unknown"
    if ka == kb:
        return "same"
    if ka.startswith("%") and kb.startswith("%") and ("%" in (ka, kb)):
        return "compatible"
    return "different"


# the two spellings of some syllables ('tỉ lệ' / 'tỷ lệ'), and words that say nothing about what is measured
_I_Y = {"tỉ": "tỷ", "kỉ": "kỷ", "lí": "lý", "kĩ": "kỹ", "mĩ": "mỹ", "sĩ": "sỹ"}
_GENERIC = re.compile(r"\b(?:tỷ lệ|số lượng|trên địa bàn|mỗi năm|hằng năm|hàng năm)\b")


def indicator_key(name: str) -> str:
    """Key of an indicator name for matching: the comparison key, one spelling of i/y syllables, generic words dropped."""
    k = " ".join(_I_Y.get(w, w) for w in text_key(name).split())
    return " ".join(_GENERIC.sub(" ", k).split())


class _Logical:
    def __init__(self, doc: str, ind: Indicator) -> None:
        self.doc = doc
        self.ids = [ind.id]
        self.name = ind.name
        self.key = indicator_key(ind.name)
        self.unit = ind.unit or next((t.unit for t in ind.targets if t.unit), None)
        self.targets = list(ind.targets)


def _logical(did: str, doc: ParsedDocument) -> list[_Logical]:
    out: list[_Logical] = []
    for ind in doc.all_indicators():
        if not ind.targets:
            continue  # a group heading
        lg = _Logical(did, ind)
        same = next((o for o in out if o.key == lg.key and units_agree(o.unit, lg.unit) != "different"), None)
        if same is not None:
            same.ids.append(ind.id)
            same.targets += [t for t in ind.targets if (t.year, t.raw) not in {(x.year, x.raw) for x in same.targets}]
        else:
            out.append(lg)
    for o in out:
        o.targets.sort(key=lambda t: (t.year or 0))
    return out


def _overlap(a: str, b: str, weight: Any) -> float:
    """Weighted Dice of the two names' words (rare words weigh more)."""
    A, B = set(a.split()), set(b.split())
    den = sum(weight(t) for t in A) + sum(weight(t) for t in B)
    return 2 * sum(weight(t) for t in A & B) / den if den else 0.0


def _better_higher(t: Target) -> bool:
    return t.op not in ("≤", "<")


def compare_targets(parent: list[Target], child: list[Target]) -> tuple[list[IndicatorFlag], list[str]]:
    """Flags for a child's targets against its parent's, year by year.

    weaker_value: for the same year, a lower value for a ≥/>/= target (a higher
    one for ≤/<); later_year: no target for the parent's year, and the parent's
    value reached only in a later year; not_comparable: nothing to compare
    (qualitative targets, other scales)."""
    flags: list[IndicatorFlag] = []
    notes: list[str] = []
    pnum = [t for t in parent if t.value is not None and t.year]
    cnum = [t for t in child if t.value is not None and t.year]
    if not pnum:
        return flags, notes
    if not cnum:
        return ["not_comparable"], ["no numeric target to compare"]
    compared = 0
    for p in pnum:
        higher = _better_higher(p)
        ok = [c for c in cnum if units_agree(p.unit, c.unit) != "different"]
        if not ok:
            continue
        same = [c for c in ok if c.year == p.year]
        if same:
            compared += 1
            c = same[0]
            if (higher and c.value < p.value) or (not higher and c.value > p.value):  # type: ignore[operator]
                if "weaker_value" not in flags:
                    flags.append("weaker_value")
                notes.append(f"{p.year}: {c.raw} against the parent's {p.raw}")
            continue
        later = [c for c in ok if c.year > p.year]  # type: ignore[operator]
        if later:
            compared += 1
            meets = [c for c in later if (c.value >= p.value if higher else c.value <= p.value)]  # type: ignore[operator]
            if meets:
                if "later_year" not in flags:
                    flags.append("later_year")
                notes.append(f"the parent's {p.raw} by {p.year} is reached only by {meets[0].year} ({meets[0].raw})")
            elif not [c for c in ok if c.year < p.year]:  # type: ignore[operator]
                if "weaker_value" not in flags:
                    flags.append("weaker_value")
                notes.append(f"{p.year}: no target; the later targets stay below the parent's {p.raw}")
    if not compared:
        flags.append("not_comparable")
        notes.append("no target of the same year or scale as the parent's")
    return flags, notes


def indicators(corpus: Corpus, docs: list[str], parent: str | None = None, *, min_score: float = 80.0, min_overlap: float = 0.5, graph: LineageGraph | None = None) -> IndicatorTable:
    """Indicators of several documents side by side, against a parent's.

    Names are matched by wording and unit: rapidfuzz ``token_set_ratio`` on
    :func:`indicator_key` (at least ``min_score``), a weighted word overlap
    in which rare words weigh more (at least ``min_overlap``: two names that
    share only common words such as 'khoa học, công nghệ' are not the same
    indicator), and units that do not contradict each other ('% GDP' and
    '% GRDP' agree). Each document's rows with the same name (one per
    period) are merged; matching is one-to-one, best pairs first."""
    if not docs:
        raise InputError("give at least one document")
    cols = []
    for d in docs:
        i = corpus.resolve(d)
        if i not in cols:
            cols.append(i)
    if parent is not None:
        pid: str | None = corpus.resolve(parent)
    else:
        g = graph or build_graph(corpus)
        pid = nearest_common_ancestor(g, cols, prefer=lambda a: corpus.entry(a).indicators > 0)
    cols = [c for c in cols if c != pid]
    notes = []
    rows: list[dict[str, Any]] = []  # name, key, unit, parent cell, cells per doc

    def cell(lg: _Logical, score: float, agree: str, overlap: float = 1.0) -> IndicatorCell:
        return IndicatorCell(doc=lg.doc, indicator_ids=lg.ids, name=lg.name, unit=lg.unit, score=round(score, 1), overlap=round(overlap, 3), unit_agreement=agree if agree != "different" else "unknown", targets=lg.targets)  # type: ignore[arg-type]

    if pid is not None:
        for lg in _logical(pid, corpus.doc(pid)):
            rows.append({"name": lg.name, "key": lg.key, "unit": lg.unit, "parent": cell(lg, 100.0, "same"), "cells": {}})
        if not rows:
            notes.append(f"{corpus.label(pid)} has no indicators")
    logical = {c: _logical(c, corpus.doc(c)) for c in cols}
    names = [r["key"] for r in rows] + [lg.key for lgs in logical.values() for lg in lgs]
    df: dict[str, int] = defaultdict(int)
    for k in names:
        for w in set(k.split()):
            df[w] += 1
    n_names = len(names)

    def weight(w: str) -> float:
        return math.log((n_names + 1) / (df.get(w, 0) + 0.5))

    for c in cols:
        lgs = logical[c]
        if not lgs:
            notes.append(f"{corpus.label(c)} has no indicators in its parsed text")
            continue
        cand = []
        for ri, r in enumerate(rows):
            for li, lg in enumerate(lgs):
                agree = units_agree(r["unit"], lg.unit)
                if agree == "different":
                    continue
                sc = fuzz.token_set_ratio(r["key"], lg.key)
                if sc < min_score:
                    continue
                ov = _overlap(r["key"], lg.key, weight)
                if ov < min_overlap:
                    continue
                cand.append((ov + sc / 100, sc, ov, ri, li, agree))
        cand.sort(key=lambda x: (-x[0], x[3], x[4]))
        used_r: set[int] = set()
        used_l: set[int] = set()
        for _, sc, ov, ri, li, agree in cand:
            if ri in used_r or li in used_l:
                continue
            used_r.add(ri)
            used_l.add(li)
            rows[ri]["cells"][c] = cell(lgs[li], sc, agree, ov)
        for li, lg in enumerate(lgs):
            if li not in used_l:
                rows.append({"name": lg.name, "key": lg.key, "unit": lg.unit, "parent": None, "cells": {c: cell(lg, 100.0, "same")}})
    out_rows = []
    for r in rows:
        cells: list[IndicatorCell | None] = []
        weaker, missing = [], []
        for c in cols:
            x = r["cells"].get(c)
            if x is not None and r["parent"] is not None:
                fl, nt = compare_targets(r["parent"].targets, x.targets)
                x = x.model_copy(update={"flags": fl, "notes": nt})
                if "weaker_value" in fl or "later_year" in fl:
                    weaker.append(c)
            if x is None and r["parent"] is not None:
                missing.append(c)
            cells.append(x)
        out_rows.append(IndicatorRow(name=r["name"], unit=r["unit"], parent=r["parent"], cells=cells, weaker_in=weaker, missing_in=missing))
    used = set(cols) | ({pid} if pid else set())
    return IndicatorTable(documents=[_docref(corpus, i) for i in corpus.ids if i in used], parent=pid, columns=cols, rows=out_rows, min_score=min_score, min_overlap=min_overlap, notes=notes)


# ====================================================================== siblings


class SiblingCell(_M):
    doc: str
    status: Literal["copied", "changed", "dropped"]
    tasks: list[TaskRef] = Field(default_factory=list)
    kinds: list[Kind] = Field(default_factory=list)
    score: float = 0.0


class CoverageRow(_M):
    """One task of the common ancestor and what each sibling did with it."""

    ancestor: str
    task: TaskRef
    cells: list[SiblingCell]
    kept: int = Field(description="Siblings that carry it (copied or changed).")


class SiblingSummary(_M):
    doc: str
    ancestor: str
    copied: int
    changed: int
    dropped: int
    coverage: float
    own_tasks: int = Field(description="Sibling's tasks not from the ancestor (added).")


class SectionRow(_M):
    ancestor: str
    section_path: str | None
    section_title: str | None
    tasks: int
    kept: dict[str, int] = Field(description="Per sibling id: tasks of the section it carries.")


class OnlyIn(_M):
    """A task one sibling has and the others do not."""

    doc: str
    task: TaskRef
    from_ancestor: list[str] = Field(default_factory=list, description="Ids of the ancestor's tasks it comes from (empty: its own task).")


class NearMember(_M):
    doc: str
    task: TaskRef


class NearGroup(_M):
    """Near-identical tasks across siblings."""

    members: list[NearMember]
    min_score: float
    ancestor_tasks: list[str] = Field(default_factory=list, description="Ids of ancestor tasks the members come from.")


class SiblingsResult(_Result):
    """Plans at the same level side by side, against their common ancestor."""

    schema_version: str = SCHEMA_VERSION
    documents: list[DocRef]
    siblings: list[str]
    ancestors: list[str]
    coverage: list[CoverageRow]
    summary: list[SiblingSummary]
    sections: list[SectionRow]
    only_in: list[OnlyIn]
    near_identical: list[NearGroup]
    indicators: IndicatorTable | None = None
    settings: dict[str, float | str] = Field(default_factory=dict)

    PARTS: ClassVar[tuple[str, ...]] = ("coverage", "summary", "sections", "only", "near", "indicators")

    def csv_rows(self, part: str = "coverage") -> list[dict[str, Any]]:
        if part == "coverage":
            rows = []
            for r in self.coverage:
                row = {"ancestor": self.label(r.ancestor), "task_id": r.task.id, "task_label": r.task.label or "", "section": r.task.section_path or "", "kept": r.kept, "text": r.task.text}
                for c in r.cells:
                    row[self.label(c.doc)] = c.status + (" " + ",".join(t.id for t in c.tasks) if c.tasks else "")
                rows.append(row)
            return rows
        if part == "summary":
            return [{"doc": self.label(s.doc), "ancestor": self.label(s.ancestor), "copied": s.copied, "changed": s.changed, "dropped": s.dropped, "coverage": f"{s.coverage:.3f}", "own_tasks": s.own_tasks} for s in self.summary]
        if part == "sections":
            rows = []
            for s in self.sections:
                row = {"ancestor": self.label(s.ancestor), "section": s.section_path or "", "title": s.section_title or "", "tasks": s.tasks}
                for d, k in s.kept.items():
                    row[self.label(d)] = k
                rows.append(row)
            return rows
        if part == "only":
            return [{"doc": self.label(o.doc), "task_id": o.task.id, "task_label": o.task.label or "", "from_ancestor": ";".join(o.from_ancestor), "text": o.task.text} for o in self.only_in]
        if part == "near":
            rows = []
            for n, gr in enumerate(self.near_identical, 1):
                for m in gr.members:
                    rows.append({"group": n, "min_score": f"{gr.min_score:.3f}", "doc": self.label(m.doc), "task_id": m.task.id, "ancestor_tasks": ";".join(gr.ancestor_tasks), "text": m.task.text})
            return rows
        if part == "indicators":
            return self.indicators.csv_rows() if self.indicators else []
        raise InputError(f"'{part}' is not a part; one of {', '.join(self.PARTS)}")

    def csv_columns(self, part: str) -> list[str]:
        sib = [self.label(s) for s in self.siblings]
        return {
            "coverage": ["ancestor", "task_id", "task_label", "section", "kept", *sib, "text"],
            "summary": ["doc", "ancestor", "copied", "changed", "dropped", "coverage", "own_tasks"],
            "sections": ["ancestor", "section", "title", "tasks", *sib],
            "only": ["doc", "task_id", "task_label", "from_ancestor", "text"],
            "near": ["group", "min_score", "doc", "task_id", "ancestor_tasks", "text"],
            "indicators": list(IndicatorTable.CSV_COLUMNS),
        }[part]

    def to_csv(self, part: str = "coverage") -> str:
        rows = self.csv_rows(part)
        return _csv(self.csv_columns(part), rows)

    @markdown_view

    def to_markdown(self) -> str:
        sib = [self.label(s) for s in self.siblings]
        out = ["# Siblings: " + ", ".join(_md(s) for s in sib), "", "Common ancestor: " + ", ".join(_md(self.label(a)) for a in self.ancestors), ""]
        out += ["| plan | ancestor | copied | changed | dropped | coverage | own tasks |", "|---|---|---|---|---|---|---|"]
        for s in self.summary:
            out.append(f"| {_md(self.label(s.doc))} | {_md(self.label(s.ancestor))} | {s.copied} | {s.changed} | {s.dropped} | {s.coverage:.0%} | {s.own_tasks} |")
        out += ["", "| ancestor task | " + " | ".join(_md(s) for s in sib) + " |", "|---|" + "---|" * len(sib)]
        for r in self.coverage:
            cells = []
            for c in r.cells:
                cells.append(c.status + (" " + ", ".join(t.path for t in c.tasks) if c.tasks else ""))
            out.append(f"| {r.task.path}: {_md(_short(r.task.text, 70))} | " + " | ".join(cells) + " |")
        out += ["", "## Only in one plan", ""]
        for o in self.only_in:
            out.append(f"- {_md(self.label(o.doc))} {o.task.path}: {_md(_short(o.task.text, 140))}")
        out += ["", "## Near-identical across plans", ""]
        for gr in self.near_identical:
            out.append("- " + " = ".join(f"{_md(self.label(m.doc))} {m.task.path}" for m in gr.members) + f" (≥ {gr.min_score:.2f}): {_md(_short(gr.members[0].task.text, 100))}")
        if self.indicators:
            out += ["", self.indicators.to_markdown()]
        return "\n".join(out) + "\n"


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


def siblings(corpus: Corpus, docs: list[str], ancestor: str | None = None, *, near: float = 0.9, include_appendix: bool | None = None, with_indicators: bool = True, min_score: float = 80.0, graph: LineageGraph | None = None) -> SiblingsResult:
    """Compare plans of the same level with each other and with their common ancestor."""
    sib: list[str] = []
    for d in docs:
        i = corpus.resolve(d)
        if i not in sib:
            sib.append(i)
    if len(sib) < 2:
        raise InputError("give at least two different plans to compare side by side")
    g = graph or build_graph(corpus)
    if ancestor is not None:
        anc = corpus.resolve(ancestor)
    else:
        found = nearest_common_ancestor(g, sib)
        if found is None:
            raise InputError(f"{', '.join(corpus.label(s) for s in sib)} have no common ancestor in the corpus; name one with --ancestor")
        anc = found
    if anc in sib:
        raise InputError(f"{corpus.label(anc)} is the ancestor: it cannot also be a sibling")
    comps = {s: corpus.compare(anc, s, include_appendix) for s in sib}
    idx = {s: _index(c) for s, c in comps.items()}
    coverage = []
    for t in _compared_tasks(corpus.doc(anc), include_appendix):
        cells = []
        for s in sib:
            links = idx[s][1].get(t.id, [])
            if not links:
                cells.append(SiblingCell(doc=s, status="dropped"))
                continue
            st = "changed" if (len(links) > 1 or any(p.status == Status.changed for p in links)) else "copied"
            kinds = sorted({k for p in links for k in p.kinds}, key=lambda k: list(Kind).index(k))
            cells.append(SiblingCell(doc=s, status=st, tasks=[p.child for p in links], kinds=kinds, score=max(p.score for p in links)))  # type: ignore[misc]
        coverage.append(CoverageRow(ancestor=anc, task=TaskRef.of(t), cells=cells, kept=sum(1 for c in cells if c.status != "dropped")))
    summary = []
    for s in sib:
        c = comps[s]
        summary.append(SiblingSummary(doc=s, ancestor=anc, copied=c.summary.statuses.get("copied", 0), changed=c.summary.statuses.get("changed", 0), dropped=c.summary.statuses.get("dropped", 0), coverage=c.summary.coverage, own_tasks=c.summary.statuses.get("added", 0)))
    sec_rows: dict[str | None, SectionRow] = {}
    for r in coverage:
        k = r.task.section_path
        if k not in sec_rows:
            sec_rows[k] = SectionRow(ancestor=anc, section_path=k, section_title=r.task.section_title, tasks=0, kept={s: 0 for s in sib})
        sec_rows[k].tasks += 1
        for c in r.cells:
            if c.status != "dropped":
                sec_rows[k].kept[c.doc] += 1
    # sibling against sibling
    linked: dict[str, set[str]] = {s: set() for s in sib}
    edges: list[tuple[tuple[str, str], tuple[str, str], float]] = []
    for a_i, a in enumerate(sib):
        for b in sib[a_i + 1 :]:
            c = corpus.compare(a, b, include_appendix)
            for p in c.pairs:
                if p.parent and p.child:
                    linked[a].add(p.parent.id)
                    linked[b].add(p.child.id)
                    if p.score >= near:
                        edges.append(((a, p.parent.id), (b, p.child.id), p.score))
    only = []
    for s in sib:
        for t in _compared_tasks(corpus.doc(s), include_appendix):
            if t.id not in linked[s]:
                from_anc = [p.parent.id for p in idx[s][0].get(t.id, [])]  # type: ignore[union-attr]
                only.append(OnlyIn(doc=s, task=TaskRef.of(t), from_ancestor=from_anc))
    # near-identical groups (union-find over strong sibling links)
    parent_of: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x: tuple[str, str]) -> tuple[str, str]:
        while parent_of.setdefault(x, x) != x:
            x = parent_of[x]
        return x

    for a, b, _ in edges:
        parent_of[find(a)] = find(b)
    groups: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for x in list(parent_of):
        groups[find(x)].append(x)
    tasks_by = {s: {t.id: t for t in corpus.doc(s).tasks} for s in sib}
    near_groups = []
    for members in groups.values():
        if len({m[0] for m in members}) < 2:
            continue
        ms = sorted(members, key=lambda m: (sib.index(m[0]), _task_sort(corpus.doc(m[0]))(m[1])))
        scores = [sc for a, b, sc in edges if a in members and b in members]
        anc_tasks = sorted({p.parent.id for m in ms for p in idx[m[0]][0].get(m[1], [])}, key=_task_sort(corpus.doc(anc)))  # type: ignore[union-attr]
        near_groups.append(NearGroup(members=[NearMember(doc=m[0], task=TaskRef.of(tasks_by[m[0]][m[1]])) for m in ms], min_score=min(scores), ancestor_tasks=anc_tasks))
    near_groups.sort(key=lambda gr: (sib.index(gr.members[0].doc), _task_sort(corpus.doc(gr.members[0].doc))(gr.members[0].task.id)))
    table = indicators(corpus, sib, parent=anc, min_score=min_score, graph=g) if with_indicators else None
    return SiblingsResult(
        documents=[_docref(corpus, i) for i in corpus.ids if i in set(sib) | {anc}],
        siblings=sib,
        ancestors=[anc],
        coverage=coverage,
        summary=summary,
        sections=list(sec_rows.values()),
        only_in=only,
        near_identical=near_groups,
        indicators=table,
        settings={"near": near, "min_score": min_score, "include_appendix": str(include_appendix)},
    )


ChainNode.model_rebuild()
TraceStep.model_rebuild()

__all__ = [
    "Attribution",
    "AttributedTask",
    "ChainNode",
    "ChainResult",
    "DocRef",
    "Edge",
    "EdgeSummary",
    "IndicatorTable",
    "LineageGraph",
    "MissingLink",
    "SiblingsResult",
    "Substitution",
    "TopDrops",
    "TraceResult",
    "TraceStep",
    "attribute",
    "build_graph",
    "chain",
    "compare_targets",
    "dropped_from_top",
    "find_task",
    "indicators",
    "nearest_common_ancestor",
    "siblings",
    "trace",
]
