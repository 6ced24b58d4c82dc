"""The check's results: findings, rule results, task verdicts and :class:`CheckResult` with its views (text, JSON, JUnit XML, GitHub annotations)."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from typing import Any, ClassVar, Literal
from pydantic import Field, RootModel
from ..align.models import STATUS_NAMES
from ..align.settings import AlignSettings
from .settings import DEFAULT as CHECK, CheckSettings
from ..io import terminal_view
from ..models import DocumentInfo
from ..i18n import gettext_for, ngettext_for, status_label
from .config import _C


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

    FORMATS: ClassVar[tuple[str, ...]] = ("text", "table", "json", "junit", "github")  # the CLI's --format values (cli/output.py)

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

    def to_tables(self) -> list[Any]:
        """The terminal view: the rules with their outcome, then every parent task that did not simply pass."""
        from ..io import Table

        _ = gettext_for(self.lang)
        head = f"plancheck: {self._draft_name()} — " + _("against: {parent}").format(parent=self.parent.label) + f" — {_('PASSED') if self.passed else _('FAILED')}"
        rules = Table(head, (_("status"), _("rule"), _("summary")), [(r.status.upper(), r.rule, r.summary) for r in self.rules])
        tasks = [t for t in self.tasks if t.verdict != "pass"]
        rows = [(t.verdict.upper(), t.path, t.status, ", ".join(t.rules), t.messages[0] if t.messages else t.words) for t in tasks]
        return [rules, Table(_("parent tasks: {fail} failing, {warn} with warnings, {waived} waived, {ok} passing").format(**{**self.verdicts(), "ok": self.verdicts()["pass"]}), (_("verdict"), _("task"), _("status"), _("rules"), _("message")), rows)]

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


class CheckRun(RootModel[list[CheckResult]]):
    """The results of one ``check`` run, one per draft; its views join the drafts' (one JSON
    document: the result itself for one draft, a list for several)."""

    FORMATS: ClassVar[tuple[str, ...]] = CheckResult.FORMATS

    @property
    def failed(self) -> list[CheckResult]:
        return [r for r in self.root if not r.passed]

    def to_json(self, indent: int | None = 2) -> str:
        return self.root[0].to_json(indent) if len(self.root) == 1 else self.model_dump_json(indent=indent)

    def to_text(self) -> str:
        return "\n".join(r.to_text() for r in self.root)

    def to_github(self) -> str:
        return "".join(r.to_github() for r in self.root)

    def to_junit(self) -> str:
        return junit_xml(self.root)

    def to_tables(self) -> list[Any]:
        return [t for r in self.root for t in r.to_tables()]
