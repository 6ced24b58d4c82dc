"""Readers for .docx, .pdf and .html plans: a document file -> plain text.

Each reader produces the text conventions the later stages expect from a
plain-text plan:

* one paragraph per line (blank lines allowed), NFC Unicode;
* list labels as text: Word automatic numbering is rendered as the label the
  reader sees ("I. ", "1. ", "1.1. ", "a) ", "- ");
* tables as markdown pipe rows ``| cell | cell |``, one row per line, in
  document order; a merged cell leaves empty cells in the columns it spans so
  columns stay aligned. Letterhead and signature tables (the two-column
  blocks of Vietnamese administrative documents) and one-column tables are
  rendered as ordinary lines instead, so the number, date and signature are
  found as in a text file.

The libraries are imported inside the functions: python-docx, pdfplumber and
lxml are only needed when such a file is read. Every failure is reported as an
:class:`~plancompare.errors.InputError` with a one-line message.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import CorruptFileError, InputError, NoTextLayerError, UnsupportedFormatError
from .limits import DEFAULT_LIMITS, Limits, check_pages, check_pdf_streams, check_text, check_zip

__all__ = ["extract_text", "docx_text", "pdf_text", "html_text"]

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc, or an encrypted .docx

_WS = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")

# letterhead / signature blocks of Vietnamese administrative documents (Nghị định 30/2020)
_FORM_CUE = re.compile(
    r"(cộng hòa xã hội chủ nghĩa|cộng hoà xã hội chủ nghĩa|độc lập\s*[-–]\s*tự do|đảng cộng sản việt nam|^\s*số\s*:|^\s*nơi nhận\s*:)",
    re.IGNORECASE | re.MULTILINE,
)
# signature titles are written in capitals ('Chủ tịch UBND phường' in a table is an agency, not a signature)
_SIGN_CUE = re.compile(r"^\s*(?:KT\.|TM\.|T/M|TL\.|TUQ\.|(?:PHÓ\s+)?(?:CHỦ TỊCH|BÍ THƯ|THỦ TƯỚNG)\b)", re.MULTILINE)


def extract_text(path: Path, data: bytes, *, limits: Limits | None = None) -> tuple[str, str]:
    """The text of a .docx, .pdf or .html file and its layout name ('docx', 'pdf' or 'html')."""
    suffix = path.suffix.lower()
    name = path.name
    if suffix == ".docx":
        text, layout = docx_text(data, name, limits=limits), "docx"
    elif suffix == ".pdf":
        text, layout = pdf_text(data, name, limits=limits), "pdf"
    elif suffix in (".html", ".htm"):
        text, layout = html_text(data, name), "html"
    else:  # read.py only sends the suffixes above
        raise UnsupportedFormatError(f"{name}: no reader for {suffix or 'files without a suffix'}", path=str(path))
    return finish_text(text), layout


def finish_text(text: str) -> str:
    """NFC, one line per paragraph, no invisible characters, at most one blank line in a row."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _INVISIBLE.sub("", text)
    out: list[str] = []
    for line in text.split("\n"):
        line = _CONTROL.sub(" ", line)
        line = _WS.sub(" ", line).strip()
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + ("\n" if out else "")


def _one_line(err: BaseException) -> str:
    msg = str(err).strip().splitlines()[0] if str(err).strip() else ""
    return f"{type(err).__name__}: {msg[:160]}" if msg else type(err).__name__


def _cell_text(text: str) -> str:
    """A table cell on one line; '|' inside a cell would split it, so it becomes '/'."""
    return _WS.sub(" ", text.replace("\n", " ").replace("|", "/")).strip()


def _pipe_row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(_cell_text(c) for c in cells) + " |"


def _render_table(grid: list[list[tuple[str, list[str]]]]) -> list[str]:
    """Lines for a table given as rows of cells, each cell (text, its paragraphs).

    A letterhead/signature table or a one-column table becomes ordinary lines
    (cell by cell, row by row); any other table becomes pipe rows."""
    rows = [r for r in grid if any(t.strip() for t, _ in r)]
    if not rows:
        return []
    ncols = max(len(r) for r in rows)
    one_column = all(sum(1 for t, _ in r if t.strip()) <= 1 for r in rows)
    texts = unicodedata.normalize("NFC", "\n".join(p for r in rows for _, ps in r for p in ps))
    form = len(rows) <= 4 and ncols <= 3 and bool(_FORM_CUE.search(texts) or _SIGN_CUE.search(texts))
    if one_column or form:
        out: list[str] = []
        seen: set[int] = set()
        for r in rows:
            for _, paras in r:
                if id(paras) in seen:  # a merged cell counted once
                    continue
                seen.add(id(paras))
                out.extend(p for p in paras if p.strip())
        return out
    return [_pipe_row(t for t, _ in r) for r in rows]


