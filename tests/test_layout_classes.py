"""Generated inputs for each class of real-document layout the parser must read (issue: real plans).

Each case is written here with its known truth: the tasks a reader would count. They are small,
made-up plans in the shapes that real plans take on legal-document websites and in extractions."""

from __future__ import annotations

import pytest

from plancompare.parse import parse_text, run_stages
from plancompare.parse.read import from_text

HEAD = "KẾ HOẠCH\n\nThực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị.\n\nI. MỤC ĐÍCH, YÊU CẦU\n\nBảo đảm thực hiện nghiêm túc.\n\n"
TAIL = "\n\nIII. TỔ CHỨC THỰC HIỆN\n\nSở Tài chính chủ trì, phối hợp các sở."


def tasks(text: str) -> list[tuple[str, str]]:
    return [(t.path, t.text.split("\n")[0]) for t in parse_text(text, "case.md").tasks]


@pytest.mark.parametrize(
    "items",
    [
        "1. Xây dựng kế hoạch A.\n\n2. Tổ chức hội nghị B.",
        "1- Xây dựng kế hoạch A.\n\n2- Tổ chức hội nghị B.",
        "1) Xây dựng kế hoạch A.\n\n2) Tổ chức hội nghị B.",
        "(1) Xây dựng kế hoạch A.\n\n(2) Tổ chức hội nghị B.",
        "**1\\.** Xây dựng kế hoạch A.\n\n**2\\.** Tổ chức hội nghị B.",
        "**1.** Xây dựng kế hoạch A.\n\n**2.** Tổ chức hội nghị B.",
        "*1. *Xây dựng kế hoạch A.\n\n*2. *Tổ chức hội nghị B.",
    ],
    ids=["dot", "hyphen", "paren", "round", "escaped-bold", "bold-number", "italic-number"],
)
def test_numbering_written_other_ways(items):
    got = tasks(HEAD + "II. NHIỆM VỤ, GIẢI PHÁP\n\n" + items + TAIL)
    assert [t for _, t in got] == ["Xây dựng kế hoạch A.", "Tổ chức hội nghị B."]


def test_decimal_with_hyphen_and_letters_with_dd():
    got = tasks(HEAD + "II- NHIỆM VỤ\n\n1. Nhóm một\n\n1.1- Xây dựng A.\n\n1.2- Tổ chức B.\n\n2. Nhóm hai\n\nđ) Làm C." + TAIL)
    assert [p for p, _ in got] == ["II.1.1", "II.1.2", "II.2.đ"]


def test_heading_hard_wrapped_inside_bold():
    text = "**KẾ HOẠCH**\n\n**I. MỤC\nĐÍCH, YÊU CẦU**\n\nBảo đảm.\n\n**II. NHIỆM VỤ VÀ\nGIẢI PHÁP**\n\n**1.\nTuyên truyền**\n\n- Tổ chức quán\ntriệt sâu rộng nghị quyết.\n\n- Xây dựng chuyên\nmục trên báo.\n\n**III. TỔ CHỨC\nTHỰC HIỆN**\n\nCác sở thực hiện."
    doc = parse_text(text, "wrapped.md")
    titles = [s.title for s in doc.sections if s.depth == 0]
    assert "NHIỆM VỤ VÀ GIẢI PHÁP" in titles and "MỤC ĐÍCH, YÊU CẦU" in titles
    assert [t.text for t in doc.tasks] == ["Tổ chức quán triệt sâu rộng nghị quyết.", "Xây dựng chuyên mục trên báo."]
    assert {t.section_title for t in doc.tasks} == {"Tuyên truyền"}


def test_wrap_before_a_dash_is_no_bullet_in_a_blank_separated_text():
    body = "II. NHIỆM VỤ\n\n" + "\n\n".join(f"- Triển khai nhiệm vụ số {i} trong giai đoạn 2026\n- 2030 tại các xã, phường." for i in range(1, 12))
    got = tasks(HEAD + body + TAIL)
    assert len(got) == 11 and all("2026 - 2030" in t for _, t in got)


