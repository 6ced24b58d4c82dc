"""plancheck: does a draft plan keep what the plan above it requires?

A department drafting a plan runs this on every revision (``plancompare check
DRAFT --against PARENT --config plancheck.yaml``). The draft is compared with
its parent (:func:`plancompare.align.compare`) and the rules below are applied
to that one :class:`~plancompare.align.models.Comparison` and to the two parsed
documents. Each rule is configured in YAML and gives a :class:`RuleResult`
(pass / fail / skip, messages, the offending task ids, and findings with the
draft's line numbers); the :class:`CheckResult` serialises itself as a human
summary, JSON, JUnit XML and GitHub annotations.

Rules (``rule`` names as they appear in every output):

* ``coverage``: minimum share of the parent's tasks carried into the draft
  (copied or changed), overall and per parent section. Parent tasks left out
  under an active waiver are not counted.
* ``protected``: parent tasks that may not be dropped or softened (or, per
  entry, narrowed / retargeted / changed at all).
* ``waivers``: a parent task the draft may leave out, with a reason, until an
  expiry date. The rule fails when the draft still leaves out a task whose
  waiver has expired.
* ``targets``: numbers in linked tasks, and indicator targets, not weaker than
  the parent's: for a minimum ('tối thiểu', 'trở lên', '≥', and by default any
  plain number or percentage) a lower value is weaker, for a maximum ('tối đa',
  'không quá', '≤', rankings) a higher value is weaker, and a later year or
  month is weaker.
* ``deadlines``: a linked task's deadline (``Task.deadline``) not later than
  the parent's.
* ``assignments``: when the draft has an assignment table (appendix tasks),
  every task in it names a lead agency and a deadline.
* ``duplicates``: no task repeated word for word.
* ``references``: every document the draft cites is in the corpus folder,
  is the parent, or is listed as external.

Everything here is library code: no typer, no rich.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable, Sequence
from ..align.models import Comparison, Summary
from .settings import DEFAULT as CHECK
from ..models import ParsedDocument, TaskScope

from .config import RULES, RULE_TITLES, TODO_REASON, BASELINE_DAYS, RELATIONS, _C, _share, _enabled_shorthand, TaskSelector, ForbiddenChange, ProtectedTask, Waiver, CompareSettings, DroppedRule, WeakenedRule, CoverageRule, TargetsRule, DeadlinesRule, AssignmentsRule, DuplicatesRule, ReferencesRule, CheckConfig, _loc, _allowed_keys, _one_line  # noqa: F401
from .result import Finding, RuleResult, TaskVerdict, CheckResult, first_words, _pct, _pname, junit_xml, _XML_BAD, _xml_safe, _gh_data, _gh_prop  # noqa: F401
from .context import _Ctx, corpus_headers_from_dir, corpus_numbers_from_dir, CORPUS_SUFFIXES, corpus_files  # noqa: F401
from ..store import DocHeader
from .rules import _result, _skip, _coverage, _protected, _waivers, _dropped, _weakened, _task_target, _targets, _deadlines, _assignments, _duplicates, _references  # noqa: F401
from .baseline import baseline_yaml, changed_files  # noqa: F401
from ..parse.quantities import AT_LEAST, AT_MOST, Num, numbers, parse_deadline, last_day  # noqa: F401  (re-exported: plancompare.gate.numbers, parse_deadline)


def run_check(
    draft_doc: ParsedDocument,
    parent_doc: ParsedDocument,
    config: CheckConfig | None = None,
    *,
    today: dt.date | None = None,
    corpus_numbers: Iterable[str] | None = None,
    corpus: Sequence[DocHeader] | None = None,
    comparison: Comparison | None = None,
    draft_path: str | None = None,
    lang: str = "en",
) -> CheckResult:
    """Check a draft plan against its parent plan with the configured rules.

    ``today`` decides which waivers have expired (default: the real date).
    ``corpus``: the documents of the corpus (:func:`corpus_headers_from_dir`), which the
    ``references`` rule resolves the draft's citations against with the lineage resolver
    (:class:`plancompare.lineage.Resolver`: number, and the year of the cited date);
    ``corpus_numbers``: or only their numbers (any spelling). When both are None the
    config's ``references.corpus`` folder is read, and without one the
    ``references`` rule is skipped. ``comparison`` may be passed when already made.
    Raises :class:`ConfigError` when a rule names a parent task or section that
    does not exist."""
    cfg = config or CheckConfig()
    today = today or dt.date.today()
    if comparison is None:
        comparison = _compare(draft_doc, parent_doc, cfg)
    ctx = _Ctx(draft_doc, parent_doc, comparison, cfg, today, lang)
    protected = _resolve_selectors(ctx)  # config errors before any rule runs
    rules = _run_rules(ctx, protected, _corpus(cfg, corpus, corpus_numbers))
    s: Summary = comparison.summary
    return CheckResult(
        draft=draft_doc.document,
        parent=parent_doc.document,
        draft_file=draft_path or draft_doc.document.source_file,
        config=cfg.source if config is not None else None,
        lang=lang,  # type: ignore[arg-type]
        strict=cfg.dropped.enabled,
        relaxed=_relaxations(ctx),
        today=today,
        passed=not any(r.status == "fail" for r in rules),
        coverage=s.coverage,
        parent_tasks=s.parent_tasks,
        draft_tasks=s.child_tasks,
        statuses=dict(s.statuses),
        rules=rules,
        tasks=_verdicts(ctx, rules),
        settings=CHECK,
        align_settings=comparison.settings,
    )


def _compare(draft_doc: ParsedDocument, parent_doc: ParsedDocument, cfg: CheckConfig) -> Comparison:
    """The comparison the rules read, with the task scope the config's ``compare.appendix`` asks for."""
    from ..align import compare

    mode = cfg.compare.appendix
    if mode == "always":
        scope = TaskScope.all
    elif mode == "never":
        scope = TaskScope.body
    else:
        both = any(t.source == "appendix" for t in draft_doc.tasks) and any(t.source == "appendix" for t in parent_doc.tasks)
        scope = TaskScope.all if both else TaskScope.auto
    return compare(parent_doc, draft_doc, scope=scope)


