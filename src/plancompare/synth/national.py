"""A labelled synthetic national corpus: every province's plan and every commune's plan, with the truth.

Built on :mod:`plancompare.synth` (its public API only: :func:`~plancompare.synth.plan_draft`,
:func:`~plancompare.synth.render`, :class:`~plancompare.synth.ChildPlan`,
:class:`~plancompare.synth.ChildTask`, :func:`~plancompare.synth.opening_key`,
:func:`~plancompare.synth.truth_norm`)::

    central/        the two real root documents (03/NQ-CP, 57-NQ/TW), copied unchanged
    <province>/     the province's plan (derived from 03/NQ-CP or 57-NQ/TW by synth)
                    and the plans of its communes (derived from the province's plan)
    _truth/         plans.json (per plan: parent, level, layout, what was planted),
                    pairs.parquet (per plan and task: status, kinds, origin), templates.json
    README.md       says that everything here is synthetic

How a plan is made:

* a **province** plan is a synth draft of its root (03/NQ-CP for most, 57-NQ/TW for
  some), with more drops than synth's default (real provincial plans carry 55-70 of
  03/NQ-CP's 102 body tasks), a few province-level additions of its own, a unique
  number, and the wording of a province ('tỉnh' / 'thành phố' where synth writes
  'phường');
* each province's plan is rendered, written, **parsed back**, and the parsed plan is the
  parent that its communes are drafted from (so the truth's parent keys are what a
  reader of the files sees);
* for the **communes** synth drafts a handful of edited plans per province (localising,
  softening, narrowing, retargeting, merging, splitting...; planning a draft costs
  ~0.05-0.1 s, so not one per commune); every commune takes one of them and varies it:
  its own name, number, date, layout and style of jurisdiction word (xã / phường /
  đặc khu), a few more drops, one or two local tasks of its own, and sometimes
  **template tasks** shared by many communes of many provinces and found in no parent
  (a common template from elsewhere);
* a few communes are **near-verbatim copies** of their province's plan: every task
  copied, nothing localised (still 'tỉnh' where a real commune would say 'xã').

Every plan cites its parent in its preamble by number, date and issuer ("Căn cứ Kế
hoạch số 45/KH-UBND ngày 12/03/2025 của UBND tỉnh Gia Lai; ..."), so that parents are
found, not configured. Every generated file starts with synth's marker line
("BẢN NHÁP TỔNG HỢP (synthetic, ...) — không phải văn bản thật."). The generator
refuses to write into a ``data/raw`` folder.

Deterministic: the same ``seed`` gives the same files, whatever the number of workers.
Pure library code (no CLI framework); ``progress(done, total)`` reports provinces done.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import shutil
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from random import Random
from typing import Any, Callable, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from ..errors import InputError, OutputError
from ..models import ParsedDocument
from ..normalize import alternate_tone

README_MARKER = "plancompare synthetic national corpus"
TRUTH_DIR = "_truth"
# the real documents the provinces' plans are derived from: the project's data/raw/ (run from the
# project folder, as every corpus command does), or any folder given with --sources
DEFAULT_SOURCES = Path("data/raw")

#: the roots: number -> (file in the sources folder, share of provinces derived from it)
ROOTS: dict[str, tuple[str, float]] = {
    "03/NQ-CP": ("central_03-NQ-CP_2025-01-09.md", 0.8),
    "57-NQ/TW": ("central_57-NQ-TW_2024-12-22.md", 0.2),
}

#: the 34 provinces and centrally-run cities since 1 July 2025 (Resolution 202/2025/QH15)
PROVINCES_2025: list[tuple[str, str]] = [
    ("Hà Nội", "thành phố"), ("Huế", "thành phố"), ("Hải Phòng", "thành phố"), ("Đà Nẵng", "thành phố"),
    ("Hồ Chí Minh", "thành phố"), ("Cần Thơ", "thành phố"),
    ("Lai Châu", "tỉnh"), ("Điện Biên", "tỉnh"), ("Sơn La", "tỉnh"), ("Lạng Sơn", "tỉnh"), ("Quảng Ninh", "tỉnh"),
    ("Thanh Hóa", "tỉnh"), ("Nghệ An", "tỉnh"), ("Hà Tĩnh", "tỉnh"), ("Cao Bằng", "tỉnh"), ("Tuyên Quang", "tỉnh"),
    ("Lào Cai", "tỉnh"), ("Thái Nguyên", "tỉnh"), ("Phú Thọ", "tỉnh"), ("Bắc Ninh", "tỉnh"), ("Hưng Yên", "tỉnh"),
    ("Ninh Bình", "tỉnh"), ("Quảng Trị", "tỉnh"), ("Quảng Ngãi", "tỉnh"), ("Gia Lai", "tỉnh"), ("Khánh Hòa", "tỉnh"),
    ("Lâm Đồng", "tỉnh"), ("Đắk Lắk", "tỉnh"), ("Đồng Nai", "tỉnh"), ("Tây Ninh", "tỉnh"), ("Vĩnh Long", "tỉnh"),
    ("Đồng Tháp", "tỉnh"), ("Cà Mau", "tỉnh"), ("An Giang", "tỉnh"),
]

_SYL1 = ["An", "Bình", "Hòa", "Tân", "Phú", "Long", "Thạnh", "Thuận", "Đông", "Tây", "Nam", "Bắc", "Trung", "Hưng", "Phước",
         "Vĩnh", "Quang", "Minh", "Thái", "Xuân", "Hải", "Sơn", "Thanh", "Đức", "Kim", "Ngọc", "Hồng", "Lạc", "Yên", "Cẩm",
         "Mỹ", "Hiệp", "Lộc", "Nghĩa", "Thắng", "Tiến", "Quảng", "Định", "Gia", "Phong"]
_SYL2 = ["An", "Bình", "Hòa", "Lợi", "Phú", "Thành", "Hưng", "Thịnh", "Lập", "Tiến", "Sơn", "Hà", "Lâm", "Phong", "Xuân",
         "Đông", "Tây", "Nam", "Bắc", "Mỹ", "Lộc", "Phước", "Thuận", "Khánh", "Trung", "Hải", "Quang", "Tân", "Long", "Giang"]

#: planted template tasks: shared by many communes of many provinces, found in no parent
TEMPLATE_TASKS: list[tuple[str, str, float]] = [
    ("T1", "Thành lập Tổ chuyển đổi số cộng đồng ở tất cả các thôn, tổ dân phố trên địa bàn {unit}, mỗi tổ có ít nhất 03 thành viên được tập huấn kỹ năng số cơ bản và hướng dẫn người dân cài đặt, sử dụng ứng dụng VNeID.", 1.0),
    ("T2", "Triển khai mô hình Bình dân học vụ số tại nhà văn hóa các thôn, tổ dân phố, phấn đấu đến hết năm 2026 có ít nhất 80% người trong độ tuổi lao động được phổ cập kỹ năng số thiết yếu.", 0.8),
    ("T3", "Rà soát, làm sạch dữ liệu dân cư, đất đai và hộ tịch của {unit}, bảo đảm dữ liệu đúng, đủ, sạch, sống và kết nối với Cơ sở dữ liệu quốc gia về dân cư.", 0.6),
    ("T4", "Bố trí điểm hỗ trợ dịch vụ công trực tuyến tại Trung tâm Phục vụ hành chính công {unit}, có công chức trực hướng dẫn người dân nộp hồ sơ trực tuyến toàn trình trong giờ hành chính.", 0.5),
    ("T5", "Vận động 100% hộ kinh doanh tại chợ và các tuyến phố chính trên địa bàn {unit} sử dụng thanh toán không dùng tiền mặt bằng mã QR, gắn với tuyên truyền phòng, chống lừa đảo trên không gian mạng.", 0.4),
    ("T6", "Xây dựng và vận hành kênh Zalo chính thức của UBND {unit} để tiếp nhận, trả lời phản ánh, kiến nghị của người dân trong thời hạn không quá 03 ngày làm việc.", 0.3),
]
_TEMPLATE_TAILS = [" Kết quả thực hiện báo cáo định kỳ hằng quý.", " Định kỳ sơ kết, rút kinh nghiệm sau 6 tháng.", ""]

PROVINCE_ADDITIONS = [
    "Xây dựng Trung tâm điều hành thông minh của {unit} {name}, kết nối dữ liệu với các sở, ngành và UBND cấp xã, đưa vào vận hành trước ngày 31/12/2026.",
    "Ban hành chính sách hỗ trợ doanh nghiệp khởi nghiệp sáng tạo trên địa bàn {unit} {name}, ưu tiên các dự án ứng dụng trí tuệ nhân tạo trong nông nghiệp và du lịch.",
    "Thành lập Quỹ phát triển khoa học và công nghệ của {unit} {name} với vốn điều lệ ban đầu từ ngân sách địa phương và nguồn xã hội hóa.",
    "Đầu tư nâng cấp Trung tâm dữ liệu của {unit} {name} đạt tiêu chuẩn Tier III, bảo đảm lưu trữ dự phòng cho các hệ thống thông tin dùng chung.",
    "Phủ sóng di động 4G, 5G đến 100% thôn, bản, tổ dân phố trên địa bàn {unit} {name}, ưu tiên vùng sâu, vùng xa, biên giới, hải đảo.",
    "Tổ chức Ngày hội đổi mới sáng tạo của {unit} {name} hằng năm, kết nối doanh nghiệp, viện, trường và nhà đầu tư.",
    "Xây dựng cơ chế đặt hàng nhiệm vụ khoa học và công nghệ cấp {unit} gắn với các sản phẩm chủ lực của {name}.",
    "Số hóa 100% hồ sơ lưu trữ lịch sử của các cơ quan cấp {unit} {name} trước năm 2028.",
]

_LOCAL_ACTION = ["Xây dựng mô hình điểm về", "Tổ chức tập huấn về", "Hỗ trợ thí điểm", "Đầu tư trang thiết bị phục vụ", "Khảo sát, đánh giá nhu cầu về",
                 "Phát động phong trào thi đua về", "Lựa chọn và nhân rộng mô hình", "Huy động nguồn lực xã hội hóa cho", "Ký kết hợp tác với doanh nghiệp về",
                 "Lồng ghép vào chương trình mục tiêu quốc gia nội dung", "Giao Đoàn Thanh niên chủ trì triển khai", "Đưa vào tiêu chí thi đua của thôn, tổ dân phố nội dung"]
_LOCAL_OBJECT = ["truy xuất nguồn gốc sản phẩm OCOP", "du lịch cộng đồng ứng dụng công nghệ số", "nuôi trồng thủy sản ứng dụng cảm biến",
                 "chợ nông thôn không dùng tiền mặt", "camera an ninh kết nối trung tâm giám sát", "tưới tiết kiệm nước tự động cho cây ăn quả",
                 "sổ sức khỏe điện tử cho người cao tuổi", "thư viện số tại trường tiểu học", "bản đồ số các hộ sản xuất cà phê",
                 "giao dịch nông sản trên sàn thương mại điện tử", "cảnh báo sớm thiên tai qua tin nhắn", "quản lý rác thải bằng ứng dụng di động",
                 "nhà kính trồng rau an toàn có điều khiển từ xa", "homestay đặt phòng trực tuyến", "loa truyền thanh thông minh ở khu dân cư",
                 "hồ sơ sức khỏe vật nuôi trên điện thoại", "chuồng trại chăn nuôi có cảm biến nhiệt độ", "máy bay không người lái phun thuốc bảo vệ thực vật",
                 "quảng bá làng nghề đan lát trên mạng xã hội", "điểm phát wifi miễn phí tại bến xe và chợ", "nhật ký điện tử cho hợp tác xã trồng lúa",
                 "dạy học trực tuyến cho học sinh vùng khó khăn", "tủ sách điện tử cho nhà văn hóa", "thu phí vệ sinh môi trường qua ví điện tử",
                 "quản lý nghĩa trang nhân dân bằng bản đồ số", "giám sát chất lượng nước sinh hoạt tự động", "đèn chiếu sáng công cộng năng lượng mặt trời điều khiển từ xa",
                 "kho lạnh bảo quản trái cây sau thu hoạch", "cấp mã số vùng trồng sầu riêng", "phòng khám từ xa kết nối bệnh viện tuyến trên",
                 "chuyển đổi số cho hộ kinh doanh ăn uống", "sàn giao dịch việc làm thời vụ", "quản lý tàu cá bằng thiết bị giám sát hành trình",
                 "bảo tồn di tích bằng mô hình số ba chiều", "quản lý đất công bằng ảnh viễn thám", "hệ thống báo cháy kết nối điện thoại cho khu chợ"]
_LOCAL_WHERE = ["thôn {n}", "tổ dân phố số {n}", "khu dân cư số {n}", "ấp {n}", "bản {n}"]
_LOCAL_GOAL = ["phấn đấu có ít nhất {k} hộ tham gia trong năm 2026", "hoàn thành trước quý {q} năm 2026", "với kinh phí dự kiến {k} triệu đồng từ ngân sách {unit}",
               "do {unit_cap} trực tiếp chỉ đạo, theo dõi", "gắn với chương trình xây dựng nông thôn mới nâng cao", "sơ kết, nhân rộng sau {q} quý thực hiện",
               "có sự tham gia của Hội Nông dân và Hội Liên hiệp Phụ nữ", "báo cáo kết quả tại kỳ họp Hội đồng nhân dân cuối năm"]

_PROVINCE_MIX = dict(copy=0.2, localize=0.12, reformat=0.08, drop=0.5, soften=0.1, narrow=0.08, extend=0.07, retarget=0.05, reword=0.08, typo=0.02, merge=0.04, split=0.04, combine=0.25, add=0, reorder=0.2)
_PROVINCE_MIX_57 = dict(_PROVINCE_MIX, drop=0.12, split=0.12, narrow=0.12)
_COMMUNE_MIX = dict(copy=0.32, localize=0.16, reformat=0.08, drop=0.07, soften=0.12, narrow=0.09, extend=0.04, retarget=0.03, reword=0.05, typo=0.02, merge=0.02, split=0.02, combine=0.2, add=0, reorder=0.2)
_LAYOUT_WEIGHTS = {"plain": 0.35, "pdf_text": 0.25, "web_scrape": 0.2, "markdown": 0.2}


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NationalReport(_M):
    """What :func:`generate` wrote."""

    FORMATS: ClassVar[tuple[str, ...]] = ("table", "json")  # the CLI's --format values (cli/output.py)

    out: str
    seed: int
    provinces: int
    communes: int
    plans: int = Field(description="Generated plans (provinces + communes); the copied roots not counted.")
    roots: list[str]
    near_verbatim: int
    template_adopters: dict[str, int] = Field(description="Communes per planted template task.")
    tasks: int = Field(description="Tasks in all generated plans (per the truth).")
    seconds: float
    workers: int

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    def to_tables(self) -> list[Any]:
        """The terminal view: one two-column table of what was written."""
        from ..io import Table

        return [Table("plancompare synth", ("", ""), [
            ("folder", self.out), ("SYNTHETIC", "yes: see README.md in the folder"), ("provinces", str(self.provinces)), ("communes", str(self.communes)),
            ("plans generated", str(self.plans)), ("roots (copied)", ", ".join(self.roots)), ("tasks", str(self.tasks)),
            ("near-verbatim communes", str(self.near_verbatim)), ("template adopters", ", ".join(f"{k} {v}" for k, v in self.template_adopters.items())),
            ("seconds", f"{self.seconds:.1f} ({self.workers} workers)"),
        ])]


# ---------------------------------------------------------------- helpers


def slug(text: str) -> str:
    """ASCII file-name slug of a Vietnamese name ('Đắk Lắk' -> 'dak-lak')."""
    t = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", t.lower()).strip("-")


def is_raw_dir(path: Path) -> bool:
    """Is ``path`` (or a folder above it) a ``data/raw`` folder? Synthetic files never go there."""
    p = path.resolve()
    if p == DEFAULT_SOURCES.resolve() or DEFAULT_SOURCES.resolve() in p.parents:
        return True
    parts = p.parts
    return any(parts[i] == "data" and parts[i + 1] == "raw" for i in range(len(parts) - 1))


def jurisdiction(text: str, unit: str) -> str:
    """synth writes a ward ('phường'); the plan's own level word instead ('xã', 'tỉnh', 'thành phố', 'đặc khu')."""
    if unit == "phường":
        return text
    text = re.sub(r"\bPHƯỜNG\b", unit.upper(), text)
    text = re.sub(r"\bPhường\b", unit[:1].upper() + unit[1:], text)
    return re.sub(r"\bphường\b", unit, text)


