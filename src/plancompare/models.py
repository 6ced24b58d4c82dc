"""The parsed-document record model (pydantic v2).

A :class:`ParsedDocument` is what the parser produces for one plan: the
document's identity (:class:`DocumentInfo`), the documents it cites
(:class:`Reference`), its outline (:class:`Section`), and its records:
:class:`Task`, :class:`Indicator` (with :class:`Target`), :class:`Objective`
and :class:`Assignment`, plus :class:`Problem` records for everything the
parser noticed but could not take at face value.

Display text (``text``, ``title``, ``name``) is kept as written (NFC only).
Comparison keys (``key``) are normalised separately, see
:mod:`plancompare.normalize`.

Every model serialises itself: ``model_dump_json()`` / ``model_validate_json()``
round-trip exactly; JSON Schemas under ``schemas/`` are generated from these
classes (``python -m plancompare.schemas``).
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import TYPE_CHECKING, Literal

from .modelbase import base

if TYPE_CHECKING:
    from pydantic import BaseModel, ConfigDict, Field, field_validator
else:  # pydantic's, or the light base in the fast diff's process (see plancompare.modelbase)
    BaseModel, ConfigDict, Field, field_validator = base()

SCHEMA_VERSION = "1"


class Record(BaseModel):
    """Base for all records: strict about unknown fields, stable field order."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class Level(str, Enum):
    """Where a document sits in the cascade."""

    central_party = "central_party"  # Bộ Chính trị, Ban Chấp hành Trung ương
    government = "government"  # Chính phủ, Thủ tướng
    ministry = "ministry"  # Bộ, ngành trung ương
    provincial_party = "provincial_party"  # Tỉnh ủy, Ban Thường vụ Tỉnh ủy
    provincial_government = "provincial_government"  # UBND tỉnh / thành phố trực thuộc TW
    commune = "commune"  # UBND xã, phường, đặc khu
    unknown = "unknown"


class PartKind(str, Enum):
    """What a top-level part of a plan is for (decides which record kind its items become)."""

    preamble = "preamble"
    purpose = "purpose"  # Mục đích, yêu cầu
    principles = "principles"  # Quan điểm
    objectives = "objectives"  # Mục tiêu
    tasks = "tasks"  # Nhiệm vụ, giải pháp
    funding = "funding"  # Kinh phí
    organisation = "organisation"  # Tổ chức thực hiện
    appendix = "appendix"  # Phụ lục
    other = "other"


class TaskScope(str, Enum):
    """Which tasks of the two plans a comparison takes.

    auto: the appendix task tables as well when both plans have one, else the body
    (a side without body tasks uses its appendix); body: body tasks only; appendix:
    appendix tasks only when a side has them; all: body and appendix tasks."""

    auto = "auto"
    body = "body"
    appendix = "appendix"
    all = "all"

    @classmethod
    def of(cls, value: "TaskScope | str | bool | None") -> "TaskScope":
        """The scope a value names; the old three-valued keyword maps as None -> auto,
        True -> all (body and appendix), False -> body."""
        if isinstance(value, TaskScope):
            return value
        if value is None:
            return cls.auto
        if isinstance(value, bool):
            return cls.all if value else cls.body
        return cls(str(value))

    @property
    def include_appendix(self) -> bool | None:
        """The aligner's view of the scope: None (auto), True (appendix tasks in), False (body only)."""
        return {TaskScope.auto: None, TaskScope.body: False}.get(self, True)


class Problem(Record):
    """Something the parser noticed: a repaired quirk, a guess, or a row it could not read.

    Problems are data, not crashes: the parse goes on and reports them.
    """

    code: str = Field(description="Closed vocabulary, see plancompare.parse.PROBLEM_CODES.")
    severity: Literal["info", "warning", "error"] = Field("warning", description="info: repaired silently; warning: a guess the reader should know; error: content lost.")
    message: str = Field(description="Human-readable explanation, in English, quoting Vietnamese text as written.")
    line: int | None = Field(None, description="1-based line in the raw file where it was noticed.")
    line_end: int | None = Field(None, description="Last raw line concerned, when a range.")
    record_id: str | None = Field(None, description="The record concerned, if any.")


