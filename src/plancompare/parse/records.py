"""Stage 'records': the outline tree -> typed records (tasks, indicators, objectives, assignments)."""

from __future__ import annotations

import re

from ..models import Assignment, Indicator, Objective, ParsedDocument, PartKind, Problem, Section, Task
from ..normalize import clean_display, key
from . import metadata, tables
from .citations import with_contexts
from .quantities import read_deadline
from .structure import Node, Structure, refers_to_appendix

_AGENCY = re.compile(r"^((?:Các |Sở |Ban |Văn phòng |Công an |Phòng |Trung tâm |UBND |Ủy ban |Đảng ủy |Bộ |Thường trực |Mặt trận |Đài |Báo |Hội |Đoàn |Liên đoàn |Cục |Kho bạc |Ngân hàng |Tỉnh đoàn |Thanh tra |Quân sự |Bộ Chỉ huy |Viện |Trường )[^:;,.(]{2,120}?)(?=\s+(?:chủ trì|là cơ quan|có trách nhiệm|phối hợp|căn cứ|lãnh đạo|tham mưu|thực hiện|chỉ đạo|theo dõi|hướng dẫn|tổ chức)\b|\s*:|\s*\()")


class _Ctx:
    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.tasks: list[Task] = []
        self.objectives: list[Objective] = []
        self.assignments: list[Assignment] = []
        self.indicators: list[Indicator] = []
        self.body_targets: list[Indicator] = []
        self.problems: list[Problem] = []
        self.body_texts: list[tuple[str, int]] = []
        self.captions: list[str] = []
        self.id_uses: dict[str, int] = {}  # task id -> how many tasks asked for it (the 2nd gets '#2')
        self.by_key: dict[tuple[str, str], str] = {}  # (key, source) -> the first task's id


def _node_text(node: Node) -> str:
    """The item's text with its sub-bullets and following paragraphs, one per line."""
    parts = [node.title or ""]
    for p in node.paras:
        parts.append(p.text)
    for c in node.children:
        lab = "" if c.marker in ("dash", "plus") else (f"({c.label}) " if c.marker == "paren" else f"{c.label}) " if c.marker == "letter" else f"{c.label}. ")
        bullet = "- " if c.marker == "dash" else "+ " if c.marker == "plus" else ""
        parts.append(bullet + lab + _node_text(c))
    return "\n".join(clean_display(p) for p in parts if p and p.strip())


_GENERAL_OBJECTIVE = re.compile(r"^(?:\d+[.)]\s*)?(mục tiêu (chung|tổng quát|tổng thể|dài hạn)|tầm nhìn|định hướng)", re.I)


_NAMED_OBJECTIVE = re.compile(r"^(?:\d+[.)]\s*)?(các\s+)?(mục tiêu|chỉ tiêu)", re.I)


def objective_kind(part: PartKind, section_title: str | None) -> str:
    """What kind of statement an objective is (:attr:`Objective.kind`): its section's title first
    ('4. Các chỉ tiêu cụ thể đến năm 2030' under 'I. MỤC ĐÍCH, YÊU CẦU' lists targets), then its part."""
    title = (section_title or "").strip("*_ ")
    if _GENERAL_OBJECTIVE.match(title):
        return "general"
    if _NAMED_OBJECTIVE.match(title):
        return "specific"
    return {PartKind.purpose: "purpose", PartKind.principles: "principle"}.get(part, "specific")


_LABEL_REST = re.compile(r"^[^:]{3,200}:\s+(\S+(?:\s+\S+){2,}.*)$")


def _after_label(title: str | None) -> str | None:
    """The text after a heading's label when the two share a line ('1. Mục tiêu chung: Hỗ trợ ...')."""
    m = _LABEL_REST.match(title or "")
    return m.group(1) if m else None


