"""Terminal views (rich) of the corpus and lineage results. Imported only when a table view is asked for."""

from __future__ import annotations

from typing import Any

from rich.console import Console

from .common import console as _stdout_console


def _stdout() -> Console:
    return _stdout_console()
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ..align.models import Status
from ..store import ScanReport
from ..lineage import Attribution, ChainNode, ChainResult, IndicatorTable, SiblingsResult, TopDrops, TraceResult, TraceStep, targets_text
from ..normalize import shorten

STATUS_STYLE = {"copied": "green", "changed": "yellow", "dropped": "red", "added": "cyan"}


def _short(t: str | None, n: int = 100) -> str:
    return shorten(t, n)


def _con(console: Console | None) -> Console:
    return console or _stdout()


# ---------------------------------------------------------------- corpus scan


def render_scan(rep: ScanReport, console: Console | None = None) -> None:
    con = _con(console)
    con.print(Text(f"corpus {rep.root}: {len(rep.files)} files — {rep.parsed} parsed, {rep.reused} reused, {rep.errors} errors ({rep.seconds:.2f} s); store {rep.store or '—'}", style="bold"))
    t = Table(show_header=True, header_style="bold")
    t.add_column("file", overflow="fold")
    for c in ("number", "level", "date", "tasks", "ind.", "status"):
        t.add_column(c, justify="right" if c in ("tasks", "ind.") else "left", no_wrap=True)
    for f in rep.files:
        st = Text(f.status + (" (manifest)" if f.manifest else ""), style={"parsed": "yellow", "reused": "green", "error": "red"}.get(f.status, "dim"))
        if f.error:
            st.append("\n" + f.error, style="red")
        t.add_row(f.file, f.number or "—", (f.level or "").replace("provincial_", "prov. "), str(f.issue_date or ""), str(f.tasks), str(f.indicators), st)
    con.print(t)
    for w in rep.warnings:
        con.print(Text("warning: " + w, style="yellow"))
    if rep.removed:
        con.print(Text("no longer in the folder: " + ", ".join(rep.removed), style="dim"))


# ---------------------------------------------------------------- chain


def _doc_text(res: Any, did: str) -> Text:
    d = next(x for x in res.documents if x.id == did)
    t = Text(d.label, style="bold")
    extra = [d.level.value]
    if d.issue_date:
        extra.append(str(d.issue_date))
    if d.place:
        extra.append(d.place)
    t.append("  " + " · ".join(extra), style="dim")
    return t


def render_chain(res: ChainResult, console: Console | None = None) -> None:
    con = _con(console)
    root = Tree(Text("chain" + (f" of {res.label(res.focus)}" if res.focus else ""), style="bold"))

    def add(parent: Tree, n: ChainNode) -> None:
        label = _doc_text(res, n.doc)
        if n.edge is not None:
            e = n.edge
            label.append("\n  ← " + e.relation, style="blue")
            if e.substitution:
                label.append(f"  substitution: stands in for {e.substitution.cited} (which amends it)", style="magenta")
            if e.summary:
                s = e.summary
                label.append(f"  coverage {s.coverage:.0%}", style="bold")
                label.append(f"  copied {s.copied}", style="green")
                label.append(f"  changed {s.changed}", style="yellow")
                label.append(f"  dropped {s.dropped}", style="red")
                label.append(f"  added {s.added}", style="cyan")
            if e.note:
                label.append(f"\n  note: {e.note}", style="dim")
        if n.repeated:
            label.append(f"  (see under {res.label(n.shown_under)})" if n.shown_under else "  (shown above)", style="dim italic")
        node = parent.add(label)
        for m in n.missing:
            mt = Text(f"⚠ missing link: {m.number}", style="red")
            if m.date:
                mt.append(f" ({m.date:%d/%m/%Y})", style="red")
            mt.append(" not in the corpus", style="red")
            if m.stands_in:
                mt.append(f"; {res.label(m.stands_in)} stands in for it", style="magenta")
            if m.via:
                mt.append(f"; cited via {res.label(m.via)}", style="dim")
            node.add(mt)
        for ch in n.children:
            add(node, ch)

    for n in res.tree:
        add(root, n)
    con.print(root)
    for w in res.warnings:
        con.print(Text("warning: " + w, style="yellow"))


# ---------------------------------------------------------------- trace


def _step_text(res: TraceResult, s: TraceStep, arrow: str) -> Text:
    t = Text(f"{arrow} ")
    t.append(res.label(s.doc), style="bold")
    if s.substitution:
        t.append(f" (stands in for {s.substitution})", style="magenta")
    if s.via == "ancestor":
        t.append(" [found further up: no parent carries it]", style="magenta")
    t.append("  ")
    t.append(s.status.value, style=STATUS_STYLE[s.status.value])
    if s.kinds:
        t.append(" (" + ", ".join(k.value for k in s.kinds) + ")", style="dim")
    if s.score:
        t.append(f" {s.score:.2f}", style="dim")
    if s.task is not None:
        t.append(f"\n{s.task.path}: ", style="bold")
        t.append(_short(s.task.text, 140))
    else:
        t.append("  not in this document" if s.status == Status.added else "  dropped here", style="dim")
    return t