# --------------------------------------------------------------------- .docx

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {
    "w": _W,
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
}


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def _wval(el: Any, default: str | None = None) -> str | None:
    if el is None:
        return default
    return el.get(_w("val"), default)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out


def _letters(n: int) -> str:
    """Word's letter numbering: a..z, then aa..zz, aaa... (the letter repeated)."""
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """A counter in a Word numFmt (decimal, upperRoman, lowerLetter, ...)."""
    if fmt in ("upperRoman", "lowerRoman"):
        r = _roman(n)
        return r if fmt == "upperRoman" else r.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        s = _letters(n)
        return s.upper() if fmt == "upperLetter" else s
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)  # decimal and every format without a text equivalent here


class _Level:
    __slots__ = ("fmt", "text", "start", "restart", "legal")

    def __init__(self, el: Any) -> None:
        self.fmt = _wval(el.find(_w("numFmt")), "decimal") or "decimal"
        lvl_text = el.find(_w("lvlText"))
        self.text = _wval(lvl_text, "") if lvl_text is not None else None
        self.start = _int(_wval(el.find(_w("start"))), 1)
        restart = el.find(_w("lvlRestart"))
        self.restart = _int(_wval(restart), -1) if restart is not None else None
        legal = el.find(_w("isLgl"))
        self.legal = legal is not None and _wval(legal, "1") not in ("0", "false", "off")


class WordNumbering:
    """Renders the labels of Word's automatic numbering (numbering.xml).

    A paragraph's ``numPr`` (or its style's) gives a list instance (``numId``)
    and a level (``ilvl``); the instance points at an abstract definition whose
    level has a number format and a label template (``lvlText``, e.g. '%1.%2.').
    Counters are kept per abstract definition, as Word does: list instances of
    the same definition continue each other unless one overrides a level's
    start (``lvlOverride/startOverride``, Word's 'restart numbering'). Using a
    level restarts the counters of the levels below it (unless ``lvlRestart``
    says otherwise)."""

    def __init__(self, numbering_el: Any | None, styles_el: Any | None) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.style_based: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        if styles_el is not None:
            for st in styles_el.iter(_w("style")):
                sid = st.get(_w("styleId"))
                if not sid:
                    continue
                based = st.find(_w("basedOn"))
                if based is not None and _wval(based):
                    self.style_based[sid] = _wval(based) or ""
                numpr = st.find(f"{_w('pPr')}/{_w('numPr')}")
                if numpr is not None:
                    self.style_num[sid] = (_wval(numpr.find(_w("numId"))), _int(_wval(numpr.find(_w("ilvl"))), 0) if numpr.find(_w("ilvl")) is not None else None)
        if numbering_el is None:
            return
        links: dict[str, str] = {}
        for an in numbering_el.iter(_w("abstractNum")):
            aid = an.get(_w("abstractNumId"))
            if aid is None:
                continue
            self.abstract[aid] = {_int(lv.get(_w("ilvl")), 0): _Level(lv) for lv in an.findall(_w("lvl"))}
            link = an.find(_w("numStyleLink"))
            if link is not None and _wval(link):
                links[aid] = _wval(link) or ""
        for num in numbering_el.iter(_w("num")):
            nid = num.get(_w("numId"))
            aid = _wval(num.find(_w("abstractNumId")))
            if nid is None or aid is None:
                continue
            starts: dict[int, int] = {}
            levels: dict[int, _Level] = {}
            for ov in num.findall(_w("lvlOverride")):
                ilvl = _int(ov.get(_w("ilvl")), 0)
                so = ov.find(_w("startOverride"))
                if so is not None:
                    starts[ilvl] = _int(_wval(so), 1)
                lv = ov.find(_w("lvl"))
                if lv is not None:
                    levels[ilvl] = _Level(lv)
            self.nums[nid] = (aid, starts, levels)
        # an abstract definition that only links to a numbering style uses that style's list
        for aid, style in links.items():
            num_id, _ = self.style_num.get(style, (None, None))
            target = self.nums.get(num_id or "", (None,))[0]
            if target and target != aid and target in self.abstract and not self.abstract[aid]:
                self.abstract[aid] = self.abstract[target]

    def _style_numpr(self, style: str | None) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        while style and style not in seen:
            seen.add(style)
            if style in self.style_num:
                return self.style_num[style]
            style = self.style_based.get(style)
        return None, None

    def label(self, p: Any) -> str | None:
        """The label of paragraph element ``p``, advancing the counters; None if not numbered."""
        ppr = p.find(_w("pPr"))
        num_id: str | None = None
        ilvl: int | None = None
        style: str | None = None
        if ppr is not None:
            style = _wval(ppr.find(_w("pStyle")))
            numpr = ppr.find(_w("numPr"))
            if numpr is not None:
                num_id = _wval(numpr.find(_w("numId")))
                if numpr.find(_w("ilvl")) is not None:
                    ilvl = _int(_wval(numpr.find(_w("ilvl"))), 0)
        if num_id is None or ilvl is None:
            s_num, s_lvl = self._style_numpr(style)
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_lvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return None
        ilvl = min(max(ilvl or 0, 0), 8)
        aid, starts, own_levels = self.nums[num_id]
        levels = {**self.abstract.get(aid, {}), **own_levels}
        level = levels.get(ilvl)
        if level is None:
            return None
        counters = self.counters.setdefault(aid, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for lv, start in starts.items():
                counters[lv] = start - 1
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart > 0 and ilvl < restart):
                del counters[deeper]
        return self._render(level, levels, counters)

    @staticmethod
    def _render(level: _Level, levels: dict[int, _Level], counters: dict[int, int]) -> str:
        if level.fmt == "bullet":
            sym = (level.text or "").strip()
            return "+" if sym == "+" else "-"
        if level.text is None:
            return ""

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lv = levels.get(k)
            n = counters.get(k, lv.start if lv else 1)
            fmt = "decimal" if (level.legal and lv is not None and lv.fmt != "none") else (lv.fmt if lv else "decimal")
            return format_number(n, fmt)

        return re.sub(r"%([1-9])", sub, level.text).strip()