def _span(node: Node) -> tuple[int, int]:
    lines: list[int] = []

    def walk(n: Node) -> None:
        if n.block:
            lines.extend([n.block.line, n.block.end])
        for p in n.paras:
            lines.extend([p.line, p.end])
        for c in n.children:
            walk(c)

    walk(node)
    return (min(lines), max(lines)) if lines else (0, 0)


def _seg(node: Node, counters: dict[int, int]) -> str | None:
    if node.marker in ("dash", "plus"):
        counters[id(node.parent)] = counters.get(id(node.parent), 0) + 1
        return f"{node.label}{counters[id(node.parent)]}"
    if node.label is None and node.marker in ("markdown", "bold"):
        return None  # unnumbered headings do not appear in paths
    if node.marker == "decimal" and node.label and node.parent is not None and node.parent.label and node.label.startswith(node.parent.label + "."):
        return node.label[len(node.parent.label) + 1 :]  # '3.5' under section 3 -> '3.5' path, not '3.3.5'
    return node.label or "?"


def _heading(child: Node, p: str, cpath: list[str], section: Section | None, ctx: _Ctx) -> Section:
    """A heading's section; the paragraphs under it are its task, its objectives or its assignments
    where the section holds no list of its own."""
    intro = "\n".join(clean_display(x.text) for x in child.paras) or None
    sec = Section(
        id=f"S:{p}",
        number=child.label,
        numbering="inferred" if child.inferred else child.marker,
        title=clean_display(child.title) if child.title else None,
        path=p,
        depth=len(cpath) - 1,
        parent_id=section.id if section else None,
        part=child.part or PartKind.other,
        inferred=child.inferred,
        line=child.line,
        intro=intro,
    )
    ctx.sections.append(sec)
    for x in child.paras:
        ctx.body_texts.append((x.text, x.line))
    if child.part == PartKind.tasks and not child.children and child.paras and (child.rank >= 20 or child.marker == "roman") and not (len(child.paras) == 1 and refers_to_appendix(child.paras[0].text)):
        # a task section with one paragraph and no list: that paragraph is its task
        text = "\n".join(clean_display(x.text) for x in child.paras)
        head_rest = _after_label(child.title)
        if head_rest:  # '2. Đẩy mạnh ... chính sách: Các bộ khẩn trương trình' / 'Chính phủ ban hành...'
            text = clean_display(head_rest) + " " + text
        _add_task(ctx, label=child.label, marker="paragraph", path=p + ".¶", sec=sec, text=text, span=(child.paras[0].line, child.paras[-1].end))
        sec.intro = None
    elif child.part in (PartKind.objectives, PartKind.purpose, PartKind.principles) and not any(not c.is_heading for c in child.children) and child.paras:
        for i, x in enumerate(child.paras, 1):
            ctx.objectives.append(Objective(id=f"O:{p}.¶{i}", label=None, path=f"{p}.¶{i}", section_title=sec.title, kind=objective_kind(child.part, sec.title), text=clean_display(x.text), key=key(x.text), line_start=x.line, line_end=x.end))
        sec.intro = None
    elif child.part in (PartKind.organisation, PartKind.funding) and not child.children and child.paras:
        for i, x in enumerate(child.paras, 1):
            _add_assignment(ctx, None, f"{p}.¶{i}", child.part, clean_display(x.text), (x.line, x.end), default_agency=None)
        sec.intro = None
    return sec


def _item(child: Node, p: str, section: Section | None, ctx: _Ctx) -> None:
    """An item (leaf, or with sub-bullets): a task, an objective or an assignment by its part."""
    text = _node_text(child)
    span = _span(child)
    part = child.part or PartKind.other
    ctx.body_texts.append((text, span[0]))
    if part == PartKind.tasks:
        _add_task(ctx, label=child.label, marker=child.marker, path=p, sec=section, text=text, span=span)
    elif part in (PartKind.objectives, PartKind.purpose, PartKind.principles):
        title = section.title if section else None
        ctx.objectives.append(Objective(id=f"O:{p}", label=child.label, path=p, section_title=title, kind=objective_kind(part, title), text=text, key=key(text), line_start=span[0], line_end=span[1]))
    elif part in (PartKind.organisation, PartKind.funding):
        _add_assignment(ctx, child.label, p, part, text, span, default_agency=section.title if section and section.part == PartKind.organisation else None)


