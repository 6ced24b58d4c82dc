"""Gap lists (CSV with BOM, XLSX) and the self-contained HTML report, on the corpus pair 146/KH-UBND -> phường Tân Lập."""

from __future__ import annotations

import csv
import html
import re
from functools import lru_cache
from html.parser import HTMLParser

import pytest

from _corpus import FILES, RAW
from plancompare.align import compare
from plancompare.views.gaps import GapRow, gap_rows, headers, localized, to_csv, to_xlsx, write_csv
from plancompare.parse import parse_file
from plancompare.views.report import render_html


@lru_cache(maxsize=None)
def cmp():
    return compare(parse_file(RAW / FILES["146"]), parse_file(RAW / FILES["tanlap"]))


@lru_cache(maxsize=None)
def rows() -> list[GapRow]:
    return gap_rows(cmp())


# ------------------------------------------------------------------ rows


def test_one_row_per_dropped_or_changed_parent_task():
    c, rs = cmp(), rows()
    s = c.summary.statuses
    assert len(rs) == s["dropped"] + s["changed"] == 28
    assert {r.status for r in rs} == {"dropped", "changed"}
    assert len({r.parent_id for r in rs}) == len(rs)
    dropped = [r.parent_id for r in rs if r.status == "dropped"]
    assert dropped == ["T:II.1.i", "T:II.1.o", "T:II.6.e", "T:II.6.h"]
    r = next(r for r in rs if r.parent_id == "T:II.3.g")
    assert (r.section, r.label, r.status, r.kinds) == ("II.3 Tăng cường đầu tư, hoàn thiện hạ tầng cho khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số", "g", "changed", "softened")
    assert r.inserted_words == "Phối hợp" and r.deleted_words == "" and r.child_id == "T:II.3.g"
    d = next(r for r in rs if r.parent_id == "T:II.1.i")
    assert d.child_id == d.child_text == d.deleted_words == ""


def test_lead_and_deadline_where_known():
    p, c = parse_file(RAW / FILES["03"]), parse_file(RAW / FILES["tn"])
    rs = gap_rows(compare(p, c, scope="all"))
    appendix = [r for r in rs if r.parent_id.startswith("T:PLII")]
    assert appendix and all(r.lead for r in appendix)
    moved = next(r for r in appendix if r.parent_id == "T:PLII.I.1")
    assert moved.deadline == "6/2025 → Tháng 7/2025"


# ------------------------------------------------------------------ CSV


def test_csv_has_bom_and_round_trips_vietnamese(tmp_path):
    p = write_csv(rows(), tmp_path / "gaps.csv")
    data = p.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    with open(p, encoding="utf-8-sig", newline="") as f:
        back = list(csv.reader(f))
    assert back[0] == ["Mục (cấp trên)", "Ký hiệu", "Nhiệm vụ cấp trên", "Tình trạng", "Loại thay đổi", "Nội dung cấp trên", "Nhiệm vụ cấp dưới", "Nội dung cấp dưới", "Nội dung bị bỏ", "Nội dung thêm vào", "Chỉ tiêu thay đổi", "Cơ quan chủ trì", "Thời hạn", "Liên quan (không tính là kế thừa)"]
    assert back[1:] == [[localized(r)[c] for c in GapRow.COLUMNS] for r in rows()]
    g = next(b for b in back if b[2] == "T:II.3.g")
    assert (g[3], g[4]) == ("sửa đổi", "làm nhẹ đi")
    assert [b[2] for b in back if b[3] == "bỏ"] == ["T:II.1.i", "T:II.1.o", "T:II.6.e", "T:II.6.h"]
    assert any("Phấn đấu đến hết năm 2030" in b[5] for b in back)
    assert to_csv([], "en").strip() == ",".join(GapRow.HEADERS[c] for c in GapRow.COLUMNS)


def test_csv_in_english(tmp_path):
    p = write_csv(rows(), tmp_path / "gaps.csv", lang="en")
    with open(p, encoding="utf-8-sig", newline="") as f:
        back = list(csv.reader(f))
    assert back[0][:5] == ["Section (parent)", "Label", "Parent task", "Status", "Kinds"]
    g = next(b for b in back if b[2] == "T:II.3.g")
    assert (g[3], g[4]) == ("changed", "softened")


# ------------------------------------------------------------------ XLSX


