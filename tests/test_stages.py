"""Unit tests of each parsing stage on small hand-made inputs."""

from __future__ import annotations

import pytest

from plancompare.errors import BinaryFileError, DecodeError, EmptyFileError
from plancompare.normalize import key, normalize_number, normalize_tone
from plancompare.parse import parse_text
from plancompare.parse.clean import clean, join_wrapped, remove_repeated_blocks
from plancompare.parse.decode import decode
from plancompare.parse.read import from_text
from plancompare.parse.segment import segment
from plancompare.parse.stages import Decoded, Line, RawInput
from plancompare.parse.tables import parse_target


def lines(*texts: str) -> list[Line]:
    return [Line(no=i, end=i, text=t) for i, t in enumerate(texts, 1)]


# ---- normalise


def test_tone_placement_is_one_key():
    assert key("Cụ thể hoá, quản lý thuỷ lợi, Uỷ ban") == key("Cụ thể hóa, quản lý thủy lợi, Ủy ban")
    assert normalize_tone("quý") == "quý"  # 'qu' + y is not the -uy ending


def test_key_ignores_spacing_quotes_and_wrapped_numbers():
    assert key("Nghị quyết số 57-\nNQ/TW  “học tập số”") == key('Nghị quyết số 57-NQ/TW "học tập số"')


def test_normalize_number():
    assert normalize_number("283-KHTU") == "283-KH/TU"
    assert normalize_number("57- NQ/TW") == "57-NQ/TW"
    assert normalize_number("03/NQ-CP") == "03/NQ-CP"


# ---- decode


def _raw(data: bytes, name: str = "x.txt") -> RawInput:
    return RawInput(name=name, suffix=".txt", size=len(data), sha256="0", data=data)


def test_decode_utf8_bom_and_nfc():
    text = "Ke\u0302\u0301 hoạch"  # decomposed 'Kế'
    dec = decode(_raw(b"\xef\xbb\xbf" + text.encode("utf-8")))
    assert dec.lines[0].text == "Kế hoạch" and dec.encoding == "utf-8"


def test_decode_binary_and_empty():
    with pytest.raises(BinaryFileError):
        decode(_raw(b"\x00\x01\x02PK\x03\x04" * 50))
    with pytest.raises(EmptyFileError):
        decode(_raw("   \n".encode()))


def _vni(text: str) -> bytes:
    from viparse.normalize.encodings import CHARMAPS

    inv = sorted(((u, lg) for lg, u in CHARMAPS["vni"].pairs), key=lambda x: -len(x[0]))
    out, i = [], 0
    while i < len(text):
        for u, lg in inv:
            if text.startswith(u, i):
                out.append(lg)
                i += len(u)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out).encode("cp1252")


def test_decode_legacy_vni_is_converted_and_reported():
    text = "Kế hoạch triển khai nhiệm vụ phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số trên địa bàn tỉnh. " * 5
    dec = decode(_raw(_vni(text)))
    assert dec.encoding == "vni"
    assert dec.lines[0].text.startswith("Kế hoạch triển khai nhiệm vụ")
    assert [p.code for p in dec.problems] == ["legacy_encoding_converted"]


def _decode_reference():
    """The decode module and the regular expressions its C-level counts stand for."""
    import importlib
    import re

    dec = importlib.import_module("plancompare.parse.decode")
    return dec, re.compile("[\u00a0-\u00ff]"), re.compile(f"[\u1ea0-\u1ef9{dec._VIET_LETTERS}]")


def _random_strings(seed: int, alphabet: str, n: int):
    import random

    rng = random.Random(seed)
    for _ in range(n):
        yield rng, "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))