def test_bullets_under_a_titled_point_are_its_tasks():
    got = tasks(HEAD + "II. NHIỆM VỤ\n\n1. Hạ tầng\n\na) Phát triển hạ tầng số\n\n- Xây dựng trung tâm dữ liệu.\n\n- Nâng cấp mạng truyền dẫn.\n\n+ ưu tiên vùng sâu\n\nb) Hoàn thiện thể chế." + TAIL)
    assert got == [("II.1.a.-1", "Xây dựng trung tâm dữ liệu."), ("II.1.a.-2", "Nâng cấp mạng truyền dẫn."), ("II.1.b", "Hoàn thiện thể chế.")]


def test_lead_in_sentence_keeps_its_dashes():
    got = tasks(HEAD + "II. NHIỆM VỤ\n\n1. Thể chế\n\na) Sửa đổi Luật Khoa học và Công nghệ và các luật có liên quan để bảo đảm:\n\n- Tháo gỡ các vướng mắc.\n\n- Đơn giản hóa thủ tục.\n\nb) Ban hành quy định mới." + TAIL)
    assert [p for p, _ in got] == ["II.1.a", "II.1.b"]


def test_field_labels_are_not_tasks():
    block = "1. Xây dựng Nghị định về bảo vệ dữ liệu\n\n- Cơ quan chủ trì: Bộ Công an.\n\n- Thời gian thực hiện: năm 2026.\n\n2. Ban hành Thông tư hướng dẫn\n\n- Cơ quan chủ trì: Bộ Tư pháp.\n\n- Sản phẩm: Thông tư."
    got = tasks(HEAD + "II. NỘI DUNG\n\n" + block + TAIL)
    assert [t for _, t in got] == ["Xây dựng Nghị định về bảo vệ dữ liệu", "Ban hành Thông tư hướng dẫn"]


def test_field_labels_with_words_between_role_and_colon_are_fields():
    block = ("1. Chính sách\n\na) Rà soát đội ngũ cán bộ xây dựng pháp luật.\n- Đơn vị chủ trì thực hiện: Các sở, ngành.\n"
             "- Đơn vị phối hợp thực hiện: Sở Tư pháp.\n- Thời gian thực hiện : Thường xuyên.\n\n"
             "b) Tập huấn kỹ năng xây dựng pháp luật.\n- Đơn vị chủ trì tham mưu thực hiện: Sở Nội vụ.\n- Cơ quan triển khai: Sở Tư pháp.\n"
             "- Thời hạn ban hành: trước ngày 31 tháng 12 năm 2026.\n\n"
             "2. In tài liệu tuyên truyền\n- Nội dung: Tuyên truyền các quy chuẩn.\n- Hình thức: In tài liệu cấp phát.\n- Số lượng: 5.000 cuốn.\n- Thành phần: Đại diện các sở.")
    got = tasks(HEAD + "II. NHIỆM VỤ\n\n" + block + TAIL)
    assert got == [("II.1.a", "Rà soát đội ngũ cán bộ xây dựng pháp luật."), ("II.1.b", "Tập huấn kỹ năng xây dựng pháp luật."), ("II.2", "In tài liệu tuyên truyền")]


def test_task_block_with_nhiem_vu_dashes():
    block = "1. Về dữ liệu\n\na) Nhiệm vụ:\n\n- Rà soát cơ sở dữ liệu.\n\n- Số hóa hồ sơ.\n\nb) Cơ quan thực hiện: Sở Khoa học và Công nghệ.\n\nc) Thời gian thực hiện: năm 2025.\n\n2. Về nền tảng\n\na) Nhiệm vụ: Triển khai nền tảng dùng chung.\n\nb) Thời gian thực hiện: năm 2026."
    got = tasks(HEAD + "II. NHIỆM VỤ\n\n" + block + TAIL)
    assert [t for _, t in got] == ["Rà soát cơ sở dữ liệu.", "Số hóa hồ sơ.", "Về nền tảng"]


