"""The rules, one function each: dropped, weakened, coverage, protected, waivers, targets, deadlines, assignments, duplicates, references."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Iterator
from ..align.models import Kind, Pair, Retarget, Status
from ..align.targets import is_weaker, target_change, target_direction
from ..parse.quantities import numbers, last_day
from ..errors import ConfigError
from ..models import Task
from ..normalize import number_key
from ..normalize import shorten as _short
from ..align.carried import is_carried_status
from ..i18n import N_, kind_label, status_label
from .config import RULE_TITLES, TODO_REASON, ProtectedTask
from .result import Finding, RuleResult
from .context import _Ctx

if TYPE_CHECKING:
    from ..store import DocHeader


def _result(rule: str, status: str, summary: str, findings: list[Finding] | None = None, notes: list[str] | None = None, task_ids: list[str] | None = None) -> RuleResult:
    """A rule's result. The offending task ids default to the draft's tasks for
    rules about the draft's own content (targets, assignments, duplicates) and
    to the parent's tasks otherwise."""
    findings = findings or []
    for f in findings:
        if status != "fail" and f.severity == "error":
            f.severity = "warning" if status == "warn" else "notice"
    if task_ids is None:
        draft_side = rule in ("weakened", "targets", "assignments", "duplicates")
        ids = list(dict.fromkeys(i for f in findings if (i := (f.draft_task or f.parent_task) if draft_side else (f.parent_task or f.draft_task))))
    else:
        ids = task_ids
    return RuleResult(rule=rule, title=RULE_TITLES[rule], status=status, summary=summary, messages=[f.message for f in findings] + list(notes or []), task_ids=ids, findings=findings)  # type: ignore[arg-type]


def _skip(rule: str, why: str) -> RuleResult:
    return _result(rule, "skip", why)


# ---------------------------------------------------------------- coverage


def _coverage(ctx: _Ctx) -> RuleResult:
    c = ctx.cfg.coverage
    if not c.enabled:
        return _skip("coverage", ctx._("disabled in the config"))
    if c.overall is None and c.per_section is None and not c.sections:
        return _skip("coverage", ctx._("no minimum set (coverage.overall, coverage.per_section or coverage.sections)"))
    by_section: dict[str | None, list[str]] = {}
    titles: dict[str | None, str | None] = {}
    for pid in ctx.compared:
        t = ctx.pairs_of[pid][0].parent
        assert t is not None
        by_section.setdefault(t.section_path, []).append(pid)
        titles[t.section_path] = t.section_title
    for s in c.sections:
        if s not in by_section:
            paths = ", ".join(str(p) for p in by_section if p)
            raise ConfigError(f"{ctx.cfg.source}: coverage.sections.{s}: no such section among the parent's compared tasks ({paths})", path=ctx.cfg.source)

    def cov(ids: list[str]) -> tuple[float, int, list[str]]:
        counted = [i for i in ids if not (ctx.status[i] == Status.dropped and i in ctx.waived)]
        dropped = [i for i in counted if ctx.status[i] == Status.dropped]
        return ((len(counted) - len(dropped)) / len(counted) if counted else 1.0), len(counted), dropped

    findings: list[Finding] = []
    notes: list[str] = []
    ids: list[str] = []
    overall, n, dropped = cov(ctx.compared)
    waived_n = len(ctx.compared) - n
    _ = ctx._
    pct = ctx.pct
    wtxt = " " + ctx.n_("({n} waived task not counted)", "({n} waived tasks not counted)", waived_n).format(n=waived_n) if waived_n else ""
    parts = []
    if c.overall is not None:
        parts.append(_("overall {coverage} of {n} parent tasks (minimum {minimum})").format(coverage=pct(overall, 1), n=n, minimum=pct(c.overall, 0)) + wtxt)
        if overall + 1e-9 < c.overall:
            findings.append(Finding(message=_("overall coverage {coverage} of {n} parent tasks is below the minimum {minimum}: {k} dropped ({tasks})").format(coverage=pct(overall, 1), n=n, minimum=pct(c.overall, 0), k=len(dropped), tasks=", ".join(ctx.pname(i) for i in dropped[:12]) + (", …" if len(dropped) > 12 else ""))))
            ids += dropped
    worst: tuple[float, str] | None = None
    for path, sids in by_section.items():
        minimum = c.sections.get(path or "", c.per_section)
        if minimum is None:
            continue
        sc, sn, sd = cov(sids)
        label = f"{path or _('(no section)')}" + (f" {_short(titles[path] or '', 50)}" if titles[path] else "")
        if worst is None or sc < worst[0]:
            worst = (sc, label)
        if sc + 1e-9 < minimum:
            findings.append(Finding(message=_("section {section}: coverage {coverage} of {n} tasks is below the minimum {minimum}: dropped {tasks}").format(section=label, coverage=pct(sc, 0), n=sn, minimum=pct(minimum, 0), tasks=", ".join(ctx.pname(i) for i in sd))))
            ids += [i for i in sd if i not in ids]
        else:
            notes.append(_("section {section}: {coverage} of {n} tasks (minimum {minimum})").format(section=label, coverage=pct(sc, 0), n=sn, minimum=pct(minimum, 0)))
    if worst is not None:
        parts.append(_("lowest section {section} {coverage}").format(section=worst[1].split(" ")[0], coverage=pct(worst[0], 0)))
    summary = "; ".join(parts)
    if findings:
        return _result("coverage", "fail", summary, findings, task_ids=ids)
    return _result("coverage", "pass", summary, notes=notes)


