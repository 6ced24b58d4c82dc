"""Stage 'structure': blocks -> an outline tree, lost headings inferred, parts classified.

Nesting follows the usual order of Vietnamese administrative numbering:
part (I., I-) > article (Điều) > 1. > 1.1. > 1.1.1. > a) > (1) > - > +,
with markdown heading levels above all of them. A restart of a), b), c)...
under one heading, or a 3.1. under section 2, reveals a heading the text has
lost; the inferred heading gets the number that the surrounding numbering
leaves for it. Restarts of 1., 2., ... without part headings reveal lost
parts, whose kind is inferred from their content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..models import PartKind, Problem
from .patterns import RANK_TEXT, RANKS, TERMINAL, starts_with_action
from .stages import Block, Segmented

ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_to_int(s: str) -> int:
    total, prev = 0, 0
    for ch in reversed(s.upper()):
        v = ROMAN_VALUES.get(ch, 0)
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total


def int_to_roman(n: int) -> str:
    vals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, s in vals:
        while n >= v:
            out, n = out + s, n - v
    return out


@dataclass
class Node:
    block: Block | None
    rank: int
    marker: str
    label: str | None = None
    title: str | None = None
    children: list["Node"] = field(default_factory=list)
    paras: list[Block] = field(default_factory=list)  # unnumbered paragraphs directly under this node
    rows: list[Block] = field(default_factory=list)  # table rows (appendix tables)
    inferred: bool = False
    part: PartKind | None = None
    parent: "Node | None" = field(default=None, repr=False)
    number: str | None = None  # number used in paths (may be inferred)
    caption: list[str] = field(default_factory=list)
    is_heading: bool = False
    is_field: bool = False  # a field label of the item above ('- Cơ quan chủ trì: ...'), not a record

    @property
    def line(self) -> int | None:
        if self.block:
            return self.block.line
        first = self.children[0] if self.children else None
        return first.line if first else None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"marker": self.marker, "label": self.label, "number": self.number}
        if self.title is not None:
            d["title"] = self.title[:120]
        if self.inferred:
            d["inferred"] = True
        if self.part:
            d["part"] = self.part.value
        if self.is_heading:
            d["heading"] = True
        if self.block:
            d["line"] = self.block.line
        if self.paras:
            d["paras"] = [p.text[:80] for p in self.paras]
        if self.rows:
            d["rows"] = len(self.rows)
        if self.caption:
            d["caption"] = self.caption
        if self.children:
            d["children"] = [c.to_dict() for c in self.children]
        return d


@dataclass
class Structure:
    layout: str
    encoding: str
    root: Node
    preamble: list[Block]
    meta: list[Block]
    signature: list[Block]
    closing: list[Block]
    blocks: list[Block]
    problems: list[Problem]

    def to_dict(self) -> dict[str, Any]:
        def lines(blocks: list[Block]) -> list[dict[str, Any]]:
            return [{"line": b.line, "text": b.text[:80]} for b in blocks]

        # every block is somewhere: in the tree, or in one of the zones around it
        return {
            "layout": self.layout,
            "encoding": self.encoding,
            "tree": self.root.to_dict(),
            "preamble": lines(self.preamble),
            "meta": lines(self.meta),
            "signature": lines(self.signature),
            "closing": lines(self.closing),
            "problems": [p.model_dump() for p in self.problems],
        }


def rank_of(b: Block) -> int:
    """A block's place in the numbering grammar (:data:`~.patterns.RANKS`): lower ranks hold higher ones."""
    m = b.marker or ""
    if m == "markdown":
        return 3 * (b.depth or 1)
    if m == "decimal":
        return RANKS["decimal"] + 10 * ((b.depth or 2) - 1)  # 1.1 > 1.1.1 > 1.1.1.1
    return RANKS.get(m, RANK_TEXT)


_PART_RULES: list[tuple[PartKind, re.Pattern[str]]] = [
    (PartKind.appendix, re.compile(r"^PH[ỤU] L[ỤU]C", re.I)),
    (PartKind.organisation, re.compile(r"TỔ CHỨC THỰC HIỆN|PHÂN CÔNG|TRÁCH NHIỆM THỰC HIỆN|TỔ CHỨC TRIỂN KHAI|CHẾ ĐỘ BÁO CÁO", re.I)),
    # 'NỘI DUNG' alone or of what is to be done (trọng tâm, thực hiện, hoạt động...); not 'NỘI DUNG CHỦ YẾU',
    # the summary of a programme or planning that a decision approves
    (PartKind.tasks, re.compile(r"NHIỆM VỤ|GIẢI PHÁP|NỘI DUNG(?!\s+(?:CHỦ YẾU|CHÍNH|CƠ BẢN)\b)|CHƯƠNG TRÌNH, DỰ ÁN|HOẠT ĐỘNG", re.I)),
    (PartKind.funding, re.compile(r"KINH PHÍ|NGUỒN LỰC THỰC HIỆN|NGUỒN VỐN", re.I)),
    (PartKind.objectives, re.compile(r"MỤC TIÊU", re.I)),
    (PartKind.purpose, re.compile(r"MỤC ĐÍCH|YÊU CẦU", re.I)),
    (PartKind.principles, re.compile(r"QUAN ĐIỂM", re.I)),
]