def test_agency_list_after_task_list_is_organisation_but_alone_it_is_the_task_list():
    tasks_part = "II. NHIỆM VỤ, GIẢI PHÁP\n\n1. Tuyên truyền\n\n- Tổ chức quán triệt.\n\n2. Hạ tầng\n\n- Đầu tư trạm.\n\n"
    agencies = "III. NHIỆM VỤ CỤ THỂ\n\n1. Sở Tài chính\n\n- Bố trí kinh phí.\n\n2. Sở Nội vụ\n\n- Kiện toàn bộ máy.\n\n3. Ủy ban nhân dân các xã\n\n- Triển khai tại cơ sở."
    both = parse_text(HEAD + tasks_part + agencies, "both.md")
    assert len(both.tasks) == 2 and len(both.assignments) == 3
    alone = parse_text(HEAD + agencies.replace("III.", "II."), "alone.md")
    assert len(alone.tasks) == 3


def test_specification_dashes_belong_to_their_task():
    block = "1. Quan trắc môi trường nuôi tôm\n\n- Địa điểm quan trắc: cửa sông Mã.\n\n- Số điểm quan trắc: 08 điểm.\n\n- Thông số quan trắc: pH, độ mặn.\n\n2. Tập huấn cho người dân\n\n- Số lượng: 02 hội nghị.\n\n- Thành phần: đại diện các hộ nuôi."
    got = tasks(HEAD + "II. NỘI DUNG KẾ HOẠCH\n\n" + block + TAIL)
    assert [p for p, _ in got] == ["II.1", "II.2"]


def test_section_named_as_another_part_inside_the_task_part():
    block = "1. Tuyên truyền sâu rộng.\n\n2. Đầu tư hạ tầng.\n\n3. Kinh phí thực hiện\n\n- Ngân sách tỉnh bảo đảm.\n\n- Nguồn xã hội hóa."
    doc = parse_text(HEAD + "II. NỘI DUNG THỰC HIỆN\n\n" + block + TAIL, "k.md")
    assert [t.path for t in doc.tasks] == ["II.1", "II.2"]


def test_regulation_of_articles_has_no_tasks_and_says_why():
    text = "QUYẾT ĐỊNH\n\nBan hành Quy chế\n\n" + "\n\n".join(
        f"**Chương {r}**\n\n**QUY ĐỊNH {r}**\n\n**Điều {i}. Phạm vi {i}**\n\n1. Khoản một của điều {i}.\n\n2. Khoản hai của điều {i}." for i, r in enumerate(["I", "II", "III", "IV"], 1)
    )
    doc = parse_text(text, "quy-che.md")
    assert not doc.tasks
    msg = next(p.message for p in doc.problems if p.code == "no_tasks")
    assert "articles (Điều)" in msg and "parts found" in msg


def test_decision_with_attached_plan_reads_the_plan():
    text = (
        "QUYẾT ĐỊNH\n\nVề việc ban hành Kế hoạch\n\n**Điều 1.** Ban hành kèm theo Quyết định này Kế hoạch thực hiện.\n\n"
        "**Điều 2.** Quyết định có hiệu lực từ ngày ký.\n\n**Điều 3.** Các sở chịu trách nhiệm thi hành.\n\n"
        "KẾ HOẠCH\n\nI. MỤC TIÊU\n\nPhát triển.\n\nII. NHIỆM VỤ, GIẢI PHÁP\n\n1. Hoàn thiện thể chế.\n\n2. Phát triển hạ tầng.\n\nIII. TỔ CHỨC THỰC HIỆN\n\nCác sở thực hiện."
    )
    assert [t for _, t in tasks(text)] == ["Hoàn thiện thể chế.", "Phát triển hạ tầng."]


