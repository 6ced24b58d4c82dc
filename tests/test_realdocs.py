"""Golden tests on the 25 real documents of ../shared/realdocs/ (skipped when ../shared is absent).

Identity (number, kind, issuer, date, cited parents), appendix task rows and indicator rows
(rows of indicator tables) are asserted for every document; then a few selected citations and
table rows. Body task counts are the lead's (tests/test_realdocs_tasks.py; BODY_TASKS below).
"""

from __future__ import annotations

import datetime as dt
import json
import sys

import pytest

from _corpus import ROOT, SHARED

sys.path.insert(0, str(ROOT / "benchmarks"))
from realdocs import cited, file_date  # noqa: E402
from realdocs_truth import TRUTH  # noqa: E402

from plancompare.parse import parse_file  # noqa: E402

DOCS = SHARED / "realdocs"
pytestmark = pytest.mark.skipif(not (DOCS / "counts.json").exists(), reason=f"{DOCS} not found: the shared real documents are not on this machine")
COUNTS = json.loads((DOCS / "counts.json").read_text(encoding="utf-8")) if (DOCS / "counts.json").exists() else {}
NAMES = sorted(COUNTS)

# ---- body task counts: asserted by the lead in tests/test_realdocs_tasks.py (from counts.json);
# a document listed here (file -> count) is asserted by test_body_tasks as well
BODY_TASKS: dict[str, int] = {}


@pytest.fixture(scope="module")
def docs():
    cache: dict = {}

    def get(name):
        if name not in cache:
            cache[name] = parse_file(DOCS / name)
        return cache[name]

    return get


@pytest.mark.parametrize("name", NAMES)
def test_identity(docs, name):
    d = docs(name).document
    kind, issuer, _ = TRUTH[name]
    assert (d.number, d.kind, d.issuer, d.issue_date) == (COUNTS[name]["number"], kind, issuer, file_date(name))


@pytest.mark.parametrize("name", NAMES)
def test_cited_parents(docs, name):
    assert cited(docs(name)) == TRUTH[name][2]


@pytest.mark.parametrize("name", NAMES)
def test_appendix_task_rows_and_indicator_rows(docs, name):
    d = docs(name)
    appendix = sum(1 for t in d.tasks if t.source == "appendix")
    table_indicators = sum(1 for i in d.indicators if i.source != "body")  # rows of indicator tables
    assert (appendix, table_indicators) == (COUNTS[name]["appendix_task_rows"], COUNTS[name]["indicator_rows"])


def test_appendix_rows_fields_groups_and_continuation_rows(docs):
    d = docs("ho-chi-minh_2820-QD-UBND_2025-11-19.md")  # rowspan continuation rows without TT, group cell '** II**'
    rows = [t for t in d.tasks if t.source == "appendix"]
    first = rows[0]
    assert (first.path, first.section_title[:27], first.lead, first.partners, first.deadline) == ("PL1.I.1", "Hoàn thiện thể chế, ban hàn", "Sở Tài chính", ["Các sở, ngành, UBND xã, phường, đặc khu"], "Quý IV/2025")
    assert first.text.startswith("Phối hợp rà soát, sửa đổi Luật Quy hoạch")
    cont = [t for t in rows if t.label is None]
    assert len(cont) == 3 and cont[0].text.startswith("Xây dựng hạ tầng kỹ thuật dự phòng")
    assert sorted({t.section_path for t in rows}) == ["PL1.I", "PL1.II", "PL1.III", "PL1.IV", "PL1.V", "PL1.VI"]


def test_appendix_sub_table_headings_and_agency_groups(docs):
    d = docs("chinh-phu_2530-QD-TTg_2025-11-19.md")  # PL I: 58 rows in 14 agency groups; PL II: 24 in 7
    rows = [t for t in d.tasks if t.source == "appendix"]
    assert [sum(1 for t in rows if t.appendix == a) for a in ("Phụ lục I", "Phụ lục II")] == [58, 24]
    assert sum(1 for t in rows if t.section_path == "PLI.A") == 18 and sum(1 for t in rows if t.section_path == "PLI.O") == 12
    e = docs("nghe-an_980-KH-UBND_2025-11-18.md")  # a truncated table: '…....' then rows numbered 2-6 without their group
    assert sum(1 for t in e.tasks if t.source == "appendix") == 18


def test_indicator_rows_with_values(docs):
    d = docs("son-la_2954-QD-UBND_2025-11-20.md")  # PL 02: a 2-row header, a column-number row, values spread one per row
    pl02 = [i for i in d.indicators if i.path.startswith("PL02")]
    assert len(pl02) == 19 and pl02[0].name == "Xoài" and pl02[-1].name == "Sản phẩm khác"
    assert [t.value for t in pl02[-1].targets] == [1100.0, 1200.0, 1400.0, 1600.0, 1800.0]
    s = docs("can-tho_157-KH-UBND_2025-11-18.md")  # a scoring table: 1-4, 5.1-5.3 and group II (5 heads 5.1-5.3)
    assert [i.label for i in s.indicators] == ["1", "2", "3", "4", "5.1", "5.2", "5.3", "II"]
    assert [t.value for t in s.indicators[1].targets] == [40.0]


def test_tables_that_list_neither_tasks_nor_targets(docs):
    for name in ("dak-lak_0134-KH-UBND_2025-11-25.md", "thanh-hoa_235-KH-UBND_2025-11-18.md"):  # monitoring points, costs
        d = docs(name)
        assert not [t for t in d.tasks if t.source == "appendix"] and not [i for i in d.indicators if i.source != "body"]
        assert any(p.code == "unreadable_table" and "neither tasks nor targets" in p.message for p in d.problems)