_NAMED_PART: list[tuple[PartKind, re.Pattern[str]]] = [
    (PartKind.objectives, re.compile(r"^(mục tiêu|các mục tiêu|chỉ tiêu|các chỉ tiêu)\b", re.I)),
    (PartKind.funding, re.compile(r"^(kinh phí|nguồn kinh phí|nguồn lực thực hiện|kinh phí thực hiện)\b", re.I)),
    (PartKind.organisation, re.compile(r"^(phân công|tổ chức thực hiện|trách nhiệm thực hiện|trách nhiệm của các)\b", re.I)),
    (PartKind.tasks, re.compile(r"^(nhiệm vụ|các nhiệm vụ|giải pháp|nội dung)\b", re.I)),
    # how an emulation plan scores and rewards: criteria, not tasks
    (PartKind.other, re.compile(r"^(tiêu chí|cách thức (xếp|chấm|đánh giá|bình xét)|thang điểm|hình thức khen thưởng|khen thưởng)", re.I)),
    # whom and when a plan covers: 'Đối tượng thi đua', 'Thời gian thực hiện', 'Phạm vi'
    (PartKind.other, re.compile(r"^(đối tượng|thời gian|phạm vi|thành phần)\b", re.I)),
    # what an emulation drive is called: 'Chủ đề thi đua' over its slogan
    (PartKind.other, re.compile(r"^(chủ đề|khẩu hiệu)\b", re.I)),
]

#: a numbered line that only says whom, when or under what name a plan runs ('3. Thời gian tổ chức phong
#: trào thi đua: từ tháng 10 ...'), its label and its content on one line: no task
_SCOPE_FIELD = re.compile(r"^(đối tượng|thời gian|phạm vi|thành phần|chủ đề|khẩu hiệu)\b[^:;.]{0,60}:", re.I)


_PART_MARKERS = ("roman", "inferred", "chapter", "markdown", "bold")


def _named_part(title: str | None) -> PartKind | None:
    """The part a section's title names outright, by its first words ('Kinh phí thực hiện')."""
    for kind, rx in _NAMED_PART:
        if rx.match((title or "").strip()):
            return kind
    return None


def part_from_title(title: str | None) -> PartKind | None:
    if not title:
        return None
    for kind, rx in _PART_RULES:
        if rx.search(title):
            return kind
    return None


_FUNDING_CUE = re.compile(r"\b(kinh phí|ngân sách|nguồn vốn|dự toán)\b", re.I)
_AGENCY_START = re.compile(r"^(Các (sở|bộ|cơ quan|phòng|địa phương|đơn vị|cấp ủy|tổ chức)|Sở |Bộ |UBND|Ủy ban|Uỷ ban|Ban |Phòng |Công an|Văn phòng|Trung tâm|Đảng ủy|Đảng uỷ|Mặt trận|Thường trực|Đài |Báo |Hội |Đoàn |Thủ trưởng|Chủ tịch|Giám đốc)")
_OBJ_CUE = re.compile(r"^(mục tiêu|phấn đấu|đến năm \d{4}|đến hết năm \d{4}|\d+\s*%)", re.I)


def part_from_content(node: Node) -> PartKind:
    """Kind of a part whose heading was lost, from its first items: who they address, what they say."""
    texts: list[str] = []
    for c in node.children[:4]:
        if c.title:
            texts.append(c.title)
        texts += [g.title for g in c.children[:3] if g.title]
    if not texts:
        return PartKind.tasks
    half = len(texts) / 2
    if sum(1 for t in texts if _FUNDING_CUE.search(t)) > half:
        return PartKind.funding
    if sum(1 for t in texts if _AGENCY_START.match(t)) > half:
        return PartKind.organisation
    if sum(1 for t in texts if _OBJ_CUE.search(t)) > half:
        return PartKind.objectives
    return PartKind.tasks


