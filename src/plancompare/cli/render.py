"""Terminal views (rich). Imported only when a table view is asked for."""

from __future__ import annotations

from typing import Any

from rich.console import Console

from .common import console as _stdout_console


def _stdout() -> Console:
    return _stdout_console()
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ..align.models import STATUS_NAMES, Comparison, Pair, Status
from ..models import ParsedDocument
from ..normalize import shorten as _short

STATUS_STYLE = {Status.copied: "green", Status.changed: "yellow", Status.dropped: "red", Status.added: "cyan"}


def render_parsed(doc: ParsedDocument, console: Console | None = None) -> None:
    con = console or _stdout()
    d = doc.document
    head = f"{d.kind or 'Văn bản'} {d.number or '(không số)'} — {d.issuer or '?'} — {d.issue_date or '?'}"
    tree = Tree(Text(head, style="bold"))
    tree.add(Text(f"{d.level.value} · {d.place or '-'} · layout {d.layout} · {len(doc.tasks)} tasks · {len(doc.all_indicators())} indicators · {len(doc.objectives)} objectives ({sum(o.kind == 'specific' for o in doc.objectives)} specific) · {len(doc.assignments)} assignments", style="dim"))
    if doc.references:
        refs = tree.add("references")
        for r in doc.references:
            refs.add(f"{r.relation}: {r.kind or ''} {r.number or ''} {r.date or ''} {r.issuer or ''}".strip())
    nodes: dict[str | None, Any] = {None: tree}
    for s in doc.sections:
        parent = nodes.get(s.parent_id, tree)
        label = f"{s.number or ''} {s.title or '[tiêu đề bị mất — suy ra]'}".strip()
        nodes[s.id] = parent.add(Text(label[:120], style="bold blue" if s.depth == 0 else "blue"))
    for t in doc.tasks:
        parent = nodes.get(t.section_id, tree)
        extra = []
        if t.lead:
            extra.append(f"chủ trì: {t.lead}")
        if t.deadline:
            extra.append(f"thời hạn: {t.deadline}")
        if t.duplicate_of:
            extra.append(f"trùng {t.duplicate_of}")
        txt = Text(f"{t.label or ''}) " if t.marker == "letter" else f"{t.label or ''} ", style="bold")
        txt.append(_short(t.text, 110))
        if extra:
            txt.append("  [" + "; ".join(extra) + "]", style="dim")
        parent.add(txt)
    if doc.all_indicators():
        ind = tree.add(Text(f"chỉ tiêu ({len(doc.all_indicators())})", style="bold magenta"))
        for i in doc.all_indicators():
            tg = ", ".join(f"{t.period or ''}: {t.raw}" for t in i.targets)
            ind.add(f"{i.label or ''} {_short(i.name, 70)} — {tg}")
    if doc.problems:
        pr = tree.add(Text(f"problems ({len(doc.problems)})", style="bold red"))
        for p in doc.problems:
            pr.add(f"[{p.severity}] {p.code}: {p.message}")
    con.print(tree)


CONTEXT = 8  # words of unchanged text kept around each change in the terminal (JSON, CSV, HTML keep all)


def _context(text: str, head: bool, tail: bool) -> str:
    """Unchanged text between changes, shortened to its ends: the terminal shows the edits."""
    words = text.split()
    keep_head = CONTEXT if head else 0  # words right after the previous change
    keep_tail = CONTEXT if tail else 0  # words right before the next change
    if len(words) <= keep_head + keep_tail + 3:
        return text
    return " ".join(words[:keep_head] + ["…"] + words[len(words) - keep_tail:])