def test_decode_counts_latin1_and_control_bytes_exactly():
    """The legacy-encoding test counts U+00A0..U+00FF and the binary test counts control bytes in C;
    the counts are those of the regular expression and of a byte loop (C1 controls left out)."""
    dec, latin1, viet = _decode_reference()
    for rng, s in _random_strings(2, "aé\u0085\u00a0\u00ffơ\u1ea0x\u0100\u009f\u0080 Ă", 2000):
        want = None if len(latin1.findall(s)) <= len(viet.findall(s)) else "legacy"
        if want is None:
            assert dec._legacy_encoding(s) is None
        b = bytes(rng.randint(0, 40) for _ in range(rng.randint(0, 60)))
        assert dec._looks_binary(b) == (b"\x00" in b or sum(1 for x in b if x < 32 and x not in (9, 10, 12, 13)) > len(b) * 0.05)


def test_decode_c_level_counts_match_their_definitions():
    """The charmap counts (Latin-1 letters, Vietnamese letters) and the format characters found in C are
    those of the regular expression and of unicodedata's categories, also with NULs, surrogates and
    characters above U+FFFF (which take the category path)."""
    import unicodedata

    dec, latin1, viet = _decode_reference()
    alphabet = "a\x00é\u0085\u00a0\u00ffâÔơ\u1ea0\u1ef9\u1efa\u1e9fx\u0100\u009f Ăđ\u200b\u00ad\ufeff\u2066\ud800\U0001f600\U000e0020"
    for _rng, s in _random_strings(5, alphabet, 3000):
        assert dec._latin1_and_viet(s) == (len(latin1.findall(s)), len(viet.findall(s)))
        bad = {c for c in s if unicodedata.category(c) == "Cf"}
        want = ("".join(c for c in s if c not in bad), sum(s.count(c) for c in bad))
        assert dec.remove_format_chars(s) == (want if not s.isascii() else (s, 0))


def test_decode_unknown_8bit_is_an_error():
    with pytest.raises(DecodeError):
        decode(_raw("Grüße aus Köln, schöne Straße und Äpfel. ".encode("latin-1") * 20))


# ---- clean


def test_repeated_opening_block_is_removed_once():
    block = ["ỦY BAN NHÂN DÂN TỈNH X", "Thực hiện Nghị quyết số 1/NQ-CP ngày 1/1/2025 của Chính phủ", "1. Mục tiêu chung của kế hoạch này là rất dài", "a) Xây dựng và tổ chức triển khai tuyên truyền"]
    ls = lines(*block, *block, "b) Nghiên cứu, đề xuất các cơ chế, chính sách đặc thù")
    problems = []
    out = remove_repeated_blocks(ls, problems)
    assert [x.no for x in out] == [5, 6, 7, 8, 9]
    assert problems[0].code == "repeated_block_removed"


def test_single_repeated_line_is_kept():
    ls = lines("- Rà soát, xây dựng chính sách thu hút nhân lực", "- Rà soát, xây dựng chính sách thu hút nhân lực", "- Khác")
    assert len(remove_repeated_blocks(ls, [])) == 3


def test_hard_wrapped_lines_are_rejoined():
    ls = lines("a) Tổ chức triển khai tuyên truyền thường xuyên, sâu rộng về nội dung Nghị", "", "quyết số 57-", "", "NQ/TW và các văn bản có liên quan.", "", "b) Nâng cao vai trò.")
    out = join_wrapped(ls, width=80)
    assert [x.text for x in out] == ["a) Tổ chức triển khai tuyên truyền thường xuyên, sâu rộng về nội dung Nghị quyết số 57-NQ/TW và các văn bản có liên quan.", "b) Nâng cao vai trò."]
    assert (out[0].no, out[0].end) == (1, 5)


def test_short_heading_is_not_joined_with_next_paragraph():
    out = join_wrapped(lines("1. Mục tiêu chung", "Tuyên truyền nâng cao nhận thức."), width=None)
    assert len(out) == 2


def test_page_numbers_and_site_text_removed():
    dec = Decoded(encoding="utf-8", lines=lines("I. NHIỆM VỤ", "1. Việc một", "- 2 -", "a) Làm A.", "KT. CHỦ TỊCH", "Đăng xuất", "Việc làm Hà Nội"))
    cl = clean(dec)
    texts = [x.text for x in cl.lines]
    assert "- 2 -" not in texts and "Đăng xuất" not in texts
    assert {p.code for p in cl.problems} >= {"page_numbers_removed", "site_text_removed"}


