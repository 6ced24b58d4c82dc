"""Gap lists: one row per parent task the child plan dropped or changed.

A view of a :class:`~plancompare.align.models.Comparison` for analysts who
work in a spreadsheet: :func:`gap_rows` gives the rows, :func:`to_csv` the CSV
text (written with a UTF-8 byte-order mark by :func:`write_csv` so that Excel
shows Vietnamese), :func:`to_xlsx` an Excel workbook with a bold frozen header
row, filters, wrapped text and readable column widths. openpyxl is imported
only when a workbook is written.

The CSV and the workbook are written for the people who receive them: in
Vietnamese by default (``lang="vi"``: column names, statuses and kinds from the
catalogue, :mod:`plancompare.i18n`), or in English (``lang="en"``). The JSON
rows keep the machine values (``dropped``, ``softened;narrowed``).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from ..align.models import Comparison, Kind, Status
from ..align.carried import parent_outcomes
from ..i18n import N_, gettext_for, kind_label, status_label


class GapRow(BaseModel):
    """One parent task that the child dropped or changed (its links merged into one row)."""

    model_config = ConfigDict(extra="forbid")

    section: str = Field(description="Parent section path and title ('II.3 Tăng cường đầu tư...').")
    label: str = Field(description="The parent task's label as written ('a', 'đ', '1.1').")
    parent_id: str
    status: str = Field(description="dropped or changed (or a weaker link status, not carried).")
    kinds: str = Field(description="Kinds of change, ';'-separated (softened;narrowed...).")
    parent_text: str
    child_id: str = Field(description="The child task(s) it became, ';'-separated; empty when dropped.")
    child_text: str = Field(description="The child task text(s); several are separated by a blank line.")
    deleted_words: str = Field(description="Words of the parent text the child left out, runs joined with ' … '.")
    inserted_words: str = Field(description="Words the child added.")
    retargets: str = Field(description="Numbers, percentages or years changed: 'old -> new'.")
    lead: str = Field(description="Lead agency (chủ trì) where known: the parent's, else the child's.")
    deadline: str = Field(description="Deadline where known: the parent's (→ the child's when it differs).")
    related: str = Field("", description="For a dropped task shown with a weak counterpart: 'related: II.5.d, 0.31' (the child task and the link's confidence); the task still counts as dropped.")

    COLUMNS: ClassVar[tuple[str, ...]] = ("section", "label", "parent_id", "status", "kinds", "parent_text", "child_id", "child_text", "deleted_words", "inserted_words", "retargets", "lead", "deadline", "related")
    HEADERS: ClassVar[dict[str, str]] = {
        "section": N_("Section (parent)"),
        "label": N_("Label"),
        "parent_id": N_("Parent task"),
        "status": N_("Status"),
        "kinds": N_("Kinds"),
        "parent_text": N_("Parent text"),
        "child_id": N_("Child task"),
        "child_text": N_("Child text"),
        "deleted_words": N_("Deleted words"),
        "inserted_words": N_("Inserted words"),
        "retargets": N_("Retargets"),
        "lead": N_("Lead agency"),
        "deadline": N_("Deadline"),
        "related": N_("Related (not carried)"),
    }
    WIDTHS: ClassVar[dict[str, int]] = {
        "section": 28,
        "label": 7,
        "parent_id": 14,
        "status": 10,
        "kinds": 16,
        "parent_text": 60,
        "child_id": 14,
        "child_text": 60,
        "deleted_words": 36,
        "inserted_words": 36,
        "retargets": 14,
        "lead": 24,
        "deadline": 14,
        "related": 22,
    }


def gap_rows(comparison: Comparison) -> list[GapRow]:
    """One row per parent task not carried as it was (dropped, changed, or only weakly
    linked), in parent order."""
    rows: list[GapRow] = []
    for o in parent_outcomes(comparison):
        if o.status == Status.copied:
            continue
        prs, status = o.pairs, o.status
        par = prs[0].parent
        assert par is not None
        linked = [p for p in prs if p.child is not None]
        kinds: list[Kind] = []
        for p in linked:
            kinds += [k for k in p.kinds if k not in kinds]
        kinds.sort(key=lambda k: list(Kind).index(k))
        dels = [d for d, _ in (p.changed_words for p in linked) if d]
        ins = [i for _, i in (p.changed_words for p in linked) if i]
        lead = par.lead or next((p.child.lead for p in linked if p.child and p.child.lead), None) or ""
        c_deadlines = list(dict.fromkeys(p.child.deadline.text for p in linked if p.child and p.child.deadline))
        deadline = par.deadline.text if par.deadline else ""
        if c_deadlines and c_deadlines != [deadline]:
            deadline = (deadline + " → " if deadline else "→ ") + "; ".join(c_deadlines)
        rows.append(
            GapRow(
                section=((par.section_path or "") + " " + (par.section_title or "")).strip(),
                label=par.label or "",
                parent_id=par.id,
                status=status.value,
                kinds=";".join(k.value for k in kinds),
                parent_text=par.text,
                child_id=";".join(p.child.id for p in linked if p.child),
                child_text="\n\n".join(p.child.text for p in linked if p.child),
                deleted_words=" … ".join(dels),
                inserted_words=" … ".join(ins),
                retargets="; ".join(f"{r.old or '—'} -> {r.new or '—'}" for p in linked for r in p.target_changes),
                lead=lead,
                deadline=deadline,
                related=next((p.related_note for p in prs if p.related), ""),
            )
        )
    return rows


def headers(lang: str = "vi") -> list[str]:
    """The column names in a language."""
    _ = gettext_for(lang)
    return [_(GapRow.HEADERS[c]) for c in GapRow.COLUMNS]


def localized(row: GapRow, lang: str = "vi") -> dict[str, str]:
    """A row's values as people read them: status and kinds in the language."""
    d = row.model_dump()
    d["status"] = status_label(d["status"], lang)
    d["kinds"] = "; ".join(kind_label(k, lang) for k in d["kinds"].split(";") if k)
    return d


