"""The trace of one task up and down the cascade: what each level did with it."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, ClassVar, Literal
from pydantic import Field
from ..align.models import Comparison, Kind, Pair, Status, TaskRef
from ..store import Corpus
from ..errors import ComparisonError, InputError
from ..io import markdown_view
from ..models import SCHEMA_VERSION, ParsedDocument, Task
from ..normalize import shorten as _short
from ..normalize import md_cell as _md
from ._common import _M, _csv
from .graph import DocRef, LineageGraph, _Result, _docref
from .resolve import build_graph
from .settings import LineageSettings
from ..models import TaskScope


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
    """A task by id, path or label (:func:`plancompare.models.find_tasks`), with a helpful error."""
    hits = doc.find_tasks(ref)
    if len(hits) == 1:
        return hits[0]
    name = label or doc.document.label
    if len(hits) > 1:
        raise InputError(f"task '{ref}' is ambiguous in {name}: {', '.join(t.path for t in hits[:8])}")
    sample = ", ".join(t.path for t in doc.tasks[:6])
    raise InputError(f"{name} has no task '{ref}' (its {len(doc.tasks)} tasks have paths like {sample})")


def trace(corpus: Corpus, doc: str, task: str, *, include_appendix: bool | None = None, graph: LineageGraph | None = None) -> TraceResult:
    """Follow a task up to its origin and down to every descendant."""
    did = corpus.resolve(doc)
    g = graph if graph is not None and any(d.id == did for d in graph.documents) else build_graph(corpus)
    t = find_task(corpus.doc(did), task, corpus.label(did))
    notes: list[str] = []
    if t.source == "appendix" and not include_appendix:
        include_appendix = True
        notes.append("the task is in an appendix table: appendix tasks are compared too")
    tracer = _Tracer(corpus, g, include_appendix, notes)
    tracer.used.add(did)
    ups = tracer.walk(did, t.id, frozenset({did}), up=True)
    downs = tracer.walk(did, t.id, frozenset({did}), up=False)
    me = TaskRef.of(t)
    desc, dropped = _descendants(downs, did)
    docs = [_docref(corpus, i) for i in corpus.ids if i in tracer.used]
    return TraceResult(documents=docs, doc=did, task=me, up=ups, down=downs, origins=_origins(ups, did, me), descendants=desc, dropped_in=dropped, notes=notes,
                       lineage_settings=LineageSettings(scope=TaskScope.of(include_appendix)))


class _Tracer:
    """The walk of :func:`trace`: one edge at a time, up (the parent task each link comes from) or
    down (the child tasks it goes to), the comparisons made once by the corpus."""

    def __init__(self, corpus: Corpus, g: LineageGraph, include_appendix: bool | None, notes: list[str]) -> None:
        self.corpus, self.g, self.scope, self.notes = corpus, g, include_appendix, notes
        self.used: set[str] = set()

    def _index(self, parent: str, child: str) -> tuple[dict[str, list[Pair]], dict[str, list[Pair]]] | None:
        try:
            return _index(self.corpus.compare(parent, child, self.scope))
        except ComparisonError as e:
            self.notes.append(str(e))
            return None

    def walk(self, x: str, tid: str, seen: frozenset[str], up: bool) -> list[TraceStep]:
        """The steps from task ``tid`` of ``x`` over its edges up (parents) or down (children); up,
        when no parent carries it, the nearest further ancestors that do."""
        edges = [(e.parent, e) for e in self.g.parents(x)] if up else [(e.child, e) for e in self.g.children(x)]
        steps: list[TraceStep] = []
        found = False
        for other, e in edges:
            if other in seen:
                continue
            ix = self._index(e.parent, e.child)
            if ix is None:
                continue
            self.used.add(other)
            links = ix[0 if up else 1].get(tid, [])
            sub = e.substitution.cited if e.substitution else None
            if not links:
                steps.append(TraceStep(doc=other, status=Status.added if up else Status.dropped, substitution=sub))
                continue
            found = True
            steps.extend(self._linked(other, p, seen, up, substitution=sub) for p in links)
        if up and not found:
            steps.extend(self._from_ancestors(x, tid, seen))
        return steps

    def _linked(self, other: str, p: Pair, seen: frozenset[str], up: bool, **extra: Any) -> TraceStep:
        """The step to the task of ``other`` that link ``p`` joins, with the steps beyond it."""
        task = p.parent if up else p.child
        return TraceStep(doc=other, task=task, status=p.status, kinds=p.kinds, score=p.score, steps=self.walk(other, task.id, seen | {other}, up), **extra)  # type: ignore[union-attr]

    def _from_ancestors(self, x: str, tid: str, seen: frozenset[str]) -> list[TraceStep]:
        """No parent carries the task: the nearest ancestors (two or more edges up) that do, compared with ``x`` directly."""
        dist = self.g.distances_up(x)
        parents = {e.parent for e in self.g.parents(x)}
        ids = self.corpus.ids
        for level in sorted(set(dist.values())):
            if level < 2:
                continue
            hits = []
            for a in sorted((a for a, n in dist.items() if n == level and a not in parents and a not in seen), key=ids.index):
                ix = self._index(a, x)
                if ix is None:
                    continue
                for p in ix[0].get(tid, []):
                    self.used.add(a)
                    hits.append(self._linked(a, p, seen, True, via="ancestor"))
            if hits:
                return hits
        return []


def _origins(ups: list[TraceStep], did: str, me: TaskRef) -> list[TracePoint]:
    """The tops of the upward steps (the task itself when nothing above carries it), best score first."""
    origins: list[TracePoint] = []

    def collect(steps: list[TraceStep], path: list[str], score: float) -> bool:
        any_task = False
        for s in steps:
            if s.task is None:
                continue
            any_task = True
            sc = min(score, s.score)  # type: ignore[type-var]
            if not collect(s.steps, path + [s.doc], sc):
                old = next((o for o in origins if o.doc == s.doc and o.task.id == s.task.id), None)
                if old is None:
                    origins.append(TracePoint(doc=s.doc, task=s.task, path=path + [s.doc], score=sc))
                elif sc > old.score:
                    old.score, old.path = sc, path + [s.doc]
        return any_task

    if not collect(ups, [did], 1.0):
        origins.append(TracePoint(doc=did, task=me, path=[did], score=1.0))
    origins.sort(key=lambda o: -o.score)
    return origins


def _descendants(downs: list[TraceStep], did: str) -> tuple[list[TracePoint], list[str]]:
    """Every task the downward steps reach, and the plans that dropped it."""
    desc: list[TracePoint] = []
    dropped: list[str] = []

    def collect(steps: list[TraceStep], path: list[str], score: float) -> None:
        for s in steps:
            if s.task is None:
                if s.doc not in dropped:
                    dropped.append(s.doc)
                continue
            desc.append(TracePoint(doc=s.doc, task=s.task, path=path + [s.doc], score=min(score, s.score)))  # type: ignore[type-var]
            collect(s.steps, path + [s.doc], min(score, s.score))  # type: ignore[type-var]

    collect(downs, [did], 1.0)
    return desc, dropped
