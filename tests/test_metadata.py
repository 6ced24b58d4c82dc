"""Document identity and preamble citations on generated letterheads in the layout of legal-document
sites (cells one per line between '|' lines, bold split over lines, a site banner first)."""

from __future__ import annotations

import datetime as dt

from plancompare.models import Level
from plancompare.parse import parse_text

BODY = """
**I. MỤC ĐÍCH, YÊU CẦU**

1. Nâng cao nhận thức của cán bộ.

**II. NHIỆM VỤ**

1. Tổ chức tuyên truyền, phổ biến Kế hoạch.

2. Rà soát các văn bản có liên quan theo Kế hoạch số 99/KH-UBND.
"""


def letterhead(left: str, number: str = "Số: 141/KH-UBND", place_date: str = "*Bắc Ninh, ngày 20\ntháng 11 năm 2025*", kind: str = "KẾ HOẠCH") -> str:
    return f"""|
{left}
-------
|
**CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
{number}
|
{place_date}
|

**{kind}**

NÂNG CAO NĂNG LỰC CHO ĐỘI NGŨ CÁN BỘ, CÔNG CHỨC

"""


UBND = "**UỶ BAN NHÂN DÂN**\nTỈNH BẮC NINH"
CITES = """*Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;*

*Căn cứ Luật Quy hoạch ngày 24/11/2017 được sửa đổi, bổ sung tại Luật sửa đổi, bổ sung một số điều của Luật Đầu tư và Luật
Đấu thầu số 57/2024/QH15 ngày 29/11/2024;*

Thực hiện Kế hoạch số 14-KH/TU ngày 29/7/2025 của Ban Thường vụ Tỉnh ủy và Kế hoạch số 24/KH-UBND ngày 14/8/2025 của UBND tỉnh thực hiện Nghị quyết số 66-NQ/TW ngày 30/4/2025 của Bộ Chính trị; Công văn số 6676/BYT-CDS ngày 29/10/2024 của Bộ Y tế, UBND tỉnh ban hành Kế hoạch như sau:
"""


def test_identity_from_a_split_letterhead():
    d = parse_text(letterhead(UBND, number="Số:\n141/KH-UBND") + CITES + BODY, "x.md")
    doc = d.document
    assert (doc.number, doc.kind, doc.issuer, doc.level, doc.place, doc.issue_date) == ("141/KH-UBND", "Kế hoạch", "UBND tỉnh Bắc Ninh", Level.provincial_government, "Bắc Ninh", dt.date(2025, 11, 20))
    assert not any(p.code in ("number_missing", "date_missing") for p in d.problems)


def test_preamble_citations_direct_nested_and_laws():
    d = parse_text(letterhead(UBND) + CITES + BODY, "x.md")
    rel = {(r.number or r.title): r.relation for r in d.references}
    assert rel["14-KH/TU"] == rel["24/KH-UBND"] == "implements"  # 'Kế hoạch ... và Kế hoạch ...'
    assert rel["66-NQ/TW"] == "mentions"  # named inside 24/KH-UBND's description
    assert rel["6676/BYT-CDS"] == "implements"  # '...; Công văn số ...' goes on with the list
    assert rel["Luật Tổ chức chính quyền địa phương"] == rel["Luật Quy hoạch"] == "basis"
    law = next(r for r in d.references if r.title == "Luật Tổ chức chính quyền địa phương")
    assert (law.number, law.kind, law.date) == (None, "Luật", dt.date(2025, 6, 16))
    assert "57/2024/QH15" not in {r.number for r in d.references if r.relation == "basis"}  # inside the amending law's title
    assert rel["99/KH-UBND"] == "mentions"  # a body mention, not a preamble citation
    r14 = next(r for r in d.references if r.number == "14-KH/TU")
    assert (r14.date, r14.issuer) == (dt.date(2025, 7, 29), "Ban Thường vụ Tỉnh ủy")