# ---------------------------------------------------------------- protected


def _protected(ctx: _Ctx, protected: list[tuple[int, ProtectedTask, list[str]]]) -> RuleResult:
    if not protected:
        return _skip("protected", ctx._("no protected tasks in the config"))
    findings: list[Finding] = []
    notes: list[str] = []
    n = 0
    for i, sel, ids in protected:
        for pid in ids:
            n += 1
            st = ctx.status[pid]
            prs = ctx.pairs_of[pid]
            if pid in ctx.waived:
                w = ctx.waived[pid]
                notes.append(ctx._("{task}: waived until {date} ({reason})").format(task=ctx.pname(pid), date=ctx.date(w.expires), reason=w.reason))
                continue
            label = f"{ctx.pname(pid)} «{ctx.ptext(pid)}»"
            why = f" [protected[{i}]" + (f": {sel.note}" if sel.note else "") + "]"
            if st == Status.dropped:
                rel_pair = next((x for x in prs if x.related), None)
                rel = ctx._("related: {task}, confidence {value}; not counted as kept").format(task=rel_pair.related.child.path, value=f"{rel_pair.related.confidence:.2f}") if rel_pair else ""
                if "dropped" in sel.forbid:
                    findings.append(Finding(message=ctx._("protected task {task} is dropped from the draft").format(task=label) + (f" — {rel}" if rel else "") + why, parent_task=pid, parent_line=ctx.pline(pid), line=ctx.draft_place(pid)[1]))
                continue
            for pr in prs:
                if pr.child is None:
                    continue
                bad = [k for k in ("softened", "narrowed", "retargeted") if k in sel.forbid and Kind(k) in pr.kinds]
                if "changed" in sel.forbid and pr.status == Status.changed and not bad:
                    bad = ["changed"]
                if bad:
                    dels, ins = pr.changed_words
                    detail = "; ".join(x for x in ((ctx._("removed «{words}»").format(words=_short(dels, 60)) if dels else ""), (ctx._("added «{words}»").format(words=_short(ins, 60)) if ins else "")) if x)
                    how = ctx._(" and ").join(kind_label(k, ctx.lang) if k != "changed" else status_label(k, ctx.lang) for k in bad)
                    findings.append(Finding(message=ctx._("protected task {task} is {how} in draft task {draft}").format(task=label, how=how, draft=ctx.pname(pr.child.id)) + (f": {detail}" if detail else "") + why, parent_task=pid, draft_task=pr.child.id, line=ctx.line(pr.child.id), parent_line=ctx.pline(pid)))
    summary = ctx.n_("{n} protected task", "{n} protected tasks", n).format(n=n) + ("; " + ctx.n_("{n} violation", "{n} violations", len(findings)).format(n=len(findings)) if findings else ctx._(", all kept"))
    return _result("protected", "fail" if findings else "pass", summary, findings, notes)