class Reference(Record):
    """A document cited by this one ("Thực hiện...", "Căn cứ...")."""

    number: str | None = Field(None, description="Number/symbol as normalised (e.g. '71/NQ-CP', '283-KH/TU'); None for a cited law with no number.")
    number_as_written: str | None = Field(None, description="The number exactly as in the text.")
    kind: str | None = Field(None, description="Document kind as written: 'Nghị quyết', 'Kế hoạch', 'Chương trình', 'Công văn', 'Luật'...")
    date: dt.date | None = Field(None, description="Issue date cited with it, if any.")
    issuer: str | None = Field(None, description="Issuer cited with it ('Chính phủ', 'Bộ Chính trị', 'Ban Thường vụ Tỉnh ủy'...).")
    relation: Literal["implements", "basis", "replaces", "amends", "mentions"] = Field("implements", description="implements: 'Thực hiện ...'; basis: 'Căn cứ ...'; replaces: 'thay thế ...'; amends: 'sửa đổi, bổ sung ...'; mentions: cited elsewhere.")
    title: str | None = Field(None, description="Subject of the cited document if given ('về ...').")
    line: int | None = Field(None, description="Raw line of the citation.")
    context: str | None = Field(None, description="The sentence (or clause of a long paragraph) citing it, as cleaned by the parser.")


class DocumentInfo(Record):
    """Identity of a plan document."""

    number: str | None = Field(None, description="Number/symbol, normalised ('146/KH-UBND', '283-KH/TU', '57-NQ/TW', '03/NQ-CP'); None when the text has none.")
    number_as_written: str | None = Field(None, description="Number exactly as found.")
    kind: str | None = Field(None, description="Document kind: 'Nghị quyết', 'Kế hoạch', 'Kế hoạch hành động', 'Chương trình hành động'...")
    issuer: str | None = Field(None, description="Issuing body ('UBND tỉnh Đắk Lắk', 'Ban Thường vụ Tỉnh ủy', 'Bộ Chính trị', 'Chính phủ').")
    level: Level = Field(Level.unknown, description="Level in the cascade.")
    place: str | None = Field(None, description="Province, commune or ward the plan is for ('Đắk Lắk', 'phường Tân Lập'); None for central documents.")
    issue_date: dt.date | None = Field(None, description="Date of issue.")
    title: str | None = Field(None, description="Title / subject line.")
    signer: str | None = Field(None, description="Name of the signatory where present.")
    source_file: str | None = Field(None, description="File name the document was parsed from.")
    sha256: str | None = Field(None, description="SHA-256 of the raw file bytes.")
    layout: str | None = Field(None, description="Detected layout: 'markdown', 'web_scrape', 'pdf_text', 'plain', 'docx', 'pdf', 'html'.")
    encoding: str | None = Field(None, description="Text encoding found ('utf-8', or the legacy encoding converted from: 'tcvn3', 'vni'...).")

    @property
    def label(self) -> str:
        """How a document is named in every output: its number, else its kind and place
        ('Kế hoạch (phường Tân Lập)'), else its kind and issuer or file name."""
        if self.number:
            return self.number
        where = self.place or self.issuer or (self.source_file.rsplit("/", 1)[-1].rsplit(".", 1)[0] if self.source_file else "?")
        return f"{self.kind or 'Văn bản'} ({where})"


class Section(Record):
    """A heading in the plan's outline (found or inferred)."""

    id: str = Field(description="Stable id, 'S:' + path.")
    number: str | None = Field(None, description="Numbering as written ('II', '3', '1.1', 'a'); None if unnumbered.")
    numbering: str = Field(description="Numbering style: roman, arabic, decimal, letter, paren, markdown, bold, inferred, appendix.")
    title: str | None = Field(None, description="Heading text without its number; None if the heading was lost and inferred.")
    path: str = Field(description="Dotted path of numbers from the top ('II.3').")
    depth: int = Field(description="0 for top-level parts.")
    parent_id: str | None = Field(None, description="Enclosing section id.")
    part: PartKind = Field(PartKind.other, description="Kind of the top-level part this section belongs to.")
    inferred: bool = Field(False, description="True when the heading is not in the text and was inferred (for example from a restart of a), b), c)...).")
    line: int | None = Field(None, description="Raw line of the heading (first line of its group when inferred).")
    intro: str | None = Field(None, description="Unnumbered lead-in paragraph(s) under the heading, if any.")