_RUN_PARTS = None  # compiled XPath, built on first use (needs lxml)


def _paragraph_text(p: Any) -> str:
    """The visible text of a w:p: runs (also inside hyperlinks, insertions, fields, content
    controls), without deleted or hidden text and without text boxes (their text is
    anchored elsewhere and Word stores it twice)."""
    global _RUN_PARTS
    if _RUN_PARTS is None:
        from lxml import etree

        _RUN_PARTS = etree.XPath(
            ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)"
            " and not(ancestor::mc:Fallback) and not(ancestor::v:textbox)]",
            namespaces=_NS,
        )
    parts: list[str] = []
    for r in _RUN_PARTS(p):
        rpr = r.find(_w("rPr"))
        if rpr is not None:
            hidden = rpr.find(_w("vanish"))
            if hidden is not None and _wval(hidden, "1") not in ("0", "false", "off"):
                continue
        for child in r:
            tag = child.tag
            if tag == _w("t"):
                parts.append(child.text or "")
            elif tag in (_w("tab"), _w("ptab")):
                parts.append(" ")  # a tab would make the line look like a tab-separated table row
            elif tag in (_w("br"), _w("cr")):
                parts.append("\n")
            elif tag == _w("noBreakHyphen"):
                parts.append("-")
    return "".join(parts)


def _docx_cell_paragraphs(tc: Any, numbering: WordNumbering) -> list[str]:
    out: list[str] = []
    for el in tc.iter(_w("p")):
        # nested tables' paragraphs are included: their text belongs to the cell; text boxes are not
        if any(a.tag == _w("txbxContent") for a in el.iterancestors()):
            continue
        text = _paragraph_text(el)
        label = numbering.label(el)
        if label and text.strip():
            text = f"{label} {text.lstrip()}"
        out.extend(t for t in text.split("\n"))
    return [_WS.sub(" ", t).strip() for t in out if t.strip()]