def to_csv(rows: list[GapRow], lang: str = "vi") -> str:
    """CSV text, header first, in Vietnamese (default) or English, every cell neutralised against
    spreadsheet formulas (plancompare.io.csv_cell; the caller adds the BOM: plancompare.io.write_csv)."""
    from ..io import csv_cell

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(headers(lang))
    for r in rows:
        d = localized(r, lang)
        w.writerow(["" if d[c] is None else csv_cell(d[c]) for c in GapRow.COLUMNS])
    return buf.getvalue()


def write_csv(rows: list[GapRow], path: str | Path, lang: str = "vi") -> Path:
    """The CSV file in UTF-8 with a BOM, written atomically."""
    from ..io import write_csv as _write

    return _write(path, to_csv(rows, lang))


def to_json(rows: list[GapRow], indent: int | None = 2) -> str:
    import json

    return json.dumps([r.model_dump() for r in rows], ensure_ascii=False, indent=indent)


def _gap_sheet(ws, rows: list[GapRow], lang: str) -> None:
    """The gap sheet: a bold header, wrapped cells (text, never a formula), widths, frozen header, filter."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    _ = gettext_for(lang)
    ws.title = _("gaps")
    cols = GapRow.COLUMNS
    ws.append(headers(lang))
    for r in rows:
        d = localized(r, lang)
        ws.append([_cell(d[c]) for c in cols])
    wrap_top = Alignment(wrap_text=True, vertical="top")
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap_top
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, never a formula
    for i, c in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(i)].width = GapRow.WIDTHS[c]
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(1, len(rows) + 1)}"


def _section_sheet(wb, comparison: Comparison, lang: str) -> None:
    """The per-section sheet: parent tasks, copied, changed, dropped and coverage per parent section, and the total."""
    from openpyxl.styles import Alignment, Font, PatternFill

    _ = gettext_for(lang)
    s = comparison.summary
    ws2 = wb.create_sheet(_("sections"))
    heads = [_("Section (parent)"), _("Parent tasks"), status_label("copied", lang), status_label("changed", lang), status_label("dropped", lang), _("Coverage")]
    ws2.append(heads)
    for sec in s.sections:
        ws2.append([((sec.section_path or "") + " " + (sec.section_title or "")).strip(), sec.parent_tasks, sec.copied, sec.changed, sec.dropped, sec.coverage])
    ws2.append([_("Total"), s.parent_tasks, s.statuses.get("copied", 0), s.statuses.get("changed", 0), s.statuses.get("dropped", 0), s.coverage])
    bold = Font(bold=True)
    for cell in ws2[1]:
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
    for cell in ws2[ws2.max_row]:
        cell.font = bold
    for row in ws2.iter_rows(min_row=2, min_col=6, max_col=6):
        for cell in row:
            cell.number_format = "0%"
    for row in ws2.iter_rows(min_row=2, max_col=1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws2.column_dimensions["A"].width = 60
    for col in "BCDEF":
        ws2.column_dimensions[col].width = 13
    ws2.freeze_panes = "A2"
    ws2.auto_filter.ref = f"A1:F{ws2.max_row - 1}"
    wb.properties.title = f"{comparison.parent.label} → {comparison.child.label}: " + _("gaps")


_HEADER_FILL = "DDE6F0"


def xlsx_bytes(rows: list[GapRow], comparison: Comparison | None = None, lang: str = "vi") -> bytes:
    """The workbook as bytes: the gap sheet (and the per-section sheet when the
    comparison is given), in Vietnamese (default) or English."""
    from openpyxl import Workbook

    wb = Workbook()
    _gap_sheet(wb.active, rows, lang)
    if comparison is not None:
        _section_sheet(wb, comparison, lang)
    wb.properties.creator = "plancompare"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_xlsx(rows: list[GapRow], path: str | Path, comparison: Comparison | None = None, lang: str = "vi") -> Path:
    """Write the workbook atomically (built in memory, then a temporary file renamed)."""
    from ..io import atomic_write

    return atomic_write(path, xlsx_bytes(rows, comparison, lang))


def write_files(rows: list[GapRow], *, csv: str | Path | None = None, xlsx: str | Path | None = None, comparison: Comparison | None = None, lang: str = "vi") -> list[Path]:
    """Write the CSV and/or the workbook all or none: both are built and written to temporary
    files first; only when both are complete are they renamed into place (a failing --xlsx
    never leaves a new --csv behind)."""
    from ..io import atomic_write_many

    items: list[tuple[str | Path, bytes]] = []
    if csv is not None:
        items.append((csv, to_csv(rows, lang).encode("utf-8-sig")))
    if xlsx is not None:
        items.append((xlsx, xlsx_bytes(rows, comparison, lang)))
    return atomic_write_many(items)


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell(v: str) -> str:
    """Cell text: control characters (not allowed in XLSX) removed."""
    return _ILLEGAL.sub("", v)


__all__ = ["GapList", "GapRow", "gap_rows", "headers", "localized", "to_csv", "write_csv", "write_files", "to_json", "xlsx_bytes", "to_xlsx"]


class GapList(BaseModel):
    """The gap list of one comparison, as ``plancompare gaps`` shows it: its rows, the documents'
    labels for the title and the language of the CSV and the terminal table."""

    model_config = ConfigDict(extra="forbid")

    FORMATS: ClassVar[tuple[str, ...]] = ("table", "json", "csv")  # the CLI's --format values (cli/output.py)

    parent: str = Field(description="The parent plan's label.")
    child: str = Field(description="The child plan's label.")
    rows: list[GapRow]
    lang: str = "vi"

    @classmethod
    def of(cls, comparison: Comparison, lang: str = "vi") -> "GapList":
        return cls(parent=comparison.parent.label, child=comparison.child.label, rows=gap_rows(comparison), lang=lang)

    def to_json(self, indent: int | None = 2) -> str:
        return to_json(self.rows, indent)

    def to_csv(self) -> str:
        return to_csv(self.rows, self.lang)