class _Builder:
    def __init__(self, seg: Segmented) -> None:
        self.seg = seg
        self.problems: list[Problem] = list(seg.problems)
        self.root = Node(block=None, rank=-1, marker="root")
        self.stack: list[Node] = [self.root]
        self.preamble: list[Block] = []
        self.meta: list[Block] = []
        self.signature: list[Block] = []
        self.closing: list[Block] = []
        self.appendix: Node | None = None

    def attach(self, node: Node) -> None:
        while self.stack[-1].rank >= node.rank:
            self.stack.pop()
        parent = self.stack[-1]
        # a restart of a), b), c)... (or of 1.1, 1.2 under the wrong number) reveals a lost heading
        if node.marker == "letter" and node.label == "a" and any(c.marker == "letter" for c in parent.children):
            parent = self._infer_sibling(parent, node)
        elif node.marker == "decimal" and node.label:
            prefix = node.label.rsplit(".", 1)[0]
            pnum = parent.label if parent.marker in ("arabic", "decimal") else None
            if pnum is not None and prefix != pnum and node.label.endswith(".1"):
                parent = self._infer_sibling(parent, node, number=prefix.rsplit(".", 1)[-1])
        node.parent = parent
        parent.children.append(node)
        self.stack.append(node)

    def _infer_sibling(self, parent: Node, first: Node, number: str | None = None) -> Node:
        """Open an inferred heading beside `parent` to hold a restarted list."""
        if parent is self.root or parent.rank >= first.rank:
            grand, rank = parent, 20
        else:
            grand, rank = parent.parent or self.root, parent.rank
            while self.stack and self.stack[-1] is not grand:
                self.stack.pop()
        inferred = Node(block=None, rank=rank, marker="inferred", label=number, inferred=True, parent=grand)
        grand.children.append(inferred)
        self.stack.append(inferred)
        self.problems.append(Problem(code="heading_inferred", severity="warning", message=f"a heading is missing before line {first.block.line if first.block else '?'}: the list restarts at '{first.label})'; a section was inferred", line=first.block.line if first.block else None))
        return inferred

    def build(self) -> Node:
        for b in self.seg.blocks:
            if b.kind == "meta":
                self.meta.append(b)
                continue
            if b.kind == "signature":
                self.signature.append(b)
                continue
            if b.kind == "caption":
                node = Node(block=b, rank=1, marker="appendix", label=None, title=b.text, part=PartKind.appendix, is_heading=True)
                self.stack = [self.root]
                self.attach(node)
                self.appendix = node
                continue
            if b.kind == "row":
                if self.appendix is not None:
                    self.appendix.rows.append(b)
                    continue
                top = self.stack[-1]
                if top.marker != "table":  # a table in the body: kept in the section it stands in
                    top = Node(block=None, rank=95, marker="table", parent=self.stack[-1])
                    self.stack[-1].children.append(top)
                    self.stack.append(top)
                top.rows.append(b)
                continue
            if self.stack[-1].marker == "table":
                self.stack.pop()  # the table ends at the first line that is not a row
            if self.appendix is not None and b.kind == "para" and not self.appendix.rows and not self.appendix.children:
                self.appendix.caption.append(b.text)
                continue
            if b.kind == "para":
                if b.marker == "closing":
                    self.closing.append(b)
                    continue
                top = self.stack[-1]
                if top is self.root:
                    self.preamble.append(b)
                else:
                    top.paras.append(b)
                continue
            top = self.stack[-1]
            if top.marker in ("chapter", "roman", "article") and not top.title and not top.children and not top.paras and b.kind == "heading" and b.marker == "bold":
                top.title = b.text  # 'Chương I' / 'QUY ĐỊNH CHUNG': the title on the next line
                continue
            node = Node(block=b, rank=rank_of(b), marker=b.marker or "heading", label=b.label, title=b.text)
            self.attach(node)
        return self.root



def _sibling_numbers(siblings: list[Node], problems: list[Problem]) -> None:
    """Give inferred siblings the numbers the known ones leave for them."""
    nums: list[int | None] = []
    for s in siblings:
        if s.inferred:
            nums.append(None)
        elif s.marker == "arabic" and s.label and s.label.isdigit():
            nums.append(int(s.label))
        elif s.marker == "roman" and s.label:
            nums.append(roman_to_int(s.label))
        else:
            nums.append(None)
    i = 0
    n = len(siblings)
    while i < n:
        if nums[i] is not None or not siblings[i].inferred:
            i += 1
            continue
        j = i
        while j < n and nums[j] is None and siblings[j].inferred:
            j += 1
        k = j - i
        prev_idx = next((x for x in range(i - 1, -1, -1) if nums[x] is not None), None)
        prev = nums[prev_idx] if prev_idx is not None else None
        nxt = nums[j] if j < n else None
        if nxt is not None and prev is not None and nxt <= prev:
            nxt = None  # the next number restarts a new part: this stretch continues the current one...
            if _objective_heading(siblings[prev_idx]):
                prev = 0  # ...unless it follows the objectives: lists after them start the lost task part
        if nxt is not None and (prev is None or nxt - prev - 1 < k):
            start = max(1, nxt - k)
        elif prev is not None:
            start = prev + 1
        else:
            start = 1
        for x in range(i, j):
            nums[x] = start + (x - i)
        i = j
    for s, v in zip(siblings, nums):
        if s.inferred and v is not None and s.label is None:
            s.label = str(v) if s.rank >= 20 else int_to_roman(v)


