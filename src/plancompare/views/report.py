"""The HTML report: one self-contained file to send to leadership.

:func:`render_html` turns a :class:`~plancompare.align.models.Comparison` into
one HTML page that needs no network: inline CSS, an inline SVG chart of the
coverage per parent section, every pair with its word-level diff (``<del>`` /
``<ins>``), grouped under the parent's sections in the document's own
numbering (II.1.a), and a few lines of inline JavaScript that filter the pairs
by status (checkboxes; the URL fragment ``#only=dropped,changed`` preselects).
When the script has run it sets ``data-filter-ready="yes"`` and
``data-visible="N"`` on ``<body>``, which tests read from the rendered DOM.

For the people it is forwarded to: Vietnamese by default (``lang="en"`` for
English; words from the catalogue, :mod:`plancompare.i18n`), dates dd/mm/yyyy,
headings the parent lost (inferred by the parser) marked as such, localized
copies highlighted, no internal ids or tuning settings on the page (they are in
the collapsed "about this comparison" block), and a print stylesheet (A4, each
section on a new page). All text is escaped with :func:`html.escape`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from ..align.models import PARENT_STATUSES, STATUS_NAMES, Comparison, Kind, Pair, SectionSummary, Status
from ..i18n import fmt_date, gettext_for, kind_label, ngettext_for, status_label

STATUSES = STATUS_NAMES
COLOURS = {"copied": "#2e7d32", "changed": "#e0a800", "dropped": "#c62828", "added": "#1565c0"}

CSS = """
:root{--copied:#2e7d32;--changed:#e0a800;--dropped:#c62828;--added:#1565c0;--ink:#1d2330;--muted:#5f6b7a;--line:#dde3ea;--bg:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 "Noto Sans","Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
header{padding:22px 32px 14px;background:var(--bg);border-bottom:1px solid var(--line)}
h1{margin:0 0 4px;font-size:24px}
h2{font-size:18px;margin:28px 0 10px}
.sub{margin:2px 0;color:var(--muted);font-size:14px}
main{padding:0 32px 40px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin-top:20px}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:120px;background:#fff}
.card b{display:block;font-size:26px;line-height:1.2}
.card span{color:var(--muted);font-size:13px}
.card.copied b{color:var(--copied)}.card.changed b{color:#b07f00}.card.dropped b{color:var(--dropped)}.card.added b{color:var(--added)}
.kinds-line{color:var(--muted);margin:10px 0 0}
svg text{font-family:inherit}
.legend{display:flex;gap:16px;color:var(--muted);font-size:13px;margin:4px 0 0}
.legend i{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;vertical-align:-1px}
#filters{display:flex;flex-wrap:wrap;gap:10px 18px;align-items:center;padding:10px 14px;background:var(--bg);border:1px solid var(--line);border-radius:8px;position:sticky;top:0;z-index:2}
#filters label{cursor:pointer;user-select:none}
#filters .n{color:var(--muted)}
#shown{margin-left:auto;color:var(--muted)}
table{border-collapse:collapse;width:100%;margin-top:10px;table-layout:fixed}
th,td{border-bottom:1px solid var(--line);padding:8px 10px;vertical-align:top;text-align:left}
th{font-size:13px;color:var(--muted);font-weight:600}
th.st,td.st{width:150px}
td.text{white-space:pre-wrap;word-wrap:break-word}
.path{font-weight:600;color:var(--muted);margin-right:6px;white-space:nowrap}
.badge{display:inline-block;border-radius:10px;padding:1px 9px;color:#fff;font-size:12px;font-weight:600}
.badge{background:#6b7280}.badge.copied{background:var(--copied)}.badge.changed{background:var(--changed);color:#1d2330}.badge.dropped{background:var(--dropped)}.badge.added{background:var(--added)}
.kinds,.rt,.score,.lead{display:block;font-size:12px;color:var(--muted);margin-top:3px}
.rt{color:#7b1fa2}
del{background:#fde2e1;color:#8e1b14;text-decoration:line-through;text-decoration-color:#c62828}
ins{background:#dcf5dd;color:#14532d;text-decoration:none;border-bottom:2px solid #2e7d32}
tr.dropped td.text.parent{background:#fff5f5}
tr.added td.text.child{background:#f3f8ff}
.none{color:#9aa5b1}
.related{font-style:italic;color:var(--muted)}
.badge.related{background:#8e6cbf}
.conf{display:block;color:var(--muted);font-size:12px}.conf-low{color:var(--dropped);font-weight:600}
footer{color:var(--muted);font-size:12px;padding:16px 32px;border-top:1px solid var(--line)}
tr.localized td.text.child{background:#fffbea}
.badge.loc{background:#fff3c4;color:#6b5200;margin-left:4px}
.inferred{font-style:italic;color:#6b5200;font-size:12px;font-weight:400;margin-left:6px}
.sec h3{font-size:16px;margin:26px 0 4px}
.sec h3 .num{color:var(--muted);margin-right:6px}
.sec .meta{color:var(--muted);font-size:13px;margin:0}
details#about{margin-top:30px;border:1px solid var(--line);border-radius:8px;padding:8px 14px;background:var(--bg);font-size:13px;color:var(--muted)}
details#about summary{cursor:pointer;font-weight:600;color:var(--ink)}
details#about dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:10px 0 4px}
details#about dt{font-weight:600}
details#about dd{margin:0;word-break:break-word}
@page{size:A4;margin:14mm 12mm}
@media print{
 body{font-size:11pt;-webkit-print-color-adjust:exact;print-color-adjust:exact}
 header{background:none;padding:0 0 8px}
 main{padding:0}
 #filters,noscript{display:none}
 tr[hidden]{display:table-row}
 .sec{break-before:page;page-break-before:always}
 tr{break-inside:avoid;page-break-inside:avoid}
 h2,h3{break-after:avoid;page-break-after:avoid}
 th.st,td.st{width:110px}
 details#about{break-before:page;page-break-before:always}
 details#about>*{display:block}
}
"""

SCRIPT = """
(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll('#filters input[type=checkbox]'));
  var rows = Array.prototype.slice.call(document.querySelectorAll('#pairs table.pairs tbody tr'));
  var shown = document.getElementById('shown');
  function apply() {
    var on = {};
    boxes.forEach(function (b) { on[b.value] = b.checked; });
    var n = 0;
    rows.forEach(function (r) { var v = !!on[r.getAttribute('data-status')] || (r.hasAttribute('data-related') && !!on.related); r.hidden = !v; if (v) { n++; } });
    shown.textContent = (shown.getAttribute('data-template') || '{n} / {total}').replace('{n}', n).replace('{total}', rows.length);
    document.body.setAttribute('data-visible', String(n));
    document.body.setAttribute('data-filter', boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; }).join(','));
  }
  var m = /only=([a-z,]+)/.exec(window.location.hash || '');
  if (m) {
    var keep = m[1].split(',');
    boxes.forEach(function (b) { b.checked = keep.indexOf(b.value) >= 0; });
  }
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  apply();
  document.body.setAttribute('data-filter-ready', 'yes');
})();
"""


def _e(s: object) -> str:
    return escape("" if s is None else str(s))


def _doc_name(d) -> str:  # DocumentInfo
    return d.label


def _side(p: Pair, side: str) -> str:
    task = p.parent if side == "parent" else p.child
    if task is None:
        return '<span class="none">—</span>'
    out = [f'<span class="path">{_e(task.path)}</span>']
    if p.status == Status.changed and p.diff:
        parts = []
        for d in p.diff:
            if d.op == "equal":
                parts.append(_e(d.parent_text if side == "parent" and d.parent_text else d.text))
            elif d.op == "delete" and side == "parent":
                parts.append(f"<del>{_e(d.text)}</del>")
            elif d.op == "insert" and side == "child":
                parts.append(f"<ins>{_e(d.text)}</ins>")
        out.append(" ".join(parts))
    else:
        out.append(_e(task.text))
    return "".join(out)


def _chart(cmp: Comparison, lang: str) -> str:
    _ = gettext_for(lang)
    secs = cmp.summary.sections
    label_w, bar_w, right_w, row_h = 330, 520, 120, 30
    width = label_w + bar_w + right_w
    height = row_h * (len(secs) + 1) + 10
    m1 = _("Coverage per parent section")
    out = [f'<svg id="coverage-chart" role="img" aria-label="{_e(m1)}" viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px">']
    rows = list(secs)
    for i, s in enumerate(rows + [None]):
        y = 6 + i * row_h
        if s is None:
            total = cmp.summary
            n, c, ch, d, cov = total.parent_tasks, total.statuses.get("copied", 0), total.statuses.get("changed", 0), total.statuses.get("dropped", 0), total.coverage
            label, weight = _("All parent tasks"), "700"
        else:
            n, c, ch, d, cov = s.parent_tasks, s.copied, s.changed, s.dropped, s.coverage
            title = s.section_title or ""
            m2 = _("(no section)")
            label = f"{s.section_path or m2}{'*' if s.title_from_child else ''} {title}".strip()
            weight = "400"
        short = label if len(label) <= 46 else label[:45] + "…"
        counts = _("{copied} copied, {changed} changed, {dropped} dropped of {n} ({coverage})").format(copied=c, changed=ch, dropped=d, n=n, coverage=_pct(cov, lang))
        out.append(f'<g class="bar" data-section="{_e(s.section_path if s else "all")}"><title>{_e(label)}: {_e(counts)}</title>')
        out.append(f'<text x="0" y="{y + 19}" font-size="13" font-weight="{weight}" fill="#1d2330">{_e(short)}</text>')
        x = float(label_w)
        for k, v in (("copied", c), ("changed", ch), ("dropped", d)):
            if n and v:
                w = bar_w * v / n
                out.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 10}" fill="{COLOURS[k]}" rx="2"><title>{_e(status_label(k, lang))}: {v}</title></rect>')
                x += w
        m3 = _("{coverage} of {n}")
        out.append(f'<text x="{label_w + bar_w + 10}" y="{y + 19}" font-size="13" font-weight="{weight}" fill="#1d2330">{_e(m3.format(coverage=_pct(cov, lang), n=n))}</text></g>')
    out.append("</svg>")
    return "".join(out)


def _num(x: float, lang: str) -> str:
    """0.31 (en) / 0,31 (vi)."""
    s = f"{x:.2f}"
    return s.replace(".", ",") if lang == "vi" else s


def _pct(x: float, lang: str, digits: int = 0) -> str:
    s = f"{x:.{digits}%}"
    return s.replace(".", ",") if lang == "vi" else s


def _groups(cmp: Comparison) -> list[tuple[str | None, list[Pair]]]:
    """The pairs under their parent section (in the parent's order); the child's added
    tasks last, under None."""
    order: list[str] = []
    by: dict[str, list[Pair]] = {}
    added: list[Pair] = []
    for p in cmp.pairs:
        if p.parent is None:
            added.append(p)
            continue
        k = p.parent.section_path or ""
        if k not in by:
            order.append(k)
        by.setdefault(k, []).append(p)
    out: list[tuple[str | None, list[Pair]]] = [(k, by[k]) for k in order]
    if added:
        out.append((None, added))
    return out


@dataclass
class _Page:
    """What every part of the page needs: the comparison, the language and its catalogue."""

    cmp: Comparison
    lang: str
    _: Callable[[str], str]
    n_: Callable[[str, str, int], str]
    h: list[str] = field(default_factory=list)

    def add(self, *lines: str) -> None:
        self.h.extend(lines)


def _head(pg: _Page, head: str, version: str) -> None:
    """The document head and the page header: title, both plans' kind, number, issuer, date and title."""
    _, cmp, lang = pg._, pg.cmp, pg.lang
    m4 = _("comparison report")
    pg.add("<!DOCTYPE html>", f'<html lang="{lang}"><head><meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f'<meta name="generator" content="plancompare {_e(version)}">', f"<title>{_e(head)} — {_e(m4)}</title>", f"<style>{CSS}</style></head>",
           f'<body data-filter-ready="no" data-pairs="{len(cmp.pairs)}" data-lang="{lang}">', "<header>", f"<h1>{_e(head)}</h1>")
    for role, d in ((_("Parent plan"), cmp.parent), (_("Child plan"), cmp.child)):
        bits = [x for x in (d.kind, d.number, d.issuer, fmt_date(d.issue_date, lang) if d.issue_date else None) if x]
        pg.add(f'<p class="sub"><b>{_e(role)}:</b> {_e(" · ".join(bits))}' + (f" — {_e(d.title)}" if d.title else "") + "</p>")
    pg.add("</header><main>")


def _summary(pg: _Page) -> None:
    """The cards: coverage, the count of each status, child tasks, localized copies; the changes by kind."""
    _, s, lang = pg._, pg.cmp.summary, pg.lang
    pg.add('<section id="summary"><div class="cards">')
    m5 = _("coverage of {n} parent tasks")
    pg.add(f'<div class="card"><b id="coverage">{_pct(s.coverage, lang, 1)}</b><span>{_e(m5.format(n=s.parent_tasks))}</span></div>')
    for k in STATUSES:
        what = _("{status} (child tasks)") if k == "added" else _("{status} (parent tasks)")
        pg.add(f'<div class="card {k}"><b data-count="{k}">{s.statuses.get(k, 0)}</b><span>{_e(what.format(status=status_label(k, lang)))}</span></div>')
    m6 = _("child tasks")
    pg.add(f'<div class="card"><b>{s.child_tasks}</b><span>{_e(m6)}</span></div>')
    if s.localized_copies:
        m7 = _("localized copies")
        pg.add(f'<div class="card"><b data-count="localized">{s.localized_copies}</b><span>{_e(m7)}</span></div>')
    pg.add("</div>")
    if s.kinds:
        m8 = _("Changes by kind:")
        pg.add('<p class="kinds-line">' + _e(m8) + " " + " · ".join(f"{_e(kind_label(k, lang))} <b>{v}</b>" for k, v in sorted(s.kinds.items(), key=lambda kv: -kv[1])) + "</p>")
    pg.add("</section>")


def _sections_chart(pg: _Page) -> None:
    _, s, lang = pg._, pg.cmp.summary, pg.lang
    m9 = _("Coverage per parent section")
    pg.add(f'<section id="sections"><h2>{_e(m9)}</h2>')
    pg.add('<div class="legend">' + "".join(f'<span><i style="background:{COLOURS[k]}"></i>{_e(status_label(k, lang))}</span>' for k in PARENT_STATUSES) + "</div>")
    pg.add(_chart(pg.cmp, lang))
    if any(x.title_from_child for x in s.sections):
        m10 = _("heading lost in the parent plan (inferred from its numbering): named after the child section its tasks went to")
        pg.add(f'<p class="sub" id="inferred-note">* {_e(m10)}</p>')
    pg.add("</section>")


def _filters(pg: _Page) -> None:
    """One checkbox per status present (a status added later, e.g. 'related', too) and the 'related' box."""
    _, cmp, lang = pg._, pg.cmp, pg.lang
    shown_statuses = list(STATUSES) + sorted({p.status.value for p in cmp.pairs} - set(STATUSES))
    m12 = _("Filter by status")
    m13 = _("Show:")
    pg.add(f'<div id="filters" role="group" aria-label="{_e(m12)}"><b>{_e(m13)}</b>')
    for k in shown_statuses:
        n = sum(1 for p in cmp.pairs if p.status.value == k)
        pg.add(f'<label><input type="checkbox" value="{k}" checked> <span class="badge {k}">{_e(status_label(k, lang))}</span> <span class="n">({n})</span></label>')
    # the dropped/added tasks shown with a weak counterpart ('related'): they keep their status
    n_related = sum(1 for p in cmp.pairs if p.related)
    m_rel, m_rel_title = _("related (weak counterpart)"), _("dropped or added tasks shown with a weak counterpart; they count as dropped or added")
    pg.add(f'<label title="{_e(m_rel_title)}"><input type="checkbox" value="related" checked> <span class="badge related">{_e(m_rel)}</span> <span class="n">({n_related})</span></label>')
    template = _("{n} of {total} shown")
    pg.add(f'<span id="shown" data-template="{_e(template)}">{_e(template.format(n=len(cmp.pairs), total=len(cmp.pairs)))}</span></div>')


def _section_heading(pg: _Page, sec: str | None, pairs: list[Pair], info: SectionSummary | None) -> None:
    """The section's heading in the parent's numbering (marked when the parent lost it) and its counts."""
    _, lang = pg._, pg.lang
    if sec is None:
        m14 = _("Tasks the child added")
        pg.add(f"<h3>{_e(m14)}</h3>")
        return
    ptitle = next((p.parent.section_title for p in pairs if p.parent and p.parent.section_title), None)
    inferred = info is not None and info.title_from_child
    stitle = ptitle or (info.section_title if info else None) or ""
    m15 = _("(heading not in the parent plan; named after the child section)")
    mark = f'<span class="inferred">{_e(m15)}</span>' if inferred or not ptitle else ""
    m16 = _("(no section)")
    pg.add(f'<h3><span class="num">{_e(sec or m16)}</span>{_e(stitle)}{mark}</h3>')
    if info is not None:
        m17 = _("{n} parent tasks: {copied} copied, {changed} changed, {dropped} dropped; coverage {coverage}")
        pg.add(f'<p class="meta">{_e(m17.format(n=info.parent_tasks, copied=info.copied, changed=info.changed, dropped=info.dropped, coverage=_pct(info.coverage, lang)))}</p>')


def _info_cells(pg: _Page, p: Pair) -> list[str]:
    """The status cell's badges: status, localized, kinds, retargets, lead agency, confidence."""
    _, lang = pg._, pg.lang
    st = p.status.value
    m21 = _("localized copy")
    cells = [f'<span class="badge {st}">{_e(status_label(st, lang))}</span>' + (f'<span class="badge loc">{_e(m21 if st == "copied" else kind_label("localized", lang))}</span>' if Kind.localized in p.kinds else "")]
    other = [k for k in p.kinds if k != Kind.localized]
    if other:
        cells.append(f'<span class="kinds">{_e(", ".join(kind_label(k, lang) for k in other))}</span>')
    if p.target_changes:
        cells.append(f'<span class="rt">{_e("; ".join(f"{r.old or chr(8212)} → {r.new or chr(8212)}" for r in p.target_changes))}</span>')
    lead = (p.parent.lead if p.parent else None) or (p.child.lead if p.child else None)
    if lead:
        m22 = _("lead: {agency}")
        cells.append(f'<span class="lead">{_e(m22.format(agency=lead))}</span>')
    if p.parent and p.child:
        m_conf = {"high": _("confidence {value} (high)"), "medium": _("confidence {value} (medium)"), "low": _("confidence {value} (low)")}[p.confidence_label]
        cells.append(f'<span class="conf conf-{p.confidence_label}">{_e(m_conf.format(value=_num(p.confidence, lang)))}</span>')
    return cells


def _related_cells(pg: _Page, p: Pair, info_cells: list[str]) -> tuple[str, str]:
    """A dropped/added task's weak counterpart, with its word diff, in the empty cell (the row keeps its status)."""
    _, r = pg._, p.related
    assert r is not None
    other = r.child if p.status == Status.dropped else r.parent
    m_note = _("related: {task}, confidence {value}; not counted as carried")
    info_cells.append(f'<span class="kinds related">{_e(m_note.format(task=other.path, value=_num(r.confidence, pg.lang)))}</span>')
    view = Pair(status=Status.changed, score=r.score, parent=r.parent, child=r.child, diff=r.diff)
    m_tag = _("related:")
    tag = f'<span class="related">{_e(m_tag)} </span>'
    if p.status == Status.dropped:
        return _side(view, "parent"), tag + _side(view, "child")
    return tag + _side(view, "parent"), _side(view, "child")


def _row(pg: _Page, p: Pair) -> str:
    st = p.status.value
    info_cells = _info_cells(pg, p)
    parent_cell, child_cell = _side(p, "parent"), _side(p, "child")
    rel_attr = ""
    if p.related:
        parent_cell, child_cell = _related_cells(pg, p, info_cells)
        rel_attr = ' data-related="yes"'
    kinds = " ".join(k.value for k in p.kinds)
    loc_attr = ' data-localized="yes"' if Kind.localized in p.kinds else ""
    return f'<tr class="{st}" data-status="{st}"{rel_attr} data-kinds="{_e(kinds)}"{loc_attr}><td class="st">{"".join(info_cells)}</td><td class="text parent">{parent_cell}</td><td class="text child">{child_cell}</td></tr>'


def _pairs(pg: _Page) -> None:
    """Every pair, under its parent section, with the filters above."""
    _ = pg._
    sec_info = {x.section_path or "": x for x in pg.cmp.summary.sections}
    m11 = _("Every task")
    pg.add(f'<section id="pairs"><h2>{_e(m11)}</h2>')
    _filters(pg)
    for sec, pairs in _groups(pg.cmp):
        pg.add(f'<section class="sec" data-section="{_e(sec if sec is not None else "added")}">')
        _section_heading(pg, sec, pairs, sec_info.get(sec) if sec is not None else None)
        m18 = _("Status")
        m19 = _("Parent task")
        m20 = _("Child task")
        pg.add(f'<table class="pairs"><thead><tr><th class="st">{_e(m18)}</th><th>{_e(m19)}</th><th>{_e(m20)}</th></tr></thead><tbody>')
        pg.add(*(_row(pg, p) for p in pairs))
        pg.add("</tbody></table></section>")
    m23 = _("JavaScript is off: every task is shown, the filter does not work.")
    pg.add(f'<noscript><p class="sub">{_e(m23)}</p></noscript>', "</section>")


def _about(pg: _Page, generated: dt.datetime | None, version: str) -> None:
    """The collapsed 'about this comparison' block: when, which files, what coverage means, the settings."""
    _, n_, cmp, lang = pg._, pg.n_, pg.cmp, pg.lang
    s = cmp.summary
    when = generated or dt.datetime.now()
    settings = ", ".join(f"{k}={v}" for k, v in sorted(cmp.settings.items()))
    m24 = _("About this comparison")
    pg.add(f'<details id="about"><summary>{_e(m24)}</summary><dl>')
    about = [
        (_("Generated"), _("by plancompare {version} on {date}").format(version=version, date=fmt_date(when, lang))),
        (_("Parent file"), cmp.parent.source_file or _doc_name(cmp.parent)),
        (_("Child file"), cmp.child.source_file or _doc_name(cmp.child)),
        (_("Coverage"), _("share of the parent's tasks carried into the child (copied or changed)")),
        (_("Links"), n_("{n} parent–child link", "{n} parent–child links", s.links).format(n=s.links)),
        (_("Settings"), settings),
    ]
    for k, v in about:
        pg.add(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>")
    pg.add("</dl></details>")


def render_html(comparison: Comparison, *, title: str | None = None, generated: dt.datetime | None = None, lang: str = "vi") -> str:
    """The whole report as one self-contained HTML string (UTF-8), in Vietnamese (default) or English."""
    from .. import __version__

    pg = _Page(cmp=comparison, lang=lang, _=gettext_for(lang), n_=ngettext_for(lang))
    _head(pg, title or f"{_doc_name(comparison.parent)} → {_doc_name(comparison.child)}", __version__)
    _summary(pg)
    _sections_chart(pg)
    _pairs(pg)
    _about(pg, generated, __version__)
    pg.add("</main>", f"<script>{SCRIPT}</script>", "</body></html>")
    return "\n".join(pg.h) + "\n"


def write_html(comparison: Comparison, path: str | Path, **kw) -> Path:
    """Write the report atomically."""
    from ..io import atomic_write

    return atomic_write(path, render_html(comparison, **kw))


__all__ = ["render_html", "write_html"]