def _walk(node: Node, path: list[str], section: Section | None, ctx: _Ctx, counters: dict[int, int]) -> None:
    for child in node.children:
        seg = _seg(child, counters)
        cpath = path + [seg] if seg is not None else list(path)
        p = ".".join(cpath) or (child.marker + str(child.line))
        if child.marker == "appendix":
            _appendix(child, ctx)
        elif child.marker == "table":
            _body_table(child, section, ".".join(path), ctx)
        elif child.is_heading:
            sec = _heading(child, p, cpath, section, ctx)
            _walk(child, cpath, sec, ctx, counters)
        elif child.is_field:
            ctx.body_texts.append((_node_text(child), _span(child)[0]))  # a field of the section's task block, not a record of its own
        else:
            _item(child, p, section, ctx)


def _add_task(ctx: _Ctx, *, label: str | None, marker: str, path: str, sec: Section | None, text: str, span: tuple[int, int], **extra: object) -> Task:
    tid = f"T:{path}"
    n = ctx.id_uses.get(tid, 0)
    ctx.id_uses[tid] = n + 1
    if n:
        tid = f"{tid}#{n + 1}"
    k = key(text)
    source = str(extra.get("source", "body"))
    dup = ctx.by_key.get((k, source))
    if dup is None:
        ctx.by_key[(k, source)] = tid
    if isinstance(extra.get("deadline"), str):
        extra["deadline"] = read_deadline(extra["deadline"])  # type: ignore[arg-type]
    task = Task(id=tid, label=label, marker=marker, path=path, section_id=sec.id if sec else None, section_title=sec.title if sec else None, section_path=sec.path if sec else None, text=text, key=k, line_start=span[0], line_end=span[1], duplicate_of=dup, **extra)  # type: ignore[arg-type]
    if dup:
        ctx.problems.append(Problem(code="duplicate_task", severity="warning", message=f"task {path} (line {span[0]}) repeats task {dup} word for word; both kept", line=span[0], record_id=tid))
    ctx.tasks.append(task)
    return task


def _add_assignment(ctx: _Ctx, label: str | None, path: str, part: PartKind, text: str, span: tuple[int, int], default_agency: str | None) -> None:
    m = _AGENCY.match(text)
    agency = m.group(1).strip() if m else default_agency
    ctx.assignments.append(Assignment(id=f"A:{path}", label=label, path=path, agency=agency, part=part, text=text, key=key(text), line_start=span[0], line_end=span[1]))


def _appendix_name(node: Node, index: int) -> str:
    m = re.match(r"^PH[ỤU] L[ỤU]C\s*([IVX]+|\d+)?", node.title or "", re.I)
    num = m.group(1) if m and m.group(1) else (str(index) if index > 1 else "")
    return ("Phụ lục " + num).strip()


def _appendix(node: Node, ctx: _Ctx) -> None:
    idx = sum(1 for s in ctx.sections if s.numbering == "appendix") + 1
    name = _appendix_name(node, idx)
    short = "PL" + (name.split()[-1] if name != "Phụ lục" else str(idx))
    title = " ".join(node.caption[:2]) if node.caption else None
    ctx.captions.extend(node.caption)
    ctx.captions.append(node.title or "")
    sec = Section(id=f"S:{short}", number=name.split()[-1] if name != "Phụ lục" else None, numbering="appendix", title=title or name, path=short, depth=0, part=PartKind.appendix, line=node.line)
    ctx.sections.append(sec)
    if tables.is_separator_table(node.rows):
        # one cell per line between bare '|' lines: the cells are the appendix's other blocks
        blocks: list = []

        def gather(n: Node) -> None:
            if n.block is not None and n is not node:
                blocks.append(n.block)
            blocks.extend(n.paras)
            blocks.extend(n.rows)
            for c in n.children:
                gather(c)

        gather(node)
        _separated_records(tables.read_separated(tables.separator_tokens(blocks)), ctx, sec, short, name)
        return
    _table_records(node.rows, ctx, sec, short, source="appendix", appendix=name)


