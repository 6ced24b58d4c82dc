"""tables.read_separated: tables written one cell per line between lines holding only '|'."""

from __future__ import annotations

from plancompare.parse import parse_text, tables


def tokens(text: str):
    out = []
    for i, line in enumerate(text.split("\n"), 1):
        if line.strip():
            out.append((None if line.strip() == "|" else line, i))
    return out


def cells(*rows: list[str]) -> str:
    """Each row as '|' c1 '|' c2 ... '|', rows one after the other."""
    lines: list[str] = []
    for r in rows:
        lines.append("|")
        for c in r:
            lines.extend(c.split("\n"))
            lines.append("|")
    return "\n".join(lines)


HEADER = ["**TT**", "**Nhiệm vụ**", "**Cơ quan chủ trì**", "**Cơ quan phối hợp**", "**Thời gian hoàn thành**"]


def test_task_table_groups_continuation_and_repeated_header():
    text = cells(
        HEADER,
        ["**I**", "**Hoàn thiện thể chế**"],
        ["1", "Rà soát, sửa đổi quy định\nvề quy hoạch", "Sở Tài chính", "Các sở, ngành", "Quý IV/2025"],
        ["Xây dựng hạ tầng dự phòng", "Trung tâm Chuyển đổi số", "Sở Tài chính", "2026"],  # rowspan: TT merged
        HEADER,  # repeated after a page break
        ["2", "Đào tạo cán bộ", "Sở Nội vụ", "Các sở", "2026"],
        ["**II**", "**Các nhiệm vụ khác**"],
        ["1", "Tổng hợp kế hoạch thực hiện", "Sở Tài chính", "Các sở", "Hằng năm"],
    )
    (t,) = tables.read_separated(tokens(text))
    assert t.kind == "tasks" and t.header[:2] == ["TT", "Nhiệm vụ"]
    assert [(r.kind, r.label) for r in t.rows] == [("group", "I"), ("data", "1"), ("data", None), ("data", "2"), ("group", "II"), ("data", "1")]
    assert t.rows[1].cells[1] == "Rà soát, sửa đổi quy định về quy hoạch"  # a cell wrapped over two lines
    assert t.rows[5].kind == "data"  # 'Tổng hợp ...' is a task, not a total row


def test_indicator_table_two_row_header_column_numbers_totals_and_spread_values():
    text = cells(
        ["**TT**", "**Sản phẩm**", "**Kế hoạch 2026**", "**Kế hoạch 2027**"],
        ["**Lượng (Tấn)**", "**Giá trị (Nghìn USD)**", "**Lượng (Tấn)**", "**Giá trị (Nghìn USD)**"],
        ["", "*1*", "*2*", "*3*", "*4*", "*5*", "*6*"],
        ["**Tổng I + II**", "", "**240.000**", "", "**270.000**"],
        ["**I**", "**Mặt hàng nông sản**", "", "**235.000**"],
        ["1", "Xoài", "13.500", "7.000", "14.800", "7.800"],
        ["2", "Sữa và sản phẩm từ sữa", "", "14.000"],
        ["29.000", "", "35.000"],  # a merged cell spread one value per row
        ["**5**", "**Điểm cộng**", "15"],
        ["5.1", "Đơn vị đạt 100%", "5"],
    )
    (t,) = tables.read_separated(tokens(text))
    assert t.kind == "indicators"
    data = [r for r in t.rows if r.kind == "data"]
    assert [r.label for r in data] == ["1", "2", "5.1"]  # totals, groups and the parent row '5' of 5.1 are not rows
    assert data[1].cells[-2:] == ["", "35.000"]


def test_a_blank_line_ends_the_table_and_a_cost_table_is_neither():
    text = cells(HEADER, ["1", "Đào tạo", "Sở Nội vụ", "Các sở", "2026"]) + "\n\nPHỤ LỤC II\nDỰ TOÁN KINH PHÍ\n(Kèm theo Kế hoạch số 1/KH-UBND)\n\n" + cells(
        ["**TT**", "**Nội dung**", "**Đơn vị tính**", "**Đơn giá**", "**Thành tiền**"], ["1", "Lấy mẫu", "mẫu", "100", "1.000"]
    )
    a, b = tables.read_separated(tokens(text))
    assert (a.kind, len(a.rows)) == ("tasks", 1) and b.kind == "unknown"


def test_an_empty_cell_is_not_a_row_break_before_a_value_only():
    rows = tables.separated_rows(tokens("|\nTT\n|\nX\n|\nY\n|\n|\nA\n|\n|\n240.000\n|\n|\nB\n|"))
    assert [r[0] for r in rows] == [["TT", "X", "Y"], ["A", "", "240.000"], ["B"]]


def test_appendix_of_a_parsed_plan():
    text = "KẾ HOẠCH\n\nI. NHIỆM VỤ\n\n1. Tổ chức tuyên truyền.\n\n**PHỤ LỤC**\n\n" + cells(
        HEADER, ["**I**", "**Thể chế**"], ["1.", "Ban hành quy chế phối hợp", "Sở Tư pháp", "Các sở", "2026"], ["2.", "Rà soát thủ tục hành chính", "Văn phòng UBND tỉnh", "Các sở", "2027"]
    )
    d = parse_text(text, "x.md")
    rows = [t for t in d.tasks if t.source == "appendix"]
    assert [t.text for t in rows] == ["Ban hành quy chế phối hợp", "Rà soát thủ tục hành chính"]
    assert rows[0].lead == "Sở Tư pháp" and rows[0].deadline == "2026" and rows[0].section_title == "Thể chế"
