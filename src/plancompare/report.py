"""The HTML report: one self-contained file to send to leadership.

:func:`render_html` turns a :class:`~plancompare.align.models.Comparison` into
one HTML page that needs no network: inline CSS, an inline SVG chart of the
coverage per parent section, every pair with its word-level diff (``<del>`` /
``<ins>``), and a few lines of inline JavaScript that filter the pairs by
status (checkboxes; the URL fragment ``#only=dropped,changed`` preselects).
When the script has run it sets ``data-filter-ready="yes"`` and
``data-visible="N"`` on ``<body>``, which tests read from the rendered DOM.
All text is escaped with :func:`html.escape`.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

from .align.models import Comparison, Pair, Status

STATUSES = ("copied", "changed", "dropped", "added")
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
.badge.copied{background:var(--copied)}.badge.changed{background:var(--changed);color:#1d2330}.badge.dropped{background:var(--dropped)}.badge.added{background:var(--added)}
.kinds,.rt,.score,.lead{display:block;font-size:12px;color:var(--muted);margin-top:3px}
.rt{color:#7b1fa2}
del{background:#fde2e1;color:#8e1b14;text-decoration:line-through;text-decoration-color:#c62828}
ins{background:#dcf5dd;color:#14532d;text-decoration:none;border-bottom:2px solid #2e7d32}
tr.dropped td.text.parent{background:#fff5f5}
tr.added td.text.child{background:#f3f8ff}
.none{color:#9aa5b1}
footer{color:var(--muted);font-size:12px;padding:16px 32px;border-top:1px solid var(--line)}
@media print{#filters{display:none}tr[hidden]{display:table-row}}
"""