# ---- segment


def test_markers_are_classified():
    dec = Decoded(encoding="utf-8", lines=lines("II- NHIỆM VỤ", "3.10. Cho phép thí điểm", "đ) Việc đ.", "(2) Việc hai.", "+ cộng.", "### 1. Tiêu đề", "**7. Đậm**", "STT\tChỉ tiêu\tNăm 2025"))
    seg = segment(clean(dec))
    got = [(b.kind, b.marker, b.label) for b in seg.blocks]
    assert got == [("heading", "roman", "II"), ("item", "decimal", "3.10"), ("item", "letter", "đ"), ("item", "paren", "2"), ("item", "plus", "+"), ("heading", "arabic", "1"), ("item", "arabic", "7"), ("row", None, None)]


# ---- structure and records


PLAN = """KẾ HOẠCH
Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị, UBND tỉnh ban hành kế hoạch.
I. MỤC TIÊU
1. Mục tiêu chung
Nâng cao nhận thức.
II. NHIỆM VỤ VÀ GIẢI PHÁP
1. Nâng cao nhận thức
a) Tổ chức tuyên truyền sâu rộng về Nghị quyết.
b) Xây dựng, ban hành quy định trách nhiệm người đứng đầu.
a) Rà soát văn bản quy phạm pháp luật không còn phù hợp.
b) Nghiên cứu, đề xuất cơ chế đặc thù.
3. Tăng cường đầu tư hạ tầng
a) Phát triển hạ tầng viễn thông.
III. TỔ CHỨC THỰC HIỆN
1. Sở Khoa học và Công nghệ chủ trì, theo dõi, tổng hợp.
"""


def test_lost_heading_is_inferred_from_letter_restart():
    doc = parse_text(PLAN, "plan.txt")
    assert [t.path for t in doc.tasks] == ["II.1.a", "II.1.b", "II.2.a", "II.2.b", "II.3.a"]
    inferred = [s for s in doc.sections if s.inferred]
    assert [s.path for s in inferred] == ["II.2"] and inferred[0].title is None
    assert any(p.code == "heading_inferred" for p in doc.problems)
    assert [o.text for o in doc.objectives] == ["Nâng cao nhận thức."]
    assert doc.assignments[0].agency == "Sở Khoa học và Công nghệ"
    assert doc.references[0].number == "57-NQ/TW" and doc.references[0].relation == "implements"


def test_no_structure_is_reported():
    doc = parse_text("Xin chào. Đây là một đoạn văn bản không có cấu trúc kế hoạch nào cả.\nMột dòng nữa.", "x.txt")
    # no number and no date either: said so, not guessed
    assert not doc.tasks and [p.code for p in doc.problems] == ["number_missing", "date_missing", "no_structure"]


@pytest.mark.parametrize(
    "raw,op,value,vmax,unit,qual",
    [
        ("≥ 60%", "≥", 60.0, None, "%", False),
        ("100%", "=", 100.0, None, "%", False),
        ("≥ 1,0% GRDP", "≥", 1.0, None, "% GRDP", False),
        ("15 - 20", "≥", 15.0, 20.0, None, False),
        ("> 0,75", ">", 0.75, None, None, False),
        (">= 30", "≥", 30.0, None, None, False),
        ("Có", None, None, None, None, True),
        ("Duy trì/nâng cấp", None, None, None, None, True),
    ],
)
def test_targets(raw, op, value, vmax, unit, qual):
    t = parse_target(raw, "2030")
    assert (t.op, t.value, t.value_max, t.unit, t.qualitative, t.year, t.raw) == (op, value, vmax, unit, qual, 2030, raw)


def test_from_text_roundtrip():
    raw = from_text("Kế hoạch", "a.txt")
    assert raw.name == "a.txt" and raw.data == "Kế hoạch".encode()