class Deadline(Record):
    """A task's deadline, read by the parser: the text as written and what it names."""

    text: str = Field(description="The deadline as written ('Quý II/2025', 'Thường xuyên').")
    year: int | None = Field(None, description="The year it names (the end of a range, the first milestone of 'năm 2025 và những năm tiếp theo').")
    quarter: int | None = Field(None, ge=1, le=4, description="The quarter, for 'Quý II/2025'.")
    month: int | None = Field(None, ge=1, le=12, description="The month, for 'Tháng 7/2025' or a full date.")
    day: int | None = Field(None, ge=1, le=31, description="The day, for a full date ('30/6/2025').")
    open_ended: bool = Field(False, description="True for 'Thường xuyên', 'Hằng năm', 'Liên tục', 'Định kỳ': no date to meet.")

    def __str__(self) -> str:
        return self.text

    def __format__(self, spec: str) -> str:
        return format(self.text, spec)

    def __eq__(self, other: object) -> bool:
        """Equal to another deadline with the same fields, or to its text as written ('Quý II/2025')."""
        if isinstance(other, str):
            return self.text == other
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]


def _deadline_of(v: object) -> object:
    """A deadline given as text (records written before deadlines were typed) is read by the parser's reader."""
    if isinstance(v, str):
        from .parse.quantities import read_deadline  # the parser owns the reading

        return read_deadline(v)
    return v


class Task(Record):
    """A task (nhiệm vụ) of the plan: from a list item in the body or a row of an appendix table."""

    id: str = Field(description="Stable id: 'T:' + path, with '#2', '#3' for repeats.")
    label: str | None = Field(None, description="Label as written ('a', 'đ', '1.1', '-', '12').")
    marker: str = Field(description="Kind of label: letter, decimal, arabic, dash, plus, paren, paragraph, row.")
    path: str = Field(description="Path in the outline ('II.3.đ'); dash items are numbered by position ('II.4.-3').")
    section_id: str | None = Field(None, description="Section the task is listed under.")
    section_title: str | None = Field(None, description="Title of that section (None if it was inferred).")
    section_path: str | None = Field(None, description="Path of that section.")
    text: str = Field(description="Full text as written: wrapped lines rejoined, page numbers and running headers removed; sub-bullets joined on new lines.")
    key: str = Field(description="Normalised comparison key of the text (see plancompare.normalize.key).")
    lead: str | None = Field(None, description="Lead agency (chủ trì) where given.")
    partners: list[str] = Field(default_factory=list, description="Partner agencies (phối hợp).")
    output: str | None = Field(None, description="Expected output / product (kết quả, sản phẩm).")
    deadline: Deadline | None = Field(None, description="Deadline (thời hạn, thời gian hoàn thành): the text as written and what it names.")
    source: Literal["body", "appendix"] = Field("body", description="Listed in the body or in an appendix table.")
    appendix: str | None = Field(None, description="Appendix name ('Phụ lục II') when source is appendix.")
    line_start: int = Field(description="First raw line (1-based).")
    line_end: int = Field(description="Last raw line (1-based).")
    duplicate_of: str | None = Field(None, description="Id of an earlier task with the same normalised text, when repeated in the source.")

    _read_deadline = field_validator("deadline", mode="before")(classmethod(lambda cls, v: _deadline_of(v)))


class Target(Record):
    """One target value of an indicator for one year or period."""

    period: str | None = Field(None, description="Year or period as labelled ('2025', '2030', '2026-2030'); None if not given.")
    year: int | None = Field(None, description="Target year (end of the period).")
    op: Literal["≥", "≤", ">", "<", "="] | None = Field(None, description="Comparison; '=' for a plain number; None for qualitative targets.")
    value: float | None = Field(None, description="Numeric value (decimal comma read as a point); lower bound for ranges.")
    value_max: float | None = Field(None, description="Upper bound of a range ('15 - 20').")
    unit: str | None = Field(None, description="Unit following the number ('%', '% GRDP').")
    raw: str = Field(description="The cell as written ('≥ 1,0% GRDP', 'Có', 'Duy trì/nâng cấp').")
    qualitative: bool = Field(False, description="True when there is no number to compare.")


