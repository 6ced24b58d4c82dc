"""Repairs of OCR'd lines that the layout of a plan calls for: list letters and part numerals
misread at the start of a line, and page numbers misread at the foot of a page.

Each repair only puts in what the sequence around it expects (the next list letter, the next
part numeral, the page's number in the page sequence), and returns what it changed so that
``ocr.result_text`` reports it as a problem. Pure functions over the pages' lines.

Imports: the standard library only (the pages are ``ocr.OcrPage`` objects, named for typing).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .ocr import OcrPage

__all__ = ["fix_letter_labels", "fix_page_numbers", "fix_part_numerals"]


# Vietnamese list letters in order, and the glyphs Tesseract confuses them with at the start of a line
_LETTERS = "abcdđeghiklmnopqrstuvxy"
_CONFUSED = {"l": "I|1!", "đ": "dð", "i": "1!|ìí¡ïl", "o": "0"}
_LETTER_LABEL = re.compile(r"^(\S)\)\s")


def fix_letter_labels(pages: list[OcrPage]) -> list[tuple[int, int, str, str]]:
    """Repair list letters misread at the start of a line, in place: 'I)' after 'k)' is 'l)', 'd)' after 'd)' is 'đ)'.

    A letter is only replaced by the one the sequence expects next, and only by a
    glyph OCR confuses with it. Returns (page, line, as read, as fixed) per repair."""
    fixes: list[tuple[int, int, str, str]] = []
    last: str | None = None
    for pg in pages:
        for k, line in enumerate(pg.lines):
            m = _LETTER_LABEL.match(line)
            if not m:
                continue
            ch = m.group(1)
            expect = _LETTERS[_LETTERS.index(last) + 1] if last is not None and last in _LETTERS[:-1] else None
            if expect and ch != expect and ch in _CONFUSED.get(expect, ""):
                pg.lines[k] = expect + line[1:]
                fixes.append((pg.page, k + 1, ch, expect))
                ch = expect
            if ch in _LETTERS:
                last = ch
    return fixes


_PAGE_NUMBER = re.compile(r"\d{1,4}")


def fix_page_numbers(pages: list[OcrPage], low_confidence: float = 60.0) -> list[tuple[int, int, str, str]]:
    """Repair page numbers misread at the foot of a page, in place: when the OCR'd pages end with
    their printed page number (the page's place in the file plus one offset, on at least two
    pages), a page whose last line is a short token read with low confidence ('Ni' for '11'),
    between pages whose feet read the numbers before and after it, ends with its number too.
    Returns (page, line, as read, as fixed) per repair."""
    last = {pg.page: (pg.lines[-1], pg.line_confidence[-1] if pg.line_confidence else None) for pg in pages if pg.source == "ocr" and pg.lines}
    offsets = [int(text) - page for page, (text, _) in last.items() if _PAGE_NUMBER.fullmatch(text)]
    if len(offsets) < 2:
        return []
    offset, votes = max(((o, offsets.count(o)) for o in set(offsets)), key=lambda x: (x[1], -abs(x[0])))
    if votes < 2:
        return []

    def reads(page: int) -> bool | None:  # the page's foot reads its number (None: no such OCR'd page)
        if page not in last:
            return None
        return last[page][0] == str(page + offset)

    fixes: list[tuple[int, int, str, str]] = []
    for pg in pages:
        if pg.page not in last:
            continue
        text, conf = last[pg.page]
        if _PAGE_NUMBER.fullmatch(text) or " " in text or len(text) > 3 or conf is None or conf >= low_confidence:
            continue
        around = [reads(pg.page - 1), reads(pg.page + 1)]
        if False in around or not any(around):
            continue
        number = str(pg.page + offset)
        pg.lines[-1] = number
        fixes.append((pg.page, len(pg.lines), text, number))
    return fixes


_ROMAN_LABEL = re.compile(r"^([IVXl1|]{1,6})(\s*[.\-–]\s+)(.*)$")
_ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


def fix_part_numerals(pages: list[OcrPage]) -> list[tuple[int, int, str, str]]:
    """Repair the roman numerals of part headings (capitals after 'II-', 'III.') misread by OCR, in place.

    'l', '1' and '|' inside a numeral are read as 'I' ('IIl-' -> 'III-'), and a numeral
    that repeats the previous part's ('I-' after 'I-') becomes the next one. Only
    headings in capitals whose numeral holds a real I, V or X are touched."""
    fixes: list[tuple[int, int, str, str]] = []
    last = 0
    for pg in pages:
        for k, line in enumerate(pg.lines):
            m = _ROMAN_LABEL.match(line)
            if not m or not re.search("[IVX]", m.group(1)):
                continue
            rest = m.group(3)
            letters = [c for c in rest if c.isalpha()]
            if not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters):
                continue
            numeral = re.sub("[l1|]", "I", m.group(1))
            if numeral not in _ROMANS:
                continue
            value = _ROMANS.index(numeral) + 1
            if value == last and last < len(_ROMANS):
                value = last + 1
                numeral = _ROMANS[value - 1]
            if numeral != m.group(1):
                pg.lines[k] = numeral + m.group(2) + rest
                fixes.append((pg.page, k + 1, m.group(1), numeral))
            last = value
    return fixes