def render_trace(res: TraceResult, console: Console | None = None) -> None:
    con = _con(console)
    head = Text(f"{res.label(res.doc)} {res.task.path}", style="bold")
    head.append("\n" + _short(res.task.text, 200))
    tree = Tree(head)
    up = tree.add(Text("↑ up (where it came from)", style="bold blue"))
    down = tree.add(Text("↓ down (where it went)", style="bold blue"))

    def add(node: Tree, steps: list[TraceStep], arrow: str) -> None:
        for s in steps:
            add(node.add(_step_text(res, s, arrow)), s.steps, arrow)

    add(up, res.up, "↑")
    add(down, res.down, "↓")
    if not res.up:
        up.add(Text("no parent in the corpus", style="dim"))
    if not res.down:
        down.add(Text("no child in the corpus", style="dim"))
    con.print(tree)
    o = Text("origin: ", style="bold")
    o.append("; ".join(f"{res.label(x.doc)} {x.task.path} ({x.score:.2f})" for x in res.origins))
    con.print(o)
    if res.dropped_in:
        con.print(Text("dropped in: " + ", ".join(res.label(d) for d in res.dropped_in), style="red"))
    for n in res.notes:
        con.print(Text("note: " + n, style="dim"))


# ---------------------------------------------------------------- attribution (diff --parents)


def render_attribution(res: Attribution, console: Console | None = None) -> None:
    con = _con(console)
    con.print(Text(f"{res.child.label} ← " + ", ".join(p.label for p in res.parents), style="bold"))
    s = Table(show_header=True, header_style="bold")
    for c in ("parent", "attributed", "share", "linked", "parent tasks", "parent coverage"):
        s.add_column(c, justify="left" if c == "parent" else "right")
    for p in res.per_parent:
        s.add_row(res.label(p.parent), str(p.attributed), f"{p.share:.0%}", str(p.linked), str(p.parent_tasks), f"{p.coverage:.0%}")
    s.add_row(Text("none (own tasks)", style="cyan"), str(res.unattributed), f"{res.unattributed / max(1, len(res.tasks)):.0%}", "", "", "")
    con.print(s)
    t = Table(show_header=True, header_style="bold", show_lines=True, expand=True)
    t.add_column("child task", ratio=2)
    t.add_column("from", max_width=16)
    t.add_column("parent task", ratio=2)
    t.add_column("also", ratio=1)
    for a in res.tasks:
        child = Text(f"{a.child.path} ", style="bold")
        child.append(_short(a.child.text, 160))
        src = Text(res.label(a.parent) if a.parent else "none", style="bold" if a.parent else "cyan")
        src.append("\n" + a.status.value, style=STATUS_STYLE[a.status.value])
        if a.kinds:
            src.append("\n" + ", ".join(k.value for k in a.kinds), style="dim")
        if a.score:
            src.append(f"\n{a.score:.2f}", style="dim")
        if a.ambiguous:
            src.append("\nambiguous", style="magenta")
        par = Text()
        for x in a.parent_tasks:
            par.append(f"{x.path} ", style="bold")
            par.append(_short(x.text, 160) + "\n")
        also = Text("\n".join(f"{res.label(c.parent)} {','.join(x.path for x in c.tasks)} {c.score:.2f}" for c in a.alternatives), style="dim")
        t.add_row(child, src, par, also)
    con.print(t)


# ---------------------------------------------------------------- dropped from the top


def render_dropped(res: TopDrops, console: Console | None = None) -> None:
    con = _con(console)
    con.print(Text("plans: " + ", ".join(res.label(p) for p in res.plans), style="bold"))
    for top, v in res.totals.items():
        con.print(Text(f"{res.label(top)}: {int(v['never_carried'])} of {int(v['tasks'])} tasks never carried ({v['share_never_carried']:.0%})", style="bold red"))
    s = Table(title="share never carried, per section of the top document", show_header=True, header_style="bold")
    for c in ("top", "section", "tasks", "never carried", "share"):
        s.add_column(c, justify="right" if c in ("tasks", "never carried", "share") else "left")
    for x in res.sections:
        s.add_row(res.label(x.top), _short(f"{x.section_path or ''} {x.section_title or ''}", 70), str(x.tasks), str(x.never_carried), f"{x.share_never_carried:.0%}")
    con.print(s)
    p = Table(title="per plan", show_header=True, header_style="bold")
    for c in ("plan", "carries", "lost (its parent had it)", "share of top tasks"):
        p.add_column(c, justify="left" if c == "plan" else "right")
    for x in res.per_plan:
        p.add_row(res.label(x.doc), str(x.carried), str(x.lost), f"{x.share:.0%}")
    con.print(p)
    t = Table(title="never carried", show_header=True, header_style="bold", expand=True)
    t.add_column("top", no_wrap=True)
    t.add_column("task", no_wrap=True)
    t.add_column("text", ratio=1)
    for x in res.never_carried():
        t.add_row(res.label(x.top), x.task.path, _short(x.task.text, 220))
    con.print(t)