def test_xlsx_header_filters_widths_wrapping(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = to_xlsx(rows(), tmp_path / "gaps.xlsx", cmp())
    assert sorted(x.name for x in tmp_path.iterdir()) == ["gaps.xlsx"]  # no temporary file left
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["khác biệt", "theo mục"]  # Vietnamese by default
    ws = wb["khác biệt"]
    header = [c.value for c in ws[1]]
    assert header == headers("vi") and header[5] == "Nội dung cấp trên"
    assert all(c.font.bold for c in ws[1])
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(GapRow.COLUMNS))}{len(rows()) + 1}"
    assert ws.freeze_panes == "A2"
    assert ws.max_row == len(rows()) + 1
    widths = {ws.cell(1, i + 1).value: ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width for i in range(len(header))}
    assert widths["Nội dung cấp trên"] == widths["Nội dung cấp dưới"] == 60 and widths["Ký hiệu"] >= 6
    assert [ws.cell(r, 4).value for r in range(2, ws.max_row + 1)].count("bỏ") == 4
    assert all(ws.cell(2, i + 1).alignment.wrap_text for i in range(len(header)))
    texts = [ws.cell(r, 6).value for r in range(2, ws.max_row + 1)]
    assert texts == [r.parent_text for r in rows()]
    sec = wb["theo mục"]
    assert [c.value for c in sec[1]] == ["Mục (cấp trên)", "Nhiệm vụ cấp trên", "giữ nguyên", "sửa đổi", "bỏ", "Tỷ lệ kế thừa"]
    assert sec.cell(sec.max_row, 1).value == "Tổng cộng" and sec.cell(sec.max_row, 6).value == pytest.approx(0.927)
    en = openpyxl.load_workbook(to_xlsx(rows(), tmp_path / "en.xlsx", cmp(), lang="en"))
    assert en.sheetnames == ["gaps", "sections"] and [c.value for c in en["gaps"][1]][:4] == ["Section (parent)", "Label", "Parent task", "Status"]
    assert [c.value for c in en["sections"][1]] == ["Section (parent)", "Parent tasks", "copied", "changed", "dropped", "Coverage"]


