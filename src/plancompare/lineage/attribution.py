"""Attribution of a child's tasks to several parents: which parent each task came from."""

from __future__ import annotations

from typing import Any, ClassVar, Iterable
from pydantic import Field
from ..align.models import Comparison, Kind, Status, TaskRef
from ..store import Corpus, doc_id, doc_label
from ..errors import InputError
from ..io import markdown_view
from ..models import SCHEMA_VERSION, ParsedDocument, TaskScope
from ..normalize import shorten as _short
from ..normalize import md_cell as _md
from ._common import _M, _csv
from .graph import DocRef, _Result
from .settings import DEFAULT as LINEAGE, LineageSettings


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


def attribute(child: ParsedDocument, parents: list[ParsedDocument], *, include_appendix: bool | None = None, margin: float = LINEAGE.margin, corpus: Corpus | None = None) -> Attribution:
    """Attribute each task of ``child`` to the parent it came from (best link score), or to none."""
    if not parents:
        raise InputError("give at least one parent plan")
    cid = doc_id(child)
    pids, pdocs = _distinct_parents(cid, parents)
    comps = _comparisons(child, cid, pids, pdocs, include_appendix, corpus)
    out = [_attribute_task(ct, pids, comps, margin) for ct in _linked_child_tasks(child, comps)]
    return Attribution(
        child=DocRef.of(cid, child),
        parents=[DocRef.of(pid, p) for pid, p in zip(pids, pdocs)],
        tasks=out,
        per_parent=_shares(pids, comps, out),
        unattributed=sum(1 for t in out if t.parent is None),
        settings={"margin": margin, "include_appendix": str(include_appendix)},
        lineage_settings=LineageSettings(scope=TaskScope.of(include_appendix), margin=margin),
    )


def _distinct_parents(cid: str, parents: list[ParsedDocument]) -> tuple[list[str], list[ParsedDocument]]:
    """The parents' ids and documents, each once, in the order given; the child given as a parent is an error."""
    pids: list[str] = []
    pdocs: list[ParsedDocument] = []
    for p in parents:
        pid = doc_id(p)
        if pid == cid:
            raise InputError(f"{doc_label(p.document)} is given both as the child and as a parent")
        if pid not in pids:
            pids.append(pid)
            pdocs.append(p)
    return pids, pdocs


def _comparisons(child: ParsedDocument, cid: str, pids: list[str], pdocs: list[ParsedDocument], include_appendix: bool | None, corpus: Corpus | None) -> list[Comparison]:
    """The child compared with each parent (the corpus's cached comparison when both are in it)."""
    from ..align import compare

    comps: list[Comparison] = []
    for pid, p in zip(pids, pdocs):
        if corpus is not None and pid in corpus.ids and cid in corpus.ids:
            comps.append(corpus.compare(pid, cid, include_appendix))
        else:
            comps.append(compare(p, child, scope=TaskScope.of(include_appendix)))
    return comps


def _linked_child_tasks(child: ParsedDocument, comps: list[Comparison]) -> list[TaskRef]:
    """Every child task of the comparisons, once, in the child's order."""
    child_tasks: list[TaskRef] = []
    seen: set[str] = set()
    for c in comps:
        for pr in c.pairs:
            if pr.child and pr.child.id not in seen:
                seen.add(pr.child.id)
                child_tasks.append(pr.child)
    order = {t.id: n for n, t in enumerate(child.tasks)}
    child_tasks.sort(key=lambda t: order.get(t.id, 10**6))
    return child_tasks


def _attribute_task(ct: TaskRef, pids: list[str], comps: list[Comparison], margin: float) -> AttributedTask:
    """One child task: the parent with the best link wins (the earlier parent on a tie); ambiguous within ``margin``."""
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
        return AttributedTask(child=ct, parent=None, status=Status.added)
    cands.sort(key=lambda x: (-x[0].score, x[1]))
    win = cands[0][0]
    alts = [c for c, _ in cands[1:]]
    return AttributedTask(child=ct, parent=win.parent, parent_tasks=win.tasks, status=win.status, kinds=win.kinds, score=win.score, alternatives=alts, ambiguous=bool(alts) and win.score - alts[0].score < margin)


def _shares(pids: list[str], comps: list[Comparison], out: list[AttributedTask]) -> list[ParentShare]:
    """Per parent: the tasks attributed to it, their share of the child's tasks, its links and coverage."""
    n = max(1, len(out))
    shares = []
    for pid, c in zip(pids, comps):
        k = sum(1 for t in out if t.parent == pid)
        linked = len({p.child.id for p in c.pairs if p.child and p.parent})
        shares.append(ParentShare(parent=pid, attributed=k, share=round(k / n, 3), linked=linked, parent_tasks=c.summary.parent_tasks, coverage=c.summary.coverage))
    return shares


