"""Document identity and citations: number, kind, issuer, level, place, date, title, signer, references."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from ..models import DocumentInfo, Level, Problem, Reference
from ..normalize import clean_display, normalize_number
from .places import canonical_province
from .stages import Block

_KINDS = r"Nghị quyết liên tịch|Nghị quyết|Kế hoạch hành động|Kế hoạch|Chương trình hành động|Chương trình|Quyết định|Công văn|Công điện|Chỉ thị|Kết luận|Thông báo kết luận|Thông báo|Thông tri|Nghị định|Thông tư liên tịch|Thông tư|Luật|Pháp lệnh|Hướng dẫn|Đề án|Tờ trình|Hiến pháp|Quy chế|Quy định|Văn bản"
# '141/KH-UBND', '57-NQ/TW', '06/2022/TT-BTTTT', '66.2/2025/NQ-CP', '8935/BNV-CTTN&BĐG', '01348/QĐ-UBND'
_NUMBER = r"\d{1,5}(?:\.\d{1,3})?[A-Za-z]?(?:\s*/\s*(?:19|20)\d\d)?\s*[-/]\s*[A-Za-zĐđ]+\d{0,2}(?:\s*[-/&]\s*[A-Za-zĐđ0-9&]+)*"
_DATE = r"\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"
REF_RE = re.compile(
    rf"(?P<kind>{_KINDS})(?:\s+số)?\s*(?P<num>{_NUMBER})?(?:\s*,?\s*ngày\s+(?P<date>{_DATE}))?(?:\s+của\s+(?P<issuer>[^,;.()“”\"]{{2,80}}?))?(?=\s+về\b|\s+ban hành\b|\s+thực hiện\b|\s+triển khai\b|\s+phê duyệt\b|\s+quy định\b|\s+hướng dẫn\b|\s+tại\b|\s*[,;.()“”\"]|\s+trên địa bàn|\s+và\b|\s*$|\s+\(|\s+sau đây)",
)
NUMBER_RE = re.compile(rf"(?:Số|số hiệu)\s*:?\s*(?P<num>{_NUMBER})")
DATE_LINE = re.compile(r"^(?P<place>[A-ZĐ][^,]{1,40}),\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})")


def parse_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    m = re.match(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", text) or re.match(r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", text)
    if not m:
        return None
    d, mo, y = (int(x) for x in m.groups())
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


# body mentions keep the narrower number shape they had ('57-NQ/TW', '03/NQ-CP'; not '179/2024/NĐ-CP'):
# the corpus's lineage and reference checks rest on them (widening them is a separate change)
_BODY_NUMBER = re.compile(r"\d{1,4}[A-Za-z]?[-/][A-Za-zĐđ]+(?:[-/][A-Za-zĐđ0-9]+)*")
# what every _NUMBER contains (a digit, or a letter after one, then - or / and a letter): a text without it names no numbered document
_NUMBER_CUE = re.compile(r"\d[A-Za-z]?\s*[-/]\s*[A-Za-zĐđ]")
_CLAUSE_SPLIT = re.compile(r";\s*")


def _valid_number(num: str) -> bool:
    n = normalize_number(num)
    return bool(re.match(r"^\d+(?:\.\d+)?[A-Za-z]?(?:/(?:19|20)\d\d)?[-/][A-Za-zĐđ]", n)) and any(ch.isupper() for ch in n)


# one cited document: a kind with its number, a bare 'số <number>' in an enumeration, or a law by name
_DATE_AFTER = re.compile(rf"\s*,?\s*(?:ban hành\s+)?ngày\s+(?P<date>{_DATE})")
_ISSUER_AFTER = re.compile(r"\s+của\s+(?P<issuer>(?:(?!\s+của\s)[^,;.()“”\"]){2,80}?)(?=\s+(?i:về|ban hành|thực hiện|triển khai|phê duyệt|quy định|hướng dẫn|sửa đổi|tại)\b|\s*[,;.()“”\"]|\s+trên địa bàn|\s+và\b|\s*$|\s+sau đây)")
#: the characters a mention can start with: a kind's first letter in either case (U+212A, the Kelvin sign, is a 'k'
#: to a case-insensitive match), 'S'/'s' of 'số', 'L' and 'B' of the laws. A lookahead on them lets the engine pass
#: over every other position at once, where it would otherwise try each kind in turn (same matches, ~2.5x faster).
_MENTION_FIRST = "".join(sorted({k[0] for k in _KINDS.split("|")} | {k[0].lower() for k in _KINDS.split("|")})) + "\u212aSsLB"
_MENTION = re.compile(
    rf"(?=[{_MENTION_FIRST}])"
    rf"(?:(?P<kind>(?i:{_KINDS}))(?:\s+(?:số|số hiệu))?\s*(?P<num>{_NUMBER})"
    rf"|(?<![\w/])[Ss]ố\s+(?P<bare>{_NUMBER})"
    rf"|(?P<law>Luật|Bộ luật)\s+(?P<lawname>(?:sửa đổi|[A-ZĐ])[^;:()“”\"]{{2,240}}?)(?=\s+số\s+\d|\s*,?\s*ngày\s+\d|\s+năm\s+\d{{4}}|\s*[;:()]|\s*,\s*được|\s*$)"
    r")"
)
_MAY_MENTION = re.compile(r"\d|Luật")
_LAW_TAIL = re.compile(rf"(?:\s+số\s+(?P<num>\d{{1,3}}/(?:19|20)\d\d/QH\d{{1,2}}))?(?:\s*,?\s*ngày\s+(?P<date>{_DATE})|\s+năm\s+(?P<year>\d{{4}}))?")
# between two cited documents: a gap that only coordinates ('và', ',', 'và hướng dẫn của Bộ Nội vụ tại') keeps
# the level of the previous one; an amendment ('được sửa đổi, bổ sung tại') too; anything else nests
# (the later document is named inside the description of the earlier: '... thực hiện Nghị quyết số 57-NQ/TW').
_COORD = re.compile(r"^[\s,;:()]*(?:và|hoặc)?[\s,(]*(?:các\s+)?(?:(?:hướng dẫn|chỉ đạo|ý kiến chỉ đạo|ý kiến)\s+của\s+[^,;.]{2,80}?\s+tại\s+)?$", re.I)
# '... về việc phê duyệt Chương trình “...” và Kế hoạch 223/KH-UBND': after the first document's subject, 'và'
# coordinates when the subject names no act it was made under (no 'thực hiện', 'triển khai', 'theo', 'sửa đổi' ...)
_NESTING = re.compile(r"\b(?:thực hiện|triển khai|thi hành|sửa đổi|bổ sung|hướng dẫn|theo|tại|căn cứ|quy định chi tiết|cụ thể hóa|cụ thể hoá)\b", re.I)
_GUIDANCE = re.compile(r"\svà\s+(?:các\s+)?(?:hướng dẫn|chỉ đạo|ý kiến chỉ đạo|ý kiến)\s+của\s+[^,;.]{2,80}?\s+tại\s*$", re.I)
_AMEND = re.compile(r"(?:được\s+)?(?:sửa đổi|điều chỉnh)(?:,\s*bổ sung)?(?:\s+cập nhật)?(?:\s+một số điều)?\s+(?:tại|bởi|theo)\s*$", re.I)
_CUE = re.compile(r"^(Căn cứ|Thực hiện|Triển khai|Thi hành)\b")
_RELATION = {"Căn cứ": "basis", "Thực hiện": "implements", "Triển khai": "implements", "Thi hành": "implements"}


def _described_then_and(gap: str) -> bool:
    """'<subject of the first document> và ': a coordinated second document, not one named in the subject."""
    if not re.search(r"\s(?:và|cùng)\s*$", gap):
        return False
    plain = re.sub(r"[“\"][^”\"]*[”\"]", " ", gap)  # quoted titles say nothing about the link
    return not _NESTING.search(plain)


def _mentions(clause: str) -> list[dict]:
    """The documents named in one clause of a citation, in order, with their dates and issuers."""
    out: list[dict] = []
    if not _MAY_MENTION.search(clause):
        return out  # every mention has a number or names a law: most body sentences have neither
    for m in _MENTION.finditer(clause):
        if out and m.start() < out[-1]["end"]:
            continue  # 'Luật ... số 72/2025/QH15': the law's number, already read
        end = m.end()
        if m.group("law"):
            kind, num, name = "Luật", None, clean_display(m.group("law") + " " + m.group("lawname"))
            if re.search(r"\b(?:sửa đổi|bổ sung)\b", name) and out and out[-1]["kind"] == "Luật":
                # 'Luật ... được sửa đổi, bổ sung tại Luật sửa đổi, bổ sung một số điều của Luật X, Luật Y':
                # the amending act of the law just cited; the laws its title names are nested in it
                out.append({"start": m.start(), "end": end, "kind": "Luật", "num": None, "date": None, "issuer": None, "law": name, "year": None, "amending": True})
                continue
            t = _LAW_TAIL.match(clause, end)
            date = None
            if t:
                num = t.group("num")
                date = parse_date(t.group("date")) if t.group("date") else None
                end = t.end()
            out.append({"start": m.start(), "end": end, "kind": kind, "num": num, "date": date, "issuer": None, "law": name, "year": t.group("year") if t else None})
            continue
        num = m.group("num") or m.group("bare")
        if not _valid_number(num):
            continue
        kind = m.group("kind")
        if kind:
            kind = kind[0].upper() + kind[1:]
        elif out and _COORD.match(clause[out[-1]["end"] : m.start()]):
            kind = out[-1]["kind"]  # '(Số 37/2019/NĐ-CP ..., số 58/2023/NĐ-CP ...)': the same kind
        date = issuer = None
        d = _DATE_AFTER.match(clause, end)
        if d:
            date, end = parse_date(d.group("date")), d.end()
        i = _ISSUER_AFTER.match(clause, end)
        if i:
            issuer, end = clean_display(i.group("issuer")), i.end()
        out.append({"start": m.start(), "end": end, "kind": kind, "num": num, "date": date, "issuer": issuer, "law": None, "year": None})
    return out


def find_references(text: str, line: int | None, relation_first: str, nested: str = "mentions") -> list[Reference]:
    """References in one preamble citation: the documents it cites directly get ``relation_first``
    (a clause of its own, a coordinated list, an amending act); those named inside another's
    description (' ... thực hiện Nghị quyết số 57-NQ/TW') get ``nested``."""
    refs: list[Reference] = []
    relation = relation_first
    for k_clause, clause in enumerate(_CLAUSE_SPLIT.split(text)):
        cm = _CUE.match(clause.strip())
        if cm and relation_first != "mentions":
            relation = _RELATION[cm.group(1)]  # '...; Căn cứ Kế hoạch số 77/KH-UBND' inside one paragraph
        # the clause that opens with the cue lists its documents ('Kế hoạch số 14-KH/TU ... và Kế hoạch số 24/KH-UBND');
        # a later clause without a cue cites its first document only ('; Công văn số 6676/BYT-CDS ...')
        refs += _clause_references(clause, bool(cm) or k_clause == 0, relation, nested, line)
    return refs


def _clause_references(clause: str, listing: bool, relation: str, nested: str, line: int | None) -> list[Reference]:
    """The documents one clause cites: after the first, a document whose gap from the previous one does
    not coordinate (or that a non-listing clause names) is nested in the previous one's description."""
    refs: list[Reference] = []
    level_nested = False
    prev_end = None
    named: set[str] = set()
    for k, m in enumerate(_mentions(clause)):
        if m.get("amending"):
            level_nested, prev_end = True, m["end"]
            continue
        if m["num"] and normalize_number(m["num"]) in named:
            prev_end = m["end"]  # '(sau đây viết tắt là Nghị quyết số 163/2024/QH15)' restates one already cited
            continue
        if m["num"]:
            named.add(normalize_number(m["num"]))
        if k and prev_end is not None:
            gap = clause[prev_end : m["start"]]
            if not listing or not (_COORD.match(gap) or _AMEND.search(gap) or _GUIDANCE.search(gap) or _described_then_and(gap)):
                level_nested = True
        prev_end = m["end"]
        if m["law"] and level_nested:
            continue
        rel = "mentions" if m["kind"] == "Tờ trình" else (nested if level_nested else relation)
        refs.append(_reference(m, clause, rel, level_nested, line))
    return refs