ByRole = dict[str, list[tuple[str, str | None]]]  # a row's cells by their column's role: [(value, the column's period)]


def _first(by_role: ByRole, role: str) -> str | None:
    """The row's first non-blank cell in a column of ``role``."""
    return next((clean_display(v) for v, _ in by_role.get(role, []) if v.strip()), None)


def _separated_columns(t: tables.SeparatedTable) -> list[tables.Column]:
    """The columns of a table read cell by cell: roles from the headers; a target column named by its values
    ('ĐIỂM CHUẨN', 'Kế hoạch 2026'); the column naming the task of a task table."""
    cols = [tables.Column(role=tables._role(h), header=h, period=(tables._YEAR.findall(h) or [None])[-1]) for h in t.header]
    for c in cols:
        if c.role == "other" and re.search(r"(?i)điểm chuẩn|giá trị|sản lượng|kế hoạch\s*(?:năm\s*)?20\d\d", c.header):
            c.role = "target"  # 'ĐIỂM CHUẨN', 'Kế hoạch 2026': the values aimed at
    if t.kind == "tasks" and not any(c.role == "task" for c in cols):
        # 'Tên dự án, nhiệm vụ', 'Nội dung nhiệm vụ' (not 'Thuộc nhóm nhiệm vụ'): the column naming the task
        j = next((j for j, c in enumerate(cols) if re.match(r"(?i)(?:tên|nội dung|nhiệm vụ|hoạt động|công việc|dự án)", c.header.strip(" *"))), None)
        if j is not None:
            cols[j].role = "task"
    return cols


def _separated_by_role(row: tables.Row, cols: list[tables.Column]) -> ByRole:
    offset = 0
    cells = row.cells
    if row.label is None and len(cells) < len(cols) and cols and cols[0].role == "num":
        # a rowspan continuation row lacks the merged cells on its left: one (the number) or more
        offset = 1 if len(cols) - len(cells) == 1 else len(cols) - len(cells)
    by_role: ByRole = {}
    for j, v in enumerate(cells):
        c = cols[j + offset] if j + offset < len(cols) else None
        by_role.setdefault(c.role if c else "other", []).append((v, c.period if c else None))
    return by_role


def _separated_indicator(ctx: _Ctx, row: tables.Row, cols: list[tables.Column], by_role: ByRole, path: str, group: str | None) -> None:
    cells = row.cells
    # the indicator's name: its first cell of words ('- Diện tích' -> 'Diện tích'; not '-', 'Ha', '37.724')
    words = [re.sub(r"^[-–+]\s*", "", c) for c in cells if c and c != row.label and not tables._VALUE.match(c)]
    name_text = next((w for w in words if len(w) > 1), None)
    if not name_text:
        return
    # the values, matched from the right with the target columns (a short row lacks cells on its left)
    values = [c for c in cells if c and c != row.label and tables._VALUE.match(c) and re.search(r"\d", c)]
    tcols = [c for c in cols if c.role == "target"]
    k = min(len(values), len(tcols))
    targets = []
    for v, c in zip(values[len(values) - k :], tcols[len(tcols) - k :]) if k else []:
        targets.extend(tables.split_targets(clean_display(v), c.period))
    unit = next((w for w in words[words.index(name_text) + 1 :] if len(w) <= 12), None) if name_text in words else None
    named_unit = _first(by_role, "unit")
    ctx.indicators.append(Indicator(id=f"I:{path}", label=row.label, path=path, name=clean_display(name_text), key=key(name_text),
                                    unit=named_unit if named_unit and not tables._VALUE.match(named_unit or "") and named_unit != clean_display(name_text) else unit,
                                    targets=targets, group=group, source="appendix", line_start=row.line, line_end=row.end))