# ---------------------------------------------------------------- waivers


def _waivers(ctx: _Ctx) -> RuleResult:
    _, n_ = ctx._, ctx.n_
    if not ctx.waiver_tasks:
        return _skip("waivers", _("no waivers in the config"))
    fails: list[Finding] = []
    used: list[Finding] = []
    todo: list[Finding] = []
    notes: list[str] = []
    for i, w, ids in ctx.waiver_tasks:
        is_todo = w.reason.strip().upper() == TODO_REASON
        for pid in ids:
            carried = ctx.carried[pid]
            label = f"{ctx.pname(pid)} «{ctx.ptext(pid)}»"
            where = f"[waivers[{i}]]"
            if ctx.today > w.expires:
                if not carried:
                    fails.append(Finding(message=_("waiver for {task} expired on {date} (reason: {reason}) but the draft still leaves the task out {where}").format(task=label, date=ctx.date(w.expires), reason=w.reason, where=where), parent_task=pid, parent_line=ctx.pline(pid), line=ctx.draft_place(pid)[1]))
                else:
                    notes.append(_("expired waiver for {task} ({date}) is no longer needed: the draft keeps the task {where}").format(task=ctx.pname(pid), date=ctx.date(w.expires), where=where))
            elif not carried:
                if is_todo:
                    todo.append(Finding(message=_("{task} is left out under a waiver whose reason is still TODO: write why the draft leaves it out (until {date}) {where}").format(task=label, date=ctx.date(w.expires), where=where), severity="warning", parent_task=pid, parent_line=ctx.pline(pid), line=ctx.draft_place(pid)[1]))
                else:
                    used.append(Finding(message=_("{task} left out under a waiver until {date}: {reason}").format(task=label, date=ctx.date(w.expires), reason=w.reason), severity="notice", parent_task=pid, parent_line=ctx.pline(pid), line=ctx.draft_place(pid)[1]))
            else:
                notes.append(_("waiver for {task} (until {date}) is unused: the draft keeps the task {where}").format(task=ctx.pname(pid), date=ctx.date(w.expires), where=where))
    active = sum(1 for _i, w, _ids in ctx.waiver_tasks if ctx.today <= w.expires)
    n_w = len(ctx.waiver_tasks)
    n_used = len(used) + len(todo)
    summary = n_("{n} waiver ({active} active on {date})", "{n} waivers ({active} active on {date})", n_w).format(n=n_w, active=active, date=ctx.date(ctx.today)) + "; " + n_("{n} task left out under a waiver", "{n} tasks left out under a waiver", n_used).format(n=n_used)
    if fails:
        return _result("waivers", "fail", summary + "; " + n_("{n} relying on an expired waiver", "{n} relying on an expired waiver", len(fails)).format(n=len(fails)), fails + todo, notes)
    if todo:
        return _result("waivers", "warn", summary + "; " + n_("{n} with the reason still TODO", "{n} with the reason still TODO", len(todo)).format(n=len(todo)), todo + used, notes, task_ids=[])
    return _result("waivers", "pass", summary, used, notes, task_ids=[])


# ---------------------------------------------------------------- dropped (strict by default)