def _side(p: Pair, side: str) -> Text:
    task = p.parent if side == "parent" else p.child
    if task is None:
        return Text("—", style="dim")
    out = Text(f"{task.path} ", style="bold")
    if p.status == Status.copied:
        out.append(_short(task.text, 90), style="dim")  # the same text on both sides: one line is enough
    elif p.status == Status.changed and p.diff:
        last = len(p.diff) - 1
        for i, d in enumerate(p.diff):
            if d.op == "equal":
                words = d.parent_text if side == "parent" and d.parent_text else d.text
                out.append(_context(words, head=i > 0, tail=i < last) + " ")
            elif d.op == "delete" and side == "parent":
                out.append(d.text + " ", style="bold red strike")
            elif d.op == "insert" and side == "child":
                out.append(d.text + " ", style="bold green underline")
    else:
        out.append(task.text)
    return out


def render_comparison(cmp: Comparison, console: Console | None = None, lang: str = "en") -> None:
    """The comparison on a terminal, in English (default) or Vietnamese (``lang="vi"``)."""
    con = console or _stdout()
    _render_summary(con, cmp, lang)
    _render_sections(con, cmp, lang)
    _render_changed(con, cmp, lang)
    _render_related(con, cmp, lang)
    for status in (Status.dropped, Status.added, Status.copied):
        _render_status_list(con, cmp, status, lang)
    for record, pairs in cmp.records()[1:]:  # diff --all: objectives, assignments
        _render_records(con, record, pairs, lang)


def _render_summary(con: Console, cmp: Comparison, lang: str) -> None:
    """The heading line (coverage) and the table of counts per status and per kind."""
    from ..i18n import fmt_pct, gettext_for, kind_label, status_label

    _ = gettext_for(lang)
    s = cmp.summary
    head = _("{parent} → {child}: coverage {coverage} of {parent_tasks} parent tasks ({child_tasks} child tasks)")
    con.print(Text(head.format(parent=cmp.parent.label, child=cmp.child.label, coverage=fmt_pct(s.coverage, lang), parent_tasks=s.parent_tasks, child_tasks=s.child_tasks), style="bold"))
    st = Table(show_header=True, header_style="bold")
    for k in STATUS_NAMES:
        st.add_column(status_label(k, lang), justify="right", style=STATUS_STYLE[Status(k)])
    st.add_column(_("kinds"))
    st.add_row(*(str(s.statuses.get(k, 0)) for k in STATUS_NAMES), ", ".join(f"{kind_label(k, lang)} {v}" for k, v in sorted(s.kinds.items())))
    con.print(st)


def _render_sections(con: Console, cmp: Comparison, lang: str) -> None:
    """Coverage per parent section."""
    from ..i18n import fmt_pct, gettext_for, status_label

    _ = gettext_for(lang)
    s = cmp.summary
    caption = _("* heading lost in the parent plan: named after the child's section") if any(x.title_from_child for x in s.sections) else None
    sec = Table(title=_("per parent section"), caption=caption, show_header=True, header_style="bold")
    for c, name in (("section", _("section")), ("tasks", _("tasks")), ("copied", status_label("copied", lang)), ("changed", status_label("changed", lang)), ("dropped", status_label("dropped", lang)), ("coverage", _("coverage"))):
        sec.add_column(name, justify="right" if c != "section" else "left")
    for x in s.sections:
        sec.add_row(_short(f"{x.section_path or ''}{'*' if x.title_from_child else ''} {x.section_title or ''}", 60), str(x.parent_tasks), str(x.copied), str(x.changed), str(x.dropped), fmt_pct(x.coverage, lang))
    con.print(sec)