_SUBJECT = re.compile(r"\s*về\s+(?:việc\s+)?[“\"]?([^;“”\"]{5,400}?)[”\"]?(?=\s*\(|\s*;|\s*,\s*(?:Ban|UBND|Ủy ban)|$)")


def _reference(m: dict, clause: str, rel: str, level_nested: bool, line: int | None) -> Reference:
    """One cited document; its title is a law's name, or the subject after a directly cited document ('về ...')."""
    title = None
    if m["law"]:
        title = m["law"]
    elif not level_nested:
        tm = _SUBJECT.match(clause[m["end"]:])
        if tm:
            title = clean_display(tm.group(1))
    return Reference(
        number=normalize_number(m["num"]) if m["num"] else None,
        number_as_written=m["num"],
        kind=m["kind"],
        date=m["date"],
        issuer=m["issuer"],
        relation=rel,  # type: ignore[arg-type]
        title=title,
        line=line,
    )


def _plain(text: str) -> str:
    """Block text without markdown emphasis and table pipes ('*Căn cứ ...;*' -> 'Căn cứ ...;')."""
    return clean_display(re.sub(r"[*_|]+", " ", text))


_ZONE_END = re.compile(r"^(?:QUYẾT ĐỊNH|QUYẾT NGHỊ|KẾT LUẬN|CHỈ THỊ|THÔNG BÁO)\s*:|^Điều\s+\d|^Chương\s+[IVX\d]+\b|^(?:PHẦN|Phần)\s+(?:[IVX]+|thứ)\b")


