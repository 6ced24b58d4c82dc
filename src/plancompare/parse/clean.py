"""Stage 'clean': raw lines -> logical lines.

In order: detect the layout; drop a repeated opening block (web scrapes repeat
and truncate the start of the page); drop the site's text after the signature;
drop page numbers and running headers; rejoin wrapped lines into paragraphs
(hard-wrapped PDF text, paragraphs broken by page breaks, document numbers
split as '57-' / 'NQ/TW').
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import compress
from functools import lru_cache

from ..models import Problem
from .patterns import MD_HEADING, PAGE_NUMBER, PIPE_SEP, SIGNATURE_CUE, SITE_JUNK, TERMINAL, starts_with_marker
from .stages import Cleaned, Decoded, Dropped, Line

_WS = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def _norm(text: str) -> str:
    return _WS.sub(" ", text.strip().rstrip("|").strip())


@lru_cache(maxsize=65536)  # asked of each line by several stages
def is_table_line(text: str) -> bool:
    t = text.strip()
    if "\t" in text:
        return True
    if t.startswith("|") and t.count("|") >= 2:
        return True
    return t.endswith("|")


def detect_layout(lines: list[Line], hint: str | None) -> str:
    if hint:
        return hint
    texts = [ln.text for ln in lines if ln.text.strip()]
    if not texts:
        return "plain"
    md = 0
    for t in texts:  # three markdown lines make it markdown; a heading starts with '#', a rule with '|', ':', '-' or a space
        c = t[0]
        if (c == "#" and MD_HEADING.match(t)) or t.startswith("**") or ((c in "|:-" or c.isspace()) and PIPE_SEP.match(t)):
            md += 1
            if md >= 3:
                return "markdown"
    head = texts[:40]
    if any(re.match(r"^\|?\s*(Số hiệu|Ngày ban hành|Loại văn bản|Cơ quan ban hành)\s*\|", t) for t in head) or any(SITE_JUNK.match(t.strip()) for t in texts[-10:]):
        return "web_scrape"
    if _wrap_width(lines):
        return "pdf_text"
    return "plain"


def _wrap_width(lines: list[Line]) -> int | None:
    """The typical width of a hard-wrapped text, or None if lines are not hard-wrapped."""
    body = [t for ln in lines if (t := ln.text.strip()) and not is_table_line(ln.text)]
    if len(body) < 20:
        return None
    lengths = sorted(len(t) for t in body)
    p90 = lengths[int(len(lengths) * 0.9)]
    if p90 > 140 or p90 < 40:
        return None
    near_full = [t for t in body if len(t) >= 0.75 * p90]
    unterminated = sum(1 for t in near_full if not TERMINAL.search(t))
    if len(near_full) >= 0.4 * len(body) and unterminated >= 0.6 * len(near_full):
        return p90
    return None


_LETTERHEAD = re.compile(r"^(Số\s*:|Số hiệu|ỦY BAN|UỶ BAN|CỘNG HÒA|CỘNG HOÀ|BAN CHẤP HÀNH|TỈNH ỦY|KẾ HOẠCH|NGHỊ QUYẾT|CHƯƠNG TRÌNH)|, ngày \d{1,2} tháng \d{1,2} năm \d{4}")


def _longest_repeat(norms: list[str], tabular: list[bool]) -> tuple[tuple[int, int, int], int]:
    """The repeated run of lines with the most substantive lines (>= 20 characters, not table lines):
    ((substantive count, first copy's start, second copy's start), length), extended backwards over
    short lines (letterhead fragments)."""
    pos: dict[str, list[int]] = {}
    # only a line whose text occurs twice can start a repeat: those picked in C first (a text once is never a run)
    counts = Counter(norms)
    for i in compress(range(len(norms)), map((1).__lt__, map(counts.__getitem__, norms))):
        n = norms[i]
        if len(n) >= 20 and not tabular[i]:
            pos.setdefault(n, []).append(i)
    best = (0, 0, 0)  # (substantive count, i, j)
    best_len = 0
    for n, idx in pos.items():
        if len(idx) < 2:
            continue
        for a in range(len(idx) - 1):
            i, j = idx[a], idx[a + 1]
            if i > 0 and norms[i - 1] == norms[j - 1] and len(norms[i - 1]) >= 20:
                continue  # inside a run already measured from its start: each run is walked once
            k = 0
            while j + k < len(norms) and i + k < j and norms[i + k] == norms[j + k]:
                k += 1
            # extend backwards over short lines (letterhead fragments)
            b = 0
            while i - b - 1 >= 0 and norms[i - b - 1] == norms[j - b - 1] and i - b - 1 < j - b - 1 and j - b - 1 > i + k - 1:
                b += 1
            subst = sum(1 for x in range(i - b, i + k) if len(norms[x]) >= 20 and not tabular[x])
            if subst > best[0]:
                best, best_len = (subst, i - b, j - b), k + b
    return best, best_len


def remove_repeated_blocks(lines: list[Line], problems: list[Problem], min_lines: int = 3) -> list[Line]:
    """Remove the first copy of a block of >= min_lines substantive lines that occurs twice.

    Web pages often repeat (and truncate) the opening of a document; the later,
    complete copy is kept."""
    while True:
        content = [ln for ln in lines if ln.text.strip()]
        norms = [_norm(ln.text) for ln in content]
        tabular = [is_table_line(ln.text) for ln in content]
        best, best_len = _longest_repeat(norms, tabular)
        if best[0] < min_lines:
            return lines
        _, i, j = best
        # only the opening of a page is repeated by scrapers: a letterhead line in the first copy,
        # near the top; elsewhere two identical paragraphs are content (a task listed twice)
        if i > 0.25 * len(norms) or not any(_LETTERHEAD.search(norms[x]) for x in range(i, i + best_len)):
            return lines
        drop = set(range(i, i + best_len))
        # a truncated last line of the first copy
        nxt = i + best_len
        if nxt < j and j + best_len < len(norms) and len(norms[nxt]) >= 20 and norms[j + best_len].startswith(norms[nxt]):
            drop.add(nxt)
        dropped = [content[d] for d in sorted(drop)]
        problems.append(
            Problem(
                code="repeated_block_removed",
                severity="info",
                message=f"lines {dropped[0].no}-{dropped[-1].end} repeat lines {content[j].no}-{content[j + best_len - 1].end}; the first copy was dropped",
                line=dropped[0].no,
                line_end=dropped[-1].end,
            )
        )
        drop_nos = {d.no for d in dropped}
        lines = [ln for ln in lines if ln.no not in drop_nos]


def remove_site_text(lines: list[Line], problems: list[Problem]) -> list[Line]:
    """Drop the trailing text of a web page (menus, 'Đăng xuất', job ads) after the document."""
    idx = [i for i, ln in enumerate(lines) if ln.text.strip()]
    cut = None
    for i in reversed(idx[-15:]):
        t = lines[i].text.strip()
        if SITE_JUNK.match(t):
            cut = i
    if cut is None:
        return lines
    removed = [ln for ln in lines[cut:] if ln.text.strip()]
    problems.append(Problem(code="site_text_removed", severity="info", message=f"{len(removed)} trailing line(s) of web-site text removed ('{removed[0].text.strip()[:40]}'...)", line=removed[0].no, line_end=removed[-1].end))
    return lines[:cut]


def remove_page_furniture(lines: list[Line], problems: list[Problem]) -> list[Line]:
    """Drop page numbers and running headers/footers (short lines repeated on many pages)."""
    counts = Counter(_norm(ln.text) for ln in lines if ln.text.strip() and not is_table_line(ln.text))
    # a running header starts like a heading (capital or digit), never like a wrapped continuation
    running = {t for t, c in counts.items() if c >= 3 and 3 <= len(t) <= 100 and not starts_with_marker(t) and not _STARTS_LOWER.match(t) and not TERMINAL.search(t) and not _CONTENT_MARK.search(t)}
    out: list[Line] = []
    n_pages = n_heads = 0
    for ln in lines:
        t = ln.text.strip()
        if not t:
            out.append(ln)
            continue
        # a page number starts with a digit, a dash or 'Trang'
        if (t[0] in "-–Tt" or t[0].isdigit()) and not is_table_line(ln.text) and PAGE_NUMBER.match(t):
            n_pages += 1
            continue
        if running and _norm(t) in running:
            n_heads += 1
            continue
        out.append(ln)
    if n_pages:
        problems.append(Problem(code="page_numbers_removed", severity="info", message=f"{n_pages} page-number line(s) removed"))
    if n_heads:
        problems.append(Problem(code="running_headers_removed", severity="info", message=f"{n_heads} running header/footer line(s) removed: {sorted(running)[:3]}"))
    return out


#: what a cleaner never drops as page furniture: a number (a target, a document number, a date) or a citation
_CONTENT_MARK = re.compile(r"\d|\b(Căn cứ|Thực hiện|Nghị quyết|Quyết định|Kế hoạch số|Chỉ thị|Thông tư|Nghị định)\b", re.I)
_STARTS_LOWER = re.compile(r"^[\"“(]?[a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]")
_NUM_HYPHEN_END = re.compile(r"\d[-/]$")
_NUM_CONT = re.compile(r"^[A-ZĐ]{1,6}[/-]")
#: a line that ends on a word no sentence or heading ends on (a preposition, a conjunction, a
#: quantifier) goes on in the next line, whatever that line starts with ('... theo' / 'Dịch vụ công ...')
_OPEN_END = re.compile(r"(?:^|\s)(?:và|của|các|cho|với|về|tại|trong|theo|để|những|bằng|hoặc|nhằm|gồm|thuộc|trên cơ sở)$")


def _open_emphasis(text: str) -> bool:
    """True when a line opens a markdown emphasis (``**`` or ``*``) that it does not close."""
    bold = text.count("**")
    single = text.replace("**", "").count("*") - (1 if re.match(r"^\*\s", text) else 0)
    return bold % 2 == 1 or single % 2 == 1


_EMPHASIS_SPAN = 6  # physical lines one emphasis may span (a wrapped heading, an italic citation)


def join_emphasis(lines: list[Line]) -> list[Line]:
    """Rejoin a markdown emphasis that the page's hard wrap cut: ``**III. NHIỆM VỤ VÀ`` /
    ``GIẢI PHÁP**`` is one heading, ``*Đồng Tháp, ngày`` / ``19 tháng 11 năm 2025*`` one line.

    Only consecutive non-blank, non-table lines are joined, and at most a few of them."""
    out: list[Line] = []
    i, n = 0, len(lines)
    while i < n:
        ln = lines[i]
        t = ln.text.strip()
        if not t or is_table_line(ln.text) or not _open_emphasis(t):
            out.append(ln)
            i += 1
            continue
        j, text = i + 1, t
        while j < n and j - i < _EMPHASIS_SPAN and _open_emphasis(text):
            nt = lines[j].text.strip()
            if not nt or is_table_line(lines[j].text):
                break
            text = text + " " + nt
            j += 1
        if _open_emphasis(text):  # never closed: leave the lines as they were
            out.append(ln)
            i += 1
            continue
        out.append(Line(no=ln.no, end=lines[j - 1].end, text=text))
        i = j
    return out


def blank_separated(lines: list[Line]) -> bool:
    """True when the text separates its paragraphs with blank lines and hard-wraps inside them.

    Then a line that follows a non-blank line continues its paragraph even when it starts like a
    list item (``2026`` / ``- 2030``, ``kinh tế`` / ``- xã hội``); a list item starts after a blank line."""
    marked = after_blank = runs = multi = 0
    prev_blank, run = True, 0
    for ln in lines:
        t = ln.text.strip()
        if not t or is_table_line(ln.text):
            if run:
                runs += 1
                multi += run > 1
            prev_blank, run = True, 0
            continue
        run += 1
        bare = t.lstrip("*_ ")  # '**b)** ...', '*1.1. *...' count as the items they are
        if bare and starts_with_marker(bare) and not ((bare[0] in "-–—=" or bare[0].isspace()) and _RULE.match(bare)):
            marked += 1
            after_blank += prev_blank
        prev_blank = False
    if run:
        runs += 1
        multi += run > 1
    return marked >= 10 and after_blank >= 0.6 * marked and multi >= 0.2 * max(runs, 1)


_RULE = re.compile(r"^[-–—=_*\s]{3,}$")  # a horizontal rule under a letterhead ('-------')


def _whole_emphasis(text: str) -> bool:
    return len(text) > 2 and ((text.startswith("**") and text.endswith("**")) or (text.startswith("*") and text.endswith("*") and not text.startswith("* ")))


class _Logical:
    """A logical line being built from physical lines, joined once at the end (linear in its
    length); the rules read only its head and its tail."""

    __slots__ = ("no", "end", "parts", "head", "tail")
    _KEEP = 240

    def __init__(self, ln: Line, text: str) -> None:
        self.no, self.end, self.parts = ln.no, ln.end, [text]
        self.head = self.tail = text

    def add(self, ln: Line, text: str, glue: str) -> None:
        self.parts += [glue, text]
        self.end = ln.end
        if len(self.head) < self._KEEP:
            self.head = (self.head + glue + text)[: self._KEEP]
        self.tail = (self.tail + glue + text)[-self._KEEP :]

    @property
    def view(self) -> str:
        """What the rules see: the whole text when short, else its head and tail."""
        return self.head if len(self.parts) == 1 else self.head + " … " + self.tail

    def line(self) -> Line:
        return Line(no=self.no, end=self.end, text="".join(self.parts))


def join_wrapped(lines: list[Line], width: int | None, paragraphs: bool = False) -> list[Line]:
    """Rejoin lines that continue the previous one (blank lines between them are ignored,
    except in a blank-separated text, ``paragraphs=True``, where a blank line ends a paragraph)."""
    out: list[Line] = []
    cur: _Logical | None = None
    cur_table = False  # is the first physical line of cur a table line
    last = ""  # the last physical line joined into cur
    after_blank = True
    for ln in lines:
        t = ln.text.strip()
        if not t:
            after_blank = True
            continue
        tab = is_table_line(ln.text)
        if tab:
            t = ln.text.rstrip(" ")  # keep the empty cells of tab-separated rows
        if cur is None:
            cur, cur_table, last, after_blank = _Logical(ln, t), tab, t, False
            continue
        # PIPE_SEP starts with '|', ':' or '-' (t is stripped when it is not a table line)
        table = tab or cur_table or (t[0] in "|:-" and PIPE_SEP.match(t))
        if paragraphs and not table and not after_blank and _in_paragraph(cur.view, t):
            cur.add(ln, t, " ")
            last = t
            continue
        after_blank = False
        join, glue = (False, " ") if table else _joins(cur.view, t, last, width)
        if join:
            cur.add(ln, t, glue)
        else:
            out.append(cur.line())
            cur, cur_table = _Logical(ln, t), tab
        last = t
    if cur is not None:
        out.append(cur.line())
    return out


def _joins(c: str, t: str, last: str, width: int | None) -> tuple[bool, str]:
    """Does line ``t`` continue logical line ``c`` (whose last physical line is ``last``)? (join, glue)."""
    # in hard-wrapped text a '- ' after a full, unfinished line is a wrapped 'kinh tế - xã hội', not a bullet
    wrapped_dash = False
    if width and t[:1] in "-–+" and len(last) >= 0.8 * width and not _ends_finished(c):
        after = t[1:].lstrip()
        wrapped_dash = bool(_STARTS_LOWER.match(after) or after[:1].isdigit())
    if (starts_with_marker(t) and not wrapped_dash) or SIGNATURE_CUE.match(t) or SIGNATURE_CUE.match(c):
        return False, " "
    if wrapped_dash:
        return True, " "
    if _NUM_HYPHEN_END.search(c[-4:]) and _NUM_CONT.match(t):
        return True, ""
    if c.endswith("-") and _STARTS_LOWER.match(t):
        return True, " "
    if width and len(last) >= 0.8 * width and c.rstrip()[-1:] in ";,":
        return True, " "  # a full line ending in ';' goes on ('...Tỉnh ủy;' / 'Kế hoạch số 146...')
    if _ends_finished(c):
        return False, " "
    if _STARTS_LOWER.match(t) or t[:1].isdigit():
        return True, " "  # 'lowercase' or '2030 ...' after an unfinished line continues it
    if c.endswith(",") or _OPEN_END.search(c[-16:]):
        return True, " "  # no heading ends in a comma or a 'theo': '... cho các doanh nghiệp,' / 'HTX, người lao động ...'
    return bool(width and len(last) >= 0.6 * width), " "


def _ends_finished(text: str) -> bool:
    """A terminal mark at the end (read on the tail only: a paragraph grows line by line)."""
    return bool(TERMINAL.search(text[-16:]))


def _in_paragraph(cur: str, nxt: str) -> bool:
    """In a blank-separated text, does line ``nxt`` (no blank line before it) go on paragraph ``cur``?

    Yes (a sentence that ends at the wrap goes on in the same paragraph), unless ``cur`` is finished
    (a terminal mark) and ``nxt`` starts an item, or either is a
    whole emphasised line (a bold heading over its first paragraph), or a signature starts."""
    if SIGNATURE_CUE.match(nxt) or SIGNATURE_CUE.match(cur):
        return False
    if _whole_emphasis(cur) or _whole_emphasis(nxt):
        return False
    if _ends_finished(cur) and starts_with_marker(nxt):
        return False  # 'a) ...;' / 'b) ...': items one per line with no blank between them
    return True


def clean(dec: Decoded) -> Cleaned:
    problems: list[Problem] = list(dec.problems)
    lines = dec.lines
    layout = detect_layout(lines, dec.layout)
    dropped: list[Dropped] = []
    lines = _reported(lines, remove_repeated_blocks(lines, problems), "a repeated copy of the page's opening (web scrape)", dropped)
    lines = _reported(lines, remove_site_text(lines, problems), "web-site text after the document", dropped)
    if layout != "markdown":  # a web page or a markdown file has no pages: a lone number there is a table cell
        lines = _reported(lines, remove_page_furniture(lines, problems), "a page number or a running header/footer repeated on many pages", dropped)
    if layout == "markdown":
        lines = join_emphasis(lines)
    width = _wrap_width(lines) if layout in ("pdf_text", "pdf", "plain") else None
    if width and layout == "plain":
        layout = "pdf_text"
    logical = join_wrapped(lines, width, paragraphs=blank_separated(lines))
    return Cleaned(layout=layout, encoding=dec.encoding, lines=logical, problems=problems, dropped=dropped)


def _reported(before: list[Line], after: list[Line], reason: str, dropped: list[Dropped]) -> list[Line]:
    """Record every non-blank line a cleaning step removed, with the step's reason."""
    if len(after) != len(before):
        kept = {id(ln) for ln in after}
        dropped.extend(Dropped(line=ln.no, text=ln.text, reason=reason) for ln in before if id(ln) not in kept and ln.text.strip())
    return after