def _render_changed(con: Console, cmp: Comparison, lang: str) -> None:
    """The evidence: parent and child side by side, deletions struck through in red, insertions in green."""
    from ..i18n import gettext_for, kind_label, status_label

    _ = gettext_for(lang)
    changed = [p for p in cmp.pairs if p.status == Status.changed]
    if not changed:
        return
    t = Table(title=f"{status_label('changed', lang)} ({len(changed)})", show_header=True, header_style="bold", show_lines=True, expand=True)
    t.add_column(_("kinds"), no_wrap=True)
    t.add_column(_("parent"), ratio=1)
    t.add_column(_("child"), ratio=1)
    for p in changed:
        label = Text("\n".join(kind_label(k, lang) for k in p.kinds), style="yellow")
        if p.target_changes:
            label.append("\n" + "; ".join(f"{r.old}→{r.new}" for r in p.target_changes), style="magenta")
        label.append(f"\n{p.score:.2f}", style="dim")
        label.append("\n" + _("confidence {value}").format(value=f"{p.confidence:.2f}") + f" {p.confidence_label}", style="dim" if p.confidence >= 0.9 else "bold")
        t.add_row(label, _side(p, "parent"), _side(p, "child"))
    con.print(t)


def _render_related(con: Console, cmp: Comparison, lang: str) -> None:
    """Weak counterparts: shown with their diff, but the task still counts as dropped (added)."""
    from ..i18n import gettext_for, status_label

    _ = gettext_for(lang)
    related = [p for p in cmp.pairs if p.related is not None]
    if not related:
        return
    t = Table(title=_("related ({n}): weak evidence, not counted as carried").format(n=len(related)), show_header=True, header_style="bold", show_lines=True, expand=True)
    t.add_column(_("status"), no_wrap=True)
    t.add_column(_("parent"), ratio=1)
    t.add_column(_("child"), ratio=1)
    for p in related:
        r = p.related
        view = Pair(status=Status.changed, score=r.score, parent=r.parent, child=r.child, diff=r.diff)
        label = Text(f"{status_label(p.status, lang)}\n{_('related')}\n" + _("confidence {value}").format(value=f"{r.confidence:.2f}") + f" {p.confidence_label}", style=STATUS_STYLE[p.status])
        t.add_row(label, _side(view, "parent"), _side(view, "child"))
    con.print(t)


def _render_status_list(con: Console, cmp: Comparison, status: Status, lang: str) -> None:
    """The dropped, added or copied tasks, one line each (copied: both paths and the text once)."""
    from ..i18n import kind_label, status_label

    rows = [p for p in cmp.pairs if p.status == status]
    if not rows:
        return
    out = Text(f"{status_label(status, lang)} ({len(rows)})\n", style=f"bold {STATUS_STYLE[status]}")
    for p in rows:
        if status == Status.copied:  # the same text on both sides: one line each
            out.append(f"  {p.parent.path} = {p.child.path}", style="bold")
            if p.kinds:
                out.append(f" [{', '.join(kind_label(k, lang) for k in p.kinds)}]", style="dim")
            out.append(f"  {_short(p.child.text, 80)}\n", style="dim")
        else:
            task = p.parent if status == Status.dropped else p.child
            out.append(f"  {task.path} ", style="bold")
            if p.related:
                out.append(f"— {p.related_note} ", style="italic")
            out.append(" ".join(task.text.split()) + "\n")
    con.print(out)


def _render_records(con: Console, record: str, pairs: list[Pair], lang: str) -> None:
    """Objectives or assignments compared (diff --all): one line per pair, by status."""
    from ..i18n import gettext_for, status_label

    _ = gettext_for(lang)
    counts = ", ".join(f"{status_label(s, lang)} {sum(1 for p in pairs if p.status == Status(s))}" for s in STATUS_NAMES)
    title = {"objective": _("objectives"), "assignment": _("assignments")}.get(record, record)
    out = Text(f"{title} ({len(pairs)}): {counts}\n", style="bold")
    for p in pairs:
        ends = " → ".join(t.path for t in (p.parent, p.child) if t is not None)
        out.append(f"  {status_label(p.status, lang)} ", style=STATUS_STYLE[p.status])
        out.append(f"{ends}  ", style="bold")
        out.append(_short((p.child or p.parent).text, 100) + "\n")
    con.print(out)