def _resolve_selectors(ctx: _Ctx) -> list[tuple[int, ProtectedTask, list[str]]]:
    """The parent tasks the waivers and protected entries name (ConfigError for a name that matches none)."""
    for i, w in enumerate(ctx.cfg.waivers):
        ids = ctx.resolve(w, f"waivers[{i}]")
        ctx.waiver_tasks.append((i, w, ids))
        for pid in ids:
            (ctx.waived if ctx.today <= w.expires else ctx.expired)[pid] = w
    return [(i, p, ctx.resolve(p, f"protected[{i}]")) for i, p in enumerate(ctx.cfg.protected)]


def _corpus(cfg: CheckConfig, corpus: Sequence[DocHeader] | None, numbers: Iterable[str] | None) -> list[DocHeader] | None:
    """The corpus the references rule resolves against: given, given by numbers, or the config's folder (None: none)."""
    if corpus is not None:
        return list(corpus)
    if numbers is not None:
        return [DocHeader.of_number(n) for n in numbers]
    if cfg.references.enabled and cfg.corpus_dir() is not None:
        return corpus_headers_from_dir(cfg.corpus_dir())  # type: ignore[arg-type]
    return None


def _run_rules(ctx: _Ctx, protected: list[tuple[int, ProtectedTask, list[str]]], corpus: list[DocHeader] | None) -> list[RuleResult]:
    """Every rule, in the order of RULES, with its title in the result's language."""
    rules = [
        _dropped(ctx),
        _weakened(ctx),
        _coverage(ctx),
        _protected(ctx, protected),
        _waivers(ctx),
        _targets(ctx),
        _deadlines(ctx),
        _assignments(ctx),
        _duplicates(ctx),
        _references(ctx, corpus),
    ]
    for r in rules:
        r.title = ctx._(r.title)
    return rules


def _relaxations(ctx: _Ctx) -> list[str]:
    """How the config relaxes the strict default, in the result's language."""
    _ = ctx._
    c = ctx.cfg
    out = []
    if not c.dropped.enabled:
        cov = c.coverage
        guard = _("coverage minimums and protected tasks still apply") if (cov.enabled and (cov.overall is not None or cov.per_section is not None or cov.sections)) or c.protected else _("nothing else guards against drops")
        out.append(_("dropped.enabled is false: a dropped parent task does not fail the check ({guard})").format(guard=guard))
    if c.dropped.enabled and c.dropped.exempt_sections:
        out.append(_("dropped.exempt_sections: the tasks of parent sections {sections} may be dropped").format(sections=", ".join(c.dropped.exempt_sections)))
    if not c.weakened.enabled:
        out.append(_("weakened.enabled is false: softened and narrowed tasks are not reported"))
    return out


def _verdicts(ctx: _Ctx, rules: list[RuleResult]) -> list[TaskVerdict]:
    """Every compared parent task with the findings about it: fail when a failing rule
    names it, warn for a warning, waived when it is left out under an active waiver."""
    by_task: dict[str, list[tuple[RuleResult, Finding]]] = {}
    for r in rules:
        for f in r.findings:
            if f.parent_task:
                by_task.setdefault(f.parent_task, []).append((r, f))
    out = []
    for pid in ctx.compared:
        hits = by_task.get(pid, [])
        errors = [(r, f) for r, f in hits if r.status == "fail" and f.severity == "error"]
        warnings = [(r, f) for r, f in hits if f.severity == "warning"]
        if errors:
            verdict = "fail"
        elif not ctx.carried[pid] and pid in ctx.waived:
            verdict = "waived"
        elif warnings:
            verdict = "warn"
        else:
            verdict = "pass"
        line = next((f.line for _, f in hits if f.line), None)
        if line is None:
            line = next((ctx.line(pr.child.id) for pr in ctx.pairs_of[pid] if pr.child is not None), None)
        t = ctx.p_tasks.get(pid)
        out.append(
            TaskVerdict(
                parent_task=pid,
                path=t.path if t else ctx.pname(pid),
                words=ctx.words(pid),
                status=ctx.status[pid].value,
                verdict=verdict,  # type: ignore[arg-type]
                line=line,
                parent_line=ctx.pline(pid),
                rules=list(dict.fromkeys(r.rule for r, _ in (errors or hits))),
                messages=[f.message for _, f in (errors + [x for x in hits if x not in errors])],
            )
        )
    return out


__all__ = [
    "RULES",
    "CheckConfig",
    "CheckResult",
    "RuleResult",
    "Finding",
    "TaskSelector",
    "ProtectedTask",
    "Waiver",
    "run_check",
    "TaskVerdict",
    "DroppedRule",
    "WeakenedRule",
    "baseline_yaml",
    "changed_files",
    "junit_xml",
    "parse_deadline",
    "numbers",
    "corpus_headers_from_dir",
    "corpus_numbers_from_dir",
    "corpus_files",
]