def test_xlsx_keeps_formula_like_text_as_text(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    r = rows()[0].model_copy(update={"parent_text": "=SUM(A1:A2) không phải công thức"})
    path = to_xlsx([r], tmp_path / "x.xlsx")
    cell = openpyxl.load_workbook(path).worksheets[0]["F2"]
    assert cell.value == "=SUM(A1:A2) không phải công thức" and cell.data_type == "s"


# ------------------------------------------------------------------ HTML


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.refs: list[tuple[str, str, str]] = []
        self.tags: list[str] = []
        self.errors: list[str] = []

    VOID = {"meta", "input", "br", "img", "link", "hr"}

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for k, v in attrs:
            if k in ("src", "href", "xlink:href", "action", "poster", "data"):
                self.refs.append((tag, k, v or ""))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
            return
        self.stack.pop()


@lru_cache(maxsize=None)
def page() -> str:
    return render_html(cmp())


def test_html_is_self_contained_and_well_formed():
    h = page()
    assert h.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in h and '<html lang="vi">' in h
    p = _Checker()
    p.feed(h)
    assert p.errors == [] and p.stack == []
    # no resource from the network (or anywhere else): no src/href at all
    assert [r for r in p.refs if re.match(r"(?i)\s*(https?:)?//", r[2])] == []
    assert not re.search(r"""(?i)(src|href)\s*=\s*["']?\s*(https?:)?//""", h)
    assert "http://" not in h and "https://" not in h
    assert "link" not in p.tags and "img" not in p.tags and "iframe" not in p.tags
    assert "@import" not in h and "url(" not in h
    assert p.tags.count("svg") == 1 and p.tags.count("script") == 1


def test_html_has_summary_chart_and_every_pair():
    c, h = cmp(), page()
    s = c.summary
    assert f'<b id="coverage">{s.coverage:.1%}</b>'.replace(".", ",") in h  # Vietnamese: decimal comma
    for k in ("copied", "changed", "dropped", "added"):
        assert f'<b data-count="{k}">{s.statuses[k]}</b>' in h
    assert h.count('<g class="bar"') == len(s.sections) + 1
    assert h.count("<tr class=") == len(c.pairs)
    for k in ("copied", "changed", "dropped", "added"):
        assert h.count(f'data-status="{k}"') == sum(1 for p in c.pairs if p.status.value == k)
    assert h.count("<del>") == sum(1 for p in c.pairs if p.status.value == "changed" for d in p.diff if d.op == "delete")
    assert h.count("<ins>") == sum(1 for p in c.pairs if p.status.value == "changed" for d in p.diff if d.op == "insert")
    assert "<ins>Phối hợp</ins>" in h


def test_html_contains_every_dropped_task_escaped():
    c, h = cmp(), page()
    dropped = [p.parent.text for p in c.pairs if p.status.value == "dropped"]
    assert len(dropped) == 4
    for t in dropped:
        assert html.escape(t) in h


def test_html_escapes_markup_in_task_text():
    c = cmp().model_copy(deep=True)
    p = next(p for p in c.pairs if p.status.value == "dropped")
    p.parent.text = 'Xây dựng <script>alert("x")</script> & “nền tảng” <b>số</b>'
    h = render_html(c)
    assert "<script>alert" not in h and "<b>số</b>" not in h
    assert html.escape(p.parent.text) in h
    assert h.count("<script>") == 1  # only the filter script


# ------------------------------------------------------------------ HTML for the people it is forwarded to


@lru_cache(maxsize=None)
def page_en() -> str:
    return render_html(cmp(), lang="en")


def test_html_in_vietnamese_by_default_and_in_english():
    vi, en = page(), page_en()
    assert '<html lang="vi">' in vi and '<html lang="en">' in en
    assert "<h2>Tỷ lệ kế thừa theo mục của văn bản cấp trên</h2>" in vi and "<h2>Coverage per parent section</h2>" in en
    assert '<span class="badge dropped">bỏ</span>' in vi and '<span class="badge dropped">dropped</span>' in en
    assert '<span class="kinds">làm nhẹ đi</span>' in vi and '<span class="kinds">softened</span>' in en
    assert '<span id="shown" data-template="hiển thị {n}/{total}">hiển thị 55/55</span>' in vi
    assert "25/06/2025" in vi  # the parent's date, dd/mm/yyyy
    for word in ("Every task", "Parent task", "Child task", "Coverage per parent section", "About this comparison"):
        assert word not in vi, word


def test_html_uses_the_documents_numbering_and_no_internal_ids_outside_the_about_block():
    c, h = cmp(), page()
    main, about = h.split('<details id="about">')
    assert '<span class="path">II.1.a</span>' in main and '<span class="path">II.6.e</span>' in main
    assert "T:II" not in main and "S:II" not in main
    assert "similarity" not in main and "group " not in main
    for k, _v in c.settings.items():
        assert k not in main and k in about
    assert about.startswith("<summary>Về lần so sánh này</summary>")  # collapsed: <details> without 'open'


def test_html_marks_inferred_headings_and_highlights_localized_copies():
    c, h = cmp(), page()
    inferred = [s.section_path for s in c.summary.sections if s.title_from_child]
    assert inferred == ["II.1", "II.2", "II.4", "II.5", "II.6", "II.7"]
    for path in inferred:
        sec = h.split(f'<section class="sec" data-section="{path}">')[1].split("</h3>")[0]
        assert '<span class="inferred">(văn bản cấp trên không có tiêu đề này; đặt theo mục của văn bản cấp dưới)</span>' in sec, path
    sec3 = h.split('<section class="sec" data-section="II.3">')[1].split("</h3>")[0]
    assert "inferred" not in sec3 and "Tăng cường đầu tư, hoàn thiện hạ tầng" in sec3
    assert 'id="inferred-note"' in h
    n_loc = sum(1 for p in c.pairs if any(k.value == "localized" for k in p.kinds))
    assert h.count('data-localized="yes"') == n_loc == 11
    assert h.count('<span class="badge loc">giữ nguyên, địa phương hóa</span>') == sum(1 for p in c.pairs if p.status.value == "copied" and any(k.value == "localized" for k in p.kinds))


def test_html_print_stylesheet_a4_and_a_page_per_section():
    h = page()
    assert "@page{size:A4;" in h
    css_print = h.split("@media print{", 1)[1]
    assert ".sec{break-before:page;page-break-before:always}" in css_print
    assert "#filters,noscript{display:none}" in css_print and "tr[hidden]{display:table-row}" in css_print
    assert h.count('<section class="sec"') == len(cmp().summary.sections)  # no added tasks in this pair
