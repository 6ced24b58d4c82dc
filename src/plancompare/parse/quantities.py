"""Numbers, percentages, dates and deadlines read from plan text: the one reader of quantities.

:func:`numbers` finds the quantities of a sentence (percentages, years, month/year
dates and plain numbers, with the decimal comma and thousands dot of Vietnamese
writing); :func:`direction_of` reads from the words around a number whether it is
a minimum ('tối thiểu', 'trở lên') or a maximum ('tối đa', 'không quá');
:func:`read_deadline` turns a deadline as written ('Quý II/2025', 'Thường xuyên')
into a :class:`~plancompare.models.Deadline`. The aligner (retargets) and the gate
read these facts; neither parses text itself.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from ..models import Deadline
from ..normalize import nfc

_NUM = re.compile(r"(?<![\w/.,\[-])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(\s?%)?(?![\w/\]-]|[.,]\d)")  # '[1]' is a footnote mark
_DATE_MY = re.compile(r"(?<![\w/])(\d{1,2})/(\d{4})(?![\w/])")
_DIGIT = re.compile(r"\d")
AT_LEAST = ("tối thiểu", "ít nhất", "trở lên", "không thấp hơn", "không dưới", "không ít hơn", "≥", ">=", ">")
AT_MOST = ("tối đa", "không quá", "không vượt quá", "dưới", "không cao hơn", "trở xuống", "xuống còn", "≤", "<=", "<")

Quantity = Literal["percent", "number", "year", "month"]
Direction = Literal["at_least", "at_most", "later", "unstated"]


@dataclass(frozen=True)
class Num:
    """One quantity of a text: as written, its value, what it is, and where (character offsets)."""

    text: str
    value: float
    kind: Quantity
    start: int
    end: int

    @property
    def is_time(self) -> bool:
        return self.kind in ("year", "month")


def numbers(text: str) -> list[Num]:
    """Numbers in a text: percentages, years, month/year dates and plain numbers
    (decimal comma, thousands dot). Document numbers ('57-NQ/TW') and footnote marks ('XIII[1]') are not numbers."""
    out: list[Num] = []
    if not _DIGIT.search(text):  # both patterns need a digit: most changed runs of words have none
        return out
    taken: list[tuple[int, int]] = []
    for m in _DATE_MY.finditer(text):
        mo, yr = int(m.group(1)), int(m.group(2))
        if 1 <= mo <= 12 and 1900 <= yr <= 2100:
            out.append(Num(m.group(0), yr + (mo - 1) / 12, "month", m.start(), m.end()))
            taken.append((m.start(), m.end()))
    for m in _NUM.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        whole = m.group(1).replace(".", "")
        value = float(whole + ("." + m.group(2) if m.group(2) else ""))
        kind: Quantity
        if m.group(3):
            kind = "percent"
        elif not m.group(2) and len(whole) == 4 and 1900 <= value <= 2100:
            kind = "year"
        else:
            kind = "number"
        out.append(Num(m.group(0).strip(), value, kind, m.start(), m.end()))
    out.sort(key=lambda n: n.start)
    return out


def direction_of(before: str, after: str) -> Direction:
    """'at_least' / 'at_most' / 'unstated', from the words around a number."""
    b = nfc(before).lower()[-32:]
    a = nfc(after).lower()[:16]
    if any(c in b for c in AT_MOST) or "trở xuống" in a:
        return "at_most"
    if any(c in b for c in AT_LEAST) or "trở lên" in a:
        return "at_least"
    return "unstated"


_QUARTER = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_DEADLINE = re.compile(
    r"(?P<dmy>(?<!\d)(?P<d>\d{1,2})/(?P<m1>\d{1,2})/(?P<y1>\d{4}))"
    r"|(?P<q>quý\s*(?P<qn>iv|iii|ii|i|[1-4])\s*(?:/|năm)\s*(?P<y2>\d{4}))"
    r"|(?P<my>(?<!\d)(?:tháng\s*)?(?P<m2>\d{1,2})\s*(?:/|năm)\s*(?P<y3>\d{4}))"
    r"|(?P<range>(?P<y4>\d{4})\s*[-–—]\s*(?:năm\s*)?(?P<y5>\d{4}))"
    r"|(?P<y>(?<!\d)(?P<y6>\d{4})(?!\d))"
)
_OPEN = ("thường xuyên", "hằng năm", "hàng năm", "liên tục", "định kỳ")


def _dated(m: re.Match[str], text: str) -> Deadline | None:
    """The deadline a date pattern names, or None when it is not a real date."""
    if m.group("dmy"):
        y, mo, d = int(m.group("y1")), int(m.group("m1")), int(m.group("d"))
        dt.date(y, mo, d)  # raises ValueError for 31/02
        return Deadline(year=y, month=mo, day=d, text=text)
    if m.group("q"):
        return Deadline(year=int(m.group("y2")), quarter=_QUARTER[m.group("qn")], text=text)
    if m.group("my"):
        mo = int(m.group("m2"))
        return Deadline(year=int(m.group("y3")), month=mo, text=text) if 1 <= mo <= 12 else None
    if m.group("range"):
        return Deadline(year=int(m.group("y5")), text=text)
    y = int(m.group("y6"))
    return Deadline(year=y, text=text) if 1900 <= y <= 2100 else None


def read_deadline(text: str | None) -> Deadline | None:
    """A deadline as written, read: 'Quý II/2025' -> year 2025, quarter 2; 'Tháng 7/2025' ->
    2025, month 7; '2025 - 2026' -> 2026 (the end of the range); 'Năm 2025 và những năm tiếp
    theo' -> 2025 (the first milestone); 'Thường xuyên', 'Hằng năm' -> open-ended. None for no text."""
    if not text or not text.strip():
        return None
    t = nfc(text).lower()
    m = _DEADLINE.search(t)
    found: Deadline | None = None
    if m:
        try:
            found = _dated(m, text)
        except ValueError:
            found = None
    if found is not None:
        return found
    return Deadline(text=text, open_ended=any(w in t for w in _OPEN))


def last_day(d: Deadline) -> dt.date | None:
    """The last day a deadline allows (None for an open-ended or unreadable one)."""
    if d.year is None:
        return None
    if d.day is not None and d.month is not None:
        return dt.date(d.year, d.month, d.day)
    month = d.month or (3 * d.quarter if d.quarter else 12)
    return dt.date(d.year, month, calendar.monthrange(d.year, month)[1])


def parse_deadline(text: str | None) -> tuple[dt.date | None, bool]:
    """(the last day the deadline allows, open-ended?) for a deadline as written
    ('Quý II/2025' -> (2025-06-30, False); 'Thường xuyên' -> (None, True))."""
    d = read_deadline(text)
    if d is None:
        return None, False
    return last_day(d), d.open_ended


__all__ = ["Num", "numbers", "direction_of", "AT_LEAST", "AT_MOST", "Quantity", "Direction", "read_deadline", "parse_deadline", "last_day"]