def preamble_citations(blocks: list[Block]) -> list[tuple[str, int]]:
    """The preamble's citation paragraphs ('Căn cứ ...', 'Thực hiện ...'), each whole, with its first line.

    The preamble runs from the document's number (the site's banner before it is skipped) to the
    enacting formula ('QUYẾT ĐỊNH:', 'Điều 1.') or the first numbered heading or item; a citation
    split over several blocks (an italic line per wrap) is rejoined until it ends in ';', '.' or ':'."""
    start = 0
    for i, b in enumerate(blocks[:200]):
        if re.match(r"^Số\s*:", _plain(b.text)):
            start = i
            break
    out: list[list] = []
    open_ = False
    for b in blocks[start:]:
        t = _plain(b.text)
        if not t:
            continue
        if (b.kind in ("heading", "item") and b.marker in ("roman", "arabic", "decimal", "letter", "paren")) or b.kind in ("row", "caption"):
            break
        if _ZONE_END.match(t):
            break
        if _CUE.match(t):
            out.append([t, b.line])
            open_ = not re.search(r"[;.:]$", t)
        elif out and not open_ and re.match(rf"^{_NUMBER}\s+ngày\b", t):
            # 'Căn cứ Quyết định số' lost by an earlier stage, '178/QĐ-TTg ngày ...' left: a citation of its own
            cue = _CUE.match(out[-1][0])
            out.append([(cue.group(1) if cue else "Căn cứ") + " số " + t, b.line])
            open_ = not re.search(r"[;.:]$", t)
        elif out and re.search(r";$", out[-1][0]) and re.match(rf"^(?:{_KINDS})\s+(?:số\s+)?\d", t):
            out[-1][0] += " " + t  # '...; ' then 'Công văn số 6676/BYT-CDS ...': the list of cited documents goes on
            open_ = not re.search(r"[;.:]$", t)
        elif open_ and not re.match(r"^Theo đề nghị\b", t):
            out[-1][0] += " " + t
            open_ = not re.search(r"[;.:]$", t)
        else:
            open_ = False
    return [(t, line) for t, line in out]


