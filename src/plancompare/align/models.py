"""The comparison result model: one canonical record of what a child plan did with its parent.

Every output format (terminal table, JSON, CSV, Markdown, gap lists, HTML
report, CI check) is a view of a :class:`Comparison`; the views that are plain
serialisations live here on the model (``to_json``, ``csv_rows``, ``to_csv``,
``to_markdown``).

The vocabulary is closed: a task ends in exactly one :class:`Status`; a
``changed`` pair carries one or more :class:`Kind`.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, ClassVar, Iterable, Literal

from ..io import markdown_view
from ..modelbase import base
from ..models import SCHEMA_VERSION, Deadline, DocumentInfo, Task, _deadline_of
from .settings import AlignSettings
from ..normalize import shorten as _short
from ..normalize import md_cell as _md

if TYPE_CHECKING:
    from pydantic import BaseModel, ConfigDict, Field, field_validator
else:  # pydantic's, or the light base in the fast diff's process (see plancompare.modelbase)
    BaseModel, ConfigDict, Field, field_validator = base()


class Status(str, Enum):
    copied = "copied"  # the same task (after normalisation; possibly localised)
    changed = "changed"  # the same task, materially edited (see kinds)
    dropped = "dropped"  # a parent task with no counterpart in the child
    added = "added"  # a child task with no counterpart in the parent


class Kind(str, Enum):
    localized = "localized"  # jurisdiction words changed ('tỉnh' -> 'phường', 'các cấp chính quyền' -> 'địa phương')
    softened = "softened"  # the child proposes / advises / coordinates where the parent builds or issues
    narrowed = "narrowed"  # parts of the parent task removed
    extended = "extended"  # parts added
    retargeted = "retargeted"  # a number, percentage, year or deadline changed (see retargets)
    reworded = "reworded"  # other wording changes
    merged = "merged"  # the child task combines several parent tasks
    split = "split"  # the parent task is spread over several child tasks
    typo = "typo"  # spelling slips (one or two letters in a word)


STATUS_NAMES: tuple[str, ...] = tuple(s.value for s in Status)  # every view lists statuses in this order
KIND_NAMES: tuple[str, ...] = tuple(k.value for k in Kind)
PARENT_STATUSES: tuple[str, ...] = (Status.copied.value, Status.changed.value, Status.dropped.value)  # what becomes of a parent task


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TaskRef(_M):
    """The fields of a task that a comparison shows."""

    id: str
    label: str | None = None
    path: str
    section_path: str | None = None
    section_title: str | None = None
    text: str
    lead: str | None = None
    deadline: Deadline | None = Field(None, description="The task's deadline as the parser read it (Task.deadline).")
    source: str = "body"

    _read_deadline = field_validator("deadline", mode="before")(classmethod(lambda cls, v: _deadline_of(v)))

    @classmethod
    def of(cls, t: Task) -> "TaskRef":
        return cls(id=t.id, label=t.label, path=t.path, section_path=t.section_path, section_title=t.section_title, text=t.text, lead=t.lead, deadline=t.deadline, source=t.source)


class DiffOp(_M):
    """One run of the word-level diff from parent text to child text."""

    op: Literal["equal", "delete", "insert"]
    text: str = Field(description="The words as the child writes them (as the parent writes them, for 'delete').")
    parent_text: str | None = Field(None, description="For 'equal': the parent's writing of the same words when it differs (case, punctuation, tone-mark placement).")


class Retarget(_M):
    """A number a linked pair changed (see :mod:`plancompare.align.targets`): the one record of a
    changed target that the diff views, the gate and the lineage read."""

    old: str | None = Field(description="Value in the parent as written ('25%', '2030'); None when the child added it.")
    new: str | None = Field(description="Value in the child; None when the child removed it.")
    unit: Literal["percent", "number", "year", "month"] = Field("number", description="What the number is.")
    old_value: float | None = Field(None, description="The parent's value read as a number (a month as year + (month - 1) / 12).")
    new_value: float | None = Field(None, description="The child's value read as a number.")
    direction: Literal["at_least", "at_most", "later", "unstated"] = Field("unstated", description="What the words make of it: a minimum ('tối thiểu', 'trở lên'), a maximum ('không quá'), a date (later is weaker), or nothing said.")
    change: Literal["weaker", "better", "same", "removed", "added"] = Field("same", description="The child's value against the parent's (an unstated direction counts as a minimum).")
    target: bool = Field(True, description="False for a number removed (or added) together with its words, without a percentage or a minimum/maximum word: not a target.")
    context: str = Field("", description="The parent's words before the number ('…hệ thống thông tin mức độ 3…').")


class Related(_M):
    """A counterpart with real but weak evidence (confidence between related_threshold and link_threshold,
    or above it but taken by a stronger link): shown, never counted as carrying the task."""

    parent: TaskRef
    child: TaskRef
    confidence: float = Field(description="Probability that the child task derives from the parent task (calibrated; see AlignSettings).")
    score: float = Field(description="Similarity of the two texts, 0..1 (weighted word overlap).")
    parent_coverage: float
    child_coverage: float
    diff: list[DiffOp] = Field(default_factory=list, description="Word-level diff parent -> child.")


class Pair(_M):
    """One link between a parent task and a child task, or one unmatched task."""

    status: Status
    kinds: list[Kind] = Field(default_factory=list)
    score: float = Field(description="Similarity of the linked texts, 0..1 (weighted word overlap); 0 for dropped/added.")
    confidence: float = Field(0.0, description="For a link: the calibrated probability that the child task derives from the parent task. For a dropped or added task: the confidence of its related counterpart (0 when none).")
    related: Related | None = Field(None, description="For a dropped parent task (an added child task): the counterpart with weak evidence; the task still counts as dropped (added).")
    parent: TaskRef | None = None
    child: TaskRef | None = None
    parent_coverage: float | None = Field(None, description="Share of the parent task's (weighted) words found in the child task.")
    child_coverage: float | None = Field(None, description="Share of the child task's words that come from the parent task.")
    parent_part: str | None = Field(None, description="The part of the parent text this link covers (for merges and splits, the part carried).")
    child_part: str | None = Field(None, description="The part of the child text this link covers.")
    group: str | None = Field(None, description="Links of one merge or split share a group id.")
    diff: list[DiffOp] = Field(default_factory=list, description="Word-level diff parent -> child (empty for copied, dropped, added).")
    retargets: list[Retarget] = Field(default_factory=list)

    @property
    def target_changes(self) -> list[Retarget]:
        """The retargets that are targets (a number removed with its words is not one): what views show."""
        return [r for r in self.retargets if r.target]

    @property
    def changed_words(self) -> tuple[str, str]:
        """(deleted words, inserted words) joined with ' … '."""
        dels = " … ".join(d.text for d in self.diff if d.op == "delete")
        ins = " … ".join(d.text for d in self.diff if d.op == "insert")
        return dels, ins

    @property
    def confidence_label(self) -> str:
        """'high', 'medium' or 'low' (see confidence.label)."""
        from .confidence import label

        return label(self.confidence)

    @property
    def related_note(self) -> str:
        """'related: II.5.d, 0.31' for a dropped/added task with a related counterpart, else ''."""
        if not self.related:
            return ""
        other = self.related.child if self.status == Status.dropped else self.related.parent
        return f"related: {other.path}, {self.related.confidence:.2f}"

    def flat_row(self, record: str = "task") -> dict[str, str]:
        """The pair as one flat row of :data:`PAIR_COLUMNS` (CSV): ``record`` says what was
        compared (task, objective, assignment)."""
        dels, ins = self.changed_words
        par, chi = self.parent, self.child
        return {
            "status": self.status.value,
            "kinds": ";".join(k.value for k in self.kinds),
            "score": f"{self.score:.3f}",
            "confidence": f"{self.confidence:.3f}",
            "related": self.related_note,
            "parent_task_id": par.id if par else "",
            "parent_label": (par.label or "") if par else "",
            "parent_section": _section(par),
            "parent_text": par.text if par else "",
            "child_task_id": chi.id if chi else "",
            "child_label": (chi.label or "") if chi else "",
            "child_section": _section(chi),
            "child_text": chi.text if chi else "",
            "deleted_words": dels,
            "inserted_words": ins,
            "retargets": "; ".join(f"{r.old} -> {r.new}" for r in self.target_changes),
            "group": self.group or "",
            "parent_lead": (par.lead or "") if par else "",
            "record": record,
        }


# the one flat layout of a pair (diff CSV; the batch pairs table names its ids the same way)
PAIR_COLUMNS: tuple[str, ...] = ("status", "kinds", "score", "confidence", "related", "parent_task_id", "parent_label", "parent_section", "parent_text", "child_task_id", "child_label", "child_section", "child_text", "deleted_words", "inserted_words", "retargets", "group", "parent_lead", "record")


def _section(task: "TaskRef | None") -> str:
    return ((task.section_path or "") + " " + (task.section_title or "")).strip() if task else ""


class SectionSummary(_M):
    section_path: str | None
    section_title: str | None = Field(description="The parent section's title; when the parent lost it (a scraped plan), the title of the child section its tasks went to.")
    title_from_child: bool = Field(False, description="True when section_title was taken from the child because the parent's heading is lost.")
    parent_tasks: int
    copied: int
    changed: int
    dropped: int
    coverage: float = Field(description="Share of the section's parent tasks carried into the child (copied or changed).")


class Summary(_M):
    parent_tasks: int
    child_tasks: int
    statuses: dict[str, int] = Field(description="Tasks per status: parent tasks for copied/changed/dropped, child tasks for added.")
    child_statuses: dict[str, int] = Field(description="Child tasks per status (copied, changed, added).")
    kinds: dict[str, int] = Field(description="Changed/copied links per kind.")
    links: int = Field(description="Parent-child links (pairs with both sides).")
    coverage: float = Field(description="Share of parent tasks carried into the child (copied or changed).")
    localized_copies: int
    related: int = Field(0, description="Dropped parent tasks shown with a related child task (they count as dropped).")
    related_child: int = Field(0, description="Added child tasks shown with a related parent task (they count as added).")
    sections: list[SectionSummary]


def pair_counts(pairs: list[Pair]) -> dict[str, object]:
    """The summary's counts of a list of pairs: parent tasks per outcome (copied/changed/dropped),
    child tasks per status, kinds, links, localized copies and related counterparts."""
    from .carried import outcome_of

    by_parent: dict[str, list[Pair]] = {}
    by_child: dict[str, list[Pair]] = {}
    for p in pairs:
        if p.parent is not None:
            by_parent.setdefault(p.parent.id, []).append(p)
        if p.child is not None:
            by_child.setdefault(p.child.id, []).append(p)
    statuses = {s.value: 0 for s in Status}
    for prs in by_parent.values():
        statuses[outcome_of(prs).value] += 1
    child_statuses = {"copied": 0, "changed": 0, "added": 0}
    for prs in by_child.values():
        st = Status.added if all(p.status == Status.added for p in prs) else (Status.changed if any(p.status == Status.changed for p in prs) else Status.copied)
        child_statuses[st.value] += 1
    statuses["added"] = child_statuses["added"]
    kinds: dict[str, int] = {}
    for p in pairs:
        for k in p.kinds:
            kinds[k.value] = kinds.get(k.value, 0) + 1
    return {
        "statuses": statuses,
        "child_statuses": child_statuses,
        "kinds": kinds,
        "links": sum(1 for p in pairs if p.parent and p.child),
        "localized_copies": sum(1 for p in pairs if p.status == Status.copied and Kind.localized in p.kinds),
        "related": sum(1 for p in pairs if p.related and p.status == Status.dropped),
        "related_child": sum(1 for p in pairs if p.related and p.status == Status.added),
    }


class Comparison(_M):
    """The result of comparing a child plan with its parent."""

    FORMATS: ClassVar[tuple[str, ...]] = ("table", "json", "csv", "md")  # the CLI's --format values (cli/output.py)

    schema_version: str = SCHEMA_VERSION
    parent: DocumentInfo
    child: DocumentInfo
    summary: Summary
    pairs: list[Pair]
    objectives: list[Pair] | None = Field(None, description="Objectives (mục tiêu) compared the same way, reported apart from tasks (diff --all).")
    assignments: list[Pair] | None = Field(None, description="Implementation assignments (tổ chức thực hiện, kinh phí) compared the same way, reported apart (diff --all).")
    settings: AlignSettings = Field(default_factory=AlignSettings, description="The settings used (thresholds of the alignment), for reproducibility.")
    selection: list[str] | None = Field(None, description="Set by only(): the statuses the pairs were selected by; the summary's counts (statuses, kinds, links, related) are then those of the selected pairs, while parent_tasks, child_tasks, coverage and sections stay the documents'.")

    # ------------------------------------------------------------------ carried or not

    def by_parent(self) -> dict[str, list[Pair]]:
        """Parent task id -> the links (copied/changed pairs) that carry it; a dropped task
        (even one shown with a related child task) maps to an empty list."""
        out: dict[str, list[Pair]] = {}
        for p in self.pairs:
            if p.parent is None:
                continue
            lst = out.setdefault(p.parent.id, [])
            if p.child is not None and p.status in (Status.copied, Status.changed):
                lst.append(p)
        return out

    def carried(self, parent_task_id: str) -> bool:
        """True when the parent task is carried into the child (copied or changed). A task whose
        only counterpart is `related` is not carried."""
        return any(p.parent is not None and p.parent.id == parent_task_id and p.child is not None and p.status in (Status.copied, Status.changed) for p in self.pairs)

    # ------------------------------------------------------------------ views

    def only(self, statuses: Iterable[str] | None) -> "Comparison":
        """A copy with only the pairs of the given statuses; ``related`` selects the dropped/added
        tasks shown with a related counterpart. Its summary agrees with its pairs: the status,
        kind, link and related counts are recounted from the pairs kept (``selection`` says which);
        the documents' facts (task counts, coverage, sections) are kept."""
        if not statuses:
            return self
        wanted = [str(s.value if isinstance(s, Status) else s) for s in statuses]
        keep = {Status(s) for s in wanted if s != "related"}
        related = "related" in wanted  # the dropped/added tasks shown with a related counterpart
        pairs = [p for p in self.pairs if p.status in keep or (related and p.related is not None)]
        summary = self.summary.model_copy(update=pair_counts(pairs))
        return self.model_copy(update={"pairs": pairs, "summary": summary, "selection": wanted})

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    CSV_COLUMNS: ClassVar[tuple[str, ...]] = PAIR_COLUMNS

    def records(self) -> list[tuple[str, list[Pair]]]:
        """What was compared, by record: tasks, then (``diff --all``) objectives and assignments."""
        out = [("task", self.pairs)]
        if self.objectives is not None:
            out.append(("objective", self.objectives))
        if self.assignments is not None:
            out.append(("assignment", self.assignments))
        return out

    def csv_rows(self) -> list[dict[str, str]]:
        return [p.flat_row(record) for record, pairs in self.records() for p in pairs]

    def to_csv(self) -> str:
        """CSV text (the caller writes it with a UTF-8 BOM so that Excel shows Vietnamese)."""
        from ..io import csv_text

        return csv_text(self.CSV_COLUMNS, self.csv_rows())

    @markdown_view

    def to_markdown(self) -> str:
        s = self.summary
        pn = self.parent.label
        cn = self.child.label
        out = [f"# {pn} → {cn}", ""]
        out.append(f"Coverage: **{s.coverage:.0%}** of {s.parent_tasks} parent tasks carried into the child ({s.child_tasks} child tasks).")
        out.append("")
        out.append("| status | tasks |")
        out.append("|---|---|")
        for k in STATUS_NAMES:
            out.append(f"| {k} | {s.statuses.get(k, 0)} |")
        if s.kinds:
            out.append("")
            out.append("Kinds: " + ", ".join(f"{k} {v}" for k, v in sorted(s.kinds.items())))
        out.append("")
        out.append("| section | parent tasks | copied | changed | dropped | coverage |")
        out.append("|---|---|---|---|---|---|")
        for sec in s.sections:
            out.append(f"| {_md(sec.section_path or '')}{'*' if sec.title_from_child else ''} {_md(sec.section_title or '')} | {sec.parent_tasks} | {sec.copied} | {sec.changed} | {sec.dropped} | {sec.coverage:.0%} |")
        out.append("")
        for record, pairs in self.records():
            if record != "task":
                out += ["", f"## {record}s ({len(pairs)})", ""]
            out += _markdown_pairs(pairs)
        return "\n".join(out) + "\n"


def _markdown_pairs(pairs: list[Pair]) -> list[str]:
    """Pairs as a Markdown table: status, kinds, parent, child, changes."""
    out = ["| status | kinds | parent | child | changes |", "|---|---|---|---|---|"]
    for p in pairs:
        par = f"{p.parent.path}: {_md(_short(p.parent.text))}" if p.parent else "—"
        chi = f"{p.child.path}: {_md(_short(p.child.text))}" if p.child else "—"
        change = " ".join(f"~~{_md(d.text)}~~" if d.op == "delete" else f"**{_md(d.text)}**" for d in p.diff if d.op != "equal")
        if p.target_changes:
            change = "; ".join(f"{r.old} → {r.new}" for r in p.target_changes) + (" · " + change if change else "")
        status = p.status.value + (f" — {p.related_note}" if p.related else "")
        if p.parent and p.child:
            status += f" ({p.confidence:.2f})"
        out.append(f"| {status} | {', '.join(k.value for k in p.kinds)} | {par} | {chi} | {change} |")
    return out