def _separated_records(tabs: list, ctx: _Ctx, sec: Section, short: str, appendix: str) -> None:
    """Tasks and indicators from the tables :func:`tables.read_separated` read; other tables are skipped."""
    for t in tabs:
        if t.kind == "unknown":
            ctx.problems.append(Problem(code="unreadable_table", severity="info", message=f"table '{' | '.join(t.header)[:80]}' in {appendix} lists neither tasks nor targets; skipped", line=t.rows[0].line if t.rows else sec.line))
            continue
        cols = _separated_columns(t)
        group_sec, group_label, group = sec, None, None
        for k, row in enumerate(t.rows, 1):
            cells = row.cells
            if row.kind == "group":
                text = next((c for c in cells if c and c != row.label), None)
                group, group_label = text, row.label or str(k)
                group_sec = Section(id=f"S:{short}.{group_label}", number=row.label, numbering="roman", title=text, path=f"{short}.{group_label}", depth=sec.depth + 1, parent_id=sec.id, part=sec.part, line=row.line)
                ctx.sections.append(group_sec)
                continue
            by_role = _separated_by_role(row, cols)
            path = f"{short}.{group_label + '.' if group_label else ''}{row.label or 'r' + str(k)}"
            if t.kind != "tasks":
                _separated_indicator(ctx, row, cols, by_role, path, group)
                continue
            texts = [c for c in cells if c and c != row.label]
            text = _first(by_role, "task") or (max(texts, key=len) if texts else None)
            if not text:
                continue
            partners = _first(by_role, "partners")
            _add_task(ctx, label=row.label, marker="row", path=path, sec=group_sec, text=clean_display(text), span=(row.line, row.end), lead=_first(by_role, "lead"),
                      partners=[p.strip() for p in re.split(r";\s*", partners) if p.strip()] if partners else [], output=_first(by_role, "result") or _first(by_role, "output"),
                      deadline=_first(by_role, "deadline"), source="appendix", appendix=appendix)


def _body_table(node: Node, section: Section | None, path: str, ctx: _Ctx) -> None:
    """A table inside a section of the body (a plan that lists its tasks as a table)."""
    _table_records(node.rows, ctx, section, path or "table", source="body", appendix=None)


_PARTNERS_SPLIT = re.compile(r";\s*|,\s*(?=(?:Sở|Ban|UBND|Bộ|Các|Đài|Báo|Trung tâm|Công an|Văn phòng)\b)")


def _table_indicator(ctx: _Ctx, row: tables.Row, by_role: ByRole, path: str, group: str | None, group_period: str | None, source: str) -> None:
    name_text = _first(by_role, "name")
    if not name_text:
        return
    name_text = re.sub(r"^[-–]\s*", "", name_text)
    targets = []
    for v, period in by_role.get("target", []):
        if v.strip():
            targets.extend(tables.split_targets(clean_display(v), period or group_period))
    unit = _first(by_role, "unit")
    if unit is None:
        units = {t.unit for t in targets if t.unit}
        unit = units.pop() if len(units) == 1 else None
    ctx.indicators.append(
        Indicator(
            id=f"I:{path}", label=row.label, path=path, name=name_text, key=key(name_text), unit=unit, targets=targets, group=group,
            lead=_first(by_role, "lead"), responsible=_first(by_role, "responsible"), monitoring=_first(by_role, "monitoring"), source=source, line_start=row.line, line_end=row.end,
        )
    )


