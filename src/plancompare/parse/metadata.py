"""Document identity and citations: number, kind, issuer, level, place, date, title, signer, references."""

from __future__ import annotations

import datetime as dt
import re

from ..models import DocumentInfo, Level, Reference
from ..normalize import clean_display, normalize_number
from ..places import canonical_province
from .stages import Block

_KINDS = r"Nghị quyết|Kế hoạch hành động|Kế hoạch|Chương trình hành động|Chương trình|Quyết định|Công văn|Chỉ thị|Kết luận|Thông báo|Nghị định|Thông tư|Luật|Hướng dẫn|Đề án|Tờ trình|Hiến pháp"
_NUMBER = r"\d{1,4}[A-Za-z]?\s*[-/]\s*[A-Za-zĐđ]+(?:\s*[-/]\s*[A-Za-zĐđ0-9]+)*"
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


def _valid_number(num: str) -> bool:
    n = normalize_number(num)
    return bool(re.match(r"^\d+[A-Za-z]?[-/][A-Za-zĐđ]", n)) and any(ch.isupper() for ch in n)


def find_references(text: str, line: int | None, relation_first: str, nested: str = "mentions") -> list[Reference]:
    """References in one preamble sentence: the first of each ';' clause is direct, later ones nested."""
    refs: list[Reference] = []
    for clause in re.split(r";\s*", text):
        first = True
        for m in REF_RE.finditer(clause):
            num = m.group("num")
            if num and not _valid_number(num):
                num = None
            if not num and m.group("kind") not in ("Luật", "Hiến pháp"):
                continue
            if not num and not first:
                continue
            issuer = m.group("issuer")
            if issuer:
                issuer = clean_display(issuer)
            title = None
            after = clause[m.end():]
            tm = re.match(r"\s*về\s+(?:việc\s+)?[“\"]?([^;“”\"]{5,400}?)[”\"]?(?=\s*\(|\s*;|\s*,\s*(?:Ban|UBND|Ủy ban)|$)", after)
            if tm:
                title = clean_display(tm.group(1))
            refs.append(
                Reference(
                    number=normalize_number(num) if num else None,
                    number_as_written=num,
                    kind=m.group("kind"),
                    date=parse_date(m.group("date")),
                    issuer=issuer,
                    relation=(relation_first if first else nested) if m.group("kind") != "Tờ trình" else "mentions",  # type: ignore[arg-type]
                    title=title if first else None,
                    line=line,
                )
            )
            first = False
    return refs


def references(preamble: list[Block], body_texts: list[tuple[str, int]], closing: list[Block]) -> list[Reference]:
    out: list[Reference] = []
    for b in preamble:
        t = clean_display(b.text)
        if re.match(r"^(Thực hiện|Triển khai|Thi hành)\b", t):
            out += find_references(t, b.line, "implements")
        elif re.match(r"^Căn cứ\b", t):
            out += find_references(t, b.line, "basis")
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
            continue
        seen[k] = r
        result.append(r)
    for t, line in body_texts:
        for r in find_references(clean_display(t), line, "mentions"):
            if r.number and r.number not in seen:
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
_TITLE_KIND = re.compile(r"^(NGHỊ QUYẾT|KẾ HOẠCH HÀNH ĐỘNG|KẾ HOẠCH|CHƯƠNG TRÌNH HÀNH ĐỘNG|CHƯƠNG TRÌNH|QUYẾT ĐỊNH|CHỈ THỊ|ĐỀ ÁN)\b")
_SIGNER_NAME = re.compile(r"^([A-ZĐ][a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]+)(\s+[A-ZĐ][a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]+){1,4}$")
_PLACE_WARD = re.compile(r"\b(phường|xã|đặc khu|thị trấn)\s+([A-ZĐ][\wÀ-ỹ]*(?:\s+[A-ZĐ][\wÀ-ỹ]*){0,3})")
_PLACE_PROVINCE = re.compile(r"\b(?:tỉnh|Tỉnh|thành phố|TỈNH)\s+([A-ZĐ][\wÀ-ỹ]*(?:\s+[A-ZĐ][\wÀ-ỹ]*){0,2}?)(?=\s*(?:[,.;:()“”\"]|$|\s+[a-zđà-ỹ]|\s+(?:Thực|Căn|Ban|Kế|UBND|Nghị)\b))")