def _docx_table(tbl: Any, numbering: WordNumbering) -> list[str]:
    grid: list[list[tuple[str, list[str]]]] = []
    above: dict[int, list[str]] = {}  # column -> paragraphs of the cell a vertical merge continues
    for tr in tbl.iterfind(_w("tr")):
        row: list[tuple[str, list[str]]] = []
        trpr = tr.find(_w("trPr"))
        before = _int(_wval(trpr.find(_w("gridBefore"))), 0) if trpr is not None else 0
        row.extend(("", []) for _ in range(max(before, 0)))  # grid columns the row skips
        col = len(row)
        for tc in _iter_cells(tr):
            tcpr = tc.find(_w("tcPr"))
            span = _int(_wval(tcpr.find(_w("gridSpan"))), 1) if tcpr is not None else 1
            vmerge = tcpr.find(_w("vMerge")) if tcpr is not None else None
            if vmerge is not None and _wval(vmerge, "continue") != "restart":
                paras = above.get(col, [])
                row.append(("", paras))  # continues the cell above: empty here
            else:
                paras = _docx_cell_paragraphs(tc, numbering)
                row.append((" ".join(paras), paras))
                above[col] = paras
            for _ in range(max(span, 1) - 1):
                row.append(("", paras))
            col += max(span, 1)
        grid.append(row)
    return _render_table(grid)


def _iter_cells(tr: Any) -> Iterator[Any]:
    for el in tr:
        if el.tag == _w("tc"):
            yield el
        elif el.tag in (_w("sdt"), _w("customXml")):  # cells wrapped in content controls
            content = el.find(_w("sdtContent")) if el.tag == _w("sdt") else el
            if content is not None:
                yield from _iter_cells(content)


def _docx_blocks(container: Any, numbering: WordNumbering) -> Iterator[str]:
    for el in container:
        tag = el.tag
        if tag == _w("p"):
            text = _paragraph_text(el)
            label = numbering.label(el)
            if label and text.strip():
                text = f"{label} {text.lstrip()}"
            yield text
        elif tag == _w("tbl"):
            yield from _docx_table(el, numbering)
        elif tag == _w("sdt"):
            content = el.find(_w("sdtContent"))
            if content is not None:
                yield from _docx_blocks(content, numbering)
        elif tag == _w("customXml"):
            yield from _docx_blocks(el, numbering)


def docx_text(data: bytes, name: str = "<docx>", *, limits: Limits | None = None) -> str:
    """Text of a .docx: paragraphs with their numbering labels, and tables as pipe rows."""
    if data[:8] == _OLE_MAGIC:
        raise UnsupportedFormatError(f"{name}: an old Word .doc file or a password-protected .docx; save it as .docx (without a password) first", path=name)
    if data[:4] != _ZIP_MAGIC:
        raise CorruptFileError(f"{name}: not a .docx file (a .docx is a ZIP package; this file is not one, it is damaged or mislabelled)", path=name)
    check_zip(name, data, limits or DEFAULT_LIMITS)  # before anything is unpacked
    try:
        import docx  # python-docx
    except ImportError as e:  # pragma: no cover - depends on the installation
        raise InputError(f"{name}: reading .docx needs python-docx (pip install python-docx)", path=name) from e
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        part = document.part
        numbering_el = None
        try:
            numbering_el = part.numbering_part.element
        except (KeyError, NotImplementedError):
            numbering_el = None
        styles_el = document.styles.element
    except InputError:
        raise
    except Exception as e:  # zipfile.BadZipFile, KeyError, ValueError, lxml errors...: a damaged package
        raise CorruptFileError(f"{name}: the .docx file is damaged or not a Word document ({_one_line(e)})", path=name) from e
    numbering = WordNumbering(numbering_el, styles_el)
    return "\n".join(_docx_blocks(body, numbering))


# ---------------------------------------------------------------------- .pdf

_CID = re.compile(r"\(cid:\d+\)")