def references(blocks: list[Block], body_texts: list[tuple[str, int]], closing: list[Block]) -> list[Reference]:
    """Cited documents: the preamble's citations (found in ``blocks``: the whole document or its
    preamble), what the closing replaces, and the numbered documents the body mentions."""
    out: list[Reference] = []
    for t, line in preamble_citations(blocks):
        cue = _CUE.match(t)
        out += find_references(t, line, _RELATION[cue.group(1)] if cue else "implements")
    for b in closing:
        t = clean_display(b.text)
        if re.search(r"\bthay thế\b", t):
            out += find_references(t[t.find("thay thế"):], b.line, "replaces")
    seen: dict[str, Reference] = {}
    result: list[Reference] = []
    for r in out:
        k = r.number or (r.kind or "") + (r.title or "")
        if k in seen:
            old = seen[k]
            if old.date is None and r.date is not None:
                old.date = r.date
            if old.relation == "mentions" and r.relation != "mentions":
                old.relation, old.title = r.relation, old.title or r.title
            continue
        seen[k] = r
        result.append(r)
    for t, line in body_texts:
        t = clean_display(t)
        if not _NUMBER_CUE.search(t):
            continue  # no document number (every non-law mention has one; a law is never a body reference)
        for r in find_references(t, line, "mentions"):
            if r.number and r.number not in seen and _BODY_NUMBER.fullmatch(r.number):
                r.relation = "mentions"
                r.title = None
                seen[r.number] = r
                result.append(r)
    return result


_ISSUER_CODES = {
    "TW": ("Ban Chấp hành Trung ương Đảng", Level.central_party),
    "CP": ("Chính phủ", Level.government),
    "TTG": ("Thủ tướng Chính phủ", Level.government),
    "TU": ("Tỉnh ủy", Level.provincial_party),
    "TƯ": ("Tỉnh ủy", Level.provincial_party),
    "BCĐTW": ("Ban Chỉ đạo Trung ương", Level.central_party),
    "HĐND": ("Hội đồng nhân dân", Level.provincial_government),
}
_TYPE_KIND = {"NQ": "Nghị quyết", "KH": "Kế hoạch", "CTR": "Chương trình", "QĐ": "Quyết định", "CT": "Chỉ thị", "KL": "Kết luận", "CV": "Công văn", "TB": "Thông báo", "HD": "Hướng dẫn", "ĐA": "Đề án", "NĐ": "Nghị định", "TT": "Thông tư"}
_TITLE_KIND = re.compile(r"^(NGHỊ QUYẾT|KẾ HOẠCH HÀNH ĐỘNG|KẾ HOẠCH|CHƯƠNG TRÌNH HÀNH ĐỘNG|CHƯƠNG TRÌNH|QUYẾT ĐỊNH|CHỈ THỊ|ĐỀ ÁN|THÔNG BÁO|KẾT LUẬN|QUY CHẾ|QUY ĐỊNH|HƯỚNG DẪN|CÔNG VĂN)\b(?!\s*:)")
_SIGNER_NAME = re.compile(r"^([A-ZĐ][a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]+)(\s+[A-ZĐ][a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]+){1,4}$")
_PLACE_WARD = re.compile(r"\b(phường|xã|đặc khu|thị trấn)\s+([A-ZĐ][\wÀ-ỹ]*(?:\s+[A-ZĐ][\wÀ-ỹ]*){0,3})")
_PLACE_PROVINCE = re.compile(r"\b(?:tỉnh|Tỉnh|thành phố|TỈNH)\s+([A-ZĐ][\wÀ-ỹ]*(?:\s+[A-ZĐ][\wÀ-ỹ]*){0,2}?)(?=\s*(?:[,.;:()“”\"]|$|\s+[a-zđà-ỹ]|\s+(?:Thực|Căn|Ban|Kế|UBND|Nghị)\b))")