LOST = """ỦY BAN NHÂN DÂN
KẾ HOẠCH
Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị.
1. Mục tiêu chung
Nâng cao nhận thức.
2. Mục tiêu cụ thể
a) Tuyên truyền về chuyển đổi số cho toàn dân.
b) Xây dựng quy định trách nhiệm người đứng đầu.
a) Rà soát văn bản quy phạm pháp luật không còn phù hợp.
b) Nghiên cứu cơ chế chính sách đặc thù.
a) Phát triển hạ tầng viễn thông và Internet.
1. Nguồn kinh phí thực hiện Kế hoạch được bố trí từ ngân sách nhà nước.
1. Các sở, ban, ngành có trách nhiệm triển khai Kế hoạch.
"""


def test_all_task_headings_lost():
    """Every task heading and part heading lost (web scrape): the lists after the objectives are the tasks."""
    d = parse_text(LOST, "x.txt")
    assert [t.path for t in d.tasks] == ["II.1.a", "II.1.b", "II.2.a", "II.2.b", "II.3.a"]
    assert [a.path for a in d.assignments] == ["III.1", "IV.1"]


def test_targets_under_objectives_stay_objectives():
    text = LOST.replace("a) Tuyên truyền về chuyển đổi số cho toàn dân.", "a) Phấn đấu 100% cán bộ có kỹ năng số.").replace("b) Xây dựng quy định trách nhiệm người đứng đầu.", "b) Tỷ lệ dịch vụ công trực tuyến đạt 80%.")
    d = parse_text(text, "x.txt")
    assert [t.path for t in d.tasks] == ["II.1.a", "II.1.b", "II.2.a"]
    assert [o.path for o in d.objectives][-2:] == ["I.2.a", "I.2.b"]


def test_lost_last_section_continues_numbering():
    text = LOST.replace("b) Nghiên cứu cơ chế chính sách đặc thù.", "b) Nghiên cứu cơ chế chính sách đặc thù.\n3. Tăng cường đầu tư hạ tầng")
    text = text.replace("a) Phát triển hạ tầng viễn thông và Internet.", "a) Phát triển hạ tầng viễn thông và Internet.\na) Giám sát việc triển khai.")
    d = parse_text(text, "x.txt")
    assert [t.path for t in d.tasks] == ["II.1.a", "II.1.b", "II.2.a", "II.2.b", "II.3.a", "II.4.a"]


def test_wrapped_4_0_is_not_an_item():
    text = "II. NHIỆM VỤ\n1. Hạ tầng\na) Đầu tư hạ tầng theo hướng hiện đại và gắn với công nghiệp\n4.0 đáp ứng yêu cầu hội nhập.\nb) Việc khác.\n"
    d = parse_text(text, "x.txt")
    assert [t.label for t in d.tasks] == ["a", "b"] and "công nghiệp 4.0 đáp ứng" in d.tasks[0].text


COMMUNE_TABLE = """ỦY BAN NHÂN DÂN XÃ HÒA THẮNG
Số: 45/KH-UBND
Hòa Thắng, ngày 10 tháng 8 năm 2025
KẾ HOẠCH
Triển khai chuyển đổi số năm 2025
Căn cứ Kế hoạch số 146/KH-UBND ngày 25/6/2025 của UBND tỉnh Đắk Lắk;
I. MỤC TIÊU
- Đến năm 2030, tỷ lệ hộ gia đình có cáp quang đạt 90%.
II. NỘI DUNG THỰC HIỆN
| TT | Nội dung nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành |
|---|---|---|---|---|
| 1 | Tuyên truyền về chuyển đổi số trên hệ thống loa truyền thanh | Văn phòng UBND xã | Các thôn, buôn | Thường xuyên |
| 2 | Hướng dẫn người dân cài đặt và sử dụng ứng dụng VNeID | Công an xã | Đoàn Thanh niên | Quý III/2025 |
III. TỔ CHỨC THỰC HIỆN
1. Văn phòng UBND xã chủ trì theo dõi, tổng hợp.
"""


