"""The lineage graph: documents, the edges between them and the missing links, found from each document's references."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any, ClassVar, Literal
from pydantic import Field
from rapidfuzz import fuzz
from ..align.models import Comparison
from ..store import LEVEL_RANK, Corpus, doc_label
from ..errors import InputError
from ..models import SCHEMA_VERSION, Level, ParsedDocument, Reference
from ..normalize import key as text_key
from ..normalize import number_key
from ._common import PARENT_RELATIONS, _M, _REL_RANK
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
        i = doc.document
        return cls(id=did, label=doc_label(i), number=i.number, kind=i.kind, level=i.level, place=i.place, issuer=i.issuer, issue_date=i.issue_date, file=file or i.source_file, tasks=len(doc.tasks), indicators=len(doc.all_indicators()))


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