def _table_records(rows: list, ctx: _Ctx, sec: Section | None, short: str, *, source: str, appendix: str | None) -> None:
    table = tables.build_table(rows, ctx.problems)
    if table is None:
        return
    group: str | None = None
    group_label: str | None = None
    group_period: str | None = None
    group_sec = sec
    for row in table.rows:
        cells = row.cells
        if row.kind == "group":
            group = clean_display(cells[1]) if len(cells) > 1 else None
            group_label = row.label
            ys = tables._YEAR.findall(group or "")
            group_period = ys[-1] if ys else None
            group_sec = Section(id=f"S:{short}.{group_label}", number=group_label, numbering="roman", title=group, path=f"{short}.{group_label}", depth=(sec.depth + 1) if sec else 1, parent_id=sec.id if sec else None, part=sec.part if sec else PartKind.appendix, line=row.line)
            ctx.sections.append(group_sec)
            continue
        by_role: ByRole = {}
        for c, v in zip(table.columns, cells):
            by_role.setdefault(c.role, []).append((v, c.period))
        path = f"{short}.{group_label + '.' if group_label else ''}{row.label}"
        if table.kind == "indicators":
            _table_indicator(ctx, row, by_role, path, group, group_period, source)
        elif table.kind == "tasks":
            text = _first(by_role, "task")
            if not text:
                ctx.problems.append(Problem(code="unreadable_row", severity="warning", message=f"task row {row.label} at line {row.line} has no task text", line=row.line))
                continue
            partners = _first(by_role, "partners")
            _add_task(
                ctx, label=row.label, marker="row", path=path, sec=group_sec, text=text, span=(row.line, row.end),
                lead=_first(by_role, "lead"), partners=[p.strip() for p in _PARTNERS_SPLIT.split(partners) if p.strip()] if partners else [],
                output=_first(by_role, "output"), deadline=_first(by_role, "deadline"), source=source, appendix=appendix,
            )


_IND_SENT = re.compile(r"(?P<name>[^;.]{8,200}?)\s+(?P<verb>đạt|ở mức|chiếm|tăng|giảm|thuộc nhóm|bố trí)\s+(?P<val>(?:tối thiểu|ít nhất|từ|trên|hơn|khoảng|không thấp hơn)?\s*\d[\d.,]*\s*(?:%|lần)?(?:\s*GRDP|\s*GDP)?(?:\s*trở lên)?)")


# a number that names a place in a ranking ('thuộc nhóm 3 nước dẫn đầu', 'top 10', 'đứng thứ 2', 'xếp hạng 5')
_RANK_BEFORE = re.compile(r"(?:\bnhóm|\btop|\bthứ|\bhạng)\s*(?:tối thiểu|ít nhất|từ|trên|hơn|khoảng|không thấp hơn)?\s*$", re.I)


def is_rank(text: str, m: re.Match[str]) -> bool:
    """True when a target sentence's value is a rank inside a phrase ('nhóm 3 nước dẫn đầu'),
    not a value to reach: the words just before the number say it is a place in a ranking."""
    val = m.group("val")
    digit = m.start("val") + next((i for i, ch in enumerate(val) if ch.isdigit()), 0)
    return bool(_RANK_BEFORE.search(text[max(0, digit - 40) : digit]))