def _letterhead_start(blocks: list[Block]) -> int:
    """Index of the block holding the document's own 'Số: ...' line (a site banner may come first), else 0."""
    for i, b in enumerate(blocks[:200]):
        if re.match(r"^Số\s*:", _plain(b.text)):
            j = i
            while j > 0 and i - j < 12 and len(_plain(blocks[j - 1].text)) <= 60:
                j -= 1  # the letterhead's short lines just before it (a site's running text is longer)
            return j
    return 0


def _head_text(blocks: list[Block]) -> tuple[str, int]:
    """The document's head (letterhead, number, date, title) as text, one block per line, up to the
    first preamble citation or numbered heading; and where the letterhead starts."""
    start = _letterhead_start(blocks)
    lines: list[str] = []
    for b in blocks[: start + 60] if start else blocks[:120]:
        t = _plain(b.text)
        if _CUE.match(t) or _ZONE_END.match(t):
            break
        if b.kind in ("heading", "item") and b.marker in ("roman", "arabic", "decimal"):
            break
        lines.append(t)
    return "\n".join(lines), start


_NUMBER_LINE = re.compile(rf"(?<![\w])Số\s*:\s*(?P<num>{_NUMBER})")
_NUMBER_SITE = re.compile(rf"(?<![\w])Số hiệu\s*:?\s*(?P<num>{_NUMBER})")
_DATE_HEAD = re.compile(r"(?m)^(?P<place>[A-ZĐ][^,\n:]{1,40}),\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})|^(?P<place2>[A-ZĐ][^,\n:]{1,40}),\s*ngày\s+(?P<d2>\d{1,2})\s*/\s*(?P<m2>\d{1,2})\s*/\s*(?P<y2>\d{4})")
_DATE_SITE = re.compile(r"Ngày ban hành\s*:?\s*(?P<date>\d{1,2}/\d{1,2}/\d{4})")
_KIND_SITE = re.compile(r"Loại văn bản\s*:?\s*(?P<kind>[A-ZĐ][a-zà-ỹ]+(?: [a-zà-ỹ]+){0,3})")
_COLLAPSE = re.compile(r"\s+")


def _letterhead_issuer(blocks: list[Block], start: int) -> tuple[str, Level, str | None] | None:
    """The issuing body from the letterhead's left column (the upper-case lines before 'CỘNG HÒA XÃ HỘI'),
    for the State bodies whose letterhead names them fully: UBND of a province or city, the Prime
    Minister, the Government, its Office, a ministry. Party letterheads are left to the old rules."""
    texts = [_plain(b.text) for b in blocks[start : start + 40]]
    # (a line that does not start the motto cannot start the joined text that matches: tested first)
    k = next((i for i in range(len(texts)) if texts[i].startswith("CỘNG") and re.match(r"CỘNG\s+H(?:ÒA|OÀ)\s+XÃ\s+HỘI", _COLLAPSE.sub(" ", " ".join(texts[i : i + 3])))), None)
    if k is None:
        return None
    j = k
    while j > 0 and k - j < 6 and texts[j - 1] and texts[j - 1] == texts[j - 1].upper() and ":" not in texts[j - 1]:
        j -= 1
    left = re.sub(r"\s*-{3,}.*$", "", _COLLAPSE.sub(" ", " ".join(t for t in texts[j:k] if not re.fullmatch(r"[-\s]*", t)))).strip(" -")
    if not left:
        return None
    after = " ".join(texts[k + 1 : k + 25])
    m = re.fullmatch(r"(?:(?:ỦY|UỶ) BAN NHÂN DÂN|UBND) (TỈNH|THÀNH PHỐ) (.{2,30}?) (SỞ|BAN|VĂN PHÒNG|THANH TRA|CÔNG AN|BỘ CHỈ HUY) (.{2,60})", left)
    if m and canonical_province(m.group(2)):
        # 'UBND TỈNH X' over 'SỞ Y': the department issues
        return _sentence(m.group(3) + " " + m.group(4)), Level.provincial_government, canonical_province(m.group(2))
    m = re.fullmatch(r"(?:ỦY|UỶ) BAN NHÂN DÂN (TỈNH|THÀNH PHỐ) (.{2,30})", left)
    if m and not canonical_province(m.group(2)):
        return None  # a city that is not a province ('THÀNH PHỐ BUÔN MA THUỘT' before 2025): left to the older rules
    if m:
        unit = m.group(1).lower()
        name = canonical_province(m.group(2)) or m.group(2).title()
        issuer = f"UBND {unit} {name}"
        if re.search(r"CHỦ TỊCH\s+(?:ỦY|UỶ) BAN NHÂN DÂN", after.upper()[:400]) and not re.search(r"\bTM\.?\s+(?:ỦY|UỶ) BAN", after[:400]):
            issuer = "Chủ tịch " + issuer  # a decision of the chairman, not of the committee
        return issuer, Level.provincial_government, name
    if left == "THỦ TƯỚNG CHÍNH PHỦ":
        return "Thủ tướng Chính phủ", Level.government, None
    if left == "CHÍNH PHỦ":
        return "Chính phủ", Level.government, None
    if left == "VĂN PHÒNG CHÍNH PHỦ":
        return "Văn phòng Chính phủ", Level.government, None
    m = re.fullmatch(r"BỘ ([A-ZĐÀ-Ỹ ,\-]{3,60})", left)
    if m:
        return _sentence(left), Level.ministry, None
    return None