class Indicator(Record):
    """A quantified target (chỉ tiêu)."""

    id: str = Field(description="Stable id, 'I:' + path.")
    label: str | None = Field(None, description="Row number as written ('1', '8.1').")
    path: str = Field(description="Path: appendix/group/row.")
    name: str = Field(description="Indicator name as written.")
    key: str = Field(description="Normalised comparison key of the name.")
    unit: str | None = Field(None, description="Unit column (or the unit of the targets).")
    targets: list[Target] = Field(default_factory=list, description="Targets per year/period.")
    group: str | None = Field(None, description="Group heading of the row ('Phát triển hạ tầng', 'Đến năm 2030').")
    lead: str | None = Field(None, description="Lead agency (cơ quan chủ trì).")
    responsible: str | None = Field(None, description="Unit responsible for implementation.")
    monitoring: str | None = Field(None, description="Unit that monitors / evaluates.")
    source: Literal["body", "appendix"] = "appendix"
    line_start: int
    line_end: int


class Objective(Record):
    """An objective (mục tiêu) or purpose statement: reported apart from tasks."""

    id: str
    label: str | None = None
    path: str
    section_title: str | None = None
    kind: Literal["specific", "general", "purpose", "principle"] = Field(
        "specific", description="specific: a target of 'Mục tiêu cụ thể', 'Chỉ tiêu' or an unqualified 'Mục tiêu' list (what the plan must reach); "
        "general: 'Mục tiêu chung/tổng quát', 'Tầm nhìn', 'Định hướng'; purpose: 'Mục đích', 'Yêu cầu'; principle: 'Quan điểm', 'Nguyên tắc'.")
    text: str
    key: str
    line_start: int
    line_end: int


class Assignment(Record):
    """An implementation assignment (tổ chức thực hiện / kinh phí): who does what."""

    id: str
    label: str | None = None
    path: str
    agency: str | None = Field(None, description="The body addressed, when it leads the item ('Sở Khoa học và Công nghệ').")
    part: PartKind = PartKind.organisation
    text: str
    key: str
    line_start: int
    line_end: int


class ParsedDocument(Record):
    """Everything parsed from one plan file."""

    schema_version: str = SCHEMA_VERSION
    document: DocumentInfo
    references: list[Reference] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list, description="Rows of the plan's indicator tables (an appendix or a table in the body).")
    body_targets: list[Indicator] = Field(default_factory=list, description="Quantified targets read from the text (objectives written as bullets: '- ... đạt 2% GRDP'), as indicator records with source 'body'; read only when the plan has no indicator table.")
    objectives: list[Objective] = Field(default_factory=list)
    assignments: list[Assignment] = Field(default_factory=list)
    problems: list[Problem] = Field(default_factory=list)

    def all_indicators(self) -> list[Indicator]:
        """Every quantified target of the plan: the indicator-table rows, then the targets read from the text."""
        return self.indicators + self.body_targets

    def find_tasks(self, ref: str) -> list[Task]:
        """The tasks a reference names: by id or path ('T:II.3.đ', 'II.3.đ') when one has it,
        else every task whose path ends with it ('3.đ') or whose label is it."""
        return find_tasks(self.tasks, ref)

    def task(self, ref: str) -> Task:
        """Find a task by id, path or label path suffix ('II.3.đ', '3.đ', 'T:II.3.đ'); KeyError when none or several."""
        hits = self.find_tasks(ref)
        if len(hits) == 1:
            return hits[0]
        raise KeyError(ref)


def find_tasks(tasks: list[Task], ref: str) -> list[Task]:
    """The one task finder: tasks named by an id or path ('T:II.3.đ', 'II.3.đ', with or without
    'T:'), else by a path suffix ('3.đ') or a label ('đ')."""
    ref = ref.strip()
    bare = ref.removeprefix("T:")
    exact = [t for t in tasks if ref in (t.id, t.path) or t.id == "T:" + bare]
    if exact:
        return exact
    short = bare.rstrip(").") or bare  # 'đ)' and '3.' as written in the text
    return [t for t in tasks if t.path.endswith("." + bare) or t.label == bare or t.path.endswith("." + short) or t.label == short]