# ---------------------------------------------------------------- indicators


def render_indicators(res: IndicatorTable, console: Console | None = None) -> None:
    con = _con(console)
    t = Table(title="indicators side by side (score: name match 0-100 / word overlap 0-1)", show_header=True, header_style="bold", show_lines=True, expand=True)
    t.add_column("indicator", ratio=2)
    if res.parent:
        t.add_column(f"{res.label(res.parent)} (parent)", ratio=1)
    for c in res.columns:
        t.add_column(res.label(c), ratio=1)
    for r in res.rows:
        cells: list[Any] = [Text(_short(r.name, 90) + (f" [{r.unit}]" if r.unit else ""))]
        if res.parent:
            cells.append(Text(targets_text(r.parent.targets), style="bold") if r.parent else Text("—", style="dim"))
        for did, c in zip(res.columns, r.cells):
            if c is None:
                cells.append(Text("missing", style="bold red") if did in r.missing_in else Text("—", style="dim"))
                continue
            x = Text(targets_text(c.targets))
            if c.score < 100 or c.overlap < 1:
                x.append(f"\n{_short(c.name, 60)} ({c.score:.0f}/{c.overlap:.2f})", style="dim")
            if c.flags:
                x.append("\n" + ", ".join(c.flags), style="bold red" if ("weaker_value" in c.flags or "later_year" in c.flags) else "dim")
            cells.append(x)
        t.add_row(*cells)
    con.print(t)
    for n in res.notes:
        con.print(Text("note: " + n, style="dim"))


# ---------------------------------------------------------------- siblings


def render_siblings(res: SiblingsResult, console: Console | None = None, parts: tuple[str, ...] = SiblingsResult.PARTS) -> None:
    con = _con(console)
    con.print(Text("siblings: " + ", ".join(res.label(s) for s in res.siblings) + " — common ancestor: " + ", ".join(res.label(a) for a in res.ancestors), style="bold"))
    if "summary" in parts:
        s = Table(show_header=True, header_style="bold")
        for c in ("plan", "copied", "changed", "dropped", "coverage", "own tasks"):
            s.add_column(c, justify="left" if c == "plan" else "right")
        for x in res.summary:
            s.add_row(res.label(x.doc), str(x.copied), str(x.changed), str(x.dropped), f"{x.coverage:.0%}", str(x.own_tasks))
        con.print(s)
    if "sections" in parts:
        s = Table(title="ancestor tasks kept, per section", show_header=True, header_style="bold")
        s.add_column("section")
        s.add_column("tasks", justify="right")
        for sib in res.siblings:
            s.add_column(res.label(sib), justify="right")
        for x in res.sections:
            s.add_row(_short(f"{x.section_path or ''} {x.section_title or ''}", 60), str(x.tasks), *(f"{x.kept[sib]} ({x.kept[sib] / max(1, x.tasks):.0%})" for sib in res.siblings))
        con.print(s)
    if "coverage" in parts:
        t = Table(title="coverage matrix: what each plan did with the ancestor's tasks", show_header=True, header_style="bold", expand=True)
        t.add_column("ancestor task", ratio=3)
        for sib in res.siblings:
            t.add_column(res.label(sib), ratio=1)
        for r in res.coverage:
            row: list[Any] = [Text(f"{r.task.path} ", style="bold") + Text(_short(r.task.text, 90))]
            for c in r.cells:
                x = Text(c.status, style=STATUS_STYLE[c.status])
                if c.tasks:
                    x.append(" " + ", ".join(tk.path for tk in c.tasks), style="dim")
                row.append(x)
            t.add_row(*row)
        con.print(t)
    if "only" in parts:
        t = Table(title="tasks only one plan has", show_header=True, header_style="bold", expand=True)
        t.add_column("plan", no_wrap=True)
        t.add_column("task", no_wrap=True)
        t.add_column("from ancestor", no_wrap=True)
        t.add_column("text", ratio=1)
        for o in res.only_in:
            t.add_row(res.label(o.doc), o.task.path, ", ".join(o.from_ancestor) or "own", _short(o.task.text, 160))
        con.print(t)
    if "near" in parts:
        t = Table(title="near-identical tasks across plans", show_header=True, header_style="bold", expand=True)
        t.add_column("tasks", no_wrap=True)
        t.add_column("min score", justify="right")
        t.add_column("ancestor task", no_wrap=True)
        t.add_column("text", ratio=1)
        for g in res.near_identical:
            t.add_row("\n".join(f"{res.label(m.doc)} {m.task.path}" for m in g.members), f"{g.min_score:.2f}", ", ".join(g.ancestor_tasks), _short(g.members[0].task.text, 160))
        con.print(t)
    if "indicators" in parts and res.indicators is not None:
        render_indicators(res.indicators, con)
