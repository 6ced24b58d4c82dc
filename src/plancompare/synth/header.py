"""What a draft says around its tasks: the issuing ward, number, date, signer, the parent it
implements, its objectives, funding and organisation."""

from __future__ import annotations

import datetime as dt
import re
from random import Random
from typing import Any

from ..models import ParsedDocument
from .edits import localize
from .text import ensure_terminal

__all__ = ["PLACES", "SIGNERS", "parent_ref", "subject", "objectives", "header_facts"]

PLACES = ["An Khánh", "Hòa Phú", "Tân Thành", "Thắng Lợi", "Bình Minh", "Phú Lâm", "Tân Hòa", "Hòa Xuân", "Thuận An", "Long Phước"]
SIGNERS = ["Trần Văn Bình", "Lê Thị Hoa", "Phạm Minh Tuấn", "Nguyễn Thị Lan", "Võ Đức Thịnh", "Hoàng Văn Nam"]

SPECIFIC = "Cụ thể hóa các nhiệm vụ được giao thành nhiệm vụ của từng cơ quan, đơn vị thuộc phường, bảo đảm tiến độ và chất lượng thực hiện."
FUNDING = [
    "Kinh phí thực hiện Kế hoạch được bố trí từ nguồn ngân sách nhà nước theo phân cấp hiện hành và các nguồn vốn huy động hợp pháp khác theo quy định của pháp luật.",
    "Hằng năm, căn cứ nhiệm vụ được giao, các cơ quan, đơn vị lập dự toán kinh phí thực hiện Kế hoạch, tổng hợp chung vào dự toán ngân sách của đơn vị.",
]
#: the organisation part: the first item always, then 2-4 of the others
ORGANISATION: list[tuple[str, list[str]]] = [
    ("Các phòng, ban chuyên môn và đơn vị thuộc UBND phường có trách nhiệm:", [
        "Căn cứ nhiệm vụ được giao tại Kế hoạch này, xây dựng kế hoạch cụ thể của cơ quan, đơn vị để triển khai thực hiện.",
        "Báo cáo định kỳ 6 tháng, hằng năm kết quả thực hiện về UBND phường (qua Phòng Văn hóa - Xã hội) để tổng hợp.",
    ]),
    ("Phòng Văn hóa - Xã hội là cơ quan thường trực, chủ trì, phối hợp với các đơn vị liên quan theo dõi, đôn đốc, kiểm tra việc triển khai thực hiện Kế hoạch; tổng hợp, báo cáo UBND phường theo quy định.", []),
    ("Phòng Kinh tế, Hạ tầng và Đô thị chủ trì, phối hợp với các đơn vị liên quan tham mưu UBND phường bố trí kinh phí thực hiện Kế hoạch theo phân cấp ngân sách hiện hành.", []),
    ("Công an phường phối hợp với các cơ quan liên quan triển khai các nhiệm vụ bảo đảm an ninh, an toàn thông tin trên địa bàn phường.", []),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam phường và các tổ chức chính trị - xã hội phối hợp tuyên truyền, vận động Nhân dân tham gia thực hiện Kế hoạch.", []),
]


def parent_ref(parent: ParsedDocument) -> str:
    """How the draft cites its parent: 'Kế hoạch số 146/KH-UBND ngày 25/06/2025 của UBND tỉnh Đắk Lắk'."""
    d = parent.document
    kind = d.kind or "Kế hoạch"
    s = f"{kind} số {d.number}" if d.number else kind
    if d.issue_date:
        s += f" ngày {d.issue_date.day:02d}/{d.issue_date.month:02d}/{d.issue_date.year}"
    if d.issuer:
        s += f" của {d.issuer}"
    return s


def subject(parent: ParsedDocument, raw_text: str | None) -> str:
    title = parent.document.title or ""
    if not title and raw_text:
        title = next((ln.strip() for ln in raw_text.splitlines() if len(ln.strip()) > 40), "")
    m = re.search(r"(khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số)", title)
    topic = m.group(1) if m else "khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
    return f"các nhiệm vụ phát triển {topic}"


def objectives(parent: ParsedDocument) -> list[str]:
    """Up to three of the parent's general objectives, localised (or one sentence citing the parent)."""
    out = []
    for o in parent.objectives:
        txt = o.text.strip()
        if len(txt) < 80 or txt.lower().startswith(("mục tiêu", "chi tiết")):
            continue
        out.append(ensure_terminal(localize(txt) or txt))
        if len(out) >= 3:
            break
    return out or [f"Triển khai kịp thời, hiệu quả {parent_ref(parent)} trên địa bàn phường, gắn với điều kiện thực tế của địa phương."]


def header_facts(parent: ParsedDocument, raw_text: str | None, rng: Random) -> dict[str, Any]:
    """The :class:`~.model.ChildPlan` fields around the tasks (drawn in this order from ``rng``)."""
    d0 = parent.document.issue_date or dt.date(2025, 6, 1)
    date = d0 + dt.timedelta(days=rng.randint(12, 60))
    organisation = [ORGANISATION[0]] + rng.sample(ORGANISATION[1:], rng.randint(2, 4))
    return {
        "number": f"{rng.randint(12, 240)}/KH-UBND", "date": date, "signer": rng.choice(SIGNERS), "roman_sep": rng.choice([".", ".", "-"]),
        "parent_ref": parent_ref(parent), "subject": subject(parent, raw_text), "objectives": objectives(parent), "specific": SPECIFIC,
        "funding": list(FUNDING), "organisation": organisation,
    }