def render_gaps(gaps: Any, console: Console | None = None) -> None:
    """The gap list on a terminal (its language: ``gaps.lang``)."""
    from ..i18n import gettext_for, kind_label, ngettext_for, status_label

    lang = gaps.lang
    _ = gettext_for(lang)
    n_ = ngettext_for(lang)
    style = {"dropped": "red", "changed": "yellow"}
    rows = gaps.rows
    title = f"{gaps.parent} → {gaps.child}: " + n_("{n} gap", "{n} gaps", len(rows)).format(n=len(rows))
    t = Table(show_header=True, header_style="bold", show_lines=True, expand=True, title=title)
    t.add_column(_("section"), ratio=1)
    t.add_column(_("task"), no_wrap=True)
    t.add_column(_("status"))
    t.add_column(_("parent text"), ratio=3)
    t.add_column(_("changed words"), ratio=2)
    t.add_column(_("lead"), ratio=1)
    for r in rows:
        words = Text()
        if r.deleted_words:
            words.append("− " + r.deleted_words, style="red")
        if r.inserted_words:
            words.append(("\n" if r.deleted_words else "") + "+ " + r.inserted_words, style="green")
        kinds = "\n".join(kind_label(k, lang) for k in r.kinds.split(";") if k)
        t.add_row(r.section[:40], r.parent_id.removeprefix("T:"), Text(status_label(r.status, lang) + ("\n" + kinds if kinds else ""), style=style.get(r.status, "")), r.parent_text, words, r.lead)
    (console or _stdout()).print(t)


def render_parsed_all(docs: Any, console: Console | None = None) -> None:
    """Several parsed documents, one tree each."""
    for d in docs.documents:
        render_parsed(d, console)


def render_survey(r: Any, console: Console | None = None, limit: int = 30) -> None:
    """The survey on a terminal: the first ``limit`` rows of each table (0: all)."""
    import sys

    con = console or _stdout()
    con.print(f"[bold]{r.documents}[/] plans: {r.provinces} provincial, {r.communes} commune. Top documents: {', '.join(r.tops) or '—'}")

    def cap(items: list[Any]) -> list[Any]:
        return items if not limit else items[:limit]

    t = Table(title=f"Tasks of the top documents ({len(r.tasks)}; share of plans below: copied / changed / dropped / not received)")
    for c in ("top", "task", "provinces", "communes", "text"):
        t.add_column(c, overflow="fold")
    for x in cap(r.tasks):
        t.add_row(x.top_number or "", x.label or x.task_id, f"{x.province_copied:.0%} / {x.province_changed:.0%} / {x.province_dropped:.0%} / {x.province_not_received:.0%} of {x.provinces}",
                  f"{x.commune_copied:.0%} / {x.commune_changed:.0%} / {x.commune_dropped:.0%} / {x.commune_not_received:.0%} of {x.communes}", " ".join(x.text.split())[:80])
    con.print(t)
    t = Table(title=f"Near-verbatim copies of the province's plan, not localised ({len(r.verbatim)})")
    for c in ("commune", "province", "parent", "coverage", "verbatim", "file"):
        t.add_column(c)
    for v in cap(r.verbatim):
        t.add_row(v.place or "", v.province or "", v.parent_number or "", f"{v.coverage:.0%}", f"{v.verbatim_share:.0%}", v.file)
    con.print(t)
    t = Table(title=f"Tasks in many communes and in no parent ({len(r.templates)})")
    for c in ("communes", "provinces", "variants", "in a parent", "text"):
        t.add_column(c, overflow="fold")
    for x in cap(r.templates):
        t.add_row(str(x.communes), str(x.provinces), str(x.variants), x.in_parent or "no", " ".join(x.text.split())[:110])
    con.print(t)
    if limit and max(len(r.tasks), len(r.verbatim), len(r.templates)) > limit:
        sys.stderr.write(f"(first {limit} rows of each table; --limit 0 or --format json/csv/md for all)\n")