def _weighted(rng: Random, weights: dict[str, float]) -> str:
    r = rng.random() * sum(weights.values())
    for k, w in weights.items():
        r -= w
        if r <= 0:
            return k
    return k


def spread(total: int, parts: int, rng: Random) -> list[int]:
    """``total`` split over ``parts`` (each about total/parts, +-40%), summing exactly."""
    if parts <= 0:
        return []
    w = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    s = sum(w)
    raw = [total * x / s for x in w]
    out = [int(math.floor(x)) for x in raw]
    rest = total - sum(out)
    for i in sorted(range(parts), key=lambda i: (-(raw[i] - out[i]), i))[:rest]:
        out[i] += 1
    return out


def commune_names(n: int, rng: Random) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < n:
        nm = f"{rng.choice(_SYL1)} {rng.choice(_SYL2)}"
        if nm.split()[0] == nm.split()[1]:
            continue
        if nm in seen:
            nm = f"{nm} {len([x for x in names if x.startswith(nm)]) + 1}"
        seen.add(nm)
        names.append(nm)
    return names


# ---------------------------------------------------------------- plan editing (on synth's ChildPlan)


def _copy_plan(plan: Any) -> Any:
    from . import ChildSection

    secs = [ChildSection(title=s.title, tasks=[replace(t, origin=list(t.origin), kinds=list(t.kinds), ops=list(t.ops)) for t in s.tasks], number=s.number) for s in plan.sections]
    return replace(plan, sections=secs)


