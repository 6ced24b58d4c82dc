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


def build_table(blocks: list[Block], problems: list[Problem]) -> Table | None:
    if not blocks:
        return None
    if all(b.table == "cell" for b in blocks):
        raw_rows = regroup_cells(blocks, problems)
    else:
        raw_rows = [(list(b.cells or []), b.line, b.end) for b in blocks]
    # header rows: the first header-like row, plus a following row of years / sub-headers
    hdr_idx = next((i for i, (cells, _, _) in enumerate(raw_rows) if _is_header(cells)), None)
    if hdr_idx is None:
        problems.append(Problem(code="unreadable_table", severity="warning", message=f"table at line {raw_rows[0][1]} has no header row (TT / Chỉ tiêu / Tên nhiệm vụ); skipped", line=raw_rows[0][1]))
        return None
    h1 = raw_rows[hdr_idx][0]
    h2: list[str] | None = None
    body_start = hdr_idx + 1
    if body_start < len(raw_rows):
        nxt = raw_rows[body_start][0]
        if nxt and not nxt[0].strip() and any(_YEAR.search(c) for c in nxt):
            h2 = nxt
            body_start += 1
    width = max(len(h1), len(h2 or []))
    cols: list[Column] = []
    last_top = ""
    for j in range(width):
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
    table = Table(columns=cols, kind=kind)
    repeated = 0
    def sig(cs: list[str]) -> list[str]:
        out = [c.strip() for c in cs]
        while out and not out[-1]:
            out.pop()
        return out

    for cells, line, end in raw_rows[body_start:]:
        if _is_header(cells) and sig(cells) == sig(h1):
            repeated += 1
            continue
        if h2 is not None and cells and not cells[0].strip() and sig(cells) == sig(h2):
            continue
        cells = [c.strip() for c in cells] + [""] * (width - len(cells))
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