def _dedupe_chars(chars: list[dict[str, Any]], tolerance: float = 1.0) -> list[dict[str, Any]]:
    """Drop characters drawn twice at (almost) the same place: PDF makers fake bold type that way.

    The same rule as pdfplumber's ``dedupe_chars`` (same text, font and size within
    ``tolerance`` points), in linear time: pdfplumber's takes seconds on a long plan."""
    grid: dict[tuple[Any, ...], list[tuple[float, float]]] = {}
    out: list[dict[str, Any]] = []
    for c in chars:
        x, y = float(c["x0"]), float(c["doctop"])
        key = (c.get("text"), c.get("fontname"), round(float(c.get("size", 0)), 2), c.get("upright"))
        gx, gy = int(x // tolerance), int(y // tolerance)
        dup = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for ox, oy in grid.get((*key, gx + dx, gy + dy), ()):
                    if abs(ox - x) <= tolerance and abs(oy - y) <= tolerance:
                        dup = True
                        break
                if dup:
                    break
            if dup:
                break
        if dup:
            continue
        grid.setdefault((*key, gx, gy), []).append((x, y))
        out.append(c)
    return out


def pdf_text(data: bytes, name: str = "<pdf>", *, limits: Limits | None = None) -> str:
    """Text of a .pdf's text layer, page by page. A scan (no text) raises NoTextLayerError."""
    if b"%PDF" not in data[:1024]:
        raise CorruptFileError(f"{name}: not a PDF file (no %PDF header); it is damaged or mislabelled", path=name)
    try:
        import pdfplumber
        from pdfplumber.utils import extract_text as chars_to_text
    except ImportError as e:  # pragma: no cover
        raise InputError(f"{name}: reading .pdf needs pdfplumber (pip install pdfplumber)", path=name) from e
    lim = limits or DEFAULT_LIMITS
    check_pdf_streams(name, data, lim)  # before pdfminer inflates any stream whole
    pages: list[str] = []
    chars = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            check_pages(name, len(pdf.pages), lim)  # the page tree is read, no page is rendered yet
            for page in pdf.pages:
                # x_tolerance relative to the font size: a fixed 3 pt glues words set in 10-12 pt type
                text = chars_to_text(_dedupe_chars(page.chars), x_tolerance_ratio=0.15) or ""
                pages.append(text)
                chars += len(text)
                if chars > lim.max_text_chars:
                    check_text(name, "".join(pages), lim)
                page.close()  # frees the page's parsed objects: memory stays bounded by one page
    except InputError:
        raise
    except Exception as e:
        chain = [e, e.__cause__, e.__context__, *(a for a in getattr(e, "args", ()) if isinstance(a, BaseException))]
        names = " ".join(type(x).__name__ for x in chain if x is not None)
        if "Password" in names or "Encrypt" in names:
            raise InputError(f"{name}: the PDF is password-protected; remove the password first", path=name) from e
        raise CorruptFileError(f"{name}: the PDF is damaged and cannot be read ({_one_line(e)})", path=name) from e
    joined = "\n".join(pages)
    if not pages:
        raise CorruptFileError(f"{name}: the PDF has no pages; it is damaged or incomplete", path=name)
    if not joined.strip():
        n = len(pages)
        raise NoTextLayerError(f"{name}: a scan without a text layer ({n} page{'s' if n != 1 else ''}, no text); it needs OCR before it can be parsed", path=name)
    letters = len(re.sub(r"\s", "", joined))
    if letters and len("".join(_CID.findall(joined))) > 0.5 * letters:
        raise NoTextLayerError(f"{name}: the PDF's text layer has no Unicode mapping (only glyph ids); it needs OCR before it can be parsed", path=name)
    return joined


# --------------------------------------------------------------------- .html

_HTML_SKIP = {"script", "style", "nav", "noscript", "template", "head", "title", "svg", "math", "iframe", "object", "embed", "canvas", "select", "button", "map"}
_HTML_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr",
    "html", "legend", "li", "main", "menu", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def _decode_html(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")  # valid UTF-8 is UTF-8, whatever the page declares
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:4096])
    declared = m.group(1).decode("ascii", "ignore").lower() if m else None
    if declared and declared not in ("utf-8", "utf8"):
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    # TCVN3/VNI pages are single-byte: keep the bytes as cp1252 characters, the
    # 'decode' stage recognises and converts the legacy encoding
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _ol_label(n: int, kind: str) -> str:
    fmt = {"a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}.get(kind, "decimal")
    label = format_number(n, fmt)
    return f"{label})" if fmt == "lowerLetter" else f"{label}."


class _HtmlText:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buf: list[str] = []
        self.label: str | None = None  # a list item's label, waiting for the item's first text

    def flush(self) -> None:
        text = _WS.sub(" ", "".join(self.buf).replace("\n", " ")).strip()
        self.buf = []
        if text:
            if self.label:
                text, self.label = f"{self.label} {text}", None
            self.lines.append(text)

    def tail(self, el: Any) -> None:
        if el.tail:
            self.buf.append(el.tail)

    def walk(self, el: Any, lists: list[list[Any]] | None = None) -> None:
        lists = lists if lists is not None else []
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        if tag is None or tag in _HTML_SKIP:  # comments, processing instructions, script...
            self.tail(el)
            return
        if tag == "br":
            self.flush()
            self.tail(el)
            return
        if tag == "table":
            self.flush()
            self.lines.extend(self.table(el))
            self.tail(el)
            return
        if tag == "pre":
            self.flush()
            self.lines.extend(ln.strip() for ln in el.text_content().split("\n"))
            self.tail(el)
            return
        block = tag in _HTML_BLOCK
        if block:
            self.flush()
        if tag in ("ol", "ul"):
            start = _int(el.get("start"), 1) if tag == "ol" else 1
            lists = [*lists, [tag, start - 1, el.get("type", "1")]]
        if tag == "li":
            self.li_label(el, lists)
        if el.text:
            self.buf.append(el.text)
        for child in el:
            self.walk(child, lists)
        if block:
            self.flush()
        if tag == "li":
            self.label = None  # an empty item
        self.tail(el)

    def li_label(self, el: Any, lists: list[list[Any]]) -> None:
        from .patterns import match_marker

        if not lists:
            return
        cur = lists[-1]
        cur[1] = _int(el.get("value"), cur[1] + 1)
        first = _WS.sub(" ", el.text_content()).strip()
        if match_marker(first):
            return  # the label is typed in the text already
        self.label = "-" if cur[0] == "ul" else _ol_label(cur[1], str(cur[2]))

    def cell(self, el: Any) -> list[str]:
        sub = _HtmlText()
        if el.text:
            sub.buf.append(el.text)
        for child in el:
            sub.walk(child)
        sub.flush()
        return sub.lines

    def table(self, tbl: Any) -> list[str]:
        out: list[str] = []
        for cap in tbl.findall("caption"):
            out.extend(self.cell(cap))
        rows: list[Any] = []
        for child in tbl.iterchildren():
            tag = child.tag.lower() if isinstance(child.tag, str) else ""
            if tag == "tr":
                rows.append(child)
            elif tag in ("thead", "tbody", "tfoot"):
                rows.extend(r for r in child.iterchildren() if isinstance(r.tag, str) and r.tag.lower() == "tr")
        # a page-layout table (a cell holding another table or headings) is read as text
        if any(c.tag in ("table", "h1", "h2", "h3", "h4", "h5", "h6") for c in tbl.iterdescendants() if isinstance(c.tag, str) and c is not tbl):
            for r in rows:
                for c in r.iterchildren():
                    if isinstance(c.tag, str) and c.tag.lower() in ("td", "th"):
                        out.extend(self.cell(c))
            return out
        grid: list[list[tuple[str, list[str]]]] = []
        pending: dict[int, tuple[int, list[str]]] = {}  # column -> (rows still spanned, paragraphs)
        for r in rows:
            row: list[tuple[str, list[str]]] = []
            cells = [c for c in r.iterchildren() if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
            col = 0
            queue = list(cells)
            while queue or any(k >= col for k in pending):
                if col in pending:
                    left, paras = pending[col]
                    row.append(("", paras))
                    if left <= 1:
                        del pending[col]
                    else:
                        pending[col] = (left - 1, paras)
                    col += 1
                    continue
                if not queue:
                    col += 1
                    continue
                c = queue.pop(0)
                paras = self.cell(c)
                span = max(_int(c.get("colspan"), 1), 1)
                down = max(_int(c.get("rowspan"), 1), 1)
                row.append((" ".join(paras), paras))
                for k in range(span):
                    if k:
                        row.append(("", paras))
                    if down > 1:
                        pending[col + k] = (down - 1, paras)
                col += span
            grid.append(row)
        out.extend(_render_table(grid))
        return out


def html_text(data: bytes, name: str = "<html>") -> str:
    """Text of an .html page: one line per block element, tables as pipe rows."""
    try:
        import lxml.html
        from lxml import etree
    except ImportError as e:  # pragma: no cover
        raise InputError(f"{name}: reading .html needs lxml (pip install lxml)", path=name) from e
    text = _XML_DECL.sub("", _decode_html(data), count=1)
    if not text.strip():
        return ""
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise CorruptFileError(f"{name}: the HTML cannot be parsed ({_one_line(e)})", path=name) from e
    walker = _HtmlText()
    walker.walk(root)
    walker.flush()
    return "\n".join(walker.lines)
