"""Golden tests on the seven corpus files: counts, selected texts and fields."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from plancompare.models import Level, ParsedDocument
from plancompare.parse import parse_file

from _corpus import FILES, RAW, ROOT


def body(doc):
    return [t for t in doc.tasks if t.source == "body"]


def appendix(doc):
    return [t for t in doc.tasks if t.source == "appendix"]


def test_146_web_scrape(parsed):
    d = parsed("146")
    tasks = body(d)
    assert len(tasks) == 55
    assert all(t.marker == "letter" for t in tasks)
    # each task once: the repeated opening block did not duplicate tasks
    assert len({t.key for t in tasks}) == 55
    # grouped in 8 sections revealed by the letter restarts
    sections = Counter(t.section_path for t in tasks)
    assert list(sections.values()) == [14, 6, 7, 6, 9, 8, 2, 3]
    assert list(sections) == [f"II.{i}" for i in range(1, 9)]
    assert d.task("II.3.đ").text.startswith("Tập trung nguồn lực đầu tư xây dựng")
    assert d.task("II.8.a").section_title == "Giám sát, đánh giá và tuyên truyền"
    # the site's trailing text is not content
    everything = " ".join([t.text for t in d.tasks] + [a.text for a in d.assignments] + [o.text for o in d.objectives])
    assert "Đăng xuất" not in everything and "Việc làm" not in everything
    codes = {p.code for p in d.problems}
    assert {"repeated_block_removed", "site_text_removed", "heading_inferred", "part_inferred"} <= codes
    # objectives, funding and assignments are not tasks
    assert not any("Nguồn kinh phí" in t.text for t in d.tasks)
    assert any(a.text.startswith("Nguồn kinh phí") for a in d.assignments)
    doc = d.document
    assert (doc.number, doc.kind, doc.level, doc.place, str(doc.issue_date), doc.signer) == ("146/KH-UBND", "Kế hoạch", Level.provincial_government, "Đắk Lắk", "2025-06-25", "Nguyễn Tuấn Hà")
    refs = {r.number: r for r in d.references}
    assert {"71/NQ-CP", "61-CTr/TU", "283-KH/TU"} <= {n for n, r in refs.items() if r.relation == "implements"}
    assert str(refs["71/NQ-CP"].date) == "2025-04-01" and refs["71/NQ-CP"].issuer == "Chính phủ"
    assert refs["49/KH-UBND"].relation == "replaces"


def test_tan_lap_pdf_text(parsed):
    d = parsed("tanlap")
    tasks = body(d)
    assert len(tasks) == 51
    assert len(Counter(t.section_path for t in tasks)) == 8
    # headings split over lines are rejoined
    titles = [s.title for s in d.sections if s.path == "II.1"]
    assert titles == ["Nâng cao nhận thức, đột phá về đổi mới tư duy, xác định quyết tâm chính trị mạnh mẽ, quyết liệt lãnh đạo, chỉ đạo, tạo xung lực mới, khí thế mới của cán bộ, công chức, viên chức, đảng viên về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"]
    # the ward re-letters: its 6.e is the province's 6.g (same text)
    assert d.task("II.6.e").text.startswith("Xây dựng chương trình thúc đẩy tiêu dùng sản phẩm")
    # wrapped lines and split document numbers rejoined
    k = d.task("II.1.k").text
    assert "Nghị quyết số 57-NQ/TW" in k and "\n" not in k
    assert d.document.number is None and d.document.level == Level.commune and d.document.place == "phường Tân Lập"
    assert d.references[0].number == "146/KH-UBND"
    assert d.document.signer == "Phan Thanh Dũng"


def test_283_party_plan(parsed):
    d = parsed("283")
    tasks = body(d)
    assert len(tasks) == 45
    labels = [t.label for t in tasks]
    assert labels[:19] == [f"{s}.{i}" for s, n in ((1, 4), (2, 5), (3, 10)) for i in range(1, n + 1)]
    assert Counter(t.marker for t in tasks)["dash"] == 9  # sections 4 (6) and 10 (3)
    # a paragraph broken by a page break mid-sentence is rejoined
    assert "với kết qua thực hiện Nghị quyết" in d.task("III.2.3").text
    inds = d.all_indicators()
    assert len(inds) == 55
    first = inds[0]
    assert first.name == "Tỷ lệ phủ sóng 5G trên địa bàn"
    assert [(t.year, t.op, t.value, t.unit) for t in first.targets] == [(2025, "≥", 60.0, "%"), (2030, "=", 100.0, "%")]
    assert (first.lead, first.monitoring) == ("Đảng ủy UBND tỉnh", "Sở Khoa học và Công nghệ")
    six = next(i for i in inds if i.label == "6")
    assert [t.raw for t in six.targets] == ["≥ 1,0% GRDP", "≥ 3,0% GRDP", "≥ 3,0% GRDP", "≥ 3,0% GRDP", "≥ 3,0% GRDP"]
    assert six.targets[0].value == 1.0 and six.targets[0].unit == "% GRDP"
    assert next(i for i in inds if i.label == "23").targets[0].value_max == 20.0
    assert next(i for i in inds if i.label == "4").targets[0].qualitative  # 'Có'
    assert {i.group for i in inds} >= {"Phát triển hạ tầng", "Phát triển hệ sinh thái đổi mới sáng tạo"}
    assert any(p.code == "repeated_header_removed" for p in d.problems)
    assert d.document.number == "283-KH/TU" and d.document.level == Level.provincial_party


def test_thai_nguyen(parsed):
    d = parsed("tn")
    b = body(d)
    dashes = [t for t in b if t.marker == "dash"]
    assert len(dashes) == 68
    dups = [t for t in b if t.duplicate_of]
    assert len(dups) == 1 and any(p.code == "duplicate_task" for p in d.problems)
    assert dups[0].text == next(t.text for t in b if t.id == dups[0].duplicate_of)
    assert any(p.code == "heading_missing" for p in d.problems)
    inds = d.all_indicators()
    labels = [i.label for i in inds]
    assert labels[:8] == [str(i) for i in range(1, 9)]
    assert [f"8.{i}" for i in range(1, 13)] == [x for x in labels if x.startswith("8.")]
    assert {"18.1", "18.2", "28"} <= set(labels)
    assert len([x for x in labels if "." not in x]) == 28
    ap = appendix(d)
    assert len(ap) == 68
    t1 = ap[0]
    assert t1.lead == "Sở Thông tin và Truyền thông" and t1.output == "Chương trình" and t1.deadline is not None and t1.deadline.text == "Tháng 7/2025" and (t1.deadline.year, t1.deadline.month) == (2025, 7)
    assert "UBND các huyện, thành phố" in t1.partners
    assert d.document.number == "25/KH-UBND"


def test_hai_duong(parsed):
    d = parsed("hd")
    tasks = body(d)
    assert len(tasks) == 46
    assert tasks[0].label == "1.1" and tasks[-1].label == "7.2"
    # quantified targets of II.2.1 as indicators
    names = " | ".join(i.name for i in d.all_indicators())
    assert "năng suất nhân tố tổng hợp" in names
    tfp = next(i for i in d.all_indicators() if "nhân tố tổng hợp" in i.name)
    assert tfp.targets[0].op == "≥" and tfp.targets[0].value == 55.0 and tfp.targets[0].year == 2030
    assert d.document.number is None and d.document.level == Level.provincial_party
    assert any(r.number == "03/NQ-CP" for r in d.references)


def test_57_markdown(parsed):
    d = parsed("57")
    tasks = body(d)
    assert len(tasks) == 23
    assert {t.section_path for t in tasks} == {f"III.{i}" for i in range(1, 8)}
    # section 7 is a single paragraph: it is the section's task
    assert [t.marker for t in tasks if t.section_path == "III.7"] == ["paragraph"]
    # the intro paragraph of section 2 is not a task
    assert not any(t.text.startswith("Tiếp tục thể chế hoá") for t in tasks)
    assert d.document.number == "57-NQ/TW" and d.document.level == Level.central_party


def test_03_markdown(parsed):
    d = parsed("03")
    tasks = body(d)
    assert len(tasks) == 102
    assert Counter(t.section_path for t in tasks) == Counter({"II.1": 15, "II.2": 14, "II.3": 18, "II.4": 15, "II.5": 20, "II.6": 16, "II.7": 4})
    # sub-bullets stay inside their task
    assert "\n- Tháo gỡ các khó khăn" in d.task("II.2.đ").text
    ap = appendix(d)
    assert len(ap) == 140 and ap[0].label == "1" and ap[-1].label == "140"
    assert ap[-1].lead and ap[-1].deadline
    inds = d.all_indicators()
    assert len(inds) == 57
    assert {i.targets[0].year for i in inds if i.targets} == {2030, 2045}
    assert next(i for i in inds if i.label == "36").targets[0].year == 2045
    four = next(i for i in inds if i.label == "4")
    assert [(t.op, t.value) for t in four.targets] == [("≤", 3.0), ("≤", 50.0)]
    assert d.document.number == "03/NQ-CP" and d.document.level == Level.government
    assert any(r.number == "57-NQ/TW" and r.relation == "basis" for r in d.references)


@pytest.mark.parametrize("name", sorted(FILES))
def test_parsed_json_is_current(name, parsed):
    """data/parsed/ holds the parser's output; regenerate with `python -m plancompare.regen`."""
    f = ROOT / "data" / "parsed" / (RAW / FILES[name]).with_suffix(".json").name
    expected = json.loads(f.read_text(encoding="utf-8"))
    actual = json.loads(parsed(name).model_dump_json())
    assert actual == expected, f"{f.name} is stale: run `python -m plancompare.regen`"


@pytest.mark.parametrize("name", sorted(FILES))
def test_round_trip(name, parsed):
    d = parsed(name)
    again = ParsedDocument.model_validate_json(d.model_dump_json())
    assert again == d


def test_parse_is_deterministic(raw_path):
    a = parse_file(raw_path("146")).model_dump_json()
    b = parse_file(raw_path("146")).model_dump_json()
    assert a == b
