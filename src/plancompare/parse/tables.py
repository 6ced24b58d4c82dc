"""Appendix tables: rows of cells -> a header, column roles, group rows and records.

Three syntaxes arrive here: tab-separated (with the header repeated on every
page), markdown pipes (with continuation rows whose first cell is empty) and
one cell per line (web scrapes of Word tables, each cell ending in ' |').
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import Problem, Target
from .stages import Block

_NUM = re.compile(r"^\**\s*(\d{1,3}(?:\.\d{1,3})*)\s*\.?\s*\**$")
_ROMAN = re.compile(r"^\**\s*([IVX]{1,5})\s*\.?\s*\**$")
_ROMAN_GLUED = re.compile(r"^([IVX]{1,5})\s+(\S.*)$")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_HEADER_CUES = re.compile(r"^(s?tt|chỉ tiêu|tên chỉ tiêu|tên nhiệm vụ|nhiệm vụ|nội dung)$", re.I)


@dataclass
class Column:
    role: str  # num, name, task, unit, target, lead, partners, output, deadline, responsible, monitoring, other
    header: str
    period: str | None = None


@dataclass
class Row:
    cells: list[str]
    line: int
    end: int
    kind: str = "data"  # data | group
    label: str | None = None


@dataclass
class Table:
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    kind: str = "unknown"  # indicators | tasks | unknown


def _role(header: str) -> str:
    h = header.lower().strip(" *")
    if h in ("tt", "stt", "số tt"):
        return "num"
    if "tên nhiệm vụ" in h or h in ("nhiệm vụ", "nội dung", "nội dung nhiệm vụ"):
        return "task"
    if "chỉ tiêu" in h:
        return "name"
    if "đơn vị tính" in h or h in ("đơn vị", "đvt"):
        return "unit"
    if "phối hợp" in h:
        return "partners"
    if "chủ trì" in h:
        return "lead"
    if "thời gian" in h or "thời hạn" in h or "hoàn thành" in h or "tiến độ" in h:
        return "deadline"
    if "sản phẩm" in h or h == "kết quả" or "kết quả đầu ra" in h:
        return "result"
    if "chịu trách nhiệm" in h or "thực hiện" in h:
        return "responsible"
    if "theo dõi" in h or "đánh giá" in h or "giám sát" in h:
        return "monitoring"
    if "mục tiêu" in h or _YEAR.search(h) or "giai đoạn" in h:
        return "target"
    return "other"


def _is_header(cells: list[str]) -> bool:
    first = [c.strip(" *").lower() for c in cells if c.strip()]
    return bool(first) and bool(_HEADER_CUES.match(first[0])) and len(first) >= 2


def regroup_cells(blocks: list[Block], problems: list[Problem]) -> list[tuple[list[str], int, int]]:
    """Turn a stream of one-cell-per-line rows into table rows.

    The header is the run of cells before the first row number; each later row
    starts with a number (or a roman group number) once the previous row has
    its full count of cells."""
    stream: list[tuple[str, int]] = []
    for b in blocks:
        for c in b.cells or [""]:
            stream.append((c, b.line))
    i = 0
    header: list[str] = []
    while i < len(stream) and not (_NUM.match(stream[i][0]) or _ROMAN.match(stream[i][0])):
        header.append(stream[i][0])
        i += 1
    header = [h for h in header if h] or header
    ncols = len(header)
    rows: list[tuple[list[str], int, int]] = [(header, stream[0][1] if stream else 0, stream[i - 1][1] if i else 0)] if header else []
    cur: list[str] = []
    start = 0
    while i < len(stream):
        text, line = stream[i]
        is_start = bool(_NUM.match(text) or _ROMAN.match(text))
        if cur and is_start and len(cur) >= ncols:
            rows.append((cur[:ncols], start, stream[i - 1][1]))
            if any(c for c in cur[ncols:]):
                problems.append(Problem(code="unreadable_row", severity="warning", message=f"row at line {start} has more cells than the header ({len(cur)} > {ncols}); extra cells ignored", line=start))
            cur = []
        if not cur:
            start = line
        cur.append(text)
        i += 1
    if cur:
        if len(cur) < ncols:
            cur += [""] * (ncols - len(cur))
        rows.append((cur[:ncols], start, stream[-1][1]))
    return rows


RawRow = tuple[list[str], int, int]  # (cells, line, end line)


def _header_rows(raw_rows: list[RawRow], hdr_idx: int) -> tuple[list[str], list[str] | None, int]:
    """(the header row's cells, a following row of years / sub-headers or None, where the body starts)."""
    h1 = raw_rows[hdr_idx][0]
    h2: list[str] | None = None
    body_start = hdr_idx + 1
    if body_start < len(raw_rows):
        nxt = raw_rows[body_start][0]
        if nxt and not nxt[0].strip() and any(_YEAR.search(c) for c in nxt):
            h2 = nxt
            body_start += 1
    return h1, h2, body_start


def _columns(h1: list[str], h2: list[str] | None) -> list[Column]:
    """One column per header cell: its header (top / sub), role, and the period of a target column."""
    cols: list[Column] = []
    last_top = ""
    for j in range(max(len(h1), len(h2 or []))):
        top = h1[j].strip() if j < len(h1) else ""
        sub = h2[j].strip() if h2 and j < len(h2) else ""
        if top:
            last_top = top
        elif sub:
            top = last_top
        header = (top + (" / " + sub if sub else "")).strip(" /")
        role = _role(sub) if sub and _role(sub) == "target" else _role(top)
        period = None
        ys = _YEAR.findall(sub or top)
        if role == "target" or (role == "other" and ys):
            role = "target"
            period = "-".join(ys) if ys else None
        cols.append(Column(role=role, header=header, period=period))
    return cols


def _table_kind(cols: list[Column]) -> str:
    """'tasks', 'indicators' or 'unknown'; a result column is an indicator table's target or a task table's output."""
    roles = {c.role for c in cols}
    kind = "tasks" if "task" in roles else ("indicators" if "name" in roles else "unknown")
    if kind == "indicators" and "target" not in roles and "result" in roles:
        for c in cols:
            if c.role == "result":
                c.role = "target"
    if kind == "tasks":
        for c in cols:
            if c.role == "result":
                c.role = "output"
    return kind


def _signature(cs: list[str]) -> list[str]:
    out = [c.strip() for c in cs]
    while out and not out[-1]:
        out.pop()
    return out


def _add_row(table: Table, cells: list[str], line: int, end: int, problems: list[Problem]) -> None:
    """A group row (I, II...), a numbered row, a continuation of the previous row, or an unreadable one."""
    first = cells[0]
    m = _ROMAN_GLUED.match(first)
    if m and not any(cells[1:]):
        cells = [m.group(1), m.group(2)] + cells[2:]
        first = cells[0]
    if _ROMAN.match(first):
        table.rows.append(Row(cells=cells, line=line, end=end, kind="group", label=_ROMAN.match(first).group(1)))
    elif _NUM.match(first):
        table.rows.append(Row(cells=cells, line=line, end=end, label=_NUM.match(first).group(1)))
    elif not first and table.rows and any(cells):
        prev = table.rows[-1]
        prev.cells = [(a + " " + b).strip() if b else a for a, b in zip(prev.cells, cells)]
        prev.end = end
    elif any(cells):
        problems.append(Problem(code="unreadable_row", severity="warning", message=f"table row at line {line} has no row number: '{' | '.join(c for c in cells if c)[:60]}'", line=line))


def build_table(blocks: list[Block], problems: list[Problem]) -> Table | None:
    if not blocks:
        return None
    if all(b.table == "cell" for b in blocks):
        raw_rows = regroup_cells(blocks, problems)
    else:
        raw_rows = [(list(b.cells or []), b.line, b.end) for b in blocks]
    hdr_idx = next((i for i, (cells, _, _) in enumerate(raw_rows) if _is_header(cells)), None)
    if hdr_idx is None:
        problems.append(Problem(code="unreadable_table", severity="warning", message=f"table at line {raw_rows[0][1]} has no header row (TT / Chỉ tiêu / Tên nhiệm vụ); skipped", line=raw_rows[0][1]))
        return None
    h1, h2, body_start = _header_rows(raw_rows, hdr_idx)
    cols = _columns(h1, h2)
    width = len(cols)
    table = Table(columns=cols, kind=_table_kind(cols))
    repeated = 0
    for cells, line, end in raw_rows[body_start:]:
        if _is_header(cells) and _signature(cells) == _signature(h1):  # the header repeated on every page
            repeated += 1
            continue
        if h2 is not None and cells and not cells[0].strip() and _signature(cells) == _signature(h2):
            continue
        _add_row(table, [c.strip() for c in cells] + [""] * (width - len(cells)), line, end, problems)
    if repeated:
        problems.append(Problem(code="repeated_header_removed", severity="info", message=f"the table header at line {raw_rows[hdr_idx][1]} repeats {repeated} time(s) (once per page); repeats ignored", line=raw_rows[hdr_idx][1]))
    return table


# ---------------------------------------------------------------- targets

_OPS = [
    (re.compile(r"^(≥|>=|=>)\s*"), "≥"),
    (re.compile(r"^(≤|<=|=<)\s*"), "≤"),
    (re.compile(r"^>\s*"), ">"),
    (re.compile(r"^<\s*"), "<"),
    (re.compile(r"^(tối thiểu|ít nhất|từ|không thấp hơn|không dưới|trên)\s+", re.I), None),
]
_WORD_OPS = {"tối thiểu": "≥", "ít nhất": "≥", "từ": "≥", "không thấp hơn": "≥", "không dưới": "≥", "trên": ">"}
_NUMBER = re.compile(r"^(\d+(?:[.,]\d+)*)")
_RANGE = re.compile(r"^(\d+(?:[.,]\d+)?)\s*[-–]\s*(\d+(?:[.,]\d+)?)\s*(.*)$")


def to_float(s: str) -> float | None:
    s = s.strip()
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", s):  # 1.000 thousands
        s = s.replace(".", "")
    s = s.replace(",", ".")
    try:
        return float(s)
    except ValueError:
        return None


def parse_target(raw: str, period: str | None = None) -> Target:
    """'≥ 1,0% GRDP' -> op ≥, value 1.0, unit '% GRDP'; '15 - 20' -> range; 'Có' -> qualitative."""
    text = raw.strip()
    year = None
    if period:
        ys = _YEAR.findall(period)
        year = int(ys[-1]) if ys else None
    op = None
    rest = text
    for rx, sym in _OPS:
        m = rx.match(rest)
        if m:
            op = sym or _WORD_OPS.get(m.group(1).lower())
            rest = rest[m.end():]
            break
    rest = rest.strip()
    m = _RANGE.match(rest)
    if m and op is None:
        lo, hi = to_float(m.group(1)), to_float(m.group(2))
        unit = m.group(3).strip() or None
        return Target(period=period, year=year, op="≥", value=lo, value_max=hi, unit=unit, raw=text)
    m = _NUMBER.match(rest)
    if m:
        value = to_float(m.group(1))
        unit = rest[m.end():].strip() or None
        if unit and unit.startswith("%"):
            unit = unit.replace("% ", "% ", 1)
        if unit and len(unit) > 30:
            unit = None
        if value is not None:
            return Target(period=period, year=year, op=op or "=", value=value, unit=unit, raw=text)
    return Target(period=period, year=year, op=None, value=None, unit=None, raw=text, qualitative=True)


def split_targets(raw: str, period: str | None) -> list[Target]:
    """A cell may hold several targets: '≤ 3 Đông Nam Á; ≤ 50 Thế giới'."""
    parts = [p for p in re.split(r";\s*", raw) if p.strip()]
    if len(parts) > 1 and all(re.match(r"^\s*(≥|≤|>|<|\d)", p) for p in parts):
        return [parse_target(p, period) for p in parts]
    return [parse_target(raw, period)]


# ---------------------------------------------------------------- tables with one separator line between cells
#
# Web pages converted to markdown write each cell on its own line(s) with a line holding only
# '|' between cells:  '|', 'TT', '|', 'Nhiệm vụ', '|', ... '|', '|', '1', '|', 'Phối hợp ...', '|'.
# A row opens and closes with '|', so two separators in a row end one row and open the next; the
# same '| |' is an empty cell when the row is still short of the header's width and a value
# follows ('**Tổng I + II**', '|', '|', '**240.000**'). A row label is a short number ('1', '5.1'),
# a roman numeral or a group letter ('A', 'B.').

_ROW_LABEL = re.compile(r"^\**\s*(?:\d{1,2}(?:\.\d{1,2}){0,2}|[IVXLC]{1,6}|[A-ZĐ])\s*[.)]?\s*\**$")
_VALUE = re.compile(r"^[\s*_]*(?:[≥≤<>~]\s*)?[-–]?\s*\d[\d.,]*\s*%?[\s*_]*$|^[\s*_]*[-–][\s*_]*$")


def _lookahead(tokens: list) -> tuple[list[int], list[str | None]]:
    """For each token: how many text tokens run from it before a separator, and the next text after it
    (one backward pass, so that reading a table stays linear in its length)."""
    run = [0] * (len(tokens) + 1)
    nxt: list[str | None] = [None] * (len(tokens) + 1)
    for i in range(len(tokens) - 1, -1, -1):
        text = tokens[i][0]
        run[i] = run[i + 1] + 1 if text is not None else 0
        nxt[i] = tokens[i + 1][0] if i + 1 < len(tokens) and tokens[i + 1][0] is not None else nxt[i + 1]
    return run, nxt


def _ended_before(text: str | None, line: int, prev_line: int | None, run: int) -> bool:
    """After a separator: a blank line, then lines of text (a caption, a title) end the table at that
    separator (one or two lines of text before the next '|' are a cell after a dropped line); so
    does a footnote '[1] ...'."""
    return prev_line is not None and line > prev_line + 1 and text is not None and (run >= 3 or bool(re.match(r"^\s*\\?\[\d{1,2}\\?\]", text)))


def _empty_cell(cur: list[str], ncols: int | None, line: int, before: int | None, nxt: str | None) -> bool:
    """Do two separators hold an empty cell? On adjacent lines they close a row; with a line between
    them (a cell an earlier stage dropped, or a blank line) they hold an empty cell, as they do in a
    row still short of the header's width when a value follows."""
    short = ncols is not None and len(cur) < ncols
    gap = before is not None and line > before + 1
    return not cur or gap or (short and nxt is not None and bool(_VALUE.match(nxt)) and not _ROW_LABEL.match(nxt))


def separated_rows(tokens: list) -> list[tuple[list[str], int, int]]:
    """Rows of cells from a stream of (text, line) tokens where text None is a '|' separator line.

    Consecutive text tokens are one cell (a cell hard-wrapped over several lines). Returns
    (cells, first line, last line) per row, in order."""
    rows: list[tuple[list[str], int, int]] = []
    cur: list[str] | None = None
    start = end = 0
    last_sep = False
    ncols: int | None = None

    run, following = _lookahead(tokens)

    prev_line = None
    for i, tok in enumerate(tokens):
        text, line = tok[0], tok[1]
        last_line = tok[2] if len(tok) > 2 else line  # type: ignore[misc]
        if cur is not None and last_sep and _ended_before(text, line, prev_line, run[i]):
            if cur:
                rows.append((cur, start, end))
            cur, ncols, last_sep = None, None, False
            rows.append(([], line, line))  # a break between tables
        before, prev_line = prev_line, last_line
        if text is None:
            if cur is None:
                cur, start, last_sep = [], line, True
                continue
            if last_sep:
                if _empty_cell(cur, ncols, line, before, following[i]):
                    cur.append("")
                else:
                    rows.append((cur, start, end))
                    if ncols is None:
                        ncols = len(cur)
                    cur, start = [], line
            last_sep = True
            continue
        if cur is None:
            continue  # text before the first separator is not in the table
        t = text.strip()
        if re.fullmatch(r"[.…\s]{3,}", t):
            # an elision ('….....'): rows were cut out of the copy; what follows starts a new row
            if cur:
                rows.append((cur, start, end))
            cur, start, last_sep = [], line, True
            continue
        if last_sep:
            cur.append(t)
        else:
            cur[-1] = (cur[-1] + " " + t).strip()
        end = line
        last_sep = False
    if cur:
        rows.append((cur, start, end))
    return rows


_EMPHASIS = re.compile(r"[*_]+")


def _bare(cell: str) -> str:
    return _EMPHASIS.sub("", cell).strip()


_TASK_HEAD = re.compile(r"nhiệm vụ|nội dung|tên (?:dự án|đề án|nhiệm vụ|chương trình)|dự án|hoạt động|công việc", re.I)
_LEAD_HEAD = re.compile(r"chủ trì|thực hiện|phối hợp|thời gian|thời hạn|hoàn thành|tiến độ|cơ quan", re.I)
_IND_HEAD = re.compile(r"chỉ tiêu|tiêu chí|đơn vị tính|\bđvt\b|điểm chuẩn|thang điểm|kế hoạch\s*(?:năm\s*)?20\d\d|năm\s*20\d\d|giai đoạn\s*20\d\d|mục tiêu|giá trị|sản lượng", re.I)
_HEADER_WORD = re.compile(r"^(?:s?tt|số tt|stt)$", re.I)


def _is_header_row(cells: list[str]) -> bool:
    """Column headings: short cells, bold (as these pages write them), 'TT'/'STT' first or two heading words."""
    filled = [c for c in cells if _bare(c)]
    bare = [_bare(c) for c in filled]
    if not bare or _ROW_LABEL.match(filled[0].strip()) or any(len(b) > 90 for b in bare):
        return False
    if _HEADER_WORD.match(bare[0]):
        return True
    bold = sum(1 for c in filled if _is_bold(c))
    return bold * 2 >= len(filled) and len(filled) >= 2 and sum(1 for c in bare if _TASK_HEAD.search(c) or _LEAD_HEAD.search(c) or _IND_HEAD.search(c)) >= 2


def _is_column_numbers(cells: list[str]) -> bool:
    """'(1)', '(2)', ... or '1', '2', '3' ... under the header: the columns' numbers."""
    bare = [re.sub(r"[()]", "", _bare(c)) for c in cells if _bare(c)]
    return len(bare) >= 3 and all(b.isdigit() for b in bare) and [int(b) for b in bare] == list(range(int(bare[0]), int(bare[0]) + len(bare)))


def _is_bold(cell: str) -> bool:
    t = cell.strip()
    return t.startswith("**") and t.rstrip(" *").__len__() > 0 and t.endswith("**")


def _kind_of_header(heads: str) -> str:
    """'tasks' (a task and a lead column), 'indicators' or 'unknown' (a cost table is neither tasks nor targets)."""
    if re.search(r"(?i)đơn giá|thành tiền|dự toán", heads):
        return "unknown"
    return "tasks" if _TASK_HEAD.search(heads) and _LEAD_HEAD.search(heads) else "indicators" if _IND_HEAD.search(heads) else "unknown"


@dataclass
class SeparatedTable:
    kind: str  # tasks | indicators | unknown
    header: list[str]
    rows: list[Row] = field(default_factory=list)  # data and group rows, in order


def _labelled_fields(filled: list[str]) -> bool:
    """'Địa chỉ:', '...', 'Điện thoại:', '...': a form of labelled fields (a site's footer), not a row."""
    return len(filled) >= 4 and sum(1 for c in filled if len(_bare(c)) < 25 and _bare(c).endswith(":")) * 2 >= len(filled)


def _is_group_row(filled: list[str], bare: list[str], label: str | None, header_cells: int) -> bool:
    """All bold without values, or one cell in a wider table (a sub-table heading), or a total row;
    not a numbered row in bold ('**5.1**') with its values."""
    group = (all(_is_bold(c) for c in filled) and not any(_VALUE.match(c) and not _ROW_LABEL.match(c) for c in filled[1:])) or (len(filled) == 1 and header_cells > 2 and not _VALUE.match(filled[0]))
    if group and label and re.fullmatch(r"\d{1,2}(?:\.\d{1,2}){0,2}\.?", label) and len(filled) > 2:
        group = False  # a numbered row in bold ('**5.1**') with its values
    name = next((b for b in bare if b and b != label), "")
    if re.fullmatch(r"(?i:tổng cộng|tổng số|tổng|cộng)(?:\s*[IVX\d]+(?:\s*\+\s*[IVX\d]+)*)?\s*:?", name):
        group = True  # a total row
    return group


def read_separated(tokens: list) -> list[SeparatedTable]:
    """The tables of one appendix (or body region) written one cell per line between '|' lines.

    Header rows (the first row with header words, a second header row, a column-number row, the
    header repeated after a page break) are dropped; a row whose cells are all bold, or that holds
    one cell (a sub-table heading inside the table flow), is a group row; every other row is a data
    row, numbered or not (a rowspan continuation row counts)."""
    tables: list[SeparatedTable] = []
    cur: SeparatedTable | None = None
    header_sig: list[str] | None = None
    for cells, line, end in separated_rows(tokens):
        if not cells:
            cur, header_sig = None, None  # the table ended (a blank line); a later one has its own header
            continue
        bare = [_bare(c) for c in cells]
        if not any(bare):
            continue
        if _is_header_row(cells) and not (cur and cur.rows and cur.rows[-1].kind == "data" and _ROW_LABEL.match(cells[0].strip() or "x")):
            sig = [b.lower() for b in bare if b]
            if cur is not None and header_sig == sig:
                continue  # the header repeated after a page break
            kind = _kind_of_header(" | ".join(bare))
            if cur is not None and not cur.rows:
                cur.header += bare  # a second header row
                if cur.kind == "unknown":
                    cur.kind = kind
                continue
            cur = SeparatedTable(kind=kind, header=bare)
            header_sig = sig
            tables.append(cur)
            continue
        if cur is None:
            continue
        if _is_column_numbers(cells):
            continue
        filled = [c for c in cells if _bare(c)]
        if _labelled_fields(filled):
            continue
        lead = next((c for c in cells if _bare(c)), "")
        label = _bare(lead).rstrip(".)") if _ROW_LABEL.match(lead.strip()) and cells.index(lead) <= 1 else None
        if label is None and cur.rows and all(_VALUE.match(c) for c in filled):
            prev = cur.rows[-1]  # a merged cell spread one value per row: the previous row goes on
            prev.cells = prev.cells + bare
            prev.end = end
            continue
        group = _is_group_row(filled, bare, label, len(cur.header))
        cur.rows.append(Row(cells=bare, line=line, end=end, kind="group" if group else "data", label=label))
    for t in tables:
        _parents_are_groups(t.rows)
    return tables


def _parents_are_groups(rows: list[Row]) -> None:
    """A numbered row whose sub-rows follow ('5' then '5.1', '5.2') and a roman or letter row followed
    by numbered rows head a group: only the leaves are data rows."""
    n = len(rows)
    kinds = [r.kind for r in rows]  # as read: later rows are judged on these, not on the changes below
    data_before = [0] * (n + 1)
    for i, k in enumerate(kinds):
        data_before[i + 1] = data_before[i] + (k == "data")
    next_labelled, next_group = [n] * (n + 1), [n] * (n + 1)
    for i in range(n - 1, -1, -1):
        next_labelled[i] = i + 1 if i + 1 < n and rows[i + 1].label else next_labelled[i + 1]
        next_group[i] = i + 1 if i + 1 < n and kinds[i + 1] == "group" and rows[i + 1].label else next_group[i + 1]
    numeric = re.compile(r"\d+(?:\.\d+)*")
    for i, r in enumerate(rows):
        if kinds[i] == "group" and r.label and not numeric.fullmatch(r.label):
            if data_before[next_group[i]] - data_before[i + 1] == 0:
                r.kind = "data"  # a group heading with nothing under it is itself a row ('II NHÓM ... 40 điểm')
        if r.kind != "data" or not r.label or next_labelled[i] >= n:
            continue
        nxt = rows[next_labelled[i]]
        if numeric.fullmatch(r.label) and nxt.label.startswith(r.label + "."):
            r.kind = "group"
        elif not numeric.fullmatch(r.label) and numeric.fullmatch(nxt.label) and next_labelled[i] == i + 1:
            r.kind = "group"


def separator_tokens(blocks: list[Block]) -> list[tuple[str | None, int, int]]:
    """Tokens for :func:`read_separated` from segmented blocks in line order: a row block of bare
    '|' is one separator per '|'; any other block is cell text (bold kept as '**...**')."""
    out: list[tuple[str | None, int, int]] = []
    for b in sorted(blocks, key=lambda x: (x.line, x.end)):
        if b.kind == "row" and not any(c.strip() for c in (b.cells or [])):
            out.extend((None, b.line, b.end) for _ in range(max(1, b.text.count("|"))))
            continue
        text = b.text.strip()
        if b.kind == "row":
            text = " ".join(c for c in (b.cells or []) if c.strip())
        if b.label and b.kind in ("item", "heading") and b.marker not in ("dash", "plus", "markdown", "bold"):
            text = f"{b.label}{')' if b.marker in ('letter',) else '.'} {text}".strip()
        if b.bold:
            text = f"**{text}**"
        if text:
            out.append((text, b.line, b.end))
    return out


def is_separator_table(rows: list[Block]) -> bool:
    """True when a table's row blocks are all bare '|' lines (the cells are the lines between them)."""
    return bool(rows) and all(not any(c.strip() for c in (b.cells or [])) for b in rows)