@pytest.mark.parametrize("name", sorted(BODY_TASKS))
def test_body_tasks(docs, name):
    assert sum(1 for t in docs(name).tasks if t.source != "appendix") == BODY_TASKS[name]


def test_number_split_over_lines_and_the_chairmans_decision(docs):
    d = docs("can-tho_2610-QD-UBND_2025-11-24.md")  # 'Số:' / '2610/QĐ-UBND' on two lines
    assert d.document.number == "2610/QĐ-UBND" and d.document.issuer == "Chủ tịch UBND thành phố Cần Thơ"
    laws = [r for r in d.references if r.kind == "Luật"]
    assert [r.title for r in laws] == ["Luật Tổ chức chính quyền địa phương", "Luật Giao dịch điện tử", "Luật Công nghệ thông tin", "Luật An toàn thông tin mạng"]
    assert laws[0].date == dt.date(2025, 6, 16) and laws[0].relation == "basis"


def test_site_banner_before_the_document(docs):
    d = docs("chinh-phu_2530-QD-TTg_2025-11-19.md")  # the site's metadata table and summary come first
    assert (d.document.number, d.document.issuer, d.document.level.value) == ("2530/QĐ-TTg", "Thủ tướng Chính phủ", "government")
    r = next(r for r in d.references if r.number == "611/QĐ-TTg")  # an italic '*Căn cứ ...*' line
    assert (r.relation, r.kind, r.date, r.issuer) == ("basis", "Quyết định", dt.date(2024, 7, 8), "Thủ tướng Chính phủ")


def test_issuer_split_inside_bold_and_enumerated_decrees(docs):
    d = docs("bo-vhttdl_4385-QD-BVHTTDL_2025-11-18.md")  # '**BỘ VĂN HÓA, THỂ\nTHAO **\nVÀ DU LỊCH'
    assert d.document.issuer == "Bộ Văn hóa, Thể thao và Du lịch" and d.document.level.value == "ministry"
    # '(Số 37/2019/NĐ-CP ..., số 58/2023/NĐ-CP ... và số 22/2025/NĐ-CP ...)': each a decree cited
    decrees = [r.number for r in d.references if r.number and "NĐ-CP" in r.number and r.relation == "basis"]
    assert decrees == ["37/2019/NĐ-CP", "58/2023/NĐ-CP", "22/2025/NĐ-CP", "43/2025/NĐ-CP"]
    # body sentences starting 'Căn cứ ...' are not preamble citations
    assert all(r.line < 72 for r in d.references if r.relation == "basis")


def test_two_citations_in_one_paragraph_and_nested_mentions(docs):
    d = docs("can-tho_159-KH-UBND_2025-11-19.md")  # '...năm 2025; Căn cứ Kế hoạch số 77/KH-UBND ...'
    refs = {r.number: r for r in d.references}
    assert refs["77/KH-UBND"].relation == "basis" and refs["206/NQ-HĐND"].relation == "basis"
    assert refs["128/QĐ-LĐTBXH"].relation == "mentions"  # '(được điều chỉnh bổ sung bởi Quyết định số 128/QĐ-LĐTBXH ...)'
    b = docs("bac-ninh_141-KH-UBND_2025-11-20.md")
    rb = {r.number: r for r in b.references}
    assert rb["14-KH/TU"].relation == rb["24/KH-UBND"].relation == "implements" and rb["14-KH/TU"].issuer == "Ban Thường vụ Tỉnh ủy"
    assert rb["66-NQ/TW"].relation == "mentions"  # named inside 24/KH-UBND's description


def test_blank_number_in_the_attached_plan_is_not_taken(docs):
    d = docs("chinh-phu_2623-QD-TTg_2025-11-29.md")  # '(Kèm theo Quyết định số /QĐ-TTg ngày tháng năm 2025 ...)'
    assert d.document.number == "2623/QĐ-TTg"
    assert not any(p.code in ("number_missing", "date_missing") for p in d.problems)


def _appendix_tables(name):
    """The table reader on the document's raw lines from its first 'PHỤ LỤC' heading (the clean stage
    still drops some cells of these tables: the parse's own counts are in benchmarks/realdocs.py)."""
    import re

    from plancompare.parse import tables

    lines = (DOCS / name).read_text(encoding="utf-8").split("\n")
    start = next((i for i, ln in enumerate(lines) if re.match(r"^\**\s*PH[ỤU] L[ỤU]C\b", ln.strip(), re.I)), len(lines))
    toks = [(None if ln.strip() == "|" else ln, i + 1) for i, ln in enumerate(lines[start:], start) if ln.strip() and not re.fullmatch(r"[*\s]*", ln)]
    return tables.read_separated(toks)


# hand counts the reader matches on the raw tables
READER = {n: (COUNTS[n]["appendix_task_rows"], COUNTS[n]["indicator_rows"]) for n in NAMES}


@pytest.mark.parametrize("name", sorted(READER))
def test_table_reader_counts_on_the_raw_tables(name):
    ts = _appendix_tables(name)
    rows = lambda kind: sum(1 for t in ts if t.kind == kind for r in t.rows if r.kind == "data")  # noqa: E731
    assert (rows("tasks"), rows("indicators")) == READER[name]


def test_table_reader_groups_of_2530():
    ts = _appendix_tables("chinh-phu_2530-QD-TTg_2025-11-19.md")
    rows = [r for t in ts for r in t.rows]
    per_group, g = {}, None
    for r in rows:
        if r.kind == "group":
            if r.label in per_group:
                break  # PL II starts its groups again at I
            g = r.label
            per_group[g] = 0
        elif g is not None:
            per_group[g] += 1
    assert [per_group[k] for k in "ABCDEGHIKLMNOP"] == [18, 6, 2, 3, 3, 2, 1, 1, 1, 1, 1, 6, 12, 1]  # PL I: 58 rows