def test_clean_reports_every_line_it_drops():
    page = "\n".join(["KẾ HOẠCH", "I. MỤC TIÊU", "Phát triển bền vững toàn diện.", "II. NHIỆM VỤ"] + [f"{i}. Triển khai nhiệm vụ số {i} của tỉnh.\nTRANG THÔNG TIN\n{i}" for i in range(1, 8)])
    cl = run_stages_text(page)
    reasons = {(d.text.strip(), d.reason.split()[0]) for d in cl.dropped}
    assert ("TRANG THÔNG TIN", "a") in reasons and any(t.isdigit() for t, _ in reasons)
    assert all("Triển khai" not in d.text for d in cl.dropped)


def run_stages_text(text: str):
    from plancompare.parse.clean import clean
    from plancompare.parse.decode import decode

    return clean(decode(from_text(text, "t.txt")))


def test_citation_and_number_lines_are_never_running_headers():
    lines = ["KẾ HOẠCH", "*Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024;*"] * 3 + ["II. NHIỆM VỤ", "1. Làm A.", "Mục tiêu 100%", "2. Làm B.", "Mục tiêu 100%", "3. Làm C.", "Mục tiêu 100%"]
    cl = run_stages_text("\n".join(lines))
    assert not any("Căn cứ" in d.text or "100%" in d.text for d in cl.dropped)


def test_stage_chain_exposes_dropped_lines(tmp_path):
    f = tmp_path / "p.txt"
    f.write_text("KẾ HOẠCH\nII. NHIỆM VỤ\n1. Làm A.\n", encoding="utf-8")
    assert run_stages(f, "clean").to_dict()["dropped"] == []


def test_tasks_numbered_inline_are_one_task_each():
    block = "1. Bộ Khoa học và Công nghệ: **(1)** trình Chương trình quốc gia; **(2)** chủ trì xây dựng bộ công cụ gồm (i) theo dõi, (ii) đánh giá; **(3)** ban hành hướng dẫn.\n\n2. Bộ Tài chính bố trí kinh phí (theo quy định)."
    got = tasks(HEAD + "II. NHIỆM VỤ\n\n" + block + TAIL)
    assert [p for p, _ in got] == ["II.1.1", "II.1.2", "II.1.3", "II.2"]
    assert got[1][1].startswith("chủ trì xây dựng bộ công cụ gồm (i) theo dõi")


def test_heading_and_its_content_on_one_line():
    got = tasks(HEAD + "II. NHIỆM VỤ\n\n**1. Hoàn thiện thể chế:** Các bộ khẩn trương trình\n\nChính phủ ban hành các nghị định.\n\n**2. Hạ tầng**\n\nĐầu tư trung tâm dữ liệu." + TAIL)
    assert [t for _, t in got] == ["Các bộ khẩn trương trình Chính phủ ban hành các nghị định.", "Đầu tư trung tâm dữ liệu."]


def test_decree_of_many_articles_has_no_tasks_even_with_a_chapter_named_tasks():
    arts = "\n\n".join(f"**Điều {i}. Nhiệm vụ, quyền hạn của cơ quan {i}**\n\n1. Xây dựng kế hoạch {i}.\n\n2. Tổ chức thực hiện {i}." for i in range(1, 7))
    doc = parse_text("NGHỊ ĐỊNH\n\n**Chương I**\n\n**NHIỆM VỤ VÀ QUYỀN HẠN**\n\n" + arts, "nd.md")
    assert not doc.tasks and any(p.code == "normative_text" for p in doc.problems)


def test_unnamed_part_of_actions_after_the_task_part_holds_tasks():
    text = HEAD + "II. NHIỆM VỤ\n\n1. Tuyên truyền sâu rộng.\n\nIII. PHÁT TRIỂN NGÀNH, LĨNH VỰC\n\n1. Nông nghiệp\n\na) Xây dựng nền tảng số nông nghiệp.\n\nb) Triển khai truy xuất nguồn gốc.\n\n2. Y tế\n\na) Phát triển bệnh án điện tử.\n\nIV. TỔ CHỨC THỰC HIỆN\n\nCác sở thực hiện."
    assert [p for p, _ in tasks(text)] == ["II.1", "III.1.a", "III.1.b", "III.2.a"]