def _sentence(upper: str) -> str:
    """'BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH' -> 'Bộ Văn hóa, Thể thao và Du lịch': the body's word, then each
    name (after the first word, a comma, 'và' or '-') with a capital."""
    words = upper.lower().split()
    out = [words[0][0].upper() + words[0][1:]]
    cap = True
    for w in words[1:]:
        out.append(w[0].upper() + w[1:] if cap and w != "và" else w)
        cap = w.endswith(",") or w in ("và", "-")
    return " ".join(out)


@dataclass
class _Head:
    """What the identity steps read: the site's metadata table, the first lines, the letterhead text."""

    metad: dict[str, str]  # 'số hiệu', 'ngày ban hành', 'loại văn bản', 'cơ quan ban hành', 'người ký' (lower-case keys)
    head: list[str]  # the first 40 blocks' display texts (no table rows)
    head_text: str  # the letterhead's text (:func:`_head_text`)
    lh_start: int  # where the letterhead starts
    blocks: list[Block]
    signature: list[Block]

    @cached_property
    def text_head(self) -> str:
        return " ".join(self.head[:12])

    @cached_property
    def body_text(self) -> str:
        return " ".join(clean_display(b.text) for b in self.blocks[:60] if b.kind in ("para", "heading", "signature"))

    @cached_property
    def signature_text(self) -> str:
        return " ".join(b.text for b in self.signature)


def _read_head(meta: list[Block], all_blocks: list[Block], signature: list[Block]) -> _Head:
    metad: dict[str, str] = {}
    for b in meta:
        cells = [c for c in (b.cells or []) if c]
        if len(cells) >= 2:
            metad[cells[0].lower()] = cells[1]
    head = [clean_display(b.text) for b in all_blocks[:40] if b.kind not in ("row",)]
    head_text, lh_start = _head_text(all_blocks)
    return _Head(metad=metad, head=head, head_text=head_text, lh_start=lh_start, blocks=all_blocks, signature=signature)


_TITLE_NUMBER = re.compile(rf"^(?:{_KINDS})\s+(?P<num>{_NUMBER})\b")
_CAPTION_NUMBER = re.compile(rf"kèm theo\s+(?:{_KINDS})(?:\s+tại\s+(?:{_KINDS}))?\s+số\s+(?P<num>{_NUMBER})")
_CAPTION_DATE = re.compile(rf"kèm theo\s+.*?số\s+{_NUMBER}\s*,?\s*ngày\s+(?P<date>{_DATE})")


def _first_valid(matches: Iterable[re.Match[str] | None]) -> str | None:
    """The number of the first match whose number is a valid document number."""
    return next((m.group("num") for m in matches if m and _valid_number(m.group("num"))), None)


def _number(h: _Head, captions: list[str]) -> str | None:
    """The letterhead's 'Số: ...' (even split over lines), the site's 'Số hiệu', a title line, an appendix caption."""
    return (_first_valid([_NUMBER_LINE.search(h.head_text)]) or h.metad.get("số hiệu") or _first_valid([_NUMBER_SITE.search(h.head_text)])
            or _first_valid(NUMBER_RE.match(t) or _TITLE_NUMBER.match(t) for t in h.head)
            or _first_valid(_CAPTION_NUMBER.search(t) for t in captions))


def _date_and_place(h: _Head, captions: list[str], number: str | None) -> tuple[dt.date | None, str | None]:
    """The date and place of signing: the site's 'Ngày ban hành', the letterhead's '<place>, ngày ...',
    the site's text, an appendix caption (only when the number was found)."""
    date = parse_date(h.metad.get("ngày ban hành"))
    place = None
    m = _DATE_HEAD.search(h.head_text)
    if m:
        y, mo, d = (m.group("y"), m.group("m"), m.group("d")) if m.group("y") else (m.group("y2"), m.group("m2"), m.group("d2"))
        try:
            date = date or dt.date(int(y), int(mo), int(d))
        except ValueError:
            pass
        place = (m.group("place") or m.group("place2")).strip()
    else:
        m = next((m for m in map(DATE_LINE.match, h.head) if m), None)
        if m:
            date = date or dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            place = m.group("place").strip()
    if date is None:
        m = _DATE_SITE.search(h.head_text)
        if m:
            date = parse_date(m.group("date"))
    if date is None and number:
        m = next((m for m in map(_CAPTION_DATE.search, captions) if m), None)
        if m:
            date = parse_date(m.group("date"))
    return date, place