def _dropped(ctx: _Ctx) -> RuleResult:
    """Every parent task the draft does not carry (dropped, or only weakly linked)
    fails unless an active waiver covers it or its section is exempt."""
    _, n_ = ctx._, ctx.n_
    c = ctx.cfg.dropped
    if not c.enabled:
        return _skip("dropped", _("relaxed: dropped.enabled is false in the config"))
    exempt = [x.strip().removeprefix("S:") for x in c.exempt_sections]
    findings: list[Finding] = []
    notes: list[str] = []
    waived = exempted = 0
    for pid in ctx.compared:
        if ctx.carried[pid]:
            continue
        sec = ctx.psection(pid) or ""
        label = f"{ctx.pname(pid)} «{ctx.words(pid)}»"
        if pid in ctx.waived:
            waived += 1
            w = ctx.waived[pid]
            notes.append(_("{task}: left out under a waiver until {date} ({reason})").format(task=label, date=ctx.date(w.expires), reason=w.reason))
            continue
        if any(sec == e or sec.startswith(e + ".") for e in exempt):
            exempted += 1
            notes.append(_("{task}: left out; section {section} is exempt (dropped.exempt_sections)").format(task=label, section=sec))
            continue
        dsec, line = ctx.draft_place(pid)
        status = status_label(ctx.status[pid], ctx.lang)
        where = (_("draft section {section} (line {line})").format(section=dsec, line=line) if dsec and line else _("the draft"))
        msg = _("{task} (parent line {pline}) is {status}: no task of the draft carries it; expected in {where}").format(task=label, pline=ctx.pline(pid), status=status, where=where)
        if pid in ctx.expired:
            msg += " " + _("(its waiver expired on {date})").format(date=ctx.date(ctx.expired[pid].expires))
        findings.append(Finding(message=msg, parent_task=pid, line=line, parent_line=ctx.pline(pid), draft_section=dsec))
    n_out = len(findings) + waived + exempted
    summary = n_("{n} parent task left out", "{n} parent tasks left out", n_out).format(n=n_out)
    if waived or exempted:
        summary += " (" + _("{w} waived, {e} exempt").format(w=waived, e=exempted) + ")"
    summary += "; " + (n_("{n} fails: not waived", "{n} fail: not waived", len(findings)).format(n=len(findings)) if findings else _("none unwaived"))
    return _result("dropped", "fail" if findings else "pass", summary, findings, notes)


# ---------------------------------------------------------------- weakened (warnings)


def _weakened(ctx: _Ctx) -> RuleResult:
    """Carried parent tasks whose draft wording is softened or narrowed: warnings
    (``weakened.severity: fail`` makes them fail)."""
    _, n_ = ctx._, ctx.n_
    c = ctx.cfg.weakened
    if not c.enabled:
        return _skip("weakened", _("disabled in the config"))
    findings: list[Finding] = []
    for pid in ctx.compared:
        if not ctx.carried[pid]:
            continue
        for pr in ctx.pairs_of[pid]:
            if pr.child is None or not is_carried_status(pr.status):
                continue
            bad = [k for k in c.kinds if Kind(k) in pr.kinds]
            if not bad:
                continue
            dels, ins = pr.changed_words
            detail = "; ".join(x for x in ((_("removed «{words}»").format(words=_short(dels, 60)) if dels else ""), (_("added «{words}»").format(words=_short(ins, 60)) if ins else "")) if x)
            kinds = _(" and ").join(kind_label(k, ctx.lang) for k in bad)
            msg = _("{task} is {kinds} in draft task {draft}").format(task=f"{ctx.pname(pid)} «{ctx.words(pid)}»", kinds=kinds, draft=ctx.pname(pr.child.id)) + (f": {detail}" if detail else "")
            findings.append(Finding(message=msg, severity="error" if c.severity == "fail" else "warning", parent_task=pid, draft_task=pr.child.id, line=ctx.line(pr.child.id), parent_line=ctx.pline(pid)))
    n = len({f.parent_task for f in findings})
    kinds_txt = _(" or ").join(kind_label(k, ctx.lang) for k in c.kinds)
    summary = n_("{n} carried parent task {kinds}", "{n} carried parent tasks {kinds}", n).format(n=n, kinds=kinds_txt) if findings else _("no carried parent task {kinds}").format(kinds=kinds_txt)
    status = ("fail" if c.severity == "fail" else "warn") if findings else "pass"
    return _result("weakened", status, summary, findings, task_ids=[])


# ---------------------------------------------------------------- targets