def _vary(plan: Any, rng: Random, additions: list[tuple[str, str]], extra_drop: float) -> dict[str, str]:
    """Drop a few more tasks, insert ``additions`` [(text, origin)], relabel, key the new tasks.

    Returns {child key: origin} for the added tasks."""
    from . import VN_LETTERS, ChildTask, opening_key, truth_norm

    if extra_drop > 0:
        for sec in plan.sections:
            keep = []
            for t in sec.tasks:
                droppable = len(t.origin) == 1 and "split" not in t.ops and t.status != "added"
                if droppable and rng.random() < extra_drop and len(sec.tasks) > 1:
                    continue
                keep.append(t)
            sec.tasks = keep or sec.tasks[:1]
    new: list[Any] = []
    origin_of: dict[int, str] = {}
    for text, origin in additions:
        cands = [s for s in plan.sections if len(s.tasks) < len(VN_LETTERS)]
        if not cands:
            break
        sec = rng.choice(cands)
        c = ChildTask(text=text, origin=[], status="added", ops=["add"])
        origin_of[id(c)] = origin
        sec.tasks.insert(rng.randint(0, len(sec.tasks)), c)
        new.append(c)
    plan.relabel()
    out: dict[str, str] = {}
    if new:
        alltasks = [t for s in plan.sections for t in s.tasks]
        norms = {id(t): truth_norm(t.text) for t in alltasks}
        new_ids = {id(c) for c in new}
        for c in new:
            c.key = opening_key(c.text, [n for i, n in norms.items() if i != id(c)])
            out[c.key] = origin_of[id(c)]
        new_norms = [norms[id(c)] for c in new]
        for t in alltasks:  # an old key that a new text starts with is made longer
            if id(t) not in new_ids and any(n.startswith(truth_norm(t.key)) for n in new_norms):
                t.key = opening_key(t.text, [n for i, n in norms.items() if i != id(t)])
    return out


