"""What each level dropped from the top: every top task, which plans carried it, which dropped it."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, ClassVar, Literal
from pydantic import Field
from ..align.models import TaskRef
from ..store import Corpus
from ..errors import InputError
from ..io import markdown_view
from ..models import SCHEMA_VERSION, ParsedDocument, Task
from ..normalize import shorten as _short
from ..normalize import md_cell as _md
from ._common import NATIONAL_LEVELS, _M, _csv
from .graph import DocRef, LineageGraph, _Result, _docref
from .resolve import build_graph
from .survival import Carried, Link, carry
from .trace import _index
from .settings import LineageSettings
from ..models import TaskScope


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
    plans, top_ids = _plans_and_tops(corpus, g, given, tops)
    tasks_out = _top_tasks(corpus, g, plans, top_ids, include_appendix)
    sections, totals = _by_section(top_ids, tasks_out)
    per_plan = []
    for p in plans:
        carried = sum(1 for t in tasks_out if any(c.doc == p for c in t.carriers))
        lost = sum(1 for t in tasks_out if p in t.lost_at)
        per_plan.append(PlanReach(doc=p, carried=carried, lost=lost, share=round(carried / max(1, len(tasks_out)), 3)))
    used = set(plans) | set(top_ids)
    return TopDrops(lineage_settings=LineageSettings(scope=TaskScope.of(include_appendix)), documents=[_docref(corpus, i) for i in corpus.ids if i in used], plans=plans, tops=top_ids,
                    tasks=tasks_out, sections=sections, per_plan=per_plan, totals=totals)


def _plans_and_tops(corpus: Corpus, g: LineageGraph, given: list[str], tops: list[str] | None) -> tuple[list[str], list[str]]:
    """The plans examined (those given and their non-national ancestors, in corpus order) and the top
    documents (those named, else the national ancestors, else the roots above)."""
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
    return plans, top_ids


def _top_tasks(corpus: Corpus, g: LineageGraph, plans: list[str], top_ids: list[str], include_appendix: bool | None) -> list[TopTask]:
    """Each task of each top document: the plans that carry it (compared with the top directly, or
    followed down the chain) and those that lost it (a parent carried it, they do not)."""
    allowed = set(plans) | set(top_ids)
    for p in plans:
        allowed |= set(g.ancestors(p))
    topo = [i for i in corpus.ids if i in allowed]  # ordered by level: parents before children
    tasks_out: list[TopTask] = []
    links_of = _EdgeLinks(corpus, include_appendix)
    for top_id in top_ids:
        direct = {p: _index(corpus.compare(top_id, p, include_appendix))[1] for p in plans}
        for top_task in _compared_tasks(corpus.doc(top_id), include_appendix):
            reach = _reach(g, topo, allowed, top_id, top_task.id, links_of)
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
            tasks_out.append(TopTask(top=top_id, task=TaskRef.of(top_task), carried=bool(carriers), carriers=carriers, lost_at=lost))
    return tasks_out


def _by_section(top_ids: list[str], tasks_out: list[TopTask]) -> tuple[list[TopSection], dict[str, dict[str, float]]]:
    """Per section of each top document, and per top document: tasks never carried, and their share."""
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
    return sections, totals


class _EdgeLinks:
    """The links of each compared edge by parent task id (:data:`~.survival.Link`), compared once."""

    def __init__(self, corpus: Corpus, include_appendix: bool | None) -> None:
        self.corpus, self.scope = corpus, include_appendix
        self._links: dict[tuple[str, str], dict[str, list[Link]]] = {}

    def __call__(self, parent: str, child: str) -> dict[str, list[Link]]:
        k = (parent, child)
        if k not in self._links:
            by_parent = _index(self.corpus.compare(parent, child, self.scope))[1]
            self._links[k] = {tid: [(p.child.id, p.status, p.score) for p in ps if p.child is not None] for tid, ps in by_parent.items()}
        return self._links[k]


def _reach(g: LineageGraph, topo: list[str], allowed: set[str], top_id: str, task_id: str, links_of: _EdgeLinks) -> dict[str, set[str]]:
    """The tasks of each plan that carry a top task, followed link by link down every parent edge
    (:func:`~.survival.carry` on each; a plan with several parents carries what any of them passes on)."""
    reach: dict[str, set[str]] = {top_id: {task_id}}
    for x in topo:
        if x == top_id:
            continue
        got: set[str] = set()
        for e in g.parents(x):
            if reach.get(e.parent) and e.parent in allowed:
                got.update(carry(Carried(tuple(reach[e.parent]), "copied"), links_of(e.parent, x)).tasks)
        if got:
            reach[x] = got
    return reach


def _compared_tasks(doc: ParsedDocument, include_appendix: bool | None) -> list[Task]:
    body = [t for t in doc.tasks if t.source == "body"]
    if include_appendix or not body:
        return body + [t for t in doc.tasks if t.source == "appendix"]
    return body


def _task_sort(doc: ParsedDocument) -> Any:
    order = {t.id: n for n, t in enumerate(doc.tasks)}
    return lambda tid: order.get(tid, 10**6)