def test_tasks_listed_as_a_table_in_the_body():
    d = parse_text(COMMUNE_TABLE, "x.txt")
    assert [(t.path, t.source, t.lead, t.deadline) for t in d.tasks] == [("II.1", "body", "Văn phòng UBND xã", "Thường xuyên"), ("II.2", "body", "Công an xã", "Quý III/2025")]
    assert [a.text for a in d.assignments] == ["Văn phòng UBND xã chủ trì theo dõi, tổng hợp."]  # the table does not swallow what follows
    assert (d.document.level.value, d.document.place) == ("commune", "xã Hòa Thắng")
    assert not d.indicators  # a target in the text is a body target, not an indicator-table row
    ind = d.body_targets[0]
    assert ind.name == "tỷ lệ hộ gia đình có cáp quang" and (ind.targets[0].year, ind.targets[0].value) == (2030, 90.0)


def _tcvn3(text: str) -> bytes:
    """Encode as TCVN3 (ABC). TCVN3 has no precomposed capitals with marks (they came from a
    separate capital font), so those are written with their small-letter codes, as in real files."""
    import unicodedata

    from viparse.normalize.encodings import CHARMAPS

    inv = sorted(((u, lg) for lg, u in CHARMAPS["tcvn3"].pairs), key=lambda x: -len(x[0]))
    text = unicodedata.normalize("NFC", text)
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        for u, lg in inv:
            if text.startswith(u, i):
                out.append(lg)
                i += len(u)
                break
        else:
            low = ch.lower()
            hit = next((lg for u, lg in inv if u == low), None) if ch != low else None
            out.append(hit if hit is not None and ord(ch) > 127 else ch)
            i += 1
    return "".join(out).encode("latin-1", errors="replace")


def test_decode_legacy_tcvn3(tmp_path):
    from _corpus import FILES, RAW

    from plancompare.parse import parse_file

    f = tmp_path / "tcvn3.txt"
    f.write_bytes(_tcvn3((RAW / FILES["tanlap"]).read_text(encoding="utf-8")))
    doc = parse_file(f)
    assert doc.document.encoding == "tcvn3" and doc.problems[0].code == "legacy_encoding_converted"
    assert len([t for t in doc.tasks if t.source == "body"]) == 51
    assert doc.task("II.6.e").text.startswith("Xây dựng chương trình thúc đẩy tiêu dùng")


def test_long_section_title_over_dashes_is_a_heading():
    title = "Nâng cao nhận thức, đột phá về đổi mới tư duy, xác định quyết tâm chính trị mạnh mẽ, quyết liệt lãnh đạo, chỉ đạo, tạo xung lực mới, khí thế mới của cán bộ, công chức, viên chức, đảng viên về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
    d = parse_text(f"II. NHIỆM VỤ\n1. {title}\n- Tuyên truyền sâu rộng.\n- Đào tạo kỹ năng số.\n2. Hạ tầng\n- Phủ sóng 5G.\n", "x.txt")
    assert [t.path for t in d.tasks] == ["II.1.-1", "II.1.-2", "II.2.-1"]


def test_line_after_a_comma_goes_on_even_when_it_starts_with_capitals():
    out = join_wrapped(lines("- Tổ chức tập huấn cho các doanh nghiệp,", "HTX, người lao động sản xuất hàng hóa xuất khẩu.", "", "1. Mục tiêu chung", "Tuyên truyền."), width=None)
    assert [x.text for x in out] == ["- Tổ chức tập huấn cho các doanh nghiệp, HTX, người lao động sản xuất hàng hóa xuất khẩu.", "1. Mục tiêu chung", "Tuyên truyền."]
    out = join_wrapped(lines("7.2. Sửa đổi Nghị định về thực hiện thủ tục hành chính theo", "Dịch vụ công quốc gia theo trình tự rút gọn.", "7.3. Bộ Nội vụ tham mưu."), width=None)
    assert [x.text for x in out] == ["7.2. Sửa đổi Nghị định về thực hiện thủ tục hành chính theo Dịch vụ công quốc gia theo trình tự rút gọn.", "7.3. Bộ Nội vụ tham mưu."]