_OBJ_TITLE = re.compile(r"^(mục tiêu|mục đích|quan điểm|yêu cầu)", re.I)
_ELSEWHERE = re.compile(r"chi tiết tại phụ lục|phụ lục .{0,40}(kèm theo|đính kèm)|theo phụ lục|tại phụ lục", re.I)


def refers_to_appendix(text: str) -> bool:
    """A short paragraph that only points to an appendix ('Danh mục ... tại Phụ lục II kèm theo')."""
    return len(text) < 400 and bool(_ELSEWHERE.search(text))


def _objective_heading(node: Node) -> bool:
    return node.marker == "arabic" and not node.inferred and bool(_OBJ_TITLE.match(node.title or ""))


_TARGET_ITEM = re.compile(r"^(phấn đấu|đến năm|đến hết năm|tỷ lệ|tỉ lệ|có ít nhất|\d+([.,]\d+)?\s*%)|\d+([.,]\d+)?\s*%", re.I)
_TARGET_LEAD = re.compile(r"phấn đấu|đến năm|đến hết năm|tỷ lệ|tỉ lệ|có ít nhất", re.I)  # _TARGET_ITEM without a '%'


def _target_item(title: str) -> bool:
    """_TARGET_ITEM found in the title: without a '%' only its opening words can match (a cheap test first)."""
    return bool(_TARGET_ITEM.search(title) if "%" in title else _TARGET_LEAD.match(title))


def _leaves(items: list[Node]) -> list[Node]:
    out: list[Node] = []
    for c in items:
        out += _leaves(c.children) if c.children else [c]
    return out


def _all_targets(items: list[Node]) -> bool:
    """Three or more items nearly all quantified targets ('100% số người...', 'Ít nhất 85%...')."""
    items = [c for c in _leaves(items) if c.title]
    return len(items) >= 3 and sum(1 for c in items if _target_item(c.title or "")) >= 0.8 * len(items)


def _looks_like_objectives(items: list[Node]) -> bool:
    return sum(1 for c in items if _target_item(c.title or "")) >= 0.5 * len(items)


def _split_elsewhere(parent: Node, problems: list[Problem]) -> None:
    """Lists that restart after '2. Mục tiêu cụ thể' show a lost task part: the a), b)... under
    the objectives heading belong to it too when they read as tasks rather than targets (or when the
    heading says its content is in an appendix: 'Chi tiết tại Phụ lục I kèm theo')."""
    kids = parent.children
    for idx, node in enumerate(list(kids)):
        if not _objective_heading(node):
            continue
        letters = [c for c in node.children if c.marker == "letter"]
        if not letters or (not _ELSEWHERE.search(node.title or "") and _looks_like_objectives(letters)):
            continue
        nxt = kids[idx + 1] if idx + 1 < len(kids) else None
        items = [c for c in node.children if c.marker == "letter"]
        if nxt is None or not nxt.inferred or not items:
            continue
        new = Node(block=None, rank=node.rank, marker="inferred", label=None, inferred=True, parent=parent)
        for c in items:
            node.children.remove(c)
            c.parent = new
        new.children = items
        kids.insert(idx + 1, new)
        problems.append(Problem(code="heading_inferred", severity="warning", message=f"'{node.label}. {(node.title or '')[:50]}' refers to an appendix: the items after it were moved to an inferred section", line=items[0].line))


def _split_restart(parent: Node, problems: list[Problem]) -> None:
    """An inferred list numbered 1 right after a known heading numbered > 1 means the
    known heading's own items belong to a lost section 1 of a lost part: split them off."""
    kids = parent.children
    for idx, node in enumerate(list(kids)):
        if node.inferred or node.marker != "arabic" or not node.label or not node.label.isdigit():
            continue
        nxt = kids[idx + 1] if idx + 1 < len(kids) else None
        if nxt is None or not nxt.inferred or nxt.label is None or not nxt.label.isdigit():
            continue
        if int(nxt.label) <= int(node.label) and int(nxt.label) >= 2:
            items = [c for c in node.children if c.marker == "letter"]
            if not items:
                continue
            new = Node(block=None, rank=node.rank, marker="inferred", label=str(int(nxt.label) - 1), inferred=True, parent=parent)
            for c in items:
                node.children.remove(c)
                c.parent = new
            new.children = items
            kids.insert(idx + 1, new)
            problems.append(Problem(code="heading_inferred", severity="warning", message=f"the items after heading '{node.label}. {(node.title or '')[:40]}' start a new numbering: they were moved to an inferred section {new.label}", line=items[0].line))