def _report_missing(info: DocumentInfo, head_text: str, problems: list[Problem]) -> None:
    if info.number is None:
        blank = re.search(r"Số\s*:\s*(/[^\n]{0,20})", head_text)
        what = f"the number is left blank ('Số: {blank.group(1).strip()}')" if blank else "no 'Số: ...' line in the letterhead"
        problems.append(Problem(code="number_missing", severity="warning", message=f"document number not found: {what}; left empty, not guessed"))
    if info.issue_date is None:
        problems.append(Problem(code="date_missing", severity="warning", message="date of issue not found (no '..., ngày .. tháng .. năm ....' line in the letterhead); left empty, not guessed"))


def _title_after_kind(blocks: list[Block]) -> str | None:
    """The title in the lines under a short kind line ('KẾ HOẠCH' / 'Thực hiện Nghị quyết ...')."""
    for nb in blocks:
        x = clean_display(nb.text)
        if nb.kind in ("item", "signature") or (nb.kind == "heading" and nb.marker in ("roman", "arabic", "decimal")):
            return None
        x = re.sub(r"^CỦA\s+[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ\s]+?\s+(?=[a-zđà-ỹ])", "", x)  # 'CỦA BỘ CHÍNH TRỊ về ...'
        if re.fullmatch(r"CỦA\s+[A-ZĐÀ-Ỹ\s]+", x) or x.endswith(":") or len(x) > 400:
            continue
        return x
    return None


def _kind_line(h: _Head) -> tuple[str | None, str | None]:
    """(kind, title) from the letterhead's kind line: 'KẾ HOẠCH HÀNH ĐỘNG thực hiện ...' (joined by the
    clean stage) or a short 'KẾ HOẠCH' with the title on the next lines."""
    head_blocks = [b for b in h.blocks[h.lh_start : h.lh_start + 40] if b.kind != "row"]
    for i, b in enumerate(head_blocks):
        t = clean_display(b.text)
        m = _TITLE_KIND.match(t)
        if m and len(t) >= 60 and re.match(r"\s+[a-zđà-ỹ]", t[m.end():]):
            return m.group(1).capitalize(), t[m.end():].strip()
        if m and len(t) < 60:
            return m.group(1).capitalize(), _title_after_kind(head_blocks[i + 1 : i + 4])
    return None, None


def _kind_elsewhere(h: _Head, number: str | None) -> str | None:
    """The kind from the site's 'Loại văn bản', the number's type code ('KH', 'NQ'...) or the first lines."""
    m = _KIND_SITE.search(h.head_text)
    if m:
        return m.group("kind")
    if number:
        m = re.search(r"[-/]([A-Za-zĐ]+)[-/]", number + "/")
        kind = _TYPE_KIND.get((m.group(1) if m else "").upper())
        if kind is not None:
            return kind
    alltext = " ".join(h.head[:5]).upper()
    return next((k.capitalize() for k in ("CHƯƠNG TRÌNH HÀNH ĐỘNG", "KẾ HOẠCH HÀNH ĐỘNG", "NGHỊ QUYẾT", "KẾ HOẠCH", "CHƯƠNG TRÌNH") if k in alltext), None)


def _kind_and_title(h: _Head, number: str | None) -> tuple[str | None, str | None]:
    kind = h.metad.get("loại văn bản")
    line_kind, title = _kind_line(h)
    if line_kind:
        kind = kind or line_kind
    if title is None and h.head and len(h.head[0]) > 40 and not h.head[0].startswith(("Thực hiện", "Căn cứ")):
        title = h.head[0]
    if kind is None:
        kind = _kind_elsewhere(h, number)
    if kind:
        kind = kind[0].upper() + kind[1:].lower()
    return kind, title


Identity = tuple[str | None, Level, str | None]  # (issuer, level, place)


def _committee(h: _Head, place: str | None) -> Identity:
    """A people's committee's document: of a commune (its letterhead or body names the ward) or of a province."""
    letterhead_ward = next((m for m in (re.search(r"(?:ỦY|UỶ) BAN NHÂN DÂN\s+(XÃ|PHƯỜNG|ĐẶC KHU|THỊ TRẤN)\s+([A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ ]{1,40}?)\s*(?:\||$|CỘNG)", t) for t in h.head[:8]) if m), None)
    body_text = h.body_text
    ward = _PLACE_WARD.search(body_text)
    if letterhead_ward:
        unit, name = letterhead_ward.group(1).lower(), letterhead_ward.group(2).strip().title()
        return f"UBND {unit} {name}", Level.commune, f"{unit} {name}"
    if ward and re.search(r"UBND\s+(phường|xã|đặc khu)|ỦY BAN NHÂN DÂN\s+(PHƯỜNG|XÃ|ĐẶC KHU)", body_text):
        return f"UBND {ward.group(1)} {ward.group(2)}", Level.commune, f"{ward.group(1)} {ward.group(2)}"
    prov = h.metad.get("cơ quan ban hành") or place
    if prov and prov.lower().startswith("tỉnh "):
        prov = prov[5:]
    return (f"UBND tỉnh {prov}" if prov else "UBND tỉnh"), Level.provincial_government, place