SCRIPT = """
(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll('#filters input[type=checkbox]'));
  var rows = Array.prototype.slice.call(document.querySelectorAll('#pairs tbody tr'));
  var shown = document.getElementById('shown');
  function apply() {
    var on = {};
    boxes.forEach(function (b) { on[b.value] = b.checked; });
    var n = 0;
    rows.forEach(function (r) { var v = !!on[r.getAttribute('data-status')]; r.hidden = !v; if (v) { n++; } });
    shown.textContent = n + ' of ' + rows.length + ' shown';
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
    return d.number or (f"{d.kind or 'Kế hoạch'} {d.issuer}" if d.issuer else None) or d.source_file or "?"


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


def _chart(cmp: Comparison) -> str:
    secs = cmp.summary.sections
    label_w, bar_w, right_w, row_h = 330, 520, 120, 30
    width = label_w + bar_w + right_w
    height = row_h * (len(secs) + 1) + 10
    out = [f'<svg id="coverage-chart" role="img" aria-label="Coverage per parent section" viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px">']
    rows = list(secs)
    for i, s in enumerate(rows + [None]):
        y = 6 + i * row_h
        if s is None:
            total = cmp.summary
            n, c, ch, d, cov = total.parent_tasks, total.statuses.get("copied", 0), total.statuses.get("changed", 0), total.statuses.get("dropped", 0), total.coverage
            label, weight = "All parent tasks", "700"
        else:
            n, c, ch, d, cov = s.parent_tasks, s.copied, s.changed, s.dropped, s.coverage
            title = s.section_title or ""
            label = f"{s.section_path or '(no section)'} {title}".strip()
            weight = "400"
        short = label if len(label) <= 46 else label[:45] + "…"
        out.append(f'<g class="bar" data-section="{_e(s.section_path if s else "all")}"><title>{_e(label)}: {c} copied, {ch} changed, {d} dropped of {n} ({cov:.0%})</title>')
        out.append(f'<text x="0" y="{y + 19}" font-size="13" font-weight="{weight}" fill="#1d2330">{_e(short)}</text>')
        x = float(label_w)
        for k, v in (("copied", c), ("changed", ch), ("dropped", d)):
            if n and v:
                w = bar_w * v / n
                out.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 10}" fill="{COLOURS[k]}" rx="2"><title>{k}: {v}</title></rect>')
                x += w
        out.append(f'<text x="{label_w + bar_w + 10}" y="{y + 19}" font-size="13" font-weight="{weight}" fill="#1d2330">{cov:.0%} of {n}</text></g>')
    out.append("</svg>")
    return "".join(out)


def render_html(comparison: Comparison, *, title: str | None = None, generated: dt.datetime | None = None) -> str:
    """The whole report as one self-contained HTML string (UTF-8)."""
    from . import __version__

    cmp = comparison
    s = cmp.summary
    pn, cn = _doc_name(cmp.parent), _doc_name(cmp.child)
    head = title or f"{pn} → {cn}"
    counts = {k: s.statuses.get(k, 0) for k in STATUSES}
    rows_by_status = {k: sum(1 for p in cmp.pairs if p.status.value == k) for k in STATUSES}
    h: list[str] = []
    h.append("<!DOCTYPE html>")
    h.append('<html lang="vi"><head><meta charset="utf-8">')
    h.append('<meta name="viewport" content="width=device-width, initial-scale=1">')
    h.append(f'<meta name="generator" content="plancompare {_e(__version__)}">')
    h.append(f"<title>{_e(head)} — plancompare</title>")
    h.append(f"<style>{CSS}</style></head>")
    h.append(f'<body data-filter-ready="no" data-pairs="{len(cmp.pairs)}">')
    h.append("<header>")
    h.append(f"<h1>{_e(head)}</h1>")
    for role, d in (("Parent", cmp.parent), ("Child", cmp.child)):
        bits = [x for x in (d.kind, d.number, d.issuer, d.issue_date.isoformat() if d.issue_date else None) if x]
        h.append(f'<p class="sub"><b>{role}:</b> {_e(" · ".join(bits))}' + (f" — {_e(d.title)}" if d.title else "") + "</p>")
    h.append("</header><main>")
    h.append('<section id="summary"><div class="cards">')
    h.append(f'<div class="card"><b id="coverage">{s.coverage:.1%}</b><span>coverage of {s.parent_tasks} parent tasks</span></div>')
    for k in STATUSES:
        what = "child tasks" if k == "added" else "parent tasks"
        h.append(f'<div class="card {k}"><b data-count="{k}">{counts[k]}</b><span>{k} ({what})</span></div>')
    h.append(f'<div class="card"><b>{s.child_tasks}</b><span>child tasks</span></div>')
    h.append("</div>")
    if s.kinds:
        h.append('<p class="kinds-line">Changes by kind: ' + " · ".join(f"{_e(k)} <b>{v}</b>" for k, v in sorted(s.kinds.items(), key=lambda kv: -kv[1])) + "</p>")
    h.append("</section>")
    h.append('<section id="sections"><h2>Coverage per parent section</h2>')
    h.append('<div class="legend">' + "".join(f'<span><i style="background:{COLOURS[k]}"></i>{k}</span>' for k in ("copied", "changed", "dropped")) + "</div>")
    h.append(_chart(cmp))
    h.append("</section>")
    h.append('<section id="pairs"><h2>Every task</h2>')
    h.append('<div id="filters" role="group" aria-label="Filter by status"><b>Show:</b>')
    for k in STATUSES:
        h.append(f'<label><input type="checkbox" value="{k}" checked> <span class="badge {k}">{k}</span> <span class="n">({rows_by_status[k]})</span></label>')
    h.append(f'<span id="shown">{len(cmp.pairs)} of {len(cmp.pairs)} shown</span></div>')
    h.append('<table><thead><tr><th class="st">Status</th><th>Parent task</th><th>Child task</th></tr></thead><tbody>')
    for p in cmp.pairs:
        st = p.status.value
        info = [f'<span class="badge {st}">{st}</span>']
        if p.kinds:
            info.append(f'<span class="kinds">{_e(", ".join(k.value for k in p.kinds))}</span>')
        if p.retargets:
            info.append(f'<span class="rt">{_e("; ".join(f"{r.old or chr(8212)} → {r.new or chr(8212)}" for r in p.retargets))}</span>')
        if p.group:
            info.append(f'<span class="kinds">group {_e(p.group)}</span>')
        if p.score:
            info.append(f'<span class="score">similarity {p.score:.2f}</span>')
        lead = (p.parent.lead if p.parent else None) or (p.child.lead if p.child else None)
        if lead:
            info.append(f'<span class="lead">chủ trì: {_e(lead)}</span>')
        kinds = " ".join(k.value for k in p.kinds)
        h.append(f'<tr class="{st}" data-status="{st}" data-kinds="{_e(kinds)}"><td class="st">{"".join(info)}</td><td class="text parent">{_side(p, "parent")}</td><td class="text child">{_side(p, "child")}</td></tr>')
    h.append("</tbody></table>")
    h.append('<noscript><p class="sub">JavaScript is off: every task is shown, the filter does not work.</p></noscript>')
    h.append("</section></main>")
    when = (generated or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    settings = ", ".join(f"{k}={v}" for k, v in sorted(cmp.settings.items()))
    h.append(f"<footer>Generated by plancompare {_e(__version__)} on {_e(when)} from {_e(cmp.parent.source_file or pn)} and {_e(cmp.child.source_file or cn)}. Coverage: share of parent tasks carried into the child (copied or changed). Settings: {_e(settings)}.</footer>")
    h.append(f"<script>{SCRIPT}</script>")
    h.append("</body></html>")
    return "\n".join(h) + "\n"


def write_html(comparison: Comparison, path: str | Path, **kw) -> Path:
    """Write the report atomically."""
    from .io import atomic_write

    return atomic_write(path, render_html(comparison, **kw))


__all__ = ["render_html", "write_html"]