def test_site_banner_before_the_letterhead():
    banner = """Bản dịch này thuộc quyền sở hữu của THƯ VIỆN PHÁP LUẬT. Mọi hành vi sao chép là vi phạm pháp luật.
#
**Số hiệu:**
|
2530/QĐ-TTg
|
**Ngày ban hành:**
|
19/11/2025
|
Ngày 19/11/2025, Thủ tướng Chính phủ ban hành Quyết định 2530/QĐ-TTg phê duyệt Kế hoạch hành động quốc gia về không khí.
Xem chi tiết tại Quyết định 2530/QĐ-TTg có hiệu lực từ ngày 19/11/2025 trên toàn quốc và các địa phương.
"""
    d = parse_text(banner + letterhead("**THỦ\nTƯỚNG CHÍNH PHỦ**", number="Số: 2530/QĐ-TTg", place_date="*Hà Nội, ngày 19\ntháng 11 năm 2025*", kind="QUYẾT ĐỊNH") + "*Căn cứ Nghị định số 35/2025/NĐ-CP\nngày 25 tháng 02 năm 2025 của Chính phủ;*\n\n**QUYẾT ĐỊNH:**\n\n**Điều 1.** Phê duyệt Kế hoạch.\n" + BODY, "x.md")
    doc = d.document
    assert (doc.number, doc.kind, doc.issuer, doc.level, doc.issue_date) == ("2530/QĐ-TTg", "Quyết định", "Thủ tướng Chính phủ", Level.government, dt.date(2025, 11, 19))
    r = next(r for r in d.references if r.number == "35/2025/NĐ-CP")
    assert (r.relation, r.kind, r.date, r.issuer) == ("basis", "Nghị định", dt.date(2025, 2, 25), "Chính phủ")


def test_ministry_and_department_letterheads():
    d = parse_text(letterhead("**BỘ VĂN HÓA, THỂ\nTHAO **\nVÀ DU LỊCH", number="Số: 4385/QĐ-BVHTTDL", kind="QUYẾT ĐỊNH") + BODY, "x.md")
    assert (d.document.issuer, d.document.level, d.document.place) == ("Bộ Văn hóa, Thể thao và Du lịch", Level.ministry, None)
    d = parse_text(letterhead("UBND TỈNH ĐỒNG THÁP\n**SỞ KHOA HỌC VÀ CÔNG NGHỆ**", number="Số: 12/KH-SKHCN") + BODY, "x.md")
    assert (d.document.issuer, d.document.place) == ("Sở Khoa học và Công nghệ", "Đồng Tháp")
    d = parse_text(letterhead("**ỦY BAN NHÂN\nDÂN**\n**THÀNH PHỐ CẦN THƠ**", number="Số: 2610/QĐ-UBND", kind="QUYẾT ĐỊNH").replace("NÂNG CAO", "**CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ**\n\nNÂNG CAO") + BODY, "x.md")
    assert d.document.issuer == "Chủ tịch UBND thành phố Cần Thơ"  # a decision of the chairman


def test_blank_number_and_date_are_problems_not_guesses():
    d = parse_text(letterhead(UBND, number="Số: /KH-UBND", place_date="*Bắc Ninh, ngày   tháng   năm 2025*") + BODY, "x.md")
    assert d.document.number is None and d.document.issue_date is None
    msgs = {p.code: p.message for p in d.problems}
    assert msgs["number_missing"] == "document number not found: the number is left blank ('Số: /KH-UBND'); left empty, not guessed"
    assert msgs["date_missing"].startswith("date of issue not found")


def test_mention_lookahead_admits_every_first_character():
    """The lookahead that speeds up _MENTION admits every character a mention can start with: each kind's first
    letter as a case-insensitive match takes it (the whole of Unicode), and 'S', 's', 'L', 'B'."""
    import importlib
    import re

    md = importlib.import_module("plancompare.parse.metadata")
    firsts = "".join(sorted({k[0] for k in md._KINDS.split("|")}))
    ci = re.compile(f"(?i:[{firsts}])")
    starts = {chr(c) for c in range(0x110000) if ci.fullmatch(chr(c))} | set("SsLB")
    assert starts <= set(md._MENTION_FIRST)
    assert "\u212a" in starts  # the Kelvin sign: a 'k' to a case-insensitive match
    text = "Căn cứ Kế hoạch số 14-KH/TU ngày 2/3/2025 của Tỉnh ủy và số 24/KH-UBND; Luật Đầu tư số 61/2020/QH14"
    assert [m.group("num") or m.group("bare") or m.group("law") for m in md._MENTION.finditer(text)] == ["14-KH/TU", "24/KH-UBND", "Luật", "61/2020/QH14"]