def _infer_parts(root: Node, problems: list[Problem]) -> None:
    """Where top-level arabic numbering restarts without part headings, infer the parts."""
    kids = root.children
    if any(k.marker == "roman" for k in kids):
        return
    arabic = [k for k in kids if k.marker in ("arabic", "inferred") and k.rank == 20]
    if len(arabic) < 2:
        return
    runs: list[list[Node]] = []
    last = None
    for k in kids:
        if k.marker in ("arabic", "inferred") and k.rank == 20 and k.label and k.label.isdigit():
            v = int(k.label)
            if last is None or v <= last:
                runs.append([])
            runs[-1].append(k)
            last = v
        elif runs:
            runs[-1].append(k)
    if len(runs) < 2:
        return
    first_idx = kids.index(runs[0][0])
    before = kids[:first_idx]
    after_runs = [k for k in kids[first_idx:] if not any(k in r for r in runs)]
    parts: list[Node] = []
    for num, run in enumerate(runs, start=1):
        part = Node(block=None, rank=10, marker="inferred", label=int_to_roman(num), inferred=True, parent=root)
        part.children = run
        for c in run:
            c.parent = part
        part.part = part_from_titles_or_content(run, part)
        parts.append(part)
        problems.append(Problem(code="part_inferred", severity="warning", message=f"part {part.label} ({part.part.value}) has no heading in the text; inferred from the restart of numbering at line {run[0].line}", line=run[0].line))
    root.children = before + parts + after_runs


def part_from_titles_or_content(run: list[Node], part: Node) -> PartKind:
    for c in run:
        k = part_from_title(c.title)
        if k in (PartKind.objectives, PartKind.purpose, PartKind.principles) and run.index(c) == 0:
            return k
    return part_from_content(part)


def _classify_parts(node: Node, inherited: PartKind) -> None:
    for c in node.children:
        kind = inherited
        if c.part is not None:
            kind = c.part
        elif c.marker in ("roman", "markdown", "bold", "inferred", "appendix", "chapter") or (c.rank <= 20 and node.marker == "root"):
            t = part_from_title(c.title)
            if t is not None and (c.marker != "arabic" or inherited in (PartKind.other, PartKind.preamble)):
                kind = t
            elif c.marker == "inferred" and c.rank == 10:
                kind = part_from_content(c)
        elif c.marker in ("arabic", "decimal") and inherited in (PartKind.objectives, PartKind.purpose, PartKind.principles, PartKind.other, PartKind.preamble):
            t = part_from_title(c.title)
            if t in (PartKind.objectives, PartKind.purpose, PartKind.principles):
                kind = t
        elif c.marker == "arabic" and node.marker in _PART_MARKERS and inherited in (PartKind.tasks, PartKind.organisation):
            # a section named as another part inside a part ('6. Kinh phí thực hiện' in 'II. NỘI DUNG';
            # '2. Phân công trách nhiệm' in 'III. NHIỆM VỤ, GIẢI PHÁP, PHÂN CÔNG TRÁCH NHIỆM')
            t = _named_part(c.title)
            if inherited == PartKind.tasks and _all_targets(c.children):
                kind = PartKind.objectives  # '1. Nội dung thi đua' listing (1) 100% ..., (2) Ít nhất 85% ...
            elif t is not None and (c.children or c.paras) and (inherited == PartKind.tasks or t == PartKind.tasks):
                kind = t
            elif inherited == PartKind.tasks and not c.children and _SCOPE_FIELD.match((c.title or "").lstrip("*_ ")):
                kind = PartKind.other
        c.part = kind
        _classify_parts(c, kind)


_SUB_BULLETS = {"dash", "plus", "paren"}