def document_info(preamble: list[Block], meta: list[Block], signature: list[Block], captions: list[str], all_blocks: list[Block], name: str, sha: str, layout: str, encoding: str) -> DocumentInfo:
    info = DocumentInfo(source_file=name, sha256=sha, layout=layout, encoding=encoding)
    metad: dict[str, str] = {}
    for b in meta:
        cells = [c for c in (b.cells or []) if c]
        if len(cells) >= 2:
            metad[cells[0].lower()] = cells[1]
    head = [clean_display(b.text) for b in all_blocks[:40] if b.kind not in ("row",)]
    # number
    num = metad.get("số hiệu")
    if not num:
        for t in head:
            m = NUMBER_RE.match(t) or re.match(rf"^(?:{_KINDS})\s+(?P<num>{_NUMBER})\b", t)
            if m and _valid_number(m.group("num")):
                num = m.group("num")
                break
    if not num:
        for t in captions:
            m = re.search(rf"kèm theo\s+(?:{_KINDS})(?:\s+tại\s+(?:{_KINDS}))?\s+số\s+(?P<num>{_NUMBER})", t)
            if m and _valid_number(m.group("num")):
                num = m.group("num")
                break
    if num:
        info.number_as_written = num.strip()
        info.number = normalize_number(num)
    # date and place of signing
    date = parse_date(metad.get("ngày ban hành"))
    place = None
    for t in head:
        m = DATE_LINE.match(t)
        if m:
            date = date or dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            place = m.group("place").strip()
            break
    if date is None:
        for t in captions:
            m = re.search(rf"kèm theo\s+.*?số\s+{_NUMBER}\s*,?\s*ngày\s+(?P<date>{_DATE})", t)
            if m and info.number:
                date = parse_date(m.group("date"))
                break
    info.issue_date = date
    # kind and title
    kind = metad.get("loại văn bản")
    title = None
    head_blocks = [b for b in all_blocks[:40] if b.kind != "row"]
    for i, b in enumerate(head_blocks):
        t = clean_display(b.text)
        m = _TITLE_KIND.match(t)
        if m and len(t) >= 60 and re.match(r"\s+[a-zđà-ỹ]", t[m.end():]):
            kind = kind or m.group(1).capitalize()
            title = t[m.end():].strip()  # 'KẾ HOẠCH HÀNH ĐỘNG thực hiện ...' joined by the clean stage
            break
        if m and len(t) < 60:
            kind = kind or m.group(1).capitalize()
            for nb in head_blocks[i + 1 : i + 4]:
                x = clean_display(nb.text)
                if nb.kind in ("item", "signature") or (nb.kind == "heading" and nb.marker in ("roman", "arabic", "decimal")):
                    break
                x = re.sub(r"^CỦA\s+[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ\s]+?\s+(?=[a-zđà-ỹ])", "", x)  # 'CỦA BỘ CHÍNH TRỊ về ...'
                if re.fullmatch(r"CỦA\s+[A-ZĐÀ-Ỹ\s]+", x) or x.endswith(":") or len(x) > 400:
                    continue
                title = x
                break
            break
    if title is None and head and len(head[0]) > 40 and not head[0].startswith(("Thực hiện", "Căn cứ")):
        title = head[0]
    if kind is None and info.number:
        m = re.search(r"[-/]([A-Za-zĐ]+)[-/]", info.number + "/")
        code = (m.group(1) if m else "").upper()
        kind = _TYPE_KIND.get(code)
    if kind is None:
        alltext = " ".join(head[:5]).upper()
        for k in ("CHƯƠNG TRÌNH HÀNH ĐỘNG", "KẾ HOẠCH HÀNH ĐỘNG", "NGHỊ QUYẾT", "KẾ HOẠCH", "CHƯƠNG TRÌNH"):
            if k in alltext:
                kind = k.capitalize()
                break
    if kind:
        kind = kind[0].upper() + kind[1:].lower()
    info.kind = kind
    info.title = title
    # issuer and level
    issuer, level = None, Level.unknown
    code = None
    if info.number:
        parts = re.split(r"[-/]", info.number)
        code = parts[-1].upper() if len(parts) >= 3 else None
    text_head = " ".join(head[:12])
    body_text = " ".join(clean_display(b.text) for b in all_blocks[:60] if b.kind in ("para", "heading", "signature"))
    letterhead_ward = next((m for m in (re.search(r"(?:ỦY|UỶ) BAN NHÂN DÂN\s+(XÃ|PHƯỜNG|ĐẶC KHU|THỊ TRẤN)\s+([A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ ]{1,40}?)\s*(?:\||$|CỘNG)", t) for t in head[:8]) if m), None)
    if code == "UBND" or re.search(r"ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND", text_head):
        ward = _PLACE_WARD.search(body_text)
        if letterhead_ward:
            unit, name = letterhead_ward.group(1).lower(), letterhead_ward.group(2).strip().title()
            issuer, level, place = f"UBND {unit} {name}", Level.commune, f"{unit} {name}"
        elif ward and re.search(r"UBND\s+(phường|xã|đặc khu)|ỦY BAN NHÂN DÂN\s+(PHƯỜNG|XÃ|ĐẶC KHU)", body_text):
            issuer, level = f"UBND {ward.group(1)} {ward.group(2)}", Level.commune
            place = f"{ward.group(1)} {ward.group(2)}"
        else:
            level = Level.provincial_government
            prov = metad.get("cơ quan ban hành") or place
            if prov and prov.lower().startswith("tỉnh "):
                prov = prov[5:]
            issuer = f"UBND tỉnh {prov}" if prov else "UBND tỉnh"
    elif code in _ISSUER_CODES:
        issuer, level = _ISSUER_CODES[code]
    if level == Level.unknown:
        if re.search(r"BỘ CHÍNH TRỊ|Bộ Chính trị", " ".join(head[:8])) and re.search(r"BAN CHẤP HÀNH TRUNG ƯƠNG", text_head):
            level = Level.central_party
        elif re.search(r"Ban Thường vụ Tỉnh ủy|BAN THƯỜNG VỤ", body_text + " ".join(b.text for b in signature)):
            level = Level.provincial_party
        elif re.search(r"^CHÍNH PHỦ|# CHÍNH PHỦ", text_head):
            level = Level.government
    if level == Level.central_party and re.search(r"BỘ CHÍNH TRỊ", " ".join(head[:10]).upper()):
        issuer = "Bộ Chính trị"
    if level == Level.provincial_party:
        issuer = "Ban Thường vụ Tỉnh ủy" if re.search(r"Ban Thường vụ Tỉnh ủy|BAN THƯỜNG VỤ", body_text + " ".join(b.text for b in signature)) else (issuer or "Tỉnh ủy")
    if level == Level.government and issuer is None:
        issuer = "Chính phủ"
    if place is None and level in (Level.provincial_party, Level.provincial_government):
        for t in head + [clean_display(b.text) for b in all_blocks[:80]]:
            m = _PLACE_PROVINCE.search(t)
            if m:
                place = m.group(1)
                break
    if level in (Level.central_party, Level.government):
        place = None
    if place and issuer and level == Level.provincial_party and place not in issuer:
        issuer = f"{issuer} {place}"
    if place and level in (Level.provincial_party, Level.provincial_government):
        canon = canonical_province(place)
        if canon:
            if issuer and place in issuer:
                issuer = issuer.replace(place, canon)
            place = canon
    info.issuer, info.level, info.place = issuer, level, place
    # signer: metadata, else the last name-like line of the signature block
    signer = metad.get("người ký")
    if not signer:
        for b in reversed(signature):
            t = b.text.strip(" |")
            if _SIGNER_NAME.match(t) and not t.isupper():
                signer = t
                break
    info.signer = signer
    return info
