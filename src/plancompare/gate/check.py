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

import calendar
import datetime as dt
import difflib
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Callable, Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from ..align.models import STATUS_NAMES, Comparison, Kind, Pair, Retarget, Status, Summary
from ..align.targets import is_weaker, target_change, target_direction
from ..align.settings import AlignSettings
from .settings import DEFAULT as CHECK, CheckSettings
from ..parse.quantities import AT_LEAST, AT_MOST, Num, numbers, parse_deadline, last_day  # noqa: F401  (re-exported: plancompare.gate.numbers, parse_deadline)
from ..errors import ConfigError
from ..io import terminal_view
from ..models import DocumentInfo, ParsedDocument, Task, TaskScope, find_tasks
from ..normalize import key as text_key
from ..normalize import nfc, number_key
from ..normalize import shorten as _short
from ..align.carried import is_carried_status, parent_outcomes
from ..i18n import N_, fmt_date, gettext_for, kind_label, ngettext_for, status_label

RULES = ("dropped", "weakened", "coverage", "protected", "waivers", "targets", "deadlines", "assignments", "duplicates", "references")

RULE_TITLES = {
    "dropped": N_("Every parent task the draft leaves out is waived"),
    "weakened": N_("Softened and narrowed parent tasks (warnings)"),
    "coverage": N_("Minimum coverage of the parent's tasks"),
    "protected": N_("Protected parent tasks are not dropped or softened"),
    "waivers": N_("Waived tasks: reasons and expiry dates"),
    "targets": N_("Numeric targets not weaker than the parent's"),
    "deadlines": N_("Deadlines not later than the parent's"),
    "assignments": N_("Every assigned task has a lead agency and a deadline"),
    "duplicates": N_("No duplicate tasks"),
    "references": N_("Every cited document is in the corpus or listed as external"),
}

TODO_REASON = "TODO"
BASELINE_DAYS = CHECK.baseline_days

RELATIONS = ("implements", "basis", "replaces", "amends", "mentions")


# ====================================================================== config