#: the labelled fields of a task block: who leads, who helps, when, what it produces, what it costs; a role may
#: carry a few words before its colon ('Đơn vị chủ trì tham mưu thực hiện:', 'Cơ quan phối hợp thực hiện:')
FIELD_LABEL = re.compile(
    r"^(?:(?:Cơ quan|Đơn vị|Sở|Bộ|Ngành|Cơ quan, đơn vị)\s+(?:chủ trì|phối hợp|thực hiện|triển khai|tham mưu|đầu mối|chịu trách nhiệm)(?:\s+[^\W\d_]+){0,4}|Chủ trì|Phối hợp"
    r"|(?:Thời gian|Thời hạn|Tiến độ)(?:\s+[^\W\d_]+){0,3}|(?:Kết quả|Sản phẩm)(?:\s*/\s*sản phẩm|\s+đầu ra|\s+dự kiến)?"
    r"|(?:Nguồn\s+)?[Kk]inh phí(?:\s+thực hiện)?|Dự toán kinh phí|Hình thức(?:\s+văn bản)?|Phương thức(?:\s+thực hiện)?|Số lượng|Quy mô|Địa điểm(?:\s+thực hiện)?|Tần suất|Thành phần(?:\s+tham gia|\s+tham dự)?|Đối tượng(?:\s+tham gia|\s+áp dụng|\s+thụ hưởng)?|Nhiệm vụ cụ thể|Nhiệm vụ|Nội dung(?:\s+thực hiện)?|Cấp trình|Cấp ban hành)\s*(?::|$)",
)


_LABEL_MAX = 60  # 'a) Hợp tác quốc tế:' is a label over its dashes; a longer line ending in ':' is a sentence


def _is_field(node: Node) -> bool:
    """A dash or lettered line that only fills in a field of the item above ('- Cơ quan chủ trì: Bộ Tư pháp')."""
    title = (node.title or "").lstrip("*_ ")
    if node.marker not in ("dash", "plus", "letter", "paren") or not FIELD_LABEL.match(title):
        return False
    if _CONTENT_LABEL.match(title) and any(c.marker == "dash" and not _is_field(c) for c in node.children):
        return False  # 'a) Nhiệm vụ:' over dashes: the dashes are the block's tasks
    return True


_CONTENT_LABEL = re.compile(r"^(Nhiệm vụ|Nội dung)(\s+(cụ thể|thực hiện))?\s*(:|$)")


def _specifications(items: list[Node]) -> bool:
    """Dashes that mostly start with no action verb ('- Cửa sông Mã: Lấy mẫu 01 vị trí', '- Số lượng:
    02 hội nghị/năm') specify the item above them; they are not tasks of their own."""
    dashes = [c for c in items if c.marker == "dash"]
    if len(dashes) < 2 or len(dashes) != len(items) or dashes[0].part != PartKind.tasks:
        return False
    labelled = sum(1 for c in dashes if _LABEL_LINE.match(c.title or "") and not starts_with_action(c.title or ""))
    actions = sum(1 for c in dashes if starts_with_action(c.title or ""))
    return labelled >= 0.6 * len(dashes) and actions < 0.5 * len(dashes)


_LABEL_LINE = re.compile(r"^[^:;.]{2,70}:")  # 'Địa điểm quan trắc: ...', 'Số lượng: 5.000 cuốn'



def _mark_headings(node: Node) -> None:
    for c in node.children:
        _mark_headings(c)
        c.is_field = _is_field(c)
    if node.marker == "root":
        return
    items = [c for c in node.children]
    if not items:
        title = (node.title or "").rstrip()
        node.is_heading = node.marker in ("roman", "markdown", "bold", "inferred", "appendix", "chapter") or (
            node.marker in ("arabic", "decimal") and bool(node.paras) and len(title) < 250 and not TERMINAL.search(title)
        )
        return
    if node.marker in ("roman", "markdown", "bold", "inferred", "appendix", "article", "chapter"):
        node.is_heading = True
        return
    if all(c.is_field for c in items):
        node.is_heading = False  # a task block: its lines are the fields of one task
        return
    items = [c for c in items if not c.is_field]
    if _specifications(items):
        node.is_heading = False  # its dashes say where, what and how much: one task with its specification
        return
    child_markers = {c.marker for c in items}
    title = (node.title or "").rstrip()
    if node.marker in ("arabic", "decimal"):
        # '4. Xây dựng chiến lược...' over dashes is a heading; '1. Các sở có trách nhiệm:' over dashes is one item
        node.is_heading = not (child_markers <= _SUB_BULLETS and title.endswith(":"))
        if node.is_heading and child_markers <= _SUB_BULLETS and len(title) > 250 and TERMINAL.search(title):
            node.is_heading = False  # a long sentence over bullets is an item, a long title is not
        if node.is_heading and child_markers <= _SUB_BULLETS and node.parent is not None:
            # among numbered items that are mostly plain items, one with bullets is an item with sub-bullets
            sibs = [c for c in node.parent.children if c.marker == node.marker and c is not node]
            if sibs and sum(1 for c in sibs if not c.children and not c.paras) > len(sibs) / 2:
                node.is_heading = False
        return
    if node.marker in ("letter", "paren"):
        # 'a) Phân vùng sử dụng không gian biển' over dashes is a heading whose dashes are tasks;
        # 'đ) Sửa đổi Luật ... để:' over dashes is one item whose dashes finish its sentence; '+' never splits
        actions = [c for c in items if c.marker == "dash" and not c.is_field]
        lead_in = title.endswith(":") and len(title) > _LABEL_MAX  # a sentence that the dashes finish
        node.is_heading = not child_markers <= _SUB_BULLETS or (bool(actions) and not lead_in)
        return
    node.is_heading = node.marker == "dash" and not child_markers <= {"plus"}