def test_numbered_task_between_two_headings_fills_its_number():
    """A numbered item that is a task itself (no sub-items) between two numbered headings is no lost
    heading; a number that never appears is."""
    def gaps(items: str) -> list[str]:
        doc = parse_text(HEAD + "II. NHIỆM VỤ\n\n" + items + TAIL, "case.md")
        return [p.message for p in doc.problems if p.code == "heading_missing"]

    one = "1. Chuyển đổi số\n\na) Xây dựng nền tảng A.\n\nb) Triển khai hệ thống B.\n\n"
    three = "3. Hạ tầng\n\na) Đầu tư trung tâm dữ liệu.\n\nb) Nâng cấp mạng.\n\n"
    assert gaps(one + "2. Tổ chức hội nghị sơ kết.\n\n" + three) == []
    assert gaps(one + three) == ["section(s) 2 have no heading before line 17: their items are counted under section 1"]


def test_emulation_plan_theme_and_period_are_not_tasks():
    """An emulation plan's content part names its theme and its period before what to do: '1. Chủ đề
    thi đua' over a slogan, '2. Thời gian thực hiện: ...' and '4. Thời gian tổ chức phong trào: ...' on
    one line are no tasks; a task that merely starts with 'Thời gian tới' is one."""
    block = ("**1. Chủ đề thi đua**\n\n“Lập thành tích chào mừng Đại hội”.\n\n**2. Thời gian thực hiện: **Từ tháng 10/2025.\n\n"
             "**3. Nội dung thi đua**\n\na) Thi đua cải cách hành chính.\n\nb) Thời gian tới, đẩy mạnh chuyển đổi số.\n\n"
             "**4. Thời gian tổ chức phong trào thi đua**: từ tháng 10 năm 2025 đến hết tháng 3 năm 2026.")
    got = tasks(HEAD + "II. NỘI DUNG THI ĐUA\n\n" + block + TAIL)
    assert got == [("II.3.a", "Thi đua cải cách hành chính."), ("II.3.b", "Thời gian tới, đẩy mạnh chuyển đổi số.")]


def test_objectives_say_which_are_targets():
    """Only the specific objectives are what a plan must reach: 'Mục tiêu cụ thể', 'Chỉ tiêu' (even
    under 'MỤC ĐÍCH, YÊU CẦU'); 'Mục đích', 'Yêu cầu', 'Mục tiêu chung' are not."""
    text = ("KẾ HOẠCH\n\nI. MỤC ĐÍCH, YÊU CẦU\n\n1. Mục đích\n\na) Triển khai nghiêm túc Nghị quyết.\n\n2. Yêu cầu\n\na) Bám sát nội dung.\n\n"
            "3. Các chỉ tiêu cụ thể đến năm 2030\n\na) 100% xã có điểm phục vụ.\n\nII. MỤC TIÊU\n\n1. Mục tiêu chung\n\nPhát triển kinh tế số.\n\n"
            "2. Mục tiêu cụ thể\n\na) 80% dân số trưởng thành có tài khoản.\n\nb) 70% hồ sơ trực tuyến.\n\nIII. NHIỆM VỤ\n\n1. Xây dựng nền tảng." + TAIL)
    doc = parse_text(text, "case.md")
    assert [(o.kind, o.text) for o in doc.objectives] == [
        ("purpose", "Triển khai nghiêm túc Nghị quyết."), ("purpose", "Bám sát nội dung."), ("specific", "100% xã có điểm phục vụ."),
        ("general", "Phát triển kinh tế số."), ("specific", "80% dân số trưởng thành có tài khoản."), ("specific", "70% hồ sơ trực tuyến.")]
