"""The one parent resolver: document headers in, a :class:`~.graph.LineageGraph` out.

``resolve(headers)`` is used by every command that asks for a document's parents: ``chain``,
``trace`` and the other lineage questions (through :func:`build_graph`), ``check``'s references
rule (through :class:`Resolver.match`) and the national ``batch`` (which takes each plan's
primary parent from the graph, :meth:`~.graph.LineageGraph.primary_parent`). Its rules are
those of the package docstring, in named steps:

1. :func:`_cited_parents`: each numbered reference that implements, is the basis of or amends the
   document, matched in the corpus (:meth:`Resolver.match`), is an edge; one not found is a
   missing link, for which a corpus document it amends may stand in (:meth:`Resolver.amended`);
2. :func:`_manifest_parents` and :func:`_manifest_amendments`: what the manifest adds;
3. :func:`_mentioned_parents`: a higher-level, earlier document only mentioned, not yet an ancestor;
4. :func:`_reached_via`: missing links a corpus parent cites too.

Edges are kept with an adjacency index (the parents of each document), so the check that an
edge closes no cycle walks up from the parent (its few ancestors), not along every edge.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Iterable

from rapidfuzz import fuzz

from ..models import Reference
from ..normalize import key as text_key
from ..normalize import number_key
from ..store import Corpus, DocHeader, Manifest, level_rank
from ._common import PARENT_RELATIONS, _REL_RANK
from .graph import DocRef, Edge, LineageGraph, MissingLink, Substitution

_DATE_IN_TEXT = re.compile(r"ngày\s+\d{1,2}\s*(?:/|tháng)\s*\d{1,2}\s*(?:/|năm)\s*\d{4}|\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}", re.I)
_NUMBER = re.compile(r"\d{1,4}\s*[-/]\s*[A-Za-zĐđ]+(?:\s*[-/]\s*[A-Za-zĐđ0-9]+)*")
_AMEND = re.compile(r"\b(?:sửa đổi|bổ sung|điều chỉnh)\b", re.I)
_AMEND_LEAD = re.compile(r"^(?:\s*(?:về việc|về|sửa đổi|bổ sung|cập nhật|điều chỉnh|một số điều|một số nội dung|nội dung|của|và|,|;))+\s*", re.I)
_DOC_KIND = r"(?:Nghị quyết|Kế hoạch hành động|Kế hoạch|Chương trình hành động|Chương trình|Quyết định|Chỉ thị|Kết luận|Công văn|Đề án)"


def _title_key(t: str | None) -> str:
    return text_key(_DATE_IN_TEXT.sub(" ", t or ""))


def issuer_compatible(a: str | None, b: str | None) -> bool:
    """Two issuers that name the same body (one contains the other, or nearly); False when either is unknown."""
    if not a or not b:
        return False
    ka, kb = text_key(a), text_key(b)
    return ka in kb or kb in ka or fuzz.partial_ratio(ka, kb) >= 90


def may_be_parent(p: DocHeader, c: DocHeader) -> bool:
    """A parent sits above its child (or at its level, issued by the same body: a Government
    resolution amending another) and is not issued after it; unknown levels and dates allow it."""
    rp, rc = level_rank(p.document.level), level_rank(c.document.level)
    if rp is not None and rc is not None and (rp > rc or (rp == rc and not issuer_compatible(p.document.issuer, c.document.issuer))):
        return False
    dp, dc = p.document.issue_date, c.document.issue_date
    return not (dp and dc and dp > dc)


class Resolver:
    """The documents of a corpus indexed by id and by normalised number; matches citations to them."""

    def __init__(self, headers: Iterable[DocHeader]) -> None:
        self.docs: dict[str, DocHeader] = {}
        self.warnings: list[str] = []
        for h in sorted(headers, key=lambda h: h.order):
            if h.id in self.docs:
                self.warnings.append(f"{h.file or h.id}: same content as {self.docs[h.id].file or h.id}; left out")
                continue
            self.docs[h.id] = h
        self.ids = list(self.docs)
        self.order = {d: n for n, d in enumerate(self.ids)}
        self.by_key: dict[str, list[str]] = defaultdict(list)
        for i, h in self.docs.items():
            k = number_key(h.document.number)
            if k:
                self.by_key[k].append(i)

    def label(self, did: str) -> str:
        return self.docs[did].label

    def match(self, r: Reference, child: DocHeader, parent: bool = True) -> tuple[str | None, str, str | None]:
        """The corpus document a citation of ``child`` names: (id or None, how it matched, note).

        Numbers restart every year: a cited date in another year is another document; the same
        year with another date is kept, with a note. Issuer agreement is preferred. With
        ``parent`` the candidate must be able to be the child's parent (:func:`may_be_parent`);
        without, any document of the number counts (is the cited document in the corpus?)."""
        best: tuple[float, str] | None = None
        for i in self.by_key.get(number_key(r.number) or "", ()):
            p = self.docs[i]
            if i == child.id or (parent and not may_be_parent(p, child)):
                continue
            d = p.document.issue_date
            if r.date and d and r.date != d:
                if r.date.year != d.year:
                    continue
                score = 0.0
            else:
                score = 2.0 if r.date and d else 1.0
            if issuer_compatible(r.issuer, p.document.issuer):
                score += 0.5
            if best is None or score > best[0]:
                best = (score, i)
        if best is None:
            return None, "number", None
        d = self.docs[best[1]].document.issue_date
        if r.date and d and r.date != d:
            return best[1], "number_date_differs", f"cited with the date {r.date:%d/%m/%Y}; the document is dated {d:%d/%m/%Y}"
        return best[1], "number_and_date" if r.date and d else "number", None

    def amended(self, r: Reference, context: str, child: str) -> tuple[str, str, float] | None:
        """The corpus document a cited (absent) document amends, from the citing sentence: (id, evidence, score)."""
        text = context or ""
        if r.title and r.title not in text:
            text = text + " về " + r.title
        want = number_key(r.number)
        start = next((m.end() for m in _NUMBER.finditer(text) if number_key(m.group(0)) == want), 0)
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
            for i in self.by_key.get(number_key(named.group(1)) or "", []):
                if i != child:
                    return i, evidence, 100.0
        return self._amended_by_title(r, obj, child, evidence)

    def _amended_by_title(self, r: Reference, obj: str, child: str, evidence: str) -> tuple[str, str, float] | None:
        """The one earlier document of a compatible issuer whose title the amended object names (85 or more, 5 ahead of the next)."""
        ok = _title_key(obj)
        scored = []
        for i, h in self.docs.items():
            info = h.document
            if i == child or not info.title or (r.date and info.issue_date and info.issue_date >= r.date):
                continue
            if r.issuer and info.issuer and not issuer_compatible(r.issuer, info.issuer):
                continue
            scored.append((fuzz.token_sort_ratio(ok, _title_key(info.title)), i))
        scored.sort(key=lambda x: (-x[0], x[1]))
        if not scored or scored[0][0] < 85 or (len(scored) > 1 and scored[0][0] - scored[1][0] < 5):
            return None
        return scored[0][1], evidence, round(scored[0][0], 1)

    def find(self, name: str) -> str | None:
        """The document a manifest names: by id, number, file name or stem, or a unique part of them."""
        s = name.strip()
        if s in self.docs:
            return s
        nk = number_key(s)
        hits = [i for i, h in self.docs.items() if nk and number_key(h.document.number) == nk]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            return None
        for part in (lambda h: h.file, lambda h: Path(h.file or "").name, lambda h: Path(h.file or "").stem):
            hits = [i for i, h in self.docs.items() if part(h) == s]
            if len(hits) == 1:
                return hits[0]
        low = s.lower()
        hits = [i for i, h in self.docs.items() if low in (h.file or "").lower() or low in h.label.lower()]
        return hits[0] if len(hits) == 1 else None


class _Edges:
    """The edges found so far, with the parents of each document in the order they were added."""

    def __init__(self, res: Resolver, warnings: list[str]) -> None:
        self.res = res
        self.warnings = warnings
        self.by_pair: dict[tuple[str, str], Edge] = {}
        self.parents_of: dict[str, list[str]] = defaultdict(list)

    def reaches(self, a: str, b: str) -> bool:
        """Is there a path a -> ... -> b? (walked up from b: a document has few ancestors)"""
        seen = {b}
        stack = [b]
        while stack:
            x = stack.pop()
            if x == a:
                return True
            for p in self.parents_of.get(x, ()):
                if p not in seen:
                    seen.add(p)
                    stack.append(p)
        return False

    def add(self, e: Edge) -> None:
        if e.parent == e.child:
            return
        old = self.by_pair.get((e.parent, e.child))
        if old is not None:
            if _REL_RANK[e.relation] < _REL_RANK[old.relation] and not (old.substitution is None and e.substitution is not None):
                self.by_pair[(e.parent, e.child)] = e
            return
        if self.reaches(e.child, e.parent):
            self.warnings.append(f"{self.res.label(e.child)} cites {self.res.label(e.parent)}, which descends from it: edge left out (a cycle)")
            return
        self.by_pair[(e.parent, e.child)] = e
        self.parents_of[e.child].append(e.parent)


def _edge(r: Reference, parent: str, child: str, match: str, note: str | None = None, substitution: Substitution | None = None, relation: str | None = None) -> Edge:
    rel = relation or (r.relation if r.relation != "replaces" else "mentions")
    return Edge(parent=parent, child=child, relation=rel, cited_as=r.number_as_written or r.number, cited_date=r.date, match=match, note=note, substitution=substitution)  # type: ignore[arg-type]


def _cited_parents(res: Resolver, edges: _Edges, h: DocHeader, missing: list[MissingLink], mentions: dict[str, list[Edge]]) -> None:
    """Step 1 for one document: its references found in the corpus (edges, or mentions for step 3) and those not found (missing links, maybe stood in for)."""
    own = number_key(h.document.number)
    ignore = {number_key(x) for x in h.ignore_references}
    seen_missing: set[str | None] = set()
    for r in h.references:
        k = number_key(r.number) if r.number else None
        if not k or k == own or k in ignore:
            continue
        target, match, note = res.match(r, h)
        if target is not None:
            e = _edge(r, target, h.id, match, note)
            if r.relation in PARENT_RELATIONS:
                edges.add(e)
            elif r.relation == "mentions":
                mentions[h.id].append(e)
            continue
        if r.relation not in PARENT_RELATIONS or k in seen_missing:
            continue
        seen_missing.add(k)
        ml = MissingLink(child=h.id, number=r.number, kind=r.kind, issuer=r.issuer, date=r.date, relation=r.relation, context=r.context or None)  # type: ignore[arg-type]
        sub = res.amended(r, r.context or "", h.id)
        if sub is not None:
            target, evidence, score = sub
            ml.stands_in = target
            edges.add(_edge(r, target, h.id, "amendment", relation=r.relation, substitution=Substitution(cited=r.number, cited_date=r.date, cited_issuer=r.issuer, stands_in=target, evidence=evidence, score=score)))  # type: ignore[arg-type]
        missing.append(ml)


def _manifest_parents(res: Resolver, edges: _Edges, h: DocHeader, warnings: list[str]) -> None:
    for p in h.parents:
        pid = res.find(p)
        if pid is None:
            warnings.append(f"manifest: parent '{p}' of {h.file} is not in the corpus")
            continue
        edges.add(Edge(parent=pid, child=h.id, relation="manifest", cited_as=p, match="manifest"))


def _manifest_amendments(res: Resolver, edges: _Edges, manifest: Manifest, missing: list[MissingLink], warnings: list[str]) -> None:
    """An amending document the manifest names: the amended corpus document stands in for it wherever it is missing."""
    for a in manifest.amendments:
        target = res.find(a.amended)
        if target is None:
            warnings.append(f"manifest: amended document '{a.amended}' is not in the corpus")
            continue
        ak = number_key(a.amending)
        for ml in missing:
            if number_key(ml.number) == ak and ml.stands_in is None and ml.child != target:
                ml.stands_in = target
                sub = Substitution(cited=ml.number, cited_date=ml.date, cited_issuer=ml.issuer, stands_in=target, evidence=a.note or "manifest", score=100.0, source="manifest")
                edges.add(Edge(parent=target, child=ml.child, relation=ml.relation, cited_as=ml.number, cited_date=ml.date, match="amendment", substitution=sub))  # type: ignore[arg-type]


def _mentioned_parents(res: Resolver, edges: _Edges, mentions: dict[str, list[Edge]]) -> None:
    """Step 3: a mentioned document of a higher level, issued earlier, that is not yet an ancestor (top levels first)."""
    for c in sorted(res.ids, key=lambda i: level_rank(res.docs[i].document.level) if level_rank(res.docs[i].document.level) is not None else 9):
        rc = level_rank(res.docs[c].document.level)
        for e in mentions.get(c, []):
            rp = level_rank(res.docs[e.parent].document.level)
            if rp is None or rc is None or rp >= rc:
                continue
            dp, dc = res.docs[e.parent].document.issue_date, res.docs[c].document.issue_date
            if (dp and dc and dp > dc) or edges.reaches(e.parent, c):
                continue
            edges.add(e)


def _reached_via(res: Resolver, edges: _Edges, missing: list[MissingLink]) -> None:
    """Step 4: a missing link that a corpus parent of the document cites too is reached via that parent."""
    cited: dict[str, set[str | None]] = {}

    def cites(p: str) -> set[str | None]:
        if p not in cited:
            cited[p] = {number_key(r.number) for r in res.docs[p].references}
        return cited[p]

    for ml in missing:
        k = number_key(ml.number)
        ml.via = next((p for p in edges.parents_of.get(ml.child, ()) if k in cites(p)), None)


def resolve(headers: Iterable[DocHeader], manifest: Manifest | None = None) -> LineageGraph:
    """Every document's parents among ``headers``, from its references (see the module docstring)."""
    res = Resolver(headers)
    warnings = list(res.warnings)
    edges = _Edges(res, warnings)
    missing: list[MissingLink] = []
    mentions: dict[str, list[Edge]] = defaultdict(list)
    for i in res.ids:
        _cited_parents(res, edges, res.docs[i], missing, mentions)
        _manifest_parents(res, edges, res.docs[i], warnings)
    if manifest is not None:
        _manifest_amendments(res, edges, manifest, missing, warnings)
    _mentioned_parents(res, edges, mentions)
    _reached_via(res, edges, missing)
    elist = sorted(edges.by_pair.values(), key=lambda e: (res.order[e.parent], res.order[e.child]))
    return LineageGraph(documents=[DocRef.of_header(res.docs[i]) for i in res.ids], edges=elist, missing=missing, warnings=warnings)


def build_graph(corpus: Corpus) -> LineageGraph:
    """The lineage graph of a corpus: :func:`resolve` over its headers and manifest."""
    return resolve(corpus.headers(), corpus.manifest)