def structure(seg: Segmented) -> Structure:
    b = _Builder(seg)
    root = b.build()
    problems = b.problems

    def walk_numbers(n: Node) -> None:
        if any(c.inferred for c in n.children):
            _split_elsewhere(n, problems)
            _sibling_numbers(n.children, problems)
            _split_restart(n, problems)
        for c in n.children:
            walk_numbers(c)

    walk_numbers(root)
    _infer_parts(root, problems)
    _classify_parts(root, PartKind.preamble)
    _normative_text(root, problems)
    _unnamed_task_parts(root, problems)
    _agency_lists(root, problems)
    _mark_headings(root)
    _split_inline(root, problems)
    if not _has_part(root, PartKind.tasks) and len(_articles(root)) < 3:
        # a plan with no recognisable task part: its numbered items are its tasks (not so a text
        # made of articles, Điều 1, Điều 2...: a regulation or a procedure, whose clauses are no tasks)
        _reclassify(root, {PartKind.preamble, PartKind.other}, PartKind.tasks)
    _check_gaps(root, problems)
    return Structure(layout=seg.layout, encoding=seg.encoding, root=root, preamble=b.preamble, meta=b.meta, signature=b.signature, closing=b.closing, blocks=seg.blocks, problems=problems)


def _top_parts(node: Node, kind: PartKind) -> list[Node]:
    """The highest nodes of a kind (those whose parent is of another kind)."""
    out: list[Node] = []
    for c in node.children:
        if c.part == kind and node.part != kind:
            out.append(c)
        else:
            out += _top_parts(c, kind)
    return out


def _by_agency(node: Node) -> bool:
    """A list arranged by agency: most of its numbered headings name an agency ('1. Sở Tài chính')."""
    heads = [c for c in node.children if c.marker in ("arabic", "decimal", "letter", "bold", "markdown", "inferred") and c.title]
    return len(heads) >= 2 and sum(1 for c in heads if _AGENCY_START.match(c.title or "")) >= 0.6 * len(heads)


_NORMATIVE_ARTICLES = 5  # a decision that issues a plan has 3 or 4 articles; a decree or a regulation has more


def _normative_text(root: Node, problems: list[Problem]) -> None:
    """In a text made of articles (a decree, a circular, a regulation: Điều 1 ... Điều 17), a chapter or an
    article named 'Nhiệm vụ, quyền hạn' states duties, not plan tasks: nothing inside the articles is a task."""
    articles = _articles(root)
    if len(articles) < _NORMATIVE_ARTICLES:
        return
    holds = _holding(root, "article")
    changed = 0

    def clear(node: Node, in_article: bool) -> None:
        nonlocal changed
        for n in node.children:
            inside = in_article or n.marker == "article"
            if n.part == PartKind.tasks and (inside or n.marker == "chapter" or id(n) in holds):
                n.part = PartKind.other
                changed += 1
            clear(n, inside)

    clear(root, False)
    if changed:
        problems.append(Problem(code="normative_text", severity="info", message=f"the text is made of {len(articles)} articles (a decree, circular or regulation): its clauses are not read as tasks", line=articles[0].line))


def _holding(root: Node, marker: str) -> set[int]:
    """ids of the nodes that have a descendant with this marker (one pass, bottom up)."""
    out: set[int] = set()

    def visit(n: Node) -> bool:
        found = False
        for c in n.children:
            found = visit(c) or c.marker == marker or found
        if found:
            out.add(id(n))
        return found

    visit(root)
    return out


def _walk_nodes(node: Node):
    for c in node.children:
        yield c
        yield from _walk_nodes(c)


def _unnamed_task_parts(root: Node, problems: list[Problem]) -> None:
    """A part whose heading names no kind ('IV. PHÁT TRIỂN KINH TẾ SỐ ... NGÀNH, LĨNH VỰC'), after the task
    part, whose items mostly start with an action verb, holds tasks too."""
    tops = _top_parts(root, PartKind.tasks)
    if not tops or tops[0].line is None:
        return
    for c in _walk_nodes(root):
        if c.marker not in ("roman", "chapter") or c.part not in (PartKind.preamble, PartKind.other) or (c.line or 0) < tops[0].line:
            continue
        if part_from_title(c.title) is not None:
            continue
        leaves = [x for x in _leaves(c.children) if x.title and x.marker not in ("roman", "chapter")]
        if len(leaves) >= 3 and sum(1 for x in leaves if starts_with_action(x.title or "")) >= 0.6 * len(leaves):
            _reclassify_node(c, PartKind.tasks)
            problems.append(Problem(code="part_by_content", severity="info", message=f"part '{(c.title or '')[:50]}' (line {c.line}) names no kind; its items are actions: read as tasks", line=c.line))