class _C(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _share(v: Any) -> Any:
    """0.9, 90% or '90%' -> 0.9; anything else outside 0..1 is an error."""
    if isinstance(v, bool):
        raise ValueError(f"must be a share between 0 and 1 or a percentage like '90%' (got {v!r})")
    if isinstance(v, str):
        s = v.strip()
        try:
            v = float(s[:-1].strip().replace(",", ".")) / 100 if s.endswith("%") else float(s.replace(",", "."))
        except ValueError:
            raise ValueError(f"must be a share between 0 and 1 or a percentage like '90%' (got {s!r})") from None
    if not isinstance(v, (int, float)) or not 0 <= v <= 1:
        raise ValueError(f"must be a share between 0 and 1 or a percentage like '90%' (got {v!r})")
    return float(v)


def _enabled_shorthand(v: Any) -> Any:
    """``duplicates: false`` is short for ``duplicates: {enabled: false}``."""
    if isinstance(v, bool):
        return {"enabled": v}
    if v is None:
        return {}
    return v


class TaskSelector(_C):
    """Names parent tasks: exactly one of ``task`` (id, path or label path:
    'T:II.1.i', 'II.1.i', '1.i'), ``text`` (a prefix of the task text, compared on
    normalised keys, so tone placement and case do not matter) or ``section``
    (every task under a parent section path, 'II.6')."""

    task: str | None = None
    text: str | None = None
    section: str | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "TaskSelector":
        given = [k for k in ("task", "text", "section") if getattr(self, k) not in (None, "")]
        allowed = self._allowed()
        if len(given) != 1:
            raise ValueError(f"give exactly one of {', '.join(allowed)}" + (f" (got {', '.join(given)})" if given else ""))
        if given[0] not in allowed:
            raise ValueError(f"give exactly one of {', '.join(allowed)} (got {given[0]})")
        return self

    def _allowed(self) -> tuple[str, ...]:
        return ("task", "text", "section")

    def describe(self) -> str:
        if self.task:
            return f"task {self.task}"
        if self.text:
            return f"text '{self.text}'"
        return f"section {self.section}"


ForbiddenChange = Literal["dropped", "softened", "narrowed", "retargeted", "changed"]


class ProtectedTask(TaskSelector):
    """A parent task (or tasks) the draft must keep: by default neither dropped nor softened."""

    forbid: list[ForbiddenChange] = Field(default_factory=lambda: ["dropped", "softened"], min_length=1)
    note: str | None = None


class Waiver(TaskSelector):
    """A parent task the draft may leave out, why, and until when (inclusive)."""

    reason: str
    expires: dt.date

    def _allowed(self) -> tuple[str, ...]:
        return ("task", "text")

    @field_validator("reason")
    @classmethod
    def _reason(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("a waiver needs a reason")
        return v.strip()


class CompareSettings(_C):
    """Which tasks are compared. ``auto``: appendix task tables are included when
    both plans have one (so that their deadlines and leads are compared), else
    only body tasks (a side without body tasks uses its appendix)."""

    appendix: Literal["auto", "always", "never"] = "auto"


class DroppedRule(_C):
    """Strict by default: every parent task the draft does not carry fails the check
    unless an active waiver covers it. ``enabled: false`` relaxes the gate (then only
    ``coverage`` minimums and ``protected`` tasks guard against drops);
    ``exempt_sections`` lets the tasks of some parent sections be dropped."""

    enabled: bool = True
    exempt_sections: list[str] = Field(default_factory=list, description="Parent section paths ('II.8') whose tasks may be left out; reported as notes.")


class WeakenedRule(_C):
    """Carried parent tasks that the draft softened or narrowed: warnings by default."""

    enabled: bool = True
    kinds: list[Literal["softened", "narrowed", "retargeted"]] = Field(default_factory=lambda: ["softened", "narrowed"], min_length=1)
    severity: Literal["warn", "fail"] = "warn"


class CoverageRule(_C):
    enabled: bool = True
    overall: float | None = None
    per_section: float | None = None
    sections: dict[str, float] = Field(default_factory=dict)

    @field_validator("overall", "per_section", mode="before")
    @classmethod
    def _shares(cls, v: Any) -> Any:
        return None if v is None else _share(v)

    @field_validator("sections", mode="before")
    @classmethod
    def _sections(cls, v: Any) -> Any:
        if isinstance(v, dict):
            return {str(k): _share(x) for k, x in v.items()}
        return v


class TargetsRule(_C):
    enabled: bool = True
    severity: Literal["warn", "fail"] = Field("warn", description="A weaker target is a warning (default) or fails the check.")
    default_direction: Literal["at_least", "at_most", "ignore"] = Field("at_least", description="Direction of a number with no wording around it ('100% máy tính').")
    years: Literal["later_is_weaker", "ignore"] = "later_is_weaker"
    removed: Literal["fail", "ignore"] = Field("fail", description="A percentage or a worded minimum/maximum that the draft removes.")
    indicators: bool = True
    tolerance: float = Field(0.0, ge=0)


class DeadlinesRule(_C):
    enabled: bool = True
    open_ended: Literal["fail", "ignore"] = Field("ignore", description="The draft says 'Thường xuyên' / 'Hằng năm' where the parent has a date.")


class AssignmentsRule(_C):
    enabled: bool = True
    require: list[Literal["lead", "deadline"]] = Field(default_factory=lambda: ["lead", "deadline"], min_length=1)
    scope: Literal["appendix", "all"] = "appendix"


class DuplicatesRule(_C):
    enabled: bool = True


class ReferencesRule(_C):
    enabled: bool = True
    corpus: str | None = Field(None, description="Folder of plans the citations resolve against (relative to the config file); --corpus overrides.")
    external: list[str] = Field(default_factory=list, description="Numbers of cited documents that are not in the corpus ('71/NQ-CP').")
    relations: list[Literal["implements", "basis", "replaces", "amends", "mentions"]] = Field(default_factory=lambda: list(RELATIONS), min_length=1)


class CheckConfig(_C):
    """The whole ``plancheck.yaml``. Every key is optional; see examples/plancheck.yaml."""

    version: Literal[1] = 1
    compare: CompareSettings = Field(default_factory=CompareSettings)
    dropped: DroppedRule = Field(default_factory=DroppedRule)
    weakened: WeakenedRule = Field(default_factory=WeakenedRule)
    coverage: CoverageRule = Field(default_factory=CoverageRule)
    protected: list[ProtectedTask] = Field(default_factory=list)
    waivers: list[Waiver] = Field(default_factory=list)
    targets: TargetsRule = Field(default_factory=TargetsRule)
    deadlines: DeadlinesRule = Field(default_factory=DeadlinesRule)
    assignments: AssignmentsRule = Field(default_factory=AssignmentsRule)
    duplicates: DuplicatesRule = Field(default_factory=DuplicatesRule)
    references: ReferencesRule = Field(default_factory=ReferencesRule)

    _source: str = PrivateAttr("plancheck.yaml")
    _base: Path | None = PrivateAttr(None)

    @field_validator("compare", "dropped", "weakened", "coverage", "targets", "deadlines", "assignments", "duplicates", "references", mode="before")
    @classmethod
    def _shorthand(cls, v: Any) -> Any:
        return _enabled_shorthand(v)

    @field_validator("protected", "waivers", mode="before")
    @classmethod
    def _lists(cls, v: Any) -> Any:
        return [] if v is None else v

    # ------------------------------------------------------------ loading

    @classmethod
    def from_dict(cls, data: Any, source: str = "plancheck.yaml", base: Path | None = None) -> "CheckConfig":
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ConfigError(f"{source}: the file must hold a mapping of rule names to settings (got {type(data).__name__})", path=source)
        try:
            cfg = cls.model_validate(data)
        except ValidationError as e:
            raise ConfigError(f"{source}: {_one_line(e, data)}", path=source) from None
        cfg._source = source
        cfg._base = base
        return cfg

    @classmethod
    def from_yaml_text(cls, text: str, source: str = "plancheck.yaml", base: Path | None = None) -> "CheckConfig":
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f"line {mark.line + 1}: " if mark is not None else ""
            problem = getattr(e, "problem", None) or str(e).splitlines()[0]
            raise ConfigError(f"{source}: {where}not valid YAML ({problem})", path=source) from None
        except RecursionError:
            raise ConfigError(f"{source}: not valid YAML (nested too deeply)", path=source) from None
        except ValueError as e:  # a scalar YAML resolves but Python refuses: 'expires: 2025-02-30'
            raise ConfigError(f"{source}: a value cannot be read ({e}; dates are written like 2025-12-31)", path=source) from None
        try:
            return cls.from_dict(data, source, base)
        except RecursionError:
            raise ConfigError(f"{source}: the settings are nested too deeply", path=source) from None

    @classmethod
    def from_yaml(cls, path: str | Path) -> "CheckConfig":
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise ConfigError(f"{p}: no such file", path=str(p)) from None
        except UnicodeDecodeError:
            raise ConfigError(f"{p}: not UTF-8 text", path=str(p)) from None
        except OSError as e:
            raise ConfigError(f"{p}: cannot read ({e.strerror or e})", path=str(p)) from None
        return cls.from_yaml_text(text, str(p), p.parent)

    @property
    def source(self) -> str:
        return self._source

    def corpus_dir(self) -> Path | None:
        """The ``references.corpus`` folder. A path in a config file stays inside the config's
        folder (a shared config cannot make the tool read /etc or a home folder); any other
        folder is given on the command line (``--corpus``)."""
        if not self.references.corpus:
            return None
        p = Path(self.references.corpus)
        if self._base is None:
            return p
        base = self._base.resolve()
        full = (base / p).resolve()
        if p.is_absolute() or not full.is_relative_to(base):
            raise ConfigError(
                f"{self._source}: references.corpus '{self.references.corpus}' is outside the config's folder {self._base}; give that folder with --corpus instead",
                path=self._source,
            )
        return self._base / p


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _allowed_keys(data: Any, loc: tuple[Any, ...]) -> list[str]:
    """Field names allowed where an unknown key was found."""
    model: Any = CheckConfig
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        f = getattr(model, "model_fields", {}).get(part)
        if f is None:
            return []
        ann = f.annotation
        args = getattr(ann, "__args__", ())
        model = next((a for a in (ann, *args) if isinstance(a, type) and issubclass(a, BaseModel)), None)
        if model is None:
            return []
    return list(getattr(model, "model_fields", {}))


def _one_line(e: ValidationError, data: Any) -> str:
    errs = e.errors(include_url=False)
    first = errs[0]
    loc = tuple(first["loc"])
    typ = first["type"]
    msg = first["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if typ == "extra_forbidden":
        allowed = _allowed_keys(data, loc)
        near = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        msg = "unknown key" + (f" (did you mean '{near[0]}'?)" if near else (f" (allowed: {', '.join(allowed)})" if allowed else ""))
    elif typ == "missing":
        msg = "required key missing"
    elif typ in ("literal_error", "enum"):
        msg = msg.replace("Input should be", "must be") + f" (got {first.get('input')!r})"
    elif typ.startswith("date"):
        msg = f"must be a date like 2025-12-31 (got {first.get('input')!r})"
    elif typ in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        want = {"list_type": "a list", "dict_type": "a mapping", "model_type": "a mapping", "model_attributes_type": "a mapping"}[typ]
        msg = f"must be {want} (got {type(first.get('input')).__name__})"
    elif msg.startswith("Input should be"):
        msg = msg.replace("Input should be", "must be", 1) + f" (got {first.get('input')!r})"
    more = f" (and {len(errs) - 1} more error{'s' if len(errs) > 2 else ''})" if len(errs) > 1 else ""
    return f"{_loc(loc)}: {msg}{more}"


# ====================================================================== result


class Finding(_C):
    """One thing a rule found: what, which parent / draft task, where in the draft and in the parent."""

    message: str
    severity: Literal["error", "warning", "notice"] = Field("error", description="error: the rule fails on it; warning: reported, does not fail; notice: for information (a waiver in use).")
    parent_task: str | None = None
    draft_task: str | None = None
    line: int | None = Field(None, description="Line in the draft file (1-based): the draft task, or for a dropped task the heading of the draft section where the parent's section went.")
    parent_line: int | None = Field(None, description="Line of the parent task in the parent file (1-based).")
    draft_section: str | None = Field(None, description="For a dropped task: the draft section where the parent's section went.")


class RuleResult(_C):
    rule: str
    title: str
    status: Literal["pass", "warn", "fail", "skip"]
    summary: str = Field(description="One line: what was checked and the outcome.")
    messages: list[str] = Field(default_factory=list, description="Every finding and note, one per line.")
    task_ids: list[str] = Field(default_factory=list, description="The offending tasks (parent ids for parent-side rules, draft ids for draft-side rules).")
    findings: list[Finding] = Field(default_factory=list)


class TaskVerdict(_C):
    """One parent task as the gate judged it (one JUnit test case each)."""

    parent_task: str
    path: str = Field(description="The parent's own numbering ('II.1.i').")
    words: str = Field(description="The first words of the parent task.")
    status: str = Field(description="copied, changed, dropped (or a weaker link status): how the draft carries it.")
    verdict: Literal["pass", "warn", "fail", "waived"]
    line: int | None = Field(None, description="Where in the draft (the draft task, or the section the parent's section went to).")
    parent_line: int | None = None
    rules: list[str] = Field(default_factory=list, description="Rules with a finding on this task.")
    messages: list[str] = Field(default_factory=list)


class CheckResult(_C):
    """The outcome of checking one draft against its parent."""

    draft: DocumentInfo
    parent: DocumentInfo
    draft_file: str | None = Field(None, description="The draft's path as given (used in GitHub annotations).")
    config: str | None = Field(None, description="The config file used, if any.")
    lang: Literal["vi", "en"] = "en"
    strict: bool = Field(True, description="True when every dropped parent task fails unless waived (the default).")
    relaxed: list[str] = Field(default_factory=list, description="How the config relaxes the strict default, one line each.")
    today: dt.date
    passed: bool
    coverage: float
    parent_tasks: int
    draft_tasks: int
    statuses: dict[str, int]
    rules: list[RuleResult]
    tasks: list[TaskVerdict] = Field(default_factory=list, description="Every compared parent task with its verdict.")
    settings: CheckSettings = Field(default_factory=CheckSettings, description="The gate's settings used (apart from the config's rules).")
    align_settings: AlignSettings | None = Field(None, description="The aligner's settings of the comparison checked.")

    # ------------------------------------------------------------ views

    def rule(self, name: str) -> RuleResult:
        return next(r for r in self.rules if r.rule == name)

    @property
    def failed_rules(self) -> list[RuleResult]:
        return [r for r in self.rules if r.status == "fail"]

    def verdicts(self) -> dict[str, int]:
        return {v: sum(1 for t in self.tasks if t.verdict == v) for v in ("fail", "warn", "waived", "pass")}

    def _draft_name(self) -> str:
        return self.draft_file or self.draft.source_file or self.draft.number or "draft"

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    @terminal_view

    def to_text(self) -> str:
        _ = gettext_for(self.lang)
        d, p = self.draft, self.parent
        counts = ", ".join(f"{status_label(k, self.lang)} {self.statuses.get(k, 0)}" for k in STATUS_NAMES)
        out = [
            f"plancheck: {self._draft_name()}" + (f" ({d.number})" if d.number else "") + (f" — {d.issuer}" if d.issuer else ""),
            "  " + _("against: {parent}").format(parent=p.label) + (f" — {p.issuer}" if p.issuer else ""),
            "  " + _("coverage {coverage} of {n} parent tasks; {counts}").format(coverage=_pct(self.coverage, self.lang), n=self.parent_tasks, counts=counts)
            + "; " + (_("config {path}").format(path=self.config) if self.config else _("default rules (no config)")),
        ]
        if self.strict and not self.relaxed:
            out.append("  " + _("strict: every parent task the draft leaves out fails unless a waiver covers it"))
        for line in self.relaxed:
            out.append("  " + _("relaxed by the config: {what}").format(what=line))
        v = self.verdicts()
        out.append("  " + _("parent tasks: {fail} failing, {warn} with warnings, {waived} waived, {ok} passing").format(fail=v["fail"], warn=v["warn"], waived=v["waived"], ok=v["pass"]))
        out.append("")
        word = {"pass": _("PASS"), "warn": _("WARN"), "fail": _("FAIL"), "skip": _("SKIP")}
        wide = max(len(w) for w in word.values())
        for r in self.rules:
            out.append(f"{word[r.status]:<{wide}}  {r.rule:<12} {r.summary}")
            shown = r.messages if r.status in ("fail", "warn") else r.messages[:5]
            for m in shown:
                out.append(f"      - {m}")
            if len(shown) < len(r.messages):
                out.append("      … " + _("{n} more").format(n=len(r.messages) - len(shown)))
        n = {s: sum(1 for r in self.rules if r.status == s) for s in ("pass", "warn", "fail", "skip")}
        out.append("")
        verdict = _("PASSED") if self.passed else _("FAILED")
        out.append(verdict + ": " + _("{fail} failed, {ok} passed, {warn} with warnings, {skip} skipped").format(fail=n["fail"], ok=n["pass"], warn=n["warn"], skip=n["skip"]))
        return "\n".join(out) + "\n"

    def junit_suite(self) -> ET.Element:
        """One <testsuite> for this draft: a test case per parent task (classname
        ``plancheck.<draft>.tasks``), then one per rule (``plancheck.<draft>.rules``)."""
        _ = gettext_for(self.lang)
        suite = ET.Element("testsuite")
        suite.set("name", f"plancheck {self._draft_name()}")
        n_tests = len(self.tasks) + len(self.rules)
        n_fail = sum(1 for t in self.tasks if t.verdict == "fail") + len(self.failed_rules)
        n_skip = sum(1 for t in self.tasks if t.verdict == "waived") + sum(1 for r in self.rules if r.status == "skip")
        suite.set("tests", str(n_tests))
        suite.set("failures", str(n_fail))
        suite.set("errors", "0")
        suite.set("skipped", str(n_skip))
        suite.set("timestamp", self.today.isoformat())
        props = ET.SubElement(suite, "properties")
        for k, v in (("draft", self._draft_name()), ("draft_number", self.draft.number or ""), ("parent", self.parent.label), ("coverage", f"{self.coverage:.3f}"), ("config", self.config or ""), ("strict", "yes" if self.strict and not self.relaxed else "no")):
            pr = ET.SubElement(props, "property")
            pr.set("name", k)
            pr.set("value", _xml_safe(v))
        base = "plancheck." + re.sub(r"[^\w]+", "_", self._draft_name()).strip("_")
        for t in self.tasks:
            tc = ET.SubElement(suite, "testcase")
            tc.set("classname", base + ".tasks")
            tc.set("name", _xml_safe(f"{t.path} {t.words}"))
            tc.set("time", "0")
            if t.verdict == "fail":
                f = ET.SubElement(tc, "failure")
                f.set("message", _xml_safe(t.messages[0] if t.messages else t.status))
                f.set("type", ",".join(t.rules))
                f.text = _xml_safe("\n".join(t.messages))
            elif t.verdict == "waived":
                s = ET.SubElement(tc, "skipped")
                s.set("message", _xml_safe(t.messages[0] if t.messages else _("waived")))
            elif t.messages:
                so = ET.SubElement(tc, "system-out")
                so.text = _xml_safe("\n".join(t.messages))
        for r in self.rules:
            tc = ET.SubElement(suite, "testcase")
            tc.set("classname", base + ".rules")
            tc.set("name", r.rule)
            tc.set("time", "0")
            if r.status == "fail":
                f = ET.SubElement(tc, "failure")
                f.set("message", _xml_safe(r.summary))
                f.set("type", r.rule)
                f.text = _xml_safe("\n".join(r.messages))
            elif r.status == "skip":
                s = ET.SubElement(tc, "skipped")
                s.set("message", _xml_safe(r.summary))
            elif r.messages:
                so = ET.SubElement(tc, "system-out")
                so.text = _xml_safe("\n".join([r.summary, *r.messages]))
        return suite

    def to_junit(self) -> str:
        return junit_xml([self])

    @terminal_view

    def to_github(self, path: str | None = None) -> str:
        """GitHub Actions workflow commands: one per finding — ``::error`` for what fails
        the check, ``::warning`` for warnings, ``::notice`` for waivers in use — on the
        draft's line (for a drop, the draft section where the parent's section went),
        then one ``::notice`` with the verdict."""
        _ = gettext_for(self.lang)
        file = path or self._draft_name()
        out = []
        cmd = {"error": "error", "warning": "warning", "notice": "notice"}
        for r in self.rules:
            if r.status == "skip":
                continue
            items = r.findings or ([Finding(message=r.summary)] if r.status == "fail" else [])
            for f in items:
                sev = f.severity if r.status != "fail" or f.severity != "error" else "error"
                if r.status != "fail" and sev == "error":
                    sev = "warning"
                title = "plancheck " + r.rule + (f" {_pname(f.parent_task)}" if f.parent_task else "")
                props = f"file={_gh_prop(file)}" + (f",line={f.line}" if f.line else "") + f",title={_gh_prop(title)}"
                out.append(f"::{cmd[sev]} {props}::{_gh_data(f.message)}")
        n_fail = len(self.failed_rules)
        if self.passed:
            verdict = _("passed")
        else:
            n_ = ngettext_for(self.lang)
            verdict = n_("failed {n} rule: {rules}", "failed {n} rules: {rules}", n_fail).format(n=n_fail, rules=", ".join(r.rule for r in self.failed_rules))
        tail = _("{file} {verdict} (coverage {coverage} of {n} parent tasks)").format(file=file, verdict=verdict, coverage=_pct(self.coverage, self.lang, 1), n=self.parent_tasks)
        out.append(f"::notice title={_gh_prop('plancheck')}::{_gh_data(tail)}")
        return "\n".join(out) + "\n"


def first_words(text: str, n: int = CHECK.message_words) -> str:
    """The first words of a text, at most about ``n`` characters, cut at a space ('…' when cut)."""
    t = " ".join(text.split())
    if len(t) <= n:
        return t
    cut = t[: n + 1].rsplit(" ", 1)[0].rstrip(",;:.")
    return (cut if len(cut) >= n // 2 else t[:n]) + "…"


def _pct(x: float, lang: str, digits: int = 1) -> str:
    s = f"{x:.{digits}%}"
    return s.replace(".", ",") if lang == "vi" else s


def _pname(pid: str | None) -> str:
    return (pid or "")[2:] if (pid or "").startswith("T:") else (pid or "")


def junit_xml(results: list[CheckResult]) -> str:
    """One JUnit XML document: a <testsuite> per draft, a <testcase> per parent task and per rule."""
    root = ET.Element("testsuites")
    root.set("name", "plancheck")
    suites = [r.junit_suite() for r in results]
    for k in ("tests", "failures", "skipped"):
        root.set(k, str(sum(int(s.get(k) or 0) for s in suites)))
    root.set("errors", "0")
    # attribute order as JUnit readers show it
    root.attrib = {k: root.attrib[k] for k in ("name", "tests", "failures", "errors", "skipped")}
    for s in suites:
        root.append(s)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(s: str) -> str:
    return _XML_BAD.sub("", s)


def _gh_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


# ====================================================================== numbers and dates: read by the parser (plancompare.parse.quantities)

# ====================================================================== corpus


def corpus_numbers_from_dir(folder: str | Path, *, on_file: Callable[[Path], None] | None = None, on_error: Callable[[Path, Exception], None] | None = None) -> set[str]:
    """Number keys (:func:`plancompare.normalize.number_key`) of the plans in a
    folder (raw files or parsed JSON; only documents present count, not those
    they cite). Unreadable files are reported to ``on_error`` and skipped."""
    from ..errors import InputError, MissingFileError
    from ..parse import load

    p = Path(folder)
    if not p.is_dir():
        raise MissingFileError(f"{p}: no such folder", path=str(p))
    files = corpus_files(p)
    out: set[str] = set()
    for f in files:
        if on_file:
            on_file(f)
        try:
            doc = load(f)
        except InputError as e:
            if on_error:
                on_error(f, e)
            continue
        k = number_key(doc.document.number)
        if k:
            out.add(k)
    return out


CORPUS_SUFFIXES = (".txt", ".md", ".json", ".docx", ".pdf", ".html", ".htm")


def corpus_files(folder: str | Path) -> list[Path]:
    """The plan files of a corpus folder (not recursive); names starting with '.' or '_'
    (indexes, manifests, temporary files) are not plans."""
    p = Path(folder)
    if not p.is_dir():
        return []
    return sorted(f for f in p.iterdir() if f.is_file() and f.name[:1] not in (".", "_") and f.suffix.lower() in CORPUS_SUFFIXES)


# ====================================================================== the check


class _Ctx:
    def __init__(self, draft: ParsedDocument, parent: ParsedDocument, cmp: Comparison, cfg: CheckConfig, today: dt.date, lang: str = "en") -> None:
        self.draft, self.parent, self.cmp, self.cfg, self.today, self.lang = draft, parent, cmp, cfg, today, lang
        self._ = gettext_for(lang)
        self.n_ = ngettext_for(lang)
        self.d_tasks = {t.id: t for t in draft.tasks}
        self.p_tasks = {t.id: t for t in parent.tasks}
        self.d_sections = {s.id: s for s in draft.sections}
        self.compared: list[str] = []  # parent task ids in the comparison, in order
        self.pairs_of: dict[str, list[Pair]] = {}
        self.status: dict[str, Status] = {}
        self.carried: dict[str, bool] = {}
        for o in parent_outcomes(cmp):  # the one definition of "carried": plancompare.align.carried
            self.compared.append(o.parent_id)
            self.pairs_of[o.parent_id] = o.pairs
            self.status[o.parent_id] = o.status
            self.carried[o.parent_id] = o.carried
        self.waived: dict[str, Waiver] = {}  # active waivers by parent task id
        self.expired: dict[str, Waiver] = {}
        self.waiver_tasks: list[tuple[int, Waiver, list[str]]] = []
        self._where: dict[str | None, tuple[str | None, int | None]] = {}

    def date(self, d: dt.date) -> str:
        return fmt_date(d, self.lang)

    def pct(self, x: float, digits: int = 0) -> str:
        return _pct(x, self.lang, digits)

    def words(self, pid: str, n: int = CHECK.message_words) -> str:
        """The first words of a parent task (for messages and test-case names)."""
        t = self.p_tasks.get(pid)
        return first_words(t.text, n) if t else ""

    def pline(self, pid: str) -> int | None:
        t = self.p_tasks.get(pid)
        return t.line_start if t else None

    def psection(self, pid: str) -> str | None:
        t = self.p_tasks.get(pid)
        return t.section_path if t else None

    def draft_place(self, pid: str) -> tuple[str | None, int | None]:
        """Where in the draft a parent task's section went: (draft section path, line of
        its heading). The draft section that holds most of the carried tasks of the same
        parent section; its heading line, or (heading lost) the first of those tasks' lines."""
        sec = self.psection(pid)
        if sec in self._where:
            return self._where[sec]
        votes: dict[str, list[int]] = {}
        for qid in self.compared:
            if self.psection(qid) != sec or not self.carried[qid]:
                continue
            for pr in self.pairs_of[qid]:
                t = self.d_tasks.get(pr.child.id) if pr.child is not None else None
                if t is not None and t.section_id:
                    votes.setdefault(t.section_id, []).append(t.line_start)
        place: tuple[str | None, int | None] = (None, None)
        if votes:
            sid = max(votes, key=lambda k: (len(votes[k]), -min(votes[k])))
            ds = self.d_sections.get(sid)
            line = ds.line if ds is not None and ds.line else min(votes[sid])
            place = (ds.path if ds is not None else sid.removeprefix("S:"), line)
        self._where[sec] = place
        return place

    def line(self, draft_id: str | None) -> int | None:
        t = self.d_tasks.get(draft_id or "")
        return t.line_start if t else None

    def ptext(self, pid: str) -> str:
        t = self.p_tasks.get(pid)
        return _short(t.text, 80) if t else ""

    def pname(self, pid: str) -> str:
        return pid[2:] if pid.startswith("T:") else pid

    def resolve(self, sel: TaskSelector, where: str) -> list[str]:
        """Parent task ids a selector names; ConfigError when none or ambiguous."""
        src = self.cfg.source
        tasks = self.parent.tasks
        pname = self.parent.document.label
        if sel.task:
            ref = sel.task.strip()
            hits = find_tasks(tasks, ref)
            if not hits:
                raise ConfigError(f"{src}: {where}.task: '{ref}' matches no task of the parent {pname}", path=src)
            if len(hits) > 1:
                raise ConfigError(f"{src}: {where}.task: '{ref}' is ambiguous in the parent {pname} ({', '.join(t.path for t in hits[:4])}{', …' if len(hits) > 4 else ''}); give the full path", path=src)
        elif sel.text:
            k = text_key(sel.text)
            hits = [t for t in tasks if t.key.startswith(k)] if k else []
            if not hits:
                raise ConfigError(f"{src}: {where}.text: no task of the parent {pname} starts with '{_short(sel.text, 60)}'", path=src)
        else:
            s = (sel.section or "").strip().removeprefix("S:")
            hits = [t for t in tasks if t.section_path and (t.section_path == s or t.section_path.startswith(s + "."))]
            if not hits:
                raise ConfigError(f"{src}: {where}.section: '{s}' has no tasks in the parent {pname}", path=src)
        ids = [t.id for t in hits]
        outside = [i for i in ids if i not in self.pairs_of]
        if outside and len(outside) == len(ids):
            raise ConfigError(f"{src}: {where}: {self.pname(outside[0])} is an appendix task but only body tasks are compared (set compare.appendix: always)", path=src)
        return [i for i in ids if i in self.pairs_of]


def run_check(
    draft_doc: ParsedDocument,
    parent_doc: ParsedDocument,
    config: CheckConfig | None = None,
    *,
    today: dt.date | None = None,
    corpus_numbers: Iterable[str] | None = None,
    comparison: Comparison | None = None,
    draft_path: str | None = None,
    lang: str = "en",
) -> CheckResult:
    """Check a draft plan against its parent plan with the configured rules.

    ``today`` decides which waivers have expired (default: the real date).
    ``corpus_numbers``: document numbers present in the corpus (any spelling;
    compared with :func:`plancompare.normalize.number_key`); when None the
    config's ``references.corpus`` folder is read, and without one the
    ``references`` rule is skipped. ``comparison`` may be passed when already made.
    Raises :class:`ConfigError` when a rule names a parent task or section that
    does not exist."""
    from ..align import compare

    cfg = config or CheckConfig()
    today = today or dt.date.today()
    if comparison is None:
        mode = cfg.compare.appendix
        if mode == "always":
            inc = TaskScope.all
        elif mode == "never":
            inc = TaskScope.body
        else:
            both = any(t.source == "appendix" for t in draft_doc.tasks) and any(t.source == "appendix" for t in parent_doc.tasks)
            inc = TaskScope.all if both else TaskScope.auto
        comparison = compare(parent_doc, draft_doc, scope=inc)
    ctx = _Ctx(draft_doc, parent_doc, comparison, cfg, today, lang)
    # resolve all selectors first: config errors before any rule runs
    for i, w in enumerate(cfg.waivers):
        ids = ctx.resolve(w, f"waivers[{i}]")
        ctx.waiver_tasks.append((i, w, ids))
        for pid in ids:
            (ctx.waived if today <= w.expires else ctx.expired)[pid] = w
    protected = [(i, p, ctx.resolve(p, f"protected[{i}]")) for i, p in enumerate(cfg.protected)]
    if corpus_numbers is None and cfg.references.enabled and cfg.corpus_dir() is not None:
        corpus_numbers = corpus_numbers_from_dir(cfg.corpus_dir())  # type: ignore[arg-type]
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
        _references(ctx, corpus_numbers),
    ]
    for r in rules:
        r.title = ctx._(r.title)
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
        by_key: dict[str, list] = {}
        for ind in ctx.parent.all_indicators():
            by_key.setdefault(ind.key, []).append(ind)
        for di in ctx.draft.all_indicators():
            for pi in by_key.get(di.key, []):
                for pt in pi.targets:
                    if pt.value is None or pt.qualitative:
                        continue
                    for dtg in di.targets:
                        if dtg.value is None or dtg.qualitative or (dtg.year, (dtg.unit or "").strip().lower()) != (pt.year, (pt.unit or "").strip().lower()):
                            continue
                        checked += 1
                        if target_direction(pt) == "unstated" and cfg.default_direction == "ignore":
                            continue
                        label = ctx._("indicator {label}").format(label=di.label or di.id) + f" «{_short(di.name, 60)}» ({dtg.period or dtg.year})"
                        if target_change(pt, dtg, default=cfg.default_direction, tolerance=cfg.tolerance) == "weaker":
                            findings.append(Finding(message=ctx._("{indicator}: {draft} is weaker than the parent's {parent} (indicator {label})").format(indicator=label, draft=dtg.raw, parent=pt.raw, label=pi.label or pi.id), draft_task=di.id, line=di.line_start))
                        elif (dtg.value, dtg.value_max, dtg.op) != (pt.value, pt.value_max, pt.op):
                            notes.append(ctx._("{indicator}: {draft} vs the parent's {parent} (not weaker)").format(indicator=label, draft=dtg.raw, parent=pt.raw))
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


def _references(ctx: _Ctx, corpus_numbers: Iterable[str] | None) -> RuleResult:
    cfg = ctx.cfg.references
    if not cfg.enabled:
        return _skip("references", ctx._("disabled in the config"))
    if corpus_numbers is None:
        return _skip("references", ctx._("no corpus folder given (--corpus or references.corpus in the config)"))
    known = {k for k in (number_key(n) for n in corpus_numbers) if k}
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
        if k in known or k in selves:
            continue
        if k in external:
            notes.append(ctx._("{number}: external (listed in references.external)").format(number=r.number))
            continue
        findings.append(Finding(message=ctx._("cited document {document} ({relation}, line {line}) is not in the corpus and not listed in references.external").format(document=(r.kind + " " if r.kind else "") + (r.number_as_written or r.number), relation=r.relation, line=r.line), line=r.line))
    summary = ctx.n_("{n} cited document against {known} in the corpus and {external} external", "{n} cited documents against {known} in the corpus and {external} external", n).format(n=n, known=len(known), external=len(external)) + (ctx._("; {n} unresolved").format(n=len(findings)) if findings else ctx._(", all resolved"))
    return _result("references", "fail" if findings else "pass", summary, findings, notes, task_ids=[])


# ====================================================================== baseline and git


def baseline_yaml(results: list[CheckResult], existing: str | None = None, *, expires: dt.date, source: str = "plancheck.yaml", today: dt.date | None = None) -> tuple[str, int]:
    """A config that waives every parent task the drafts leave out today, each with
    ``reason: "TODO"`` and an expiry date (a linter's baseline): the team adopts the
    gate on an existing draft, and from then on only new drops fail. ``existing``:
    the YAML of a config to extend (its keys are kept; tasks it already waives are not
    repeated). Returns (YAML text, number of waivers added)."""
    import json

    import yaml

    data: dict[str, Any] = {}
    if existing is not None and existing.strip():
        loaded = yaml.safe_load(existing)
        CheckConfig.from_dict(loaded, source)  # valid before it is extended
        data = dict(loaded or {})
    waivers = list(data.get("waivers") or [])
    have = {str(w.get("task") or "").removeprefix("T:") for w in waivers if isinstance(w, dict)}
    new: list[tuple[str, str, str]] = []  # (path, words, draft)
    for r in results:
        for t in r.tasks:
            if t.status in ("copied", "changed") or t.verdict != "fail" or "dropped" not in t.rules:
                continue
            if t.path in have:
                continue
            have.add(t.path)
            new.append((t.path, t.words, r._draft_name()))
    header = [
        "# plancheck baseline: written by `plancompare check --write-config` on " + (today or dt.date.today()).isoformat() + ".",
        "# Every parent task the draft leaves out today is waived with reason TODO until " + expires.isoformat() + ":",
        "# write the real reason for each (check warns while a reason is TODO), or put the task back.",
        "# From now on only new drops fail. Every key: examples/plancheck.yaml.",
    ]
    if data:
        data["waivers"] = waivers + [{"task": p, "reason": TODO_REASON, "expires": expires} for p, _w, _d in new]
        body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
        return "\n".join(header) + "\n" + body, len(new)
    lines = header + ["version: 1", "waivers:" + (" []" if not new else "")]
    for p, words, draft in new:
        lines.append(f"  - task: {json.dumps(p, ensure_ascii=False)}  # {words} (left out by {draft})")
        lines.append(f'    reason: "{TODO_REASON}"')
        lines.append(f"    expires: {expires.isoformat()}")
    return "\n".join(lines) + "\n", len(new)


def changed_files(base: str, cwd: str | Path = ".") -> set[Path]:
    """Files changed between ``base`` and HEAD (``git diff --name-only BASE...HEAD``), as
    resolved absolute paths. UsageError when git is missing or the range is unknown."""
    import subprocess

    from ..errors import UsageError

    def git(*args: str) -> str:
        try:
            r = subprocess.run(["git", *args], cwd=str(cwd), capture_output=True, text=True, timeout=60)
        except FileNotFoundError:
            raise UsageError("--changed-only: git is not installed") from None
        if r.returncode != 0:
            msg = (r.stderr.strip().splitlines() or ["git failed"])[-1]
            raise UsageError(f"--changed-only {base}: {msg}")
        return r.stdout

    top = Path(git("rev-parse", "--show-toplevel").strip())
    names = git("diff", "--name-only", f"{base}...HEAD").splitlines()
    return {(top / n).resolve() for n in names if n.strip()}


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
    "corpus_numbers_from_dir",
    "corpus_files",
]