def _task_target(ctx: _Ctx, pid: str, pr: Pair, r: Retarget, in_draft: set, findings: list[Finding], notes: list[str]) -> int:
    """Apply the targets rule to one retarget of a linked pair; 1 when it was compared."""
    cfg = ctx.cfg.targets
    time = r.direction == "later"
    if r.old is None or (time and cfg.years == "ignore"):
        return 0
    direction = cfg.default_direction if r.direction == "unstated" else r.direction
    where = ctx._("{task} → draft {draft}").format(task=ctx.pname(pid), draft=ctx.pname(pr.child.id))  # type: ignore[union-attr]
    context = f"«{r.context}»"
    if r.new is None:
        if (r.unit, r.old_value) in in_draft:
            return 1  # moved to another draft task of the same parent task
        if r.target and cfg.removed == "fail" and direction != "ignore":
            findings.append(Finding(message=ctx._("{where}: target {old} removed ({context})").format(where=where, old=r.old, context=context), parent_task=pid, parent_line=ctx.pline(pid), draft_task=pr.child.id, line=ctx.line(pr.child.id)))  # type: ignore[union-attr]
        else:
            notes.append(ctx._("{where}: number {old} removed with its words (not a target)").format(where=where, old=r.old))
        return 1
    if direction == "ignore":
        return 1
    if is_weaker(r.direction, r.old_value or 0.0, r.new_value or 0.0, default=cfg.default_direction, tolerance=cfg.tolerance):
        why = ctx._("a later date") if time else (ctx._("a lower minimum") if direction == "at_least" else ctx._("a higher maximum"))
        findings.append(Finding(message=ctx._("{where}: {old} → {new} is {why} than the parent's ({context})").format(where=where, old=r.old, new=r.new, why=why, context=context), parent_task=pid, parent_line=ctx.pline(pid), draft_task=pr.child.id, line=ctx.line(pr.child.id)))  # type: ignore[union-attr]
    else:
        notes.append(ctx._("{where}: {old} → {new} (not weaker)").format(where=where, old=r.old, new=r.new))
    return 1


def _numeric(targets: list) -> list:
    return [t for t in targets if t.value is not None and not t.qualitative]


def _unit(t: object) -> str:
    return (t.unit or "").strip().lower()  # type: ignore[attr-defined]


def _same_target_rows(ctx: _Ctx) -> Iterator[tuple]:
    """(parent row, parent target, draft row, draft target): numeric targets of indicator rows with
    the same key, for the same year and unit."""
    by_key: dict[str, list] = {}
    for ind in ctx.parent.all_indicators():
        by_key.setdefault(ind.key, []).append(ind)
    for di in ctx.draft.all_indicators():
        for pi in by_key.get(di.key, []):
            for pt, dtg in itertools.product(_numeric(pi.targets), _numeric(di.targets)):
                if (dtg.year, _unit(dtg)) == (pt.year, _unit(pt)):
                    yield pi, pt, di, dtg


def _indicator_targets(ctx: _Ctx, findings: list[Finding], notes: list[str]) -> int:
    """Indicator rows of the draft against the parent's rows of the same key, year and unit; the
    number of targets compared."""
    cfg = ctx.cfg.targets
    checked = 0
    for pi, pt, di, dtg in _same_target_rows(ctx):
        checked += 1
        if target_direction(pt) == "unstated" and cfg.default_direction == "ignore":
            continue
        label = ctx._("indicator {label}").format(label=di.label or di.id) + f" «{_short(di.name, 60)}» ({dtg.period or dtg.year})"
        if target_change(pt, dtg, default=cfg.default_direction, tolerance=cfg.tolerance) == "weaker":
            findings.append(Finding(message=ctx._("{indicator}: {draft} is weaker than the parent's {parent} (indicator {label})").format(indicator=label, draft=dtg.raw, parent=pt.raw, label=pi.label or pi.id), draft_task=di.id, line=di.line_start))
        elif (dtg.value, dtg.value_max, dtg.op) != (pt.value, pt.value_max, pt.op):
            notes.append(ctx._("{indicator}: {draft} vs the parent's {parent} (not weaker)").format(indicator=label, draft=dtg.raw, parent=pt.raw))
    return checked


def _targets(ctx: _Ctx) -> RuleResult:
    """Changed numbers of the linked tasks (the retargets align recorded) and indicator targets."""
    cfg = ctx.cfg.targets
    if not cfg.enabled:
        return _skip("targets", ctx._("disabled in the config"))
    findings: list[Finding] = []
    notes: list[str] = []
    checked = 0
    for pid in ctx.compared:
        for pr in ctx.pairs_of[pid]:
            if pr.child is None or pr.status != Status.changed:
                continue
            # a number moved to another draft task of the same parent task (a merge or split) is not removed
            in_draft = {(n.kind, n.value) for x in ctx.pairs_of[pid] if x.child is not None and x is not pr for n in numbers(x.child.text)}
            for r in pr.retargets:
                checked += _task_target(ctx, pid, pr, r, in_draft, findings, notes)
    if cfg.indicators and ctx.draft.all_indicators() and ctx.parent.all_indicators():
        checked += _indicator_targets(ctx, findings, notes)
    summary = ctx.n_("{n} changed number and indicator targets compared", "{n} changed numbers and indicator targets compared", checked).format(n=checked) + (ctx._("; {n} weaker than the parent's").format(n=len(findings)) if findings else ctx._(", none weaker"))
    return _result("targets", (cfg.severity if cfg.severity == "fail" else "warn") if findings else "pass", summary, findings, notes)


