"""Province names, for a canonical ``DocumentInfo.place`` ('Đăk Lăk' as typed -> 'Đắk Lắk').

The 63 provinces and centrally-run cities before July 2025 (the 34 after the merger are
among them, Huế included), matched without tone marks so that spellings that differ
only in their diacritics ('Đăk Lăk', 'Daklak') find the same province.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre", "Bình Định",
    "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Đắk Nông",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương",
    "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng",
    "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên",
    "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh",
    "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Huế", "Tiền Giang", "Hồ Chí Minh", "Trà Vinh",
    "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)


def fold(text: str) -> str:
    """Lower case, tone marks and diacritics removed, đ -> d, spaces and hyphens folded."""
    t = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    t = "".join(ch for ch in t if unicodedata.category(ch) != "Mn").lower()
    return re.sub(r"[\s\-–]+", "", t)


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    return {fold(p): p for p in PROVINCES}


def canonical_province(name: str | None) -> str | None:
    """The province's usual spelling, or None if the name is not a province."""
    if not name:
        return None
    return _index().get(fold(name))