def _body_indicators(ctx: _Ctx, root: Node) -> None:
    """Quantified objectives written as bullets ('2.1. Đến năm 2030' / '- ... đạt 2% GRDP') -> body targets
    (indicator records with source 'body', kept apart from the rows of indicator tables)."""
    if ctx.indicators:
        return

    def walk(n: Node, period: str | None) -> None:
        for c in n.children:
            per = period
            title = c.title or ""
            ys = tables._YEAR.findall(title) if c.is_heading and "20" in title else []  # (a year holds '20')
            if ys and c.is_heading:
                per = ys[-1]
            own = tables._YEAR.findall(title) if not c.is_heading and "20" in title else []
            if c.part == PartKind.objectives and not c.is_heading and c.marker in ("dash", "plus", "letter", "paren") and (per or own):
                per = per or own[0]  # 'Đến năm 2030, kinh tế số đạt 20% GRDP'
                # the item's own text: its sub-items are read in their own turn (else each target twice)
                text = "\n".join(clean_display(x) for x in [c.title or ""] + [p.text for p in c.paras] if x and x.strip())
                for j, m in enumerate((m for m in _IND_SENT.finditer(text) if not is_rank(text, m)), 1):
                    name = clean_display(re.sub(r"^[-–+]\s*", "", m.group("name"))).strip(" ,")
                    name = re.sub(r"^(?:đến|tới)(?: hết)? năm \d{4}\s*,?\s*", "", name, flags=re.I)
                    raw = m.group("val").strip()
                    rawn = re.sub(r"trở lên", "", raw).strip()
                    if re.search(r"trở lên", raw) and not re.match(r"(tối thiểu|ít nhất|từ|trên)", rawn):
                        rawn = "từ " + rawn
                    rawn = rawn.replace("hơn ", "trên ")
                    tgt = tables.parse_target(rawn, per)
                    tgt.raw = raw
                    label = f"{c.label or '-'}{j}"
                    ctx.body_targets.append(Indicator(id=f"I:body.{per}.{len(ctx.body_targets) + 1}", label=label, path=f"body.{per}.{len(ctx.body_targets) + 1}", name=name, key=key(name), unit=tgt.unit, targets=[tgt], group=c.parent.title if c.parent else None, source="body", line_start=_span(c)[0], line_end=_span(c)[1]))
            walk(c, per)

    walk(root, None)


def _no_tasks(sections: list[Section]) -> Problem:
    """Why a document has no tasks: the parts it has, and what they are."""
    parts = [s for s in sections if s.depth == 0 and s.numbering != "appendix"]
    found = "; ".join(f"{s.path} {s.part.value} '{(s.title or '')[:40]}'" for s in parts[:8]) or "no part headings"
    articles = sum(1 for s in sections if s.numbering == "article")
    why = (
        f"it is made of {articles} articles (Điều), like a regulation or a procedure, and no part is headed as tasks (NHIỆM VỤ, GIẢI PHÁP, NỘI DUNG...)"
        if articles >= 3
        else "none of its parts is headed as tasks (NHIỆM VỤ, GIẢI PHÁP, NỘI DUNG...) and none holds a numbered list"
    )
    return Problem(code="no_tasks", severity="error", message=f"no tasks found: {why}; parts found: {found}")


def records(st: Structure, *, name: str, sha256: str) -> ParsedDocument:
    ctx = _Ctx()
    ctx.problems = list(st.problems)
    _walk(st.root, [], None, ctx, {})
    _body_indicators(ctx, st.root)
    info = metadata.document_info(st.preamble, st.meta, st.signature, ctx.captions, st.blocks, name, sha256, st.layout, st.encoding, ctx.problems)
    lead_in = []
    for b in st.blocks:  # paragraphs before the first numbered heading or item, wherever the tree put them
        if b.kind in ("item",) or (b.kind == "heading" and b.marker in ("roman", "arabic", "decimal")):
            break
        if b.kind == "para":
            lead_in.append(b)
    refs = metadata.references(st.blocks, ctx.body_texts, st.closing)
    if info.number:
        refs = [r for r in refs if r.number != info.number]
    refs = with_contexts(refs, st.blocks)
    if not ctx.tasks and ctx.sections:
        ctx.problems.append(_no_tasks(ctx.sections))
    if not ctx.tasks and not ctx.indicators and not ctx.body_targets and not ctx.objectives:
        ctx.problems.append(Problem(code="no_structure", severity="error", message=f"no tasks, indicators or objectives found ({len(st.blocks)} blocks, {len(ctx.sections)} headings)"))
    return ParsedDocument(document=info, references=refs, sections=ctx.sections, tasks=ctx.tasks, indicators=ctx.indicators, body_targets=ctx.body_targets, objectives=ctx.objectives, assignments=ctx.assignments, problems=ctx.problems)