def _issuer_from_code(h: _Head, number: str | None, place: str | None) -> Identity:
    """The issuer and level from the number's issuer code ('UBND', 'TW', 'CP'...) and the letterhead's words."""
    code = None
    if number:
        parts = re.split(r"[-/]", number)
        code = parts[-1].upper() if len(parts) >= 3 else None
    if code == "UBND" or re.search(r"ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND", h.text_head):
        return _committee(h, place)
    if code in _ISSUER_CODES:
        return (*_ISSUER_CODES[code], place)
    return None, Level.unknown, place


def _party_or_government(h: _Head, issuer: str | None, level: Level) -> tuple[str | None, Level]:
    """Where the code says nothing: the Politburo, a provincial party committee or the government, by their words."""
    party_words = r"Ban Thường vụ Tỉnh ủy|BAN THƯỜNG VỤ"
    if level == Level.unknown:
        if re.search(r"BỘ CHÍNH TRỊ|Bộ Chính trị", " ".join(h.head[:8])) and re.search(r"BAN CHẤP HÀNH TRUNG ƯƠNG", h.text_head):
            level = Level.central_party
        elif re.search(party_words, h.body_text + h.signature_text):
            level = Level.provincial_party
        elif re.search(r"^CHÍNH PHỦ|# CHÍNH PHỦ", h.text_head):
            level = Level.government
    if level == Level.central_party and re.search(r"BỘ CHÍNH TRỊ", " ".join(h.head[:10]).upper()):
        issuer = "Bộ Chính trị"
    if level == Level.provincial_party:
        issuer = "Ban Thường vụ Tỉnh ủy" if re.search(party_words, h.body_text + h.signature_text) else (issuer or "Tỉnh ủy")
    if level == Level.government and issuer is None:
        issuer = "Chính phủ"
    return issuer, level


def _province_place(h: _Head, issuer: str | None, level: Level, place: str | None) -> Identity:
    """A province's name for a provincial document (canonical spelling, also in the issuer); none for central ones."""
    provincial = level in (Level.provincial_party, Level.provincial_government)
    if place is None and provincial:
        place = next((m.group(1) for m in map(_PLACE_PROVINCE.search, h.head + [clean_display(b.text) for b in h.blocks[:80]]) if m), None)
    if level in (Level.central_party, Level.government):
        place = None
    if place and issuer and level == Level.provincial_party and place not in issuer:
        issuer = f"{issuer} {place}"
    canon = canonical_province(place) if place and provincial else None
    if place and canon:
        if issuer and place in issuer:
            issuer = issuer.replace(place, canon)
        place = canon
    return issuer, level, place


def _issuer_level_place(h: _Head, number: str | None, place: str | None) -> Identity:
    issuer, level, place = _issuer_from_code(h, number, place)
    issuer, level = _party_or_government(h, issuer, level)
    issuer, level, place = _province_place(h, issuer, level, place)
    lh = _letterhead_issuer(h.blocks, h.lh_start)
    if lh:
        issuer, level = lh[0], lh[1]
        place = lh[2] if lh[2] else (place if level == Level.provincial_government else None)
    return issuer, level, place


def _signer(h: _Head) -> str | None:
    """The site's 'Người ký', else the last name-like line of the signature block."""
    signer = h.metad.get("người ký")
    if signer:
        return signer
    for b in reversed(h.signature):
        t = b.text.strip(" |")
        if _SIGNER_NAME.match(t) and not t.isupper():
            return t
    return signer


def document_info(preamble: list[Block], meta: list[Block], signature: list[Block], captions: list[str], all_blocks: list[Block], name: str, sha: str, layout: str, encoding: str, problems: list[Problem] | None = None) -> DocumentInfo:
    """The document's identity. A number or a date the text does not give is left None and, when
    ``problems`` is given, reported there (never guessed)."""
    info = DocumentInfo(source_file=name, sha256=sha, layout=layout, encoding=encoding)
    h = _read_head(meta, all_blocks, signature)
    num = _number(h, captions)
    if num:
        info.number_as_written = clean_display(num)
        info.number = normalize_number(num)
    info.issue_date, place = _date_and_place(h, captions, info.number)
    if problems is not None:
        _report_missing(info, h.head_text, problems)
    info.kind, info.title = _kind_and_title(h, info.number)
    info.issuer, info.level, info.place = _issuer_level_place(h, info.number, place)
    info.signer = _signer(h)
    return info