# ---------------------------------------------------------------- deadlines


def _deadlines(ctx: _Ctx) -> RuleResult:
    cfg = ctx.cfg.deadlines
    if not cfg.enabled:
        return _skip("deadlines", ctx._("disabled in the config"))
    findings: list[Finding] = []
    notes: list[str] = []
    both = 0
    for pid in ctx.compared:
        for pr in ctx.pairs_of[pid]:
            if pr.child is None or pr.parent is None or not pr.parent.deadline or not pr.child.deadline:
                continue
            both += 1
            pd, p_open = last_day(pr.parent.deadline), pr.parent.deadline.open_ended
            cd, c_open = last_day(pr.child.deadline), pr.child.deadline.open_ended
            where = ctx._("{task} → draft {draft}").format(task=ctx.pname(pid), draft=ctx.pname(pr.child.id))
            if pd and cd:
                if cd > pd:
                    findings.append(Finding(message=ctx._("{where}: deadline «{draft}» is later than the parent's «{parent}» ({text})").format(where=where, draft=pr.child.deadline, parent=pr.parent.deadline, text=_short(pr.parent.text, 60)), parent_task=pid, parent_line=ctx.pline(pid), draft_task=pr.child.id, line=ctx.line(pr.child.id)))
            elif pd and c_open:
                if cfg.open_ended == "fail":
                    findings.append(Finding(message=ctx._("{where}: deadline «{draft}» is open-ended where the parent's is «{parent}»").format(where=where, draft=pr.child.deadline, parent=pr.parent.deadline), parent_task=pid, parent_line=ctx.pline(pid), draft_task=pr.child.id, line=ctx.line(pr.child.id)))
                else:
                    notes.append(ctx._("{where}: «{draft}» is open-ended where the parent's is «{parent}» (allowed: deadlines.open_ended is ignore)").format(where=where, draft=pr.child.deadline, parent=pr.parent.deadline))
            elif not p_open and pd is None:
                notes.append(ctx._("{where}: the parent's deadline «{deadline}» is not a date; not compared").format(where=where, deadline=pr.parent.deadline))
            elif not c_open and cd is None:
                notes.append(ctx._("{where}: the draft's deadline «{deadline}» is not a date; not compared").format(where=where, deadline=pr.child.deadline))
    if not both:
        return _skip("deadlines", ctx._("no linked task has a deadline on both sides"))
    summary = ctx.n_("{n} linked task with deadlines on both sides", "{n} linked tasks with deadlines on both sides", both).format(n=both) + (ctx._("; {n} later than the parent's").format(n=len(findings)) if findings else ctx._(", none later"))
    return _result("deadlines", "fail" if findings else "pass", summary, findings, notes)


# ---------------------------------------------------------------- assignments


