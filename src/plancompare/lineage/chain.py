"""The chain of a document: its ancestors and descendants, each edge with its diff summary."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, ClassVar
from pydantic import Field
from ..store import Corpus
from ..errors import ComparisonError
from ..io import markdown_view
from ..models import SCHEMA_VERSION
from ..normalize import md_cell as _md
from ._common import _M, _csv
from .graph import DocRef, Edge, EdgeSummary, LineageGraph, MissingLink, _Result
from .resolve import build_graph
from .settings import LineageSettings
from ..models import TaskScope


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
    parents_of: dict[str, list[Edge]] = defaultdict(list)
    children_of: dict[str, list[Edge]] = defaultdict(list)
    for e in edges:
        parents_of[e.child].append(e)
        children_of[e.parent].append(e)
    # a document with several parents is expanded under its primary parent (the one batch compares it with)
    primary = {c: g.primary_parent(c, ps).parent for c, ps in parents_of.items()}  # type: ignore[union-attr]
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
    return ChainResult(focus=focus, documents=docs, edges=edges, missing=missing, tree=tree, warnings=warnings, lineage_settings=LineageSettings(scope=TaskScope.of(include_appendix)))