def _truth_rows(plan: Any, file: str, parent_file: str, unit: str, origins: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for p in plan.truth_pairs():
        child = p.get("child")
        rows.append({
            "file": file,
            "parent_file": parent_file,
            "parent_key": p.get("parent"),
            "parent_label": p.get("parent_label"),
            "child_key": jurisdiction(child, unit) if child else None,
            "child_label": p.get("child_label"),
            "status": p["status"],
            "kinds": ";".join(p.get("kinds") or []),
            "origin": origins.get(child, "") if child else "",
        })
    return rows


def _local_task(rng: Random, unit: str, name: str) -> str:
    where = rng.choice(_LOCAL_WHERE).format(n=rng.randint(1, 15))
    goal = rng.choice(_LOCAL_GOAL).format(k=rng.choice([20, 30, 50, 100, 150, 200]), q=rng.randint(1, 4), unit=unit, unit_cap=f"Chủ tịch UBND {unit}")
    return f"{rng.choice(_LOCAL_ACTION)} {rng.choice(_LOCAL_OBJECT)} tại {where}, {unit} {name}, {goal}."


def template_text(tid: str, unit: str, rng: Random) -> str:
    """A planted template task as one commune writes it (small variations: tone placement, a tail)."""
    base = next(t for i, t, _ in TEMPLATE_TASKS if i == tid).format(unit=unit)
    if rng.random() < 0.4:
        base = alternate_tone(base)
    return base + rng.choice(_TEMPLATE_TAILS)


# ---------------------------------------------------------------- one province (runs in a worker)


def _draft(parent: ParsedDocument, raw: str | None, rng: Random, edits: Any, **kw: Any) -> Any:
    """synth's plan_draft with a seed from ``rng``; a seed that synth rejects (its internal
    consistency checks) is replaced by the next one, deterministically."""
    from . import plan_draft

    err: Exception | None = None
    for _ in range(8):
        seed = rng.randrange(1 << 30)
        try:
            return plan_draft(parent, raw, seed=seed, edits=edits, **kw)
        except (AssertionError, ValueError, IndexError) as e:  # pragma: no cover - depends on synth's version
            err = e
    raise RuntimeError(f"synth could not draft a plan from {parent.document.number or parent.document.source_file}: {err}")


_ROOT_CACHE: dict[str, tuple[ParsedDocument, str]] = {}


def _root(path: str) -> tuple[ParsedDocument, str]:
    if path not in _ROOT_CACHE:
        from ..parse import parse_file

        _ROOT_CACHE[path] = (parse_file(path), Path(path).read_text(encoding="utf-8"))
    return _ROOT_CACHE[path]


@dataclass
class _ProvinceJob:
    out: str
    index: int
    name: str
    unit: str
    number: int
    root_number: str
    root_file: str  # path of the source
    root_rel: str  # path in the corpus
    communes: int
    first_commune: int  # global index of the first commune
    seed: int
    template_share: float
    verbatim_share: float
    plant_verbatim: bool


@dataclass
class _ProvincePlan:
    """The province's plan as its communes see it: the plan, its file, and the parsed text they are drafted from."""

    plan: Any
    text: str
    rel: str  # path in the corpus
    slug: str
    parsed: ParsedDocument
    parent_ref: str  # how the communes cite it


def _plan_row(file: str, kind: str, level: str, job: _ProvinceJob, unit: str, name: str, plan: Any, layout: str, parent: tuple[str, str, str], **kw: Any) -> dict[str, Any]:
    """One plan's entry of plans.json (``parent``: file, number, date)."""
    row = {"file": file, "kind": kind, "level": level, "province": job.name, "place": f"{unit} {name}", "unit": unit,
           "number": plan.number, "issue_date": plan.date.isoformat(), "parent_file": parent[0], "parent_number": parent[1],
           "parent_date": parent[2], "layout": layout, "style": plan.style, "seed": plan.seed, "template_plan": None, "near_verbatim": False,
           "template_tasks": [], "tasks": len(plan.tasks()), "parsed_number": None, "parsed_tasks": None}
    row.update(kw)
    return row


def _province_plan(job: _ProvinceJob, out: Path, rng: Random) -> tuple[_ProvincePlan, dict[str, Any], list[dict[str, Any]]]:
    """Draft, write and parse back the province's plan: (the plan, its plans.json entry, its truth rows)."""
    from ..parse import parse_text
    from . import EditMix, render

    root, raw = _root(job.root_file)
    mix = EditMix(**(_PROVINCE_MIX if job.root_number == "03/NQ-CP" else _PROVINCE_MIX_57))
    plan = _draft(root, raw, rng, mix, place=job.name)
    d0 = root.document.issue_date or dt.date(2025, 1, 9)
    plan.number = f"{job.number}/KH-UBND"
    plan.date = d0 + dt.timedelta(days=rng.randint(20, 150))
    adds = [(a.format(unit=job.unit, name=job.name), "province") for a in rng.sample(PROVINCE_ADDITIONS, rng.randint(2, 3))]
    origins = _vary(plan, rng, adds, 0.0)
    layout = _weighted(rng, _LAYOUT_WEIGHTS)
    text = jurisdiction(render(plan, layout), job.unit)
    pslug = slug(job.name)
    ext = ".md" if layout == "markdown" else ".txt"
    prel = f"{pslug}/{pslug}_{job.number}-KH-UBND_{plan.date.isoformat()}{ext}"
    (out / pslug).mkdir(parents=True, exist_ok=True)
    (out / prel).write_text(text, encoding="utf-8")
    pdoc = parse_text(text, Path(prel).name)
    row = _plan_row(prel, "province", "provincial_government", job, job.unit, job.name, plan, layout, (job.root_rel, job.root_number, d0.isoformat()),
                    parsed_number=pdoc.document.number, parsed_tasks=len(pdoc.tasks))
    parent_ref = f"Kế hoạch số {plan.number} ngày {plan.date.day:02d}/{plan.date.month:02d}/{plan.date.year} của UBND {job.unit} {job.name}"
    prov = _ProvincePlan(plan=plan, text=text, rel=prel, slug=pslug, parsed=pdoc, parent_ref=parent_ref)
    return prov, row, _truth_rows(plan, prel, job.root_rel, job.unit, origins)


@dataclass
class _Sources:
    """What a commune's plan is drafted from: the province's plan, its edited templates, and (made
    when the first near-verbatim commune needs it, from the province's rng) its verbatim copy."""

    prov: _ProvincePlan
    templates: list[Any]
    rng: Random
    verbatim_plan: Any = None

    def verbatim(self) -> Any:
        from . import EditMix

        if self.verbatim_plan is None:
            self.verbatim_plan = _draft(self.prov.parsed, self.prov.text, self.rng, EditMix.only("copy", "reformat"))
        return self.verbatim_plan


def _commune_draft(job: _ProvinceJob, ci: int, src: _Sources, unit: str, name: str, crng: Random) -> tuple[Any, int | None, list[tuple[str, str]], float, bool]:
    """(the commune's plan before it is varied, its template's index, its additions, its extra drop, near-verbatim?)."""
    verbatim = (job.plant_verbatim and ci == 1) or crng.random() < job.verbatim_share
    if verbatim:
        return _copy_plan(src.verbatim()), None, [], 0.0, True
    tindex = crng.randrange(len(src.templates))
    cplan = _copy_plan(src.templates[tindex])
    additions = [(_local_task(crng, unit, name), "local") for _ in range(crng.choice([0, 1, 1, 2]))]
    for tid, _t, pop in TEMPLATE_TASKS:
        if crng.random() < job.template_share * pop:
            additions.append((template_text(tid, unit, crng), f"template:{tid}"))
    return cplan, tindex, additions, 0.04, False


def _date_and_number(cplan: Any, job: _ProvinceJob, prov: _ProvincePlan, crng: Random, used_numbers: set[tuple[int, str]]) -> int:
    """Date the commune's plan after its province's and give it a number unused on that day."""
    num = crng.randint(1, 320)
    cplan.date = prov.plan.date + dt.timedelta(days=crng.randint(7, 75))
    # a plan never carries its parent's number (a reader takes such a citation for the plan itself)
    while (num, cplan.date.isoformat()) in used_numbers or num == job.number:
        num += 1
    used_numbers.add((num, cplan.date.isoformat()))
    cplan.number = f"{num}/KH-UBND"
    return num


def _commune(job: _ProvinceJob, ci: int, name: str, src: _Sources, out: Path, used_numbers: set[tuple[int, str]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Draft, vary and write one commune's plan: (its plans.json entry, its truth rows)."""
    from . import render

    prov = src.prov
    crng = Random(f"plancompare.national:{job.seed}:commune:{job.first_commune + ci}")
    r = crng.random()
    unit = "xã" if r < 0.78 else ("phường" if r < 0.996 else "đặc khu")
    cplan, tindex, additions, extra, verbatim = _commune_draft(job, ci, src, unit, name, crng)
    cplan.place = name
    num = _date_and_number(cplan, job, prov, crng, used_numbers)
    cplan.parent_ref = prov.parent_ref
    cplan.seed = crng.randrange(1 << 30)
    corigins = _vary(cplan, crng, additions, extra)
    clayout = _weighted(crng, _LAYOUT_WEIGHTS)
    ctext = jurisdiction(render(cplan, clayout), unit)
    cext = ".md" if clayout == "markdown" else ".txt"
    crel = f"{prov.slug}/{slug(unit)}-{slug(name)}_{num}-KH-UBND_{cplan.date.isoformat()}{cext}"
    (out / crel).write_text(ctext, encoding="utf-8")
    ttasks = sorted({o.split(":", 1)[1] for o in corigins.values() if o.startswith("template:")})
    row = _plan_row(crel, "commune", "commune", job, unit, name, cplan, clayout, (prov.rel, prov.plan.number, prov.plan.date.isoformat()),
                    template_plan=tindex, near_verbatim=verbatim, template_tasks=ttasks)
    return row, _truth_rows(cplan, crel, prov.rel, unit, corigins)


def _province(job: _ProvinceJob) -> dict[str, Any]:
    """The province's plan and all its communes' plans, written; their plans.json entries and truth rows."""
    from . import EditMix

    out = Path(job.out)
    rng = Random(f"plancompare.national:{job.seed}:province:{job.index}")
    prov, row, pairs = _province_plan(job, out, rng)
    plans = [row]
    # commune templates: a few synth drafts of the province's plan, varied per commune
    k = max(2, min(8, round(job.communes / 12))) if job.communes else 0
    cmix = EditMix(**_COMMUNE_MIX)
    src = _Sources(prov=prov, templates=[_draft(prov.parsed, prov.text, rng, cmix) for _ in range(min(k, job.communes))], rng=rng)
    names = commune_names(job.communes, Random(f"plancompare.national:{job.seed}:names:{job.index}"))
    used_numbers: set[tuple[int, str]] = set()
    for ci in range(job.communes):
        crow, cpairs = _commune(job, ci, names[ci], src, out, used_numbers)
        plans.append(crow)
        pairs += cpairs
    return {"index": job.index, "plans": plans, "pairs": pairs}


# ---------------------------------------------------------------- the corpus


def _readme(report: NationalReport, roots: list[str]) -> str:
    return f"""# SYNTHETIC national corpus — not real documents

{README_MARKER}. Every plan in this folder except the two copied roots under
`central/` was GENERATED by `plancompare synth` (plancompare.synth.national on top of
plancompare.synth) for benchmarks and tests. The names of provinces are real; the
communes, numbers, dates, signers and edits are invented. Never copy these files into
`data/raw/` or cite them as government documents.

- seed: {report.seed}
- provinces: {report.provinces}; communes: {report.communes}; generated plans: {report.plans}
- roots (real, copied unchanged from the project's data/raw/): {', '.join(roots)}
- every generated file starts with the line
  `BẢN NHÁP TỔNG HỢP (synthetic, seed=N) — không phải văn bản thật.`
- the truth is in `_truth/`: `plans.json` (per plan: file, level, parent file and
  number, layout, near-verbatim copy or not, planted template tasks) and
  `pairs.parquet` (per plan and task: parent key, child key, status, kinds, origin);
  task keys are the opening words of the texts, as in synth's truth files.
- near-verbatim copies of their province's plan: {report.near_verbatim} communes.
- planted template tasks (in many communes, in no parent): {json.dumps(report.template_adopters, ensure_ascii=False)}

Regenerate with: `plancompare synth --provinces {report.provinces} --communes {report.communes} --seed {report.seed} --out DIR`.
"""


def generate(
    out: str | Path,
    *,
    provinces: int = 34,
    communes: int = 3321,
    seed: int = 0,
    workers: int | None = None,
    sources: str | Path | None = None,
    template_share: float = 0.12,
    verbatim_share: float = 0.015,
    progress: Callable[[int, int], None] | None = None,
) -> NationalReport:
    """Write a synthetic national corpus into ``out`` (see the module docstring).

    ``out`` must be empty, absent, or an earlier synthetic corpus (which is replaced).
    ``template_share`` is the share of communes that take the most common planted
    template task (the others are rarer); ``verbatim_share`` the share of communes that
    copy their province's plan verbatim (at least one is always planted)."""
    t0 = time.perf_counter()
    outp = Path(out)
    if provinces < 1:
        raise InputError("--provinces must be at least 1")
    if communes < 0:
        raise InputError("--communes must not be negative")
    _prepare_out(outp)
    root_files = _copy_roots(Path(sources) if sources else DEFAULT_SOURCES, outp)
    rng = Random(f"plancompare.national:{seed}")
    jobs = _jobs(outp, provinces, communes, seed, template_share, verbatim_share, root_files, rng)
    nw = max(1, min(workers or (os.cpu_count() or 1), len(jobs)))
    results = _run(jobs, nw, progress)
    plans = [p for r in results for p in r["plans"]]
    pairs = [p for r in results for p in r["pairs"]]
    adopters = {tid: sum(1 for p in plans if tid in p["template_tasks"]) for tid, _t, _w in TEMPLATE_TASKS}
    report = NationalReport(
        out=str(outp), seed=seed, provinces=provinces, communes=communes, plans=len(plans), roots=list(ROOTS),
        near_verbatim=sum(1 for p in plans if p["near_verbatim"]), template_adopters=adopters,
        tasks=sum(p["tasks"] or 0 for p in plans), seconds=0.0, workers=nw,
    )
    _write_truth(outp, _root_entries(root_files) + plans, pairs)
    report.seconds = round(time.perf_counter() - t0, 2)
    (outp / "README.md").write_text(_readme(report, [f"central/{f}" for f, _s in ROOTS.values()]), encoding="utf-8")
    return report


def _prepare_out(outp: Path) -> None:
    """Refuse data/raw/, a file, or a folder with other content; clear an earlier synthetic corpus."""
    if is_raw_dir(outp):
        raise OutputError(f"{outp}: synthetic plans are never written into data/raw/; choose another folder", path=str(outp))
    if outp.exists():
        if not outp.is_dir():
            raise OutputError(f"{outp}: exists and is not a folder", path=str(outp))
        if any(outp.iterdir()):
            readme = outp / "README.md"
            if not (readme.exists() and README_MARKER in readme.read_text(encoding="utf-8", errors="replace")):
                raise OutputError(f"{outp}: not empty and not a synthetic corpus made by `plancompare synth`; choose an empty folder", path=str(outp))
            shutil.rmtree(outp)
    outp.mkdir(parents=True, exist_ok=True)


def _copy_roots(src: Path, outp: Path) -> dict[str, tuple[str, str]]:
    """Copy the real roots into central/: {number: (source path, path in the corpus)}."""
    root_files: dict[str, tuple[str, str]] = {}
    (outp / "central").mkdir(exist_ok=True)
    for number, (fname, _share) in ROOTS.items():
        p = src / fname
        if not p.exists():
            raise InputError(f"{p}: the root document {number} is needed to derive the provinces' plans", path=str(p))
        shutil.copyfile(p, outp / "central" / fname)
        root_files[number] = (str(p), f"central/{fname}")
    return root_files


def _jobs(outp: Path, provinces: int, communes: int, seed: int, template_share: float, verbatim_share: float,
          root_files: dict[str, tuple[str, str]], rng: Random) -> list[_ProvinceJob]:
    """One job per province: its name, number, root, communes, and whether it plants the verbatim copy."""
    names = list(PROVINCES_2025)
    while len(names) < provinces:
        names += [(f"{n} {len(names) // len(PROVINCES_2025) + 1}", u) for n, u in PROVINCES_2025]
    names = names[:provinces]
    counts = spread(communes, provinces, rng)
    pnums = rng.sample(range(20, 20 + max(400, 3 * provinces)), provinces)
    jobs = []
    first = 0
    roots_w = {n: s for n, (_f, s) in ROOTS.items()}
    verbatim_planted = False
    for i, ((name, unit), n) in enumerate(zip(names, counts)):
        root_number = _weighted(rng, roots_w) if i > 0 else "03/NQ-CP"
        plant = not verbatim_planted and n >= 2
        verbatim_planted = verbatim_planted or plant
        jobs.append(_ProvinceJob(str(outp), i, name, unit, pnums[i], root_number, root_files[root_number][0], root_files[root_number][1], n, first, seed, template_share, verbatim_share, plant))
        first += n
    return jobs


def _run(jobs: list[_ProvinceJob], nw: int, progress: Callable[[int, int], None] | None) -> list[dict[str, Any]]:
    """The provinces' results in province order (in ``nw`` worker processes when more than one)."""
    results: list[dict[str, Any]] = []
    if nw == 1:
        for j, job in enumerate(jobs, 1):
            results.append(_province(job))
            if progress:
                progress(j, len(jobs))
    else:
        import multiprocessing as mp

        with ProcessPoolExecutor(max_workers=nw, mp_context=mp.get_context("forkserver")) as ex:
            for j, res in enumerate(ex.map(_province, jobs), 1):
                results.append(res)
                if progress:
                    progress(j, len(jobs))
    results.sort(key=lambda r: r["index"])
    return results


def _root_entries(root_files: dict[str, tuple[str, str]]) -> list[dict[str, Any]]:
    """The copied roots' entries of plans.json (03/NQ-CP implements 57-NQ/TW)."""
    return [{"file": rel, "kind": "root", "level": "central", "province": None, "place": None, "unit": None, "number": number,
             "issue_date": None, "parent_file": "central/" + ROOTS["57-NQ/TW"][0] if number == "03/NQ-CP" else None,
             "parent_number": "57-NQ/TW" if number == "03/NQ-CP" else None, "parent_date": None, "layout": "markdown", "style": None,
             "seed": None, "template_plan": None, "near_verbatim": False, "template_tasks": [], "tasks": None, "parsed_number": None, "parsed_tasks": None}
            for number, (_srcp, rel) in root_files.items()]


def _write_truth(out: Path, plans: list[dict[str, Any]], pairs: list[dict[str, Any]]) -> None:
    import pandas as pd

    from ..io import atomic_write

    d = out / TRUTH_DIR
    d.mkdir(parents=True, exist_ok=True)
    atomic_write(d / "plans.json", json.dumps({"synthetic": True, "plans": plans}, ensure_ascii=False, indent=1) + "\n")
    atomic_write(d / "templates.json", json.dumps({"synthetic": True, "templates": [{"id": i, "text": t, "popularity": w} for i, t, w in TEMPLATE_TASKS]}, ensure_ascii=False, indent=1) + "\n")
    df = pd.DataFrame(pairs, columns=["file", "parent_file", "parent_key", "parent_label", "child_key", "child_label", "status", "kinds", "origin"])
    tmp = d / ".pairs.parquet.tmp"
    df.to_parquet(tmp, index=False)
    tmp.replace(d / "pairs.parquet")


def load_truth(corpus: str | Path) -> tuple[list[dict[str, Any]], Any]:
    """(plans, pairs DataFrame) of a synthetic corpus."""
    import pandas as pd

    d = Path(corpus) / TRUTH_DIR
    if not (d / "plans.json").exists():
        raise InputError(f"{corpus}: no {TRUTH_DIR}/plans.json: not a synthetic corpus made by `plancompare synth`", path=str(corpus))
    plans = json.loads((d / "plans.json").read_text(encoding="utf-8"))["plans"]
    return plans, pd.read_parquet(d / "pairs.parquet")


__all__ = ["PROVINCES_2025", "TEMPLATE_TASKS", "ROOTS", "NationalReport", "generate", "load_truth", "is_raw_dir", "jurisdiction", "slug", "spread", "template_text"]
