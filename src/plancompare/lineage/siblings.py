"""Siblings: plans under the same ancestor compared with each other (coverage, sections, near-duplicates)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal
from pydantic import Field
from ..align.models import Kind, Status, TaskRef
from ..store import Corpus
from ..errors import InputError
from ..io import markdown_view
from ..models import SCHEMA_VERSION
from ..normalize import shorten as _short
from ..normalize import md_cell as _md
from ._common import _M, _csv, connected_groups
from .chain import ChainNode
from .dropped import _compared_tasks, _task_sort
from .graph import DocRef, LineageGraph, _Result, _docref, nearest_common_ancestor
from .resolve import build_graph
from .indicators import IndicatorTable, indicators
from .trace import TraceStep, _index
from .settings import DEFAULT as LINEAGE, LineageSettings
from ..models import TaskScope


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


def siblings(corpus: Corpus, docs: list[str], ancestor: str | None = None, *, near: float = LINEAGE.near, include_appendix: bool | None = None, with_indicators: bool = True, min_score: float = LINEAGE.min_score, graph: LineageGraph | None = None) -> SiblingsResult:
    """Compare plans of the same level with each other and with their common ancestor."""
    sib: list[str] = []
    for d in docs:
        i = corpus.resolve(d)
        if i not in sib:
            sib.append(i)
    if len(sib) < 2:
        raise InputError("give at least two different plans to compare side by side")
    g = graph or build_graph(corpus)
    anc = _ancestor(corpus, g, sib, ancestor)
    comps = {s: corpus.compare(anc, s, include_appendix) for s in sib}
    idx = {s: _index(c) for s, c in comps.items()}
    coverage = _coverage(corpus, anc, sib, idx, include_appendix)
    summary = [SiblingSummary(doc=s, ancestor=anc, copied=c.summary.statuses.get("copied", 0), changed=c.summary.statuses.get("changed", 0), dropped=c.summary.statuses.get("dropped", 0),
                              coverage=c.summary.coverage, own_tasks=c.summary.statuses.get("added", 0)) for s, c in comps.items()]
    linked, edges = _sibling_links(corpus, sib, near, include_appendix)
    only = [OnlyIn(doc=s, task=TaskRef.of(t), from_ancestor=[p.parent.id for p in idx[s][0].get(t.id, [])])  # type: ignore[union-attr]
            for s in sib for t in _compared_tasks(corpus.doc(s), include_appendix) if t.id not in linked[s]]
    table = indicators(corpus, sib, parent=anc, min_score=min_score, graph=g) if with_indicators else None
    return SiblingsResult(
        documents=[_docref(corpus, i) for i in corpus.ids if i in set(sib) | {anc}],
        siblings=sib,
        ancestors=[anc],
        coverage=coverage,
        summary=summary,
        sections=_sections(anc, sib, coverage),
        only_in=only,
        near_identical=_near_groups(corpus, anc, sib, idx, edges),
        indicators=table,
        settings={"near": near, "min_score": min_score, "include_appendix": str(include_appendix)},
        lineage_settings=LineageSettings(scope=TaskScope.of(include_appendix), near=near, min_score=min_score),
    )


def _ancestor(corpus: Corpus, g: LineageGraph, sib: list[str], ancestor: str | None) -> str:
    """The ancestor named, or the nearest one the siblings share."""
    if ancestor is not None:
        anc = corpus.resolve(ancestor)
    else:
        found = nearest_common_ancestor(g, sib)
        if found is None:
            raise InputError(f"{', '.join(corpus.label(s) for s in sib)} have no common ancestor in the corpus; name one with --ancestor")
        anc = found
    if anc in sib:
        raise InputError(f"{corpus.label(anc)} is the ancestor: it cannot also be a sibling")
    return anc


def _coverage(corpus: Corpus, anc: str, sib: list[str], idx: dict[str, Any], include_appendix: bool | None) -> list[CoverageRow]:
    """Each task of the ancestor: what each sibling made of it."""
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
    return coverage


def _sections(anc: str, sib: list[str], coverage: list[CoverageRow]) -> list[SectionRow]:
    """Per section of the ancestor: its tasks, and how many each sibling kept."""
    sec_rows: dict[str | None, SectionRow] = {}
    for r in coverage:
        k = r.task.section_path
        if k not in sec_rows:
            sec_rows[k] = SectionRow(ancestor=anc, section_path=k, section_title=r.task.section_title, tasks=0, kept={s: 0 for s in sib})
        sec_rows[k].tasks += 1
        for c in r.cells:
            if c.status != "dropped":
                sec_rows[k].kept[c.doc] += 1
    return list(sec_rows.values())


_Node = tuple[str, str]  # (document id, task id)


def _sibling_links(corpus: Corpus, sib: list[str], near: float, include_appendix: bool | None) -> tuple[dict[str, set[str]], list[tuple[_Node, _Node, float]]]:
    """Sibling against sibling: the tasks of each linked to another sibling's, and the links scoring ``near`` or more."""
    linked: dict[str, set[str]] = {s: set() for s in sib}
    edges: list[tuple[_Node, _Node, float]] = []
    for a_i, a in enumerate(sib):
        for b in sib[a_i + 1 :]:
            for p in corpus.compare(a, b, include_appendix).pairs:
                if p.parent and p.child:
                    linked[a].add(p.parent.id)
                    linked[b].add(p.child.id)
                    if p.score >= near:
                        edges.append(((a, p.parent.id), (b, p.child.id), p.score))
    return linked, edges


def _near_groups(corpus: Corpus, anc: str, sib: list[str], idx: dict[str, Any], edges: list[tuple[_Node, _Node, float]]) -> list[NearGroup]:
    """Near-identical tasks across siblings: tasks joined by strong sibling links (:func:`connected_groups`), in two or more plans."""
    nodes = list(dict.fromkeys(x for a, b, _ in edges for x in (a, b)))
    tasks_by = {s: {t.id: t for t in corpus.doc(s).tasks} for s in sib}
    near_groups = []
    for members in connected_groups(nodes, ((a, b) for a, b, _ in edges)):
        if len({m[0] for m in members}) < 2:
            continue
        ms = sorted(members, key=lambda m: (sib.index(m[0]), _task_sort(corpus.doc(m[0]))(m[1])))
        scores = [sc for a, b, sc in edges if a in members and b in members]
        anc_tasks = sorted({p.parent.id for m in ms for p in idx[m[0]][0].get(m[1], [])}, key=_task_sort(corpus.doc(anc)))  # type: ignore[union-attr]
        near_groups.append(NearGroup(members=[NearMember(doc=m[0], task=TaskRef.of(tasks_by[m[0]][m[1]])) for m in ms], min_score=min(scores), ancestor_tasks=anc_tasks))
    near_groups.sort(key=lambda gr: (sib.index(gr.members[0].doc), _task_sort(corpus.doc(gr.members[0].doc))(gr.members[0].task.id)))
    return near_groups


ChainNode.model_rebuild()
TraceStep.model_rebuild()