def _assignments(ctx: _Ctx) -> RuleResult:
    cfg = ctx.cfg.assignments
    if not cfg.enabled:
        return _skip("assignments", ctx._("disabled in the config"))
    tasks: list[Task] = [t for t in ctx.draft.tasks if cfg.scope == "all" or t.source == "appendix"]
    if not tasks:
        return _skip("assignments", ctx._("the draft has no assignment table (no appendix tasks)"))
    findings: list[Finding] = []
    for t in tasks:
        missing = [f for f in cfg.require if not str(getattr(t, f) or "").strip()]
        if missing:
            names = {"lead": N_("lead agency (chủ trì)"), "deadline": N_("deadline (thời hạn)")}
            where = (t.appendix + " " if t.appendix else "") + ctx._("row {label}").format(label=t.label or t.path)
            what_missing = ctx._(" and no ").join(ctx._(names[m]) for m in missing)
            findings.append(Finding(message=ctx._("draft task {task} ({where}, line {line}) has no {missing}: «{text}»").format(task=ctx.pname(t.id), where=where, line=t.line_start, missing=what_missing, text=_short(t.text, 70)), draft_task=t.id, line=t.line_start))
    names = {"lead": N_("lead agency (chủ trì)"), "deadline": N_("deadline (thời hạn)")}
    what = " and ".join(cfg.require) if ctx.lang == "en" else ctx._(" and ").join(ctx._(names[k]) for k in cfg.require)
    summary = ctx.n_("{n} assigned task checked for {what}", "{n} assigned tasks checked for {what}", len(tasks)).format(n=len(tasks), what=what) + (ctx._("; {n} incomplete").format(n=len(findings)) if findings else ctx._(", all complete"))
    return _result("assignments", "fail" if findings else "pass", summary, findings)


# ---------------------------------------------------------------- duplicates


def _duplicates(ctx: _Ctx) -> RuleResult:
    if not ctx.cfg.duplicates.enabled:
        return _skip("duplicates", ctx._("disabled in the config"))
    findings = []
    for t in ctx.draft.tasks:
        if t.duplicate_of:
            first = ctx.d_tasks.get(t.duplicate_of)
            at = " " + ctx._("(line {line})").format(line=first.line_start) if first else ""
            findings.append(Finding(message=ctx._("draft task {task} (line {line}) repeats {first}{at} word for word: «{text}»").format(task=ctx.pname(t.id), line=t.line_start, first=ctx.pname(t.duplicate_of), at=at, text=_short(t.text, 70)), draft_task=t.id, line=t.line_start))
    summary = ctx._("{n} draft tasks").format(n=len(ctx.draft.tasks)) + ("; " + ctx.n_("{n} duplicate", "{n} duplicates", len(findings)).format(n=len(findings)) if findings else ctx._(", no duplicates"))
    return _result("duplicates", "fail" if findings else "pass", summary, findings)


# ---------------------------------------------------------------- references


def _references(ctx: _Ctx, corpus: list[DocHeader] | None) -> RuleResult:
    """Every document the draft cites is in the corpus (found by the lineage resolver) or listed as external."""
    cfg = ctx.cfg.references
    if not cfg.enabled:
        return _skip("references", ctx._("disabled in the config"))
    if corpus is None:
        return _skip("references", ctx._("no corpus folder given (--corpus or references.corpus in the config)"))
    from ..lineage import Resolver
    from ..store import DocHeader, doc_id

    resolver = Resolver(corpus)
    draft = DocHeader.of(doc_id(ctx.draft), ctx.draft)
    known = {k for k in resolver.by_key if k}
    external = {k for k in (number_key(n) for n in cfg.external) if k}
    selves = {k for k in (number_key(ctx.parent.document.number), number_key(ctx.draft.document.number)) if k}
    findings: list[Finding] = []
    notes: list[str] = []
    seen: set[str] = set()
    n = 0
    for r in ctx.draft.references:
        if r.relation not in cfg.relations:
            continue
        if not r.number:
            notes.append(ctx._("{kind} cited without a number (line {line}): not checked").format(kind=r.kind or ctx._("document"), line=r.line))
            continue
        k = number_key(r.number)
        if not k or k in seen:
            continue
        seen.add(k)
        n += 1
        if k in selves or resolver.match(r, draft, parent=False)[0] is not None:
            continue
        if k in external:
            notes.append(ctx._("{number}: external (listed in references.external)").format(number=r.number))
            continue
        findings.append(Finding(message=ctx._("cited document {document} ({relation}, line {line}) is not in the corpus and not listed in references.external").format(document=(r.kind + " " if r.kind else "") + (r.number_as_written or r.number), relation=r.relation, line=r.line), line=r.line))
    summary = ctx.n_("{n} cited document against {known} in the corpus and {external} external", "{n} cited documents against {known} in the corpus and {external} external", n).format(n=n, known=len(known), external=len(external)) + (ctx._("; {n} unresolved").format(n=len(findings)) if findings else ctx._(", all resolved"))
    return _result("references", "fail" if findings else "pass", summary, findings, notes, task_ids=[])
