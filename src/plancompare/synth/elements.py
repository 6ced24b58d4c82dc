"""The draft as a sequence of elements (marker, letterhead, parts, sections, items, signature...),
the content every layout renders in its own way (:mod:`.layouts`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..parse.structure import FIELD_LABEL
from .model import ChildPlan

__all__ = ["SYNTHETIC_MARKER", "Element", "elements", "item_head"]

#: first line of every draft (the final '.' keeps the PDF layout's line joiner from gluing the next line to it)
SYNTHETIC_MARKER = "BẢN NHÁP TỔNG HỢP (synthetic, seed={seed}) — không phải văn bản thật."


@dataclass
class Element:
    kind: str  # marker, letterhead, kind, title, para, part, sub, obj, section, item, num_item, closing, recipients, signature
    text: str = ""
    label: str | None = None
    subs: list[str] = field(default_factory=list)
    part: str | None = None
    rewrap: bool = False
    index: int = 0


def _roman(n: int) -> str:
    return ["", "I", "II", "III", "IV", "V", "VI"][n]


def elements(plan: ChildPlan) -> list[Element]:
    p = plan
    name = p.place
    day = f"ngày {p.date.day:02d} tháng {p.date.month:02d} năm {p.date.year}"
    els: list[Element] = [
        Element("marker", SYNTHETIC_MARKER.format(seed=p.seed)),
        Element("letterhead", subs=[f"ỦY BAN NHÂN DÂN PHƯỜNG {name.upper()}", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", f"Số: {p.number}", f"{name}, {day}"]),
        Element("kind", "KẾ HOẠCH"),
        Element("title", f"Triển khai {p.subject} trên địa bàn phường {name} theo {p.parent_ref}"),
        Element("para", f"Căn cứ {p.parent_ref}; UBND phường {name} ban hành Kế hoạch triển khai {p.subject} trên địa bàn phường với những nội dung cụ thể như sau:"),
        Element("part", "MỤC TIÊU", label=_roman(1), part="objectives"),
        Element("sub", "Mục tiêu chung", label="1"),
    ]
    els += [Element("obj", o) for o in p.objectives]
    els += [Element("sub", "Mục tiêu cụ thể", label="2"), Element("obj", p.specific)]
    els.append(Element("part", "NHIỆM VỤ VÀ GIẢI PHÁP", label=_roman(2), part="tasks"))
    sub_bullet = "+ " if p.style == "dash" else "- "
    for sec in p.sections:
        els.append(Element("section", sec.title, label=str(sec.number), index=sec.number))
        for c in sec.tasks:
            lines = c.text.split("\n")
            subs = [_sub_line(s, sub_bullet) for s in lines[1:]]
            els.append(Element("item", lines[0], label=c.label, subs=subs, rewrap=c.rewrap, index=sec.number))
    els.append(Element("part", "KINH PHÍ THỰC HIỆN", label=_roman(3), part="funding"))
    els += [Element("num_item", f, label=str(i)) for i, f in enumerate(p.funding, 1)]
    els.append(Element("part", "TỔ CHỨC THỰC HIỆN", label=_roman(4), part="organisation"))
    els += [Element("num_item", t, label=str(i), subs=["- " + s for s in subs]) for i, (t, subs) in enumerate(p.organisation, 1)]
    els.append(Element("closing", f"Trên đây là Kế hoạch triển khai {p.subject} trên địa bàn phường {name}; yêu cầu Thủ trưởng các cơ quan, đơn vị căn cứ chức năng, nhiệm vụ, phối hợp triển khai thực hiện. Trong quá trình thực hiện nếu có khó khăn, vướng mắc, kịp thời phản ánh về UBND phường để xem xét, giải quyết./."))
    els.append(Element("recipients", subs=["Nơi nhận:", "- UBND tỉnh (b/c);", "- TT Đảng ủy, TT HĐND phường;", "- CT, các PCT UBND phường;", "- Các cơ quan, đơn vị thuộc phường;", "- Lưu: VT, VHXH."]))
    els.append(Element("signature", subs=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", p.signer]))
    return els


def _sub_line(line: str, bullet: str) -> str:
    """A later line of a task's text as the draft writes it: a field ('- Cơ quan chủ trì: ...') takes
    the draft's bullet; any other bullet of the task becomes '+ ', which no reader splits into tasks of
    their own (a '- ' under 'a)' would be one); a paragraph of the task stays a paragraph."""
    if not re.match(r"^[-+•]\s*", line):
        return line
    rest = re.sub(r"^[-+•]\s*", "", line)
    return (bullet if FIELD_LABEL.match(rest) else "+ ") + rest


def item_head(el: Element) -> str:
    if el.label == "-":
        return "- "
    if el.label and re.match(r"^\d+\.\d+$", el.label):
        return f"{el.label}. "
    return f"{el.label}) "