def _agency_lists(root: Node, problems: list[Problem]) -> None:
    """A task part arranged by agency ('IV. NHIỆM VỤ CỤ THỂ': 1. Sở Nông nghiệp..., 2. Sở Tài chính...)
    after a general task list assigns that list's tasks: it is organisation. When it is the only
    task list, it stays the task list."""
    tops = _top_parts(root, PartKind.tasks)
    general = [t for t in tops if not _by_agency(t)]
    if not general:
        return
    for t in tops:
        if t in general or t.line is None or t.line < (general[0].line or 0):
            continue
        _reclassify_node(t, PartKind.organisation)
        problems.append(Problem(code="agency_list", severity="info", message=f"'{(t.title or '')[:50]}' (line {t.line}) lists tasks by agency after the task list: read as assignments", line=t.line))


def _reclassify_node(node: Node, kind: PartKind) -> None:
    """A node and everything under it become part ``kind``."""
    node.part = kind
    _reclassify(node, set(PartKind), kind)


def _articles(root: Node) -> list[Node]:
    """The article nodes (Điều 1, Điều 2, ...) anywhere in the tree."""
    return [n for n in _walk_nodes(root) if n.marker == "article"]


_INLINE = re.compile(r"(?:(?<=^)|(?<=[:;.,]\s)|(?<=[:;.,]))\s*\((\d{1,2})\)\s+(?=\S)")


_INLINE_MARK = re.compile(r"\(\d{1,2}\)\s")  # what every _INLINE match holds: a cheap test first


def _inline_items(text: str) -> list[tuple[int, int]]:
    """Start offsets of inline '(1) ... (2) ...' markers numbered 1, 2, 3... in order (two at least)."""
    found: list[tuple[int, int]] = []
    if not _INLINE_MARK.search(text):  # most task texts number nothing inline
        return found
    for m in _INLINE.finditer(text):
        n = int(m.group(1))
        if n == len(found) + 1:
            found.append((m.start(), m.end()))
    return found if len(found) >= 2 else []


def _split_inline(node: Node, problems: list[Problem]) -> None:
    """A task whose text lists its tasks inline ('a) Bộ Khoa học và Công nghệ: (1) trình ...; (2) chủ trì
    ...') is a heading over one task per inline number."""
    for c in list(node.children):
        _split_inline(c, problems)
    for c in list(node.children):
        if c.part != PartKind.tasks or c.is_heading or c.is_field or c.children or c.block is None:
            continue
        text = " ".join([c.title or ""] + [p.text for p in c.paras])
        marks = _inline_items(text)
        if not marks:
            continue
        lead = text[: marks[0][0]].strip()
        c.title, c.paras, c.is_heading = lead or c.title, [], True
        for k, (start, end) in enumerate(marks):
            stop = marks[k + 1][0] if k + 1 < len(marks) else len(text)
            seg = text[end:stop].strip()
            b = Block(kind="item", text=seg, line=c.block.line, end=c.block.end, marker="paren", label=str(k + 1))
            c.children.append(Node(block=b, rank=60, marker="paren", label=str(k + 1), title=seg, part=c.part, parent=c))
        problems.append(Problem(code="inline_items", severity="info", message=f"item at line {c.line} lists {len(marks)} tasks inline, (1) to ({len(marks)}): one task each", line=c.line))


def _has_part(node: Node, kind: PartKind) -> bool:
    return any(c.part == kind or _has_part(c, kind) for c in node.children)


def _reclassify(node: Node, old: set[PartKind], new: PartKind) -> None:
    for c in node.children:
        if c.part in old:
            c.part = new
        _reclassify(c, old, new)


def _check_gaps(node: Node, problems: list[Problem]) -> None:
    """Report numbered headings that skip a number (a heading lost inside a list of dashes). A numbered
    item that is a task itself, not a heading, still fills its number."""
    prev: int | None = None
    for c in node.children:
        if c.marker in ("arabic", "inferred") and c.rank == 20 and c.label and c.label.isdigit():
            v = int(c.label)
            if c.is_heading and prev is not None and v > prev + 1:
                missing = ", ".join(str(x) for x in range(prev + 1, v))
                problems.append(Problem(code="heading_missing", severity="warning", message=f"section(s) {missing} have no heading before line {c.line}: their items are counted under section {prev}", line=c.line))
            prev = v
        _check_gaps(c, problems)
