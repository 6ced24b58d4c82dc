"""Synthetic child drafts with known truth, to measure the aligner on many labelled pairs.

A real child plan (a ward's plan implementing its province's plan) copies most of
its parent's tasks and edits some: it localises jurisdiction words, softens what
it cannot decide itself ("Xây dựng, ban hành" -> "Đề xuất xây dựng"), narrows,
rewords, drops, merges and splits tasks and adds a few of its own. This module
does the same to a parsed parent plan, with a seeded :class:`random.Random`, and
records what it did as a truth file in the format of the hand-labelled gold
alignments (``/work/shared/gold/*.yaml``)::

    parent_file: data/raw/dak-lak_146-KH-UBND_2025-06-25.txt
    child_file: tests/pairs/146_plain/child.txt
    pairs:
    - parent: Xây dựng, ban hành quy định trách nhiệm người đứng đầu các   # opening words:
      parent_label: b                                                     # >= 10, unique
      child: Đề xuất xây dựng quy định trách nhiệm người đứng đầu các
      child_label: a
      status: changed            # copied | changed | dropped | added
      kinds: [softened]

Edits (one per parent task, weights in :class:`EditMix`; a changed task may get a
second one): copy; ``localize`` ('tỉnh Đắk Lắk', 'toàn tỉnh', 'các cấp chính quyền',
'quốc gia' -> 'phường' / 'địa phương': copied [localized]); ``reformat`` (re-spacing,
re-wrapping, tone-mark placement 'hóa'/'hoá': copied); ``drop``; ``soften``,
``narrow`` (a sentence, ';'-clause or sub-bullet of >= 20% of the text removed),
``extend`` (a sentence of new content appended), ``retarget`` (a percentage, year
or count changed), ``reword`` (synonyms), ``typo`` (one wrong tone mark): changed
with that kind; ``merge`` (two neighbouring tasks -> one child, two truth pairs)
and ``split`` (a task of >= 2 sentences -> two children, two truth pairs): changed
[merged] / [split]. Draft-wide: ``add`` new tasks (added) and ``reorder`` (tasks
shuffled within and moved among sections, relabelled a), b), c)... in the new
order). Only the parent's body tasks are used (appendix tables are not drafted),
as the aligner compares body tasks.

The same draft (same ``seed``) renders in four layouts that imitate the corpus:
``plain`` (one paragraph per line, like 283-KH/TU), ``pdf_text`` (hard-wrapped at
~80 characters, a blank line after every physical line, ragged indentation,
document numbers split as '57-' / 'NQ/TW', like the Tân Lập ward plan),
``web_scrape`` (metadata pipe table, the opening repeated and truncated, the part
headings and most section headings lost, site text at the end, like 146/KH-UBND)
and ``markdown`` (``#`` headings, bold labels, like 03/NQ-CP). The first line of
every draft is :data:`SYNTHETIC_MARKER`.

The truth must stay exact after parsing, so the renderers avoid what the parser
cannot undo (see the notes in tests/pairs/README.md): a wrapped line never starts
with something that reads as a list marker ('4.0 ...', '- xã hội'); re-wrapped
task lines break only before lower-case words; ``web_scrape`` keeps the headings
of section 3 and of the last task section (all of them for dash items).

>>> from plancompare.parse import parse_file
>>> from plancompare.synth import make_draft, EditMix
>>> parent = parse_file("data/raw/dak-lak_146-KH-UBND_2025-06-25.txt")
>>> draft = make_draft(parent, seed=7, edits=EditMix(), layout="plain")   # doctest: +SKIP
>>> draft.text.splitlines()[0]                                             # doctest: +SKIP
'BẢN NHÁP TỔNG HỢP (synthetic, seed=7) — không phải văn bản thật.'

Pure library code: no CLI framework, no I/O except :func:`write_pair`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from random import Random
from typing import Any, Iterable

from ..models import ParsedDocument, Task
from ..normalize import alternate_tone, normalize_tone

__all__ = [
    "LAYOUTS",
    "STYLES",
    "OPS",
    "KIND_ORDER",
    "SYNTHETIC_MARKER",
    "EditMix",
    "ChildTask",
    "ChildSection",
    "ChildPlan",
    "Draft",
    "plan_draft",
    "render",
    "make_draft",
    "write_pair",
    "truth_norm",
    "opening_key",
    "MIN_KEY_WORDS",
    "localize",
    "soften",
    "narrow",
    "extend",
    "retarget",
    "reword",
    "typo",
    "reformat",
    "split_sentences",
    "split_clauses",
    "DETECTED_LAYOUT",
]

LAYOUTS = ("plain", "pdf_text", "web_scrape", "markdown", "site_markdown")
#: the layout the parser detects for each: a legal-document site's markdown is markdown
DETECTED_LAYOUT = {"site_markdown": "markdown"}
STYLES = ("letter", "decimal", "dash")
#: per-task edit operations (``add`` and ``reorder`` act on the whole draft)
OPS = ("copy", "localize", "reformat", "drop", "soften", "narrow", "extend", "retarget", "reword", "typo", "merge", "split")
#: order in which kinds are listed in the truth
KIND_ORDER = ("softened", "narrowed", "extended", "retargeted", "reworded", "merged", "split", "localized", "typo")
#: first line of every draft (the final '.' keeps the PDF layout's line joiner from gluing the next line to it)
SYNTHETIC_MARKER = "BẢN NHÁP TỔNG HỢP (synthetic, seed={seed}) — không phải văn bản thật."

VN_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()
MIN_KEY_WORDS = 10  # the gold files name tasks by ~10 syllables


# ------------------------------------------------------------------ edit mix


@dataclass(frozen=True)
class EditMix:
    """Relative weights of the per-task edits, plus draft-wide settings.

    Each parent task gets one primary edit drawn with these weights among the
    edits applicable to it (``split`` needs two sentences, ``retarget`` a number,
    ``localize`` a jurisdiction word, ...). A changed task gets a second edit
    with probability ``combine`` (giving kinds such as ``[softened, localized]``).
    ``add`` new child tasks are inserted; ``reorder`` is the probability that a
    section's tasks are shuffled and that a task moves to another section.
    ``ensure_all`` forces at least one occurrence of every edit with a non-zero
    weight when some parent task allows it. ``intensity`` scales how much one
    edit changes (words swapped by ``reword``, units removed by ``narrow``,
    sentences appended by ``extend``); :meth:`hard` is a preset."""

    copy: float = 0.22
    localize: float = 0.10
    reformat: float = 0.08
    drop: float = 0.08
    soften: float = 0.11
    narrow: float = 0.08
    extend: float = 0.06
    retarget: float = 0.05
    reword: float = 0.08
    typo: float = 0.02
    merge: float = 0.05
    split: float = 0.05
    combine: float = 0.25
    add: int = 3
    reorder: float = 0.3
    ensure_all: bool = True
    intensity: float = 1.0

    @classmethod
    def hard(cls) -> "EditMix":
        """Fewer verbatim copies, more combined edits, heavier rewording and narrowing."""
        return cls(copy=0.08, localize=0.08, reformat=0.04, drop=0.10, soften=0.14, narrow=0.14, extend=0.08, retarget=0.05,
                   reword=0.14, typo=0.03, merge=0.06, split=0.06, combine=0.6, add=6, reorder=0.6, intensity=2.5)

    def weights(self) -> dict[str, float]:
        return {op: float(getattr(self, op)) for op in OPS}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def parse(cls, spec: str) -> "EditMix":
        """``'drop=0.2,add=5,reorder=0'`` -> an EditMix (unnamed fields keep their defaults)."""
        kw: dict[str, Any] = {}
        names = {f.name: f.type for f in fields(cls)}
        for part in filter(None, (p.strip() for p in spec.split(","))):
            name, _, value = part.partition("=")
            name = name.strip()
            if name not in names:
                raise ValueError(f"unknown edit {name!r}; one of {', '.join(names)}")
            if name == "add":
                kw[name] = int(value)
            elif name == "ensure_all":
                kw[name] = value.strip().lower() in ("1", "true", "yes", "on")
            else:
                kw[name] = float(value)
        return cls(**kw)

    @classmethod
    def only(cls, *ops: str, add: int = 0, reorder: float = 0.0) -> "EditMix":
        """A mix that applies only the named edits (equal weights), e.g. ``EditMix.only('soften')``."""
        for op in ops:
            if op not in OPS:
                raise ValueError(f"unknown edit {op!r}")
        kw: dict[str, Any] = {op: (1.0 if op in ops else 0.0) for op in OPS}
        return cls(**kw, combine=0.0, add=add, reorder=reorder, ensure_all=False)


# ------------------------------------------------------------------ text helpers

_TRUTH_TONE = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oè": "òe", "oé": "óe",
               "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe", "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}


def truth_norm(text: str | None) -> str:
    """The normalisation the gold scorer (``/work/shared/tools/score_gold.py``) applies to task texts."""
    t = unicodedata.normalize("NFC", text or "").lower()
    for a, b in _TRUTH_TONE.items():
        t = t.replace(a, b)
    t = re.sub(r"-\s+", "-", t)
    t = re.sub(r"[^\w%]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def opening_key(text: str, others: Iterable[str], min_words: int = MIN_KEY_WORDS) -> str:
    """The shortest opening of ``text`` (>= ``min_words`` words) that no other text starts with.

    'Starts with' is the scorer's test: a string prefix after :func:`truth_norm`.
    ``others`` are the normalised texts of the other tasks. If ``text`` is a prefix
    of another text (or equal to it) the whole text is returned."""
    words = text.split()
    others = [o for o in others]
    for n in range(min(min_words, len(words)), len(words) + 1):
        k = " ".join(words[:n])
        nk = truth_norm(k)
        if not any(o.startswith(nk) for o in others):
            return k
    return " ".join(words)


def _lcfirst(s: str) -> str:
    if len(s) > 1 and s[0].isupper() and s[1].islower():
        return s[0].lower() + s[1:]
    return s


def _ucfirst(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def _ensure_terminal(s: str) -> str:
    s = s.rstrip()
    if not s:
        return s
    if re.search(r"[.:;!?…]\s*[\"”’)]*$", s):
        return s
    return s + "."


def _words(s: str) -> int:
    return len(s.split())


_ABBREV = re.compile(r"(?:[A-ZĐ]{1,3}|TP|ThS|TS|PGS|GS|v\.v|Tr|St|Th)$")


def split_sentences(text: str) -> list[str]:
    """Sentences of one paragraph: a '.', '!', '?' or '…' followed by a capitalised word."""
    out: list[str] = []
    start = 0
    for m in re.finditer(r"[.!?…]+[\"”’)]*\s+", text):
        nxt = text[m.end(): m.end() + 2]
        if not nxt:
            continue
        up = nxt[0].isupper() or (nxt[0] in "\"“(" and len(nxt) > 1 and nxt[1].isupper())
        if not up:
            continue
        before = text[start: m.start()].split()
        if before and _ABBREV.match(before[-1]) and text[m.start()] == ".":
            continue
        out.append(text[start: m.end()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def split_clauses(text: str) -> list[str]:
    """';'-separated clauses (outside parentheses), each keeping its ';'."""
    out: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in "(“":
            depth += 1
        elif ch in ")”" and depth:
            depth -= 1
        elif ch == ";" and depth == 0 and i + 1 < len(text) and text[i + 1] == " ":
            out.append(text[start: i + 1].strip())
            start = i + 1
    out.append(text[start:].strip())
    return [c for c in out if c]


def _join_units(units: list[str]) -> str:
    """Rejoin sentences/clauses after one was removed: the last one ends with '.'."""
    text = " ".join(u.strip() for u in units)
    text = re.sub(r"[;,]\s*$", ".", text.strip())
    return _ensure_terminal(text)


# ------------------------------------------------------------------ edit rules

_JURIS_NAME = r"(?:\s+[A-ZĐ][\wÀ-ỹ]*(?:\s+[A-ZĐ][\wÀ-ỹ]*){0,2})?"
LOCALIZE_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\btrên địa bàn toàn tỉnh\b"), "trên địa bàn phường"),
    (re.compile(r"\btrên phạm vi toàn tỉnh\b"), "trên phạm vi toàn phường"),
    (re.compile(r"\btoàn tỉnh\b"), "toàn phường"),
    (re.compile(r"\btrong toàn quốc\b"), "trong toàn phường"),
    (re.compile(r"\btoàn quốc\b"), "toàn phường"),
    (re.compile(r"\bcác cấp chính quyền\b"), "địa phương"),
    (re.compile(r"\bchính quyền các cấp\b"), "chính quyền địa phương"),
    (re.compile(r"(?<!các )(?<!những )(?<!nhiều )(?<!với )(?<!giữa )\bquốc gia\b"), "địa phương"),
    (re.compile(r"\btỉnh(?!\s+(?:ủy|uỷ|Ủy|Uỷ)\b)" + _JURIS_NAME + r"\b"), "phường"),
]

SOFTEN_START: list[tuple[str, str]] = [
    ("Xây dựng, ban hành", "Đề xuất xây dựng"),
    ("Xây dựng, triển khai", "Phối hợp xây dựng, triển khai"),
    ("Xây dựng và", "Phối hợp xây dựng và"),
    ("Rà soát, sửa đổi", "Rà soát, đề xuất sửa đổi"),
    ("Rà soát, xây dựng", "Rà soát, đề xuất xây dựng"),
    ("Rà soát, bổ sung", "Rà soát, đề xuất bổ sung"),
    ("Nghiên cứu, ban hành", "Nghiên cứu, đề xuất ban hành"),
    ("Ban hành", "Tham mưu ban hành"),
    ("Phát triển", "Phối hợp phát triển"),
    ("Xây dựng", "Tham mưu xây dựng"),
    ("Triển khai", "Phối hợp triển khai"),
    ("Tổ chức", "Phối hợp tổ chức"),
    ("Thực hiện", "Phối hợp thực hiện"),
    ("Sửa đổi", "Đề xuất sửa đổi"),
    ("Hoàn thiện", "Tham mưu hoàn thiện"),
    ("Công bố", "Đề xuất công bố"),
    ("Tăng cường", "Phối hợp tăng cường"),
    ("Đẩy mạnh", "Phối hợp đẩy mạnh"),
]
SOFTEN_ANY: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bkịp thời sửa đổi\b"), "kịp thời đề xuất sửa đổi"),
    (re.compile(r"\bxây dựng, ban hành\b"), "đề xuất xây dựng"),
]
_SOFT_ALREADY = ("Tham mưu", "Đề xuất", "Phối hợp", "Rà soát, đề xuất", "Nghiên cứu, đề xuất")
_NO_SOFTEN = ("Phấn đấu",)  # a target, not an action: nothing to soften

SYNONYMS: list[tuple[str, str]] = [
    ("tăng cường", "đẩy mạnh"),
    ("nâng cao", "cải thiện"),
    ("triển khai", "thực hiện"),
    ("thúc đẩy", "đẩy nhanh"),
    ("khuyến khích", "động viên"),
    ("kịp thời", "nhanh chóng"),
    ("đồng bộ", "thống nhất"),
    ("ưu tiên", "chú trọng"),
    ("hỗ trợ", "trợ giúp"),
    ("phát huy", "khơi dậy"),
    ("thường xuyên", "liên tục"),
    ("mạnh mẽ", "quyết liệt"),
    ("đảm bảo", "bảo đảm"),
    ("người dân", "Nhân dân"),
    ("rà soát", "xem xét"),
    ("hằng năm", "mỗi năm"),
    ("sâu rộng", "rộng khắp"),
    ("cụ thể hóa", "chi tiết hóa"),
]

EXTEND_POOL = [
    "Định kỳ hằng quý báo cáo kết quả thực hiện về UBND phường để theo dõi, tổng hợp.",
    "Phấn đấu đến hết năm 2027 hoàn thành cơ bản các nội dung nêu trên.",
    "Lồng ghép nội dung này vào kế hoạch công tác hằng năm của từng cơ quan, đơn vị.",
    "Huy động đoàn viên thanh niên và Tổ công nghệ số cộng đồng tham gia hỗ trợ người dân.",
    "Kết quả thực hiện là một tiêu chí đánh giá, xếp loại thi đua cuối năm của tập thể, cá nhân.",
    "Chú trọng hướng dẫn người cao tuổi, hộ kinh doanh nhỏ lẻ tiếp cận các tiện ích số.",
    "Tổ chức sơ kết, đánh giá kết quả sau 6 tháng triển khai để kịp thời điều chỉnh.",
    "Gắn trách nhiệm của người đứng đầu đơn vị với kết quả thực hiện nhiệm vụ này.",
    "Công khai kết quả thực hiện trên Trang thông tin điện tử của phường.",
    "Ưu tiên triển khai trước tại các khu phố có điều kiện hạ tầng thuận lợi.",
    "Phối hợp chặt chẽ với các doanh nghiệp viễn thông trên địa bàn trong quá trình thực hiện.",
    "Bố trí cán bộ đầu mối theo dõi, đôn đốc việc thực hiện tại từng khu phố.",
]

ADD_POOL = [
    "Tổ chức khảo sát nhu cầu ứng dụng công nghệ số của các hộ kinh doanh trên địa bàn phường, tổng hợp danh sách hộ cần hỗ trợ và đề xuất giải pháp phù hợp.",
    "Thành lập tổ hỗ trợ người dân thực hiện dịch vụ công trực tuyến tại bộ phận một cửa, bố trí ít nhất hai công chức trực hướng dẫn trong giờ hành chính.",
    "Xây dựng mô hình khu phố số thí điểm, trong đó mỗi hộ gia đình có ít nhất một thành viên sử dụng thành thạo ứng dụng định danh điện tử.",
    "Phát động cuộc thi tìm hiểu về chuyển đổi số dành cho học sinh các trường trung học cơ sở trên địa bàn, trao giải vào dịp khai giảng năm học mới.",
    "Rà soát, cập nhật danh mục các điểm phát sóng Internet không dây miễn phí tại nhà văn hóa khu phố, chợ và các điểm sinh hoạt cộng đồng.",
    "Hướng dẫn các chợ truyền thống trên địa bàn triển khai thanh toán không dùng tiền mặt bằng mã QR tại ít nhất một nửa số quầy hàng.",
    "Tổ chức lớp bồi dưỡng kỹ năng số cơ bản cho thành viên Tổ công nghệ số cộng đồng ở từng khu phố, mỗi năm ít nhất một đợt.",
    "Số hóa toàn bộ hồ sơ hộ tịch lưu trữ tại phường, kết nối với cơ sở dữ liệu hộ tịch điện tử theo hướng dẫn của cơ quan chuyên môn cấp trên.",
    "Bố trí một góc trải nghiệm công nghệ số tại trụ sở UBND phường để người dân được hướng dẫn cài đặt và sử dụng các ứng dụng thiết yếu.",
    "Vận động các hợp tác xã và tổ hợp tác trên địa bàn đưa sản phẩm chủ lực lên sàn thương mại điện tử, gắn mã truy xuất nguồn gốc sản phẩm.",
    "Đưa nội dung phổ biến kiến thức về an toàn thông tin cá nhân vào các buổi sinh hoạt khu phố, tổ dân phố định kỳ hằng tháng.",
    "Thiết lập nhóm thông tin điện tử giữa UBND phường với trưởng khu phố để tiếp nhận phản ánh, kiến nghị của người dân về dịch vụ công.",
    "Tổ chức ngày hội chuyển đổi số của phường mỗi năm một lần, giới thiệu các sản phẩm, dịch vụ số của doanh nghiệp và hộ kinh doanh địa phương.",
    "Khảo sát mức độ hài lòng của người dân đối với việc giải quyết thủ tục hành chính trên môi trường điện tử, công bố kết quả sáu tháng một lần.",
    "Phối hợp với trường học trên địa bàn duy trì câu lạc bộ khoa học và sáng tạo cho thiếu niên, tổ chức trưng bày sản phẩm vào cuối năm học.",
    "Cập nhật bản đồ số các thiết chế văn hóa, thể thao và điểm du lịch trên địa bàn phường để người dân, du khách tra cứu trực tuyến.",
]

SECTION_TOPICS: list[tuple[str, str]] = [
    (r"tuyên truyền|nhận thức|phong trào|thi đua", "Nâng cao nhận thức, đổi mới tư duy về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"),
    (r"thể chế|cơ chế|chính sách|văn bản quy phạm", "Hoàn thiện cơ chế, chính sách, tháo gỡ điểm nghẽn"),
    (r"hạ tầng|dữ liệu|nền tảng", "Tăng cường đầu tư, hoàn thiện hạ tầng số và dữ liệu"),
    (r"nhân lực|đào tạo|bồi dưỡng|nhân tài", "Phát triển nguồn nhân lực chất lượng cao"),
    (r"dịch vụ công|thủ tục hành chính|an toàn thông tin|an ninh mạng", "Đẩy mạnh chuyển đổi số trong cơ quan nhà nước, bảo đảm an toàn thông tin"),
    (r"doanh nghiệp|khởi nghiệp|thương mại điện tử", "Thúc đẩy doanh nghiệp đổi mới sáng tạo và chuyển đổi số"),
    (r"hợp tác|quốc tế|liên kết", "Tăng cường hợp tác, liên kết trong phát triển khoa học, công nghệ"),
    (r"kiểm tra|giám sát|đánh giá", "Giám sát, đánh giá và tuyên truyền"),
]

PLACES = ["An Khánh", "Hòa Phú", "Tân Thành", "Thắng Lợi", "Bình Minh", "Phú Lâm", "Tân Hòa", "Hòa Xuân", "Thuận An", "Long Phước"]
SIGNERS = ["Trần Văn Bình", "Lê Thị Hoa", "Phạm Minh Tuấn", "Nguyễn Thị Lan", "Võ Đức Thịnh", "Hoàng Văn Nam"]

_PERCENT = re.compile(r"(?<![\d.,/\-])(\d{1,3}(?:,\d+)?)(\s*%)")
_YEAR = re.compile(r"(?<![\d/.\-])(20[2-5]\d)(?![\d/\-])")
_COUNT = re.compile(r"(?<![\d/.,\-])(\d{1,3})(\s+(?:năm|tháng|lần|doanh nghiệp|trung tâm|cơ sở|sản phẩm))\b")


def localize(text: str) -> str | None:
    out = text
    for rx, repl in LOCALIZE_RULES:
        out = rx.sub(repl, out)
    return out if truth_norm(out) != truth_norm(text) else None


def soften(text: str, rng: Random) -> str | None:
    head = text
    if head.startswith(_SOFT_ALREADY) or head.startswith(_NO_SOFTEN):
        return None
    for src, dst in SOFTEN_START:
        if head.startswith(src) and (len(head) == len(src) or not head[len(src)].isalnum()):
            if src == "Xây dựng" and rng.random() < 0.5:
                dst = "Đề xuất xây dựng"
            return dst + head[len(src):]
    for rx, dst in SOFTEN_ANY:
        if rx.search(head):
            return rx.sub(dst, head, count=1)
    lead = rng.choice(["Tham mưu, đề xuất ", "Phối hợp ", "Đề xuất "])
    return lead + _lcfirst(head)


def narrow(text: str, rng: Random, intensity: float = 1.0) -> str | None:
    """Remove a sentence, a ';'-clause or a sub-bullet that is >= ~20% of the text.

    With ``intensity`` > 1 the opening sentence goes more often and further units are
    removed while at least ~40% of the text remains."""
    out = _narrow_once(text, rng, first_p=min(0.6, 0.2 * intensity))
    if out is None:
        return None
    for _ in range(int(intensity) - 1):
        more = _narrow_once(out, rng, first_p=min(0.6, 0.2 * intensity))
        if more is None or len(more) < 0.4 * len(text):
            break
        out = more
    return out


def _narrow_once(text: str, rng: Random, first_p: float = 0.2) -> str | None:
    lines = text.split("\n")
    if len(lines) >= 3:  # head + >= 2 sub-bullets: remove one sub-bullet
        cands = [i for i in range(1, len(lines)) if len(lines[i]) >= 0.15 * len(text)]
        if not cands:
            return None
        i = rng.choice(cands)
        return "\n".join(lines[:i] + lines[i + 1:])
    if len(lines) > 1:
        return None
    total = len(text)
    options: list[tuple[list[str], int]] = []
    sents = split_sentences(text)
    if len(sents) >= 2:
        options += [(sents, i) for i in range(len(sents))]
    clauses = split_clauses(text)
    if len(clauses) >= 2:
        options += [(clauses, i) for i in range(len(clauses))]
    good = []
    for units, i in options:
        removed = units[i]
        rest = units[:i] + units[i + 1:]
        if len(removed) < 0.2 * total or _words(" ".join(rest)) < MIN_KEY_WORDS + 2:
            continue
        good.append((units, i))
    if not good:
        return None
    not_first = [g for g in good if g[1] > 0]
    pool = not_first if not_first and rng.random() >= first_p else good
    units, i = rng.choice(pool)
    rest = units[:i] + units[i + 1:]
    out = _join_units(rest)
    out = _ucfirst(out)
    return out


def extend(text: str, rng: Random, intensity: float = 1.0) -> str | None:
    """Append one (``intensity`` > 1: up to ``int(intensity)``) sentence(s) of new content."""
    pool = [s for s in EXTEND_POOL if truth_norm(s) not in truth_norm(text)]
    if not pool:
        return None
    n = max(1, min(len(pool), rng.randint(1, max(1, int(intensity)))))
    return _ensure_terminal(text) + " " + " ".join(rng.sample(pool, n))


def _new_percent(v: str, rng: Random) -> str:
    if "," in v:
        a, b = v.split(",", 1)
        x = float(a + "." + b)
        y = x + rng.choice([-0.5, 0.5, 1.0])
        if y <= 0:
            y = x + 1.0
        s = f"{y:.1f}".rstrip("0").rstrip(".")
        return s.replace(".", ",")
    x = int(v)
    if x >= 100:
        return str(rng.choice([80, 90, 95]))
    choices = [d for d in (-10, -5, 5, 10, 15) if 0 < x + d <= 100]
    return str(x + rng.choice(choices))


def retarget(text: str, rng: Random) -> str | None:
    cands: list[tuple[int, int, str]] = []
    for m in _PERCENT.finditer(text):
        cands.append((m.start(1), m.end(1), _new_percent(m.group(1), rng)))
    for m in _YEAR.finditer(text):
        y = int(m.group(1))
        cands.append((m.start(1), m.end(1), str(y + rng.choice([-3, -2, 2, 3, 5]))))
    for m in _COUNT.finditer(text):
        x = int(m.group(1))
        cands.append((m.start(1), m.end(1), str(max(1, x + rng.choice([-2, -1, 1, 2, 5])))))
    cands = [c for c in cands if text[c[0]: c[1]] != c[2]]
    if not cands:
        return None
    a, b, new = rng.choice(cands)
    return text[:a] + new + text[b:]


def reword(text: str, rng: Random, n: int | None = None, intensity: float = 1.0) -> str | None:
    """Swap 1-3 words for synonyms ('tăng cường' <-> 'đẩy mạnh', 'người dân' <-> 'Nhân dân'...)."""
    hits: list[tuple[int, int, str]] = []
    for a, b in SYNONYMS:
        for src, dst in ((a, b), (b, a)):
            for m in re.finditer(r"(?<!\w)" + re.escape(src) + r"(?!\w)", text, flags=re.IGNORECASE):
                found = m.group(0)
                sentence_start = m.start() == 0 or bool(re.search(r"[.!?:]\s*$", text[: m.start()]))
                repl = _ucfirst(dst) if sentence_start else dst
                before = text[: m.start()].rstrip().lower()
                after = text[m.end():].lstrip().lower()
                if before.endswith(dst.lower()) or after.startswith(dst.lower()):
                    continue  # 'triển khai thực hiện' must not become 'thực hiện thực hiện'
                if truth_norm(found) != truth_norm(repl):
                    hits.append((m.start(), m.end(), repl))
    if not hits:
        return None
    rng.shuffle(hits)
    n = n or max(1, round(rng.choice([1, 2, 2, 3]) * intensity))
    chosen: list[tuple[int, int, str]] = []
    for h in hits:
        if all(h[1] <= c[0] or h[0] >= c[1] for c in chosen):
            chosen.append(h)
        if len(chosen) >= n:
            break
    out = text
    for a, b, repl in sorted(chosen, reverse=True):
        out = out[:a] + repl + out[b:]
    return out if truth_norm(out) != truth_norm(text) else None


_TONES = ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]


def _retone(syllable: str, rng: Random) -> str | None:
    """The syllable with another tone mark ('thúc' -> 'thục'), built in canonical order."""
    d = unicodedata.normalize("NFD", syllable)
    tone = next((ch for ch in d if ch in _TONES), None)
    if tone is None:
        return None
    new_tone = rng.choice([t for t in _TONES if t != tone])
    chars = [ch for ch in d if ch != tone]
    # the tone goes after the vowel's own marks (circumflex, breve, horn) of the marked vowel
    i = d.index(tone)
    base = i - 1
    while base > 0 and unicodedata.combining(d[base]):
        base -= 1
    j = base + 1
    while j < len(chars) and unicodedata.combining(chars[j]):
        j += 1
    out = unicodedata.normalize("NFC", "".join(chars[:j]) + new_tone + "".join(chars[j:]))
    return out if out != syllable else None


def typo(text: str, rng: Random) -> str | None:
    """One wrong tone mark in a word of 4+ letters ('thúc đẩy' -> 'thức đẩy' is a real ward typo)."""
    words = list(re.finditer(r"\w{4,}", text))
    rng.shuffle(words)
    for m in words:
        nw = _retone(m.group(0), rng)
        if nw and truth_norm(nw) != truth_norm(m.group(0)) and len(nw) == len(m.group(0)):
            return text[: m.start()] + nw + text[m.end():]
    return None


def reformat(text: str, rng: Random) -> tuple[str, bool] | None:
    """Re-space, switch tone-mark placement, and/or mark for re-wrapping. Returns (text, rewrap)."""
    out = text
    variants = ["space", "wrap"]
    if normalize_tone(text) != text or alternate_tone(text) != text:
        variants.append("tone")
    chosen = [v for v in variants if rng.random() < 0.6] or [rng.choice(variants)]
    if "tone" in chosen:
        alt = alternate_tone(out)
        out = alt if alt != out else normalize_tone(out)
    if "space" in chosen:
        spots = [m.start() for m in re.finditer(r" ", out)]
        rng.shuffle(spots)
        for pos in sorted(spots[: max(1, len(spots) // 12)], reverse=True):
            out = out[:pos] + rng.choice(["  ", " \u00a0"]) + out[pos + 1:] if out[pos - 1: pos] != "\n" else out
        out = re.sub(r"\s*,\s*", lambda m: rng.choice([", ", " , ", ","]) if rng.random() < 0.15 else m.group(0), out)
    assert truth_norm(out) == truth_norm(text)
    return out, "wrap" in chosen


_EDIT_FNS = {
    "localize": lambda s, rng, k: localize(s),
    "soften": lambda s, rng, k: soften(s, rng),
    "narrow": lambda s, rng, k: narrow(s, rng, intensity=k),
    "extend": lambda s, rng, k: extend(s, rng, intensity=k),
    "retarget": lambda s, rng, k: retarget(s, rng),
    "reword": lambda s, rng, k: reword(s, rng, intensity=k),
    "typo": lambda s, rng, k: typo(s, rng),
}
#: edits that may be added, as a second edit, to a changed task
SECOND_OPS = ("localize", "soften", "narrow", "reword", "retarget", "extend")
#: order in which the text edits of one task are applied (extend last)
APPLY_ORDER = ("narrow", "retarget", "reword", "typo", "localize", "soften", "extend")
#: the truth's kind for each edit
KIND_OF = {"localize": "localized", "soften": "softened", "narrow": "narrowed", "extend": "extended", "retarget": "retargeted",
           "reword": "reworded", "typo": "typo", "merge": "merged", "split": "split"}


def _applicable(op: str, task: Task) -> bool:
    text = task.text
    single = "\n" not in text
    if op in ("copy", "drop", "reformat", "extend"):
        return True
    if op == "soften":
        return soften(text, Random(0)) is not None
    if op == "reword":
        return reword(text, Random(0)) is not None
    if op == "localize":
        return localize(text) is not None
    if op == "narrow":
        return narrow(text, Random(0)) is not None
    if op == "retarget":
        return retarget(text, Random(0)) is not None
    if op == "typo":
        return typo(text, Random(0)) is not None
    if op == "split":
        return single and _split_points(text) != []
    if op == "merge":
        return single
    return False


def _split_points(text: str) -> list[int]:
    sents = split_sentences(text)
    pts = []
    for k in range(1, len(sents)):
        if _words(" ".join(sents[:k])) >= MIN_KEY_WORDS + 2 and _words(" ".join(sents[k:])) >= MIN_KEY_WORDS + 2:
            pts.append(k)
    return pts


# ------------------------------------------------------------------ draft model


@dataclass
class ChildTask:
    """One task of the child draft."""

    text: str
    origin: list[int] = field(default_factory=list)  # indexes into the parent's body tasks
    kinds: list[str] = field(default_factory=list)
    status: str = "copied"  # copied | changed | added
    ops: list[str] = field(default_factory=list)
    rewrap: bool = False
    label: str = ""
    key: str = ""


@dataclass
class ChildSection:
    title: str
    tasks: list[ChildTask] = field(default_factory=list)
    number: int = 0


@dataclass
class ChildPlan:
    """A draft before rendering: header facts, objectives, task sections, organisation."""

    seed: int
    style: str
    place: str
    number: str
    date: dt.date
    signer: str
    roman_sep: str
    parent_ref: str  # 'Kế hoạch số 146/KH-UBND ngày 25/6/2025 của UBND tỉnh Đắk Lắk'
    subject: str
    objectives: list[str]
    specific: str
    sections: list[ChildSection]
    funding: list[str]
    organisation: list[tuple[str, list[str]]]
    parent_keys: list[str]  # truth key of each parent body task
    parent_labels: list[str | None]
    dropped: list[int]
    edits: EditMix
    notes: list[str] = field(default_factory=list)

    def tasks(self) -> list[ChildTask]:
        return [t for s in self.sections for t in s.tasks]

    def truth_pairs(self) -> list[dict[str, Any]]:
        """Truth entries in the gold format, in parent order, added tasks last."""
        by_parent: dict[int, list[ChildTask]] = {}
        for t in self.tasks():
            for i in t.origin:
                by_parent.setdefault(i, []).append(t)
        pairs: list[dict[str, Any]] = []
        for i, pkey in enumerate(self.parent_keys):
            kids = by_parent.get(i, [])
            if not kids:
                pairs.append({"parent": pkey, "parent_label": self.parent_labels[i], "child": None, "status": "dropped"})
                continue
            for c in kids:
                e: dict[str, Any] = {"parent": pkey, "parent_label": self.parent_labels[i], "child": c.key, "child_label": c.label, "status": c.status}
                if c.kinds:
                    e["kinds"] = list(c.kinds)
                pairs.append(e)
        for c in self.tasks():
            if not c.origin:
                pairs.append({"parent": None, "child": c.key, "child_label": c.label, "status": "added"})
        return pairs


@dataclass
class Draft:
    """A rendered synthetic child plan and its truth (gold-format dict)."""

    text: str
    truth: dict[str, Any]
    layout: str
    seed: int
    plan: ChildPlan = field(repr=False)

    @property
    def suffix(self) -> str:
        return ".md" if self.layout in ("markdown", "site_markdown") else ".txt"

    @property
    def child_task_count(self) -> int:
        return len({p["child"] for p in self.truth["pairs"] if p.get("child")})

    def truth_yaml(self) -> str:
        import yaml

        return yaml.safe_dump(self.truth, allow_unicode=True, sort_keys=False, width=1000)


# ------------------------------------------------------------------ planning


def _body_tasks(parent: ParsedDocument) -> list[Task]:
    return [t for t in parent.tasks if t.source == "body"]


def _draw(rng: Random, weights: dict[str, float], allowed: list[str]) -> str:
    ops = [o for o in allowed if weights.get(o, 0) > 0]
    if not ops:
        return "copy"
    total = sum(weights[o] for o in ops)
    r = rng.random() * total
    for o in ops:
        r -= weights[o]
        if r <= 0:
            return o
    return ops[-1]


def _section_title(tasks: list[Task], used: list[str], index: int) -> str:
    joined = " ".join(t.text.lower() for t in tasks)
    best, score = None, 0
    for rx, title in SECTION_TOPICS:
        n = len(re.findall(rx, joined))
        if n > score and title not in used:
            best, score = title, n
    return best or f"Các nhiệm vụ, giải pháp khác (nhóm {index})"


def _parent_ref(parent: ParsedDocument) -> str:
    d = parent.document
    kind = d.kind or "Kế hoạch"
    s = f"{kind} số {d.number}" if d.number else kind
    if d.issue_date:
        s += f" ngày {d.issue_date.day:02d}/{d.issue_date.month:02d}/{d.issue_date.year}"
    if d.issuer:
        s += f" của {d.issuer}"
    return s


def _subject(parent: ParsedDocument, raw_text: str | None) -> str:
    title = parent.document.title or ""
    if not title and raw_text:
        title = next((ln.strip() for ln in raw_text.splitlines() if len(ln.strip()) > 40), "")
    m = re.search(r"(khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số)", title)
    topic = m.group(1) if m else "khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
    return f"các nhiệm vụ phát triển {topic}"


def plan_draft(parent: ParsedDocument, raw_text: str | None = None, *, seed: int, edits: EditMix | None = None, style: str | None = None, place: str | None = None) -> ChildPlan:
    """Decide every edit of the draft (no rendering): the same plan renders in every layout."""
    edits = edits or EditMix()
    rng = Random(f"plancompare.synth:{seed}:plan")
    body = _body_tasks(parent)
    if not body:
        raise ValueError("the parent has no body tasks to derive a draft from")
    style = style or rng.choice(["letter", "letter", "decimal", "dash"])
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; one of {', '.join(STYLES)}")
    place = place or rng.choice(PLACES)

    # ---- truth keys of the parent tasks (unique among all parent tasks)
    all_norm = [truth_norm(t.text) for t in parent.tasks]
    notes: list[str] = []
    parent_keys: list[str] = []
    for t in body:
        others = [n for u, n in zip(parent.tasks, all_norm) if u.id != t.id]
        k = opening_key(t.text, others)
        nk = truth_norm(k)
        if any(o.startswith(nk) for o in others):
            body_others = [truth_norm(u.text) for u in body if u.id != t.id]
            k = opening_key(t.text, body_others)
            notes.append(f"parent task {t.id}: its opening also starts an appendix task; key unique among body tasks only")
        parent_keys.append(k)

    # ---- choose one primary edit per parent task
    weights = edits.weights()
    n = len(body)
    ops: list[str | None] = [None] * n
    partner: dict[int, int] = {}
    single = [("\n" not in t.text) for t in body]
    same_section = [t.section_path for t in body]

    def merge_partner(i: int) -> int | None:
        for j in range(i + 1, min(n, i + 4)):
            if ops[j] is None and single[j] and same_section[j] == same_section[i] and _words(body[j].text) >= MIN_KEY_WORDS:
                return j
        return None

    for i, t in enumerate(body):
        if ops[i] is not None:
            continue
        allowed = [op for op in OPS if _applicable(op, t)]
        if "merge" in allowed and merge_partner(i) is None:
            allowed.remove("merge")
        op = _draw(rng, weights, allowed)
        ops[i] = op
        if op == "merge":
            j = merge_partner(i)
            assert j is not None
            partner[i] = j
            ops[j] = "merge+"

    if edits.ensure_all:
        for op in OPS:
            if weights.get(op, 0) <= 0 or op in ops or op == "copy":
                continue
            cands = [i for i, o in enumerate(ops) if o in ("copy", "reformat") and _applicable(op, body[i])]
            if not cands:  # take a task from an edit that occurs more than once
                cands = [i for i, o in enumerate(ops) if o not in ("merge", "merge+", "split") and ops.count(o) >= 2 and _applicable(op, body[i])]
            if op == "merge":
                cands = [i for i in cands if merge_partner(i) is not None and ops[merge_partner(i) or 0] in ("copy", "reformat")]
            if not cands:
                continue
            i = rng.choice(cands)
            if op == "merge":
                j = merge_partner(i)
                if j is None:
                    continue
                partner[i] = j
                ops[j] = "merge+"
            ops[i] = op

    # ---- apply the edits
    children: list[ChildTask] = []
    placed: dict[int, list[ChildTask]] = {}

    def run_ops(text: str, todo: list[str]) -> tuple[str, list[str]]:
        """Apply text edits in a fixed order (extend last, so no other edit touches the new
        sentence and narrowing never just removes it); keep those that change the text."""
        done: list[str] = []
        for o in sorted(todo, key=APPLY_ORDER.index):
            new = _EDIT_FNS[o](text, rng, edits.intensity)
            if new is not None and truth_norm(new) != truth_norm(text):
                text = new
                done.append(o)
        return text, done

    for i, t in enumerate(body):
        op = ops[i]
        if op == "drop" or op == "merge+":
            continue
        text = t.text
        rewrap = False
        origin = [i]
        # the base texts: one, or two for a split; merge joins two parents first
        bases: list[tuple[str, list[str]]]
        if op == "reformat":
            res = reformat(text, rng)
            text, rewrap = res if res else (text, False)
            bases = [(text, ["reformat"] if res else [])]
        elif op == "merge":
            j = partner[i]
            origin = [i, j]
            other = body[j].text
            if rng.random() < 0.5:
                text = _ensure_terminal(text) + " " + _ensure_terminal(other)
            else:
                text = re.sub(r"[.;:…]+\s*$", "", text) + "; đồng thời " + _lcfirst(other)
            bases = [(text, ["merge"])]
        elif op == "split":
            sents = split_sentences(text)
            k = rng.choice(_split_points(text))
            bases = [(" ".join(sents[:k]), ["split"]), (" ".join(sents[k:]), ["split"])]
        else:
            bases = [(text, [])]
        for base, structural in bases:
            primary = [op] if op in _EDIT_FNS else []
            out, done = run_ops(base, primary)
            if primary and not done:
                out, done = base, []
            # a second edit on changed tasks (a merged task is not narrowed: that could
            # remove one parent's part entirely)
            if (done or structural and structural != ["reformat"]) and rng.random() < edits.combine:
                allowed2 = ("localize", "soften", "reword") if op == "merge" else SECOND_OPS
                cands = [o for o in allowed2 if o not in primary and weights.get(o, 0) > 0]
                rng.shuffle(cands)
                for o2 in cands:
                    out2, done2 = run_ops(base, primary + [o2])
                    if o2 in done2 and all(o in done2 for o in done):
                        out, done = out2, done2
                        break
            c = ChildTask(text=_ensure_terminal(out), origin=list(origin), ops=structural + done, rewrap=rewrap)
            kinds = {KIND_OF[o] for o in c.ops if o in KIND_OF}
            c.kinds = [k for k in KIND_ORDER if k in kinds]
            c.status = "changed" if any(k != "localized" for k in c.kinds) else "copied"
            if c.status == "changed":
                assert all(truth_norm(c.text) != truth_norm(body[o].text) for o in origin), (c.ops, c.text[:80])
            children.append(c)
            placed.setdefault(i, []).append(c)

    # ---- sections, mirroring the parent's
    order: list[str] = []
    groups: dict[str, list[int]] = {}
    for i, t in enumerate(body):
        sp = t.section_path or "?"
        if sp not in groups:
            order.append(sp)
            groups[sp] = []
        groups[sp].append(i)
    titles: dict[str, str] = {}
    used: list[str] = []
    for idx, sp in enumerate(order, 1):
        sec = next((s for s in parent.sections if s.path == sp), None)
        title = sec.title if sec and sec.title else None
        if title:
            title = localize(title) or title
            title = re.sub(r"[.:;]+$", "", title.replace("\n", " ")).strip()
        if not title:
            title = _section_title([body[i] for i in groups[sp]], used, idx)
        used.append(title)
        titles[sp] = title
    sections = [ChildSection(title=titles[sp], tasks=[c for i in groups[sp] for c in placed.get(i, []) if c.origin[0] == i]) for sp in order]

    # ---- added tasks
    parent_norms = [truth_norm(t.text) for t in parent.tasks]
    pool: list[str] = []
    for s_ in ADD_POOL:
        head = truth_norm(s_)[:60]
        if not any(p.startswith(head) for p in parent_norms):
            pool.append(s_)
    rng.shuffle(pool)
    for text in pool[: max(0, edits.add)]:
        c = ChildTask(text=text, origin=[], status="added", ops=["add"])
        nonempty = [s for s in sections if s.tasks] or sections
        sec = rng.choice(nonempty)
        sec.tasks.insert(rng.randint(0, len(sec.tasks)), c)

    # ---- reorder within and among sections
    if edits.reorder > 0:
        for sec in sections:
            if len(sec.tasks) >= 3 and rng.random() < edits.reorder:
                a = rng.randrange(0, len(sec.tasks) - 1)
                b = min(len(sec.tasks), a + rng.choice([2, 3, 4]))
                window = sec.tasks[a:b]
                rng.shuffle(window)
                sec.tasks[a:b] = window
        if len(sections) >= 2 and rng.random() < edits.reorder:
            src = rng.choice([s for s in sections if len(s.tasks) >= 2] or sections)
            dst = rng.choice([s for s in sections if s is not src])
            if src.tasks:
                moved = src.tasks.pop(rng.randrange(len(src.tasks)))
                dst.tasks.insert(rng.randint(0, len(dst.tasks)), moved)

    # ---- drop empty sections, split sections longer than the alphabet
    final: list[ChildSection] = []
    for sec in sections:
        if not sec.tasks:
            continue
        chunks = [sec.tasks[k: k + len(VN_LETTERS)] for k in range(0, len(sec.tasks), len(VN_LETTERS))]
        for ci, chunk in enumerate(chunks):
            final.append(ChildSection(title=sec.title + (" (tiếp theo)" if ci else ""), tasks=chunk))
    for si, sec in enumerate(final, 1):
        sec.number = si
        for ti, c in enumerate(sec.tasks, 1):
            c.label = VN_LETTERS[ti - 1] if style == "letter" else (f"{si}.{ti}" if style == "decimal" else "-")

    # ---- child truth keys (unique among child tasks)
    all_children = [c for s in final for c in s.tasks]
    cnorm = [truth_norm(c.text) for c in all_children]
    for idx, c in enumerate(all_children):
        others = [x for j, x in enumerate(cnorm) if j != idx]
        c.key = opening_key(c.text, others)
        nk = truth_norm(c.key)
        if any(o.startswith(nk) for o in others):
            notes.append(f"child task {c.label} in section {idx}: its text is a prefix of another child task")

    dropped = [i for i, o in enumerate(ops) if o == "drop"]

    # ---- header facts
    d0 = parent.document.issue_date or dt.date(2025, 6, 1)
    date = d0 + dt.timedelta(days=rng.randint(12, 60))
    objectives = []
    for o in parent.objectives:
        txt = o.text.strip()
        if len(txt) < 80 or txt.lower().startswith(("mục tiêu", "chi tiết")):
            continue
        objectives.append(_ensure_terminal(localize(txt) or txt))
        if len(objectives) >= 3:
            break
    if not objectives:
        objectives = [f"Triển khai kịp thời, hiệu quả {_parent_ref(parent)} trên địa bàn phường, gắn với điều kiện thực tế của địa phương."]
    specific = "Cụ thể hóa các nhiệm vụ được giao thành nhiệm vụ của từng cơ quan, đơn vị thuộc phường, bảo đảm tiến độ và chất lượng thực hiện."
    funding = [
        "Kinh phí thực hiện Kế hoạch được bố trí từ nguồn ngân sách nhà nước theo phân cấp hiện hành và các nguồn vốn huy động hợp pháp khác theo quy định của pháp luật.",
        "Hằng năm, căn cứ nhiệm vụ được giao, các cơ quan, đơn vị lập dự toán kinh phí thực hiện Kế hoạch, tổng hợp chung vào dự toán ngân sách của đơn vị.",
    ]
    org_pool: list[tuple[str, list[str]]] = [
        ("Các phòng, ban chuyên môn và đơn vị thuộc UBND phường có trách nhiệm:", [
            "Căn cứ nhiệm vụ được giao tại Kế hoạch này, xây dựng kế hoạch cụ thể của cơ quan, đơn vị để triển khai thực hiện.",
            "Báo cáo định kỳ 6 tháng, hằng năm kết quả thực hiện về UBND phường (qua Phòng Văn hóa - Xã hội) để tổng hợp.",
        ]),
        ("Phòng Văn hóa - Xã hội là cơ quan thường trực, chủ trì, phối hợp với các đơn vị liên quan theo dõi, đôn đốc, kiểm tra việc triển khai thực hiện Kế hoạch; tổng hợp, báo cáo UBND phường theo quy định.", []),
        ("Phòng Kinh tế, Hạ tầng và Đô thị chủ trì, phối hợp với các đơn vị liên quan tham mưu UBND phường bố trí kinh phí thực hiện Kế hoạch theo phân cấp ngân sách hiện hành.", []),
        ("Công an phường phối hợp với các cơ quan liên quan triển khai các nhiệm vụ bảo đảm an ninh, an toàn thông tin trên địa bàn phường.", []),
        ("Ủy ban Mặt trận Tổ quốc Việt Nam phường và các tổ chức chính trị - xã hội phối hợp tuyên truyền, vận động Nhân dân tham gia thực hiện Kế hoạch.", []),
    ]
    organisation = [org_pool[0]] + rng.sample(org_pool[1:], rng.randint(2, 4))
    return ChildPlan(
        seed=seed, style=style, place=place, number=f"{rng.randint(12, 240)}/KH-UBND", date=date, signer=rng.choice(SIGNERS),
        roman_sep=rng.choice([".", ".", "-"]), parent_ref=_parent_ref(parent), subject=_subject(parent, raw_text),
        objectives=objectives, specific=specific, sections=final, funding=funding, organisation=organisation,
        parent_keys=parent_keys, parent_labels=[t.label for t in body], dropped=dropped, edits=edits, notes=notes,
    )


# ------------------------------------------------------------------ rendering

@dataclass
class _El:
    kind: str  # marker, letterhead, kind, title, para, part, sub, obj, section, item, num_item, closing, recipients, signature
    text: str = ""
    label: str | None = None
    subs: list[str] = field(default_factory=list)
    part: str | None = None
    rewrap: bool = False
    index: int = 0


def _roman(n: int) -> str:
    return ["", "I", "II", "III", "IV", "V", "VI"][n]


def _elements(plan: ChildPlan) -> list[_El]:
    p = plan
    name = p.place
    day = f"ngày {p.date.day:02d} tháng {p.date.month:02d} năm {p.date.year}"
    els: list[_El] = [
        _El("marker", SYNTHETIC_MARKER.format(seed=p.seed)),
        _El("letterhead", subs=[f"ỦY BAN NHÂN DÂN PHƯỜNG {name.upper()}", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", f"Số: {p.number}", f"{name}, {day}"]),
        _El("kind", "KẾ HOẠCH"),
        _El("title", f"Triển khai {p.subject} trên địa bàn phường {name} theo {p.parent_ref}"),
        _El("para", f"Căn cứ {p.parent_ref}; UBND phường {name} ban hành Kế hoạch triển khai {p.subject} trên địa bàn phường với những nội dung cụ thể như sau:"),
        _El("part", "MỤC TIÊU", label=_roman(1), part="objectives"),
        _El("sub", "Mục tiêu chung", label="1"),
    ]
    els += [_El("obj", o) for o in p.objectives]
    els += [_El("sub", "Mục tiêu cụ thể", label="2"), _El("obj", p.specific)]
    els.append(_El("part", "NHIỆM VỤ VÀ GIẢI PHÁP", label=_roman(2), part="tasks"))
    sub_bullet = "+ " if p.style == "dash" else "- "
    for sec in p.sections:
        els.append(_El("section", sec.title, label=str(sec.number), index=sec.number))
        for c in sec.tasks:
            lines = c.text.split("\n")
            subs = [sub_bullet + re.sub(r"^[-+]\s*", "", s) for s in lines[1:]]
            els.append(_El("item", lines[0], label=c.label, subs=subs, rewrap=c.rewrap, index=sec.number))
    els.append(_El("part", "KINH PHÍ THỰC HIỆN", label=_roman(3), part="funding"))
    els += [_El("num_item", f, label=str(i)) for i, f in enumerate(p.funding, 1)]
    els.append(_El("part", "TỔ CHỨC THỰC HIỆN", label=_roman(4), part="organisation"))
    els += [_El("num_item", t, label=str(i), subs=["- " + s for s in subs]) for i, (t, subs) in enumerate(p.organisation, 1)]
    els.append(_El("closing", f"Trên đây là Kế hoạch triển khai {p.subject} trên địa bàn phường {name}; yêu cầu Thủ trưởng các cơ quan, đơn vị căn cứ chức năng, nhiệm vụ, phối hợp triển khai thực hiện. Trong quá trình thực hiện nếu có khó khăn, vướng mắc, kịp thời phản ánh về UBND phường để xem xét, giải quyết./."))
    els.append(_El("recipients", subs=["Nơi nhận:", "- UBND tỉnh (b/c);", "- TT Đảng ủy, TT HĐND phường;", "- CT, các PCT UBND phường;", "- Các cơ quan, đơn vị thuộc phường;", "- Lưu: VT, VHXH."]))
    els.append(_El("signature", subs=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", p.signer]))
    return els


def _item_head(el: _El) -> str:
    if el.label == "-":
        return "- "
    if el.label and re.match(r"^\d+\.\d+$", el.label):
        return f"{el.label}. "
    return f"{el.label}) "


def _safe_break(words: list[str], k: int) -> bool:
    """May a line start with words[k]? (not a list marker, table cell, page number...)."""
    from ..parse.patterns import PAGE_NUMBER, SIGNATURE_CUE, starts_with_marker

    rest = " ".join(words[k: k + 4])
    if starts_with_marker(rest) or SIGNATURE_CUE.match(rest) or PAGE_NUMBER.match(words[k]):
        return False
    if words[k].startswith(("|", "#", "*")):
        return False
    return True


def _rewrap_lines(text: str, rng: Random) -> list[str]:
    """Break a paragraph in 2-3 physical lines before lower-case words (the parser rejoins them)."""
    words = text.split(" ")
    cands = [k for k in range(4, len(words) - 3) if words[k][:1].islower() and _safe_break(words, k)]
    if not cands:
        return [text]
    cuts = sorted(rng.sample(cands, min(len(cands), rng.choice([1, 1, 2]))))
    out, prev = [], 0
    for c in cuts:
        out.append(" ".join(words[prev:c]))
        prev = c
    out.append(" ".join(words[prev:]))
    return out


def _render_plain(els: list[_El], plan: ChildPlan, rng: Random) -> str:
    sep = plan.roman_sep
    blank = rng.random() < 0.5
    out: list[str] = []

    def para(lines: list[str]) -> None:
        out.extend(lines)
        if blank:
            out.append("")

    for el in els:
        if el.kind == "marker":
            out += [el.text, ""]
        elif el.kind in ("letterhead", "recipients", "signature"):
            para(el.subs)
        elif el.kind in ("kind", "title", "para", "obj", "closing"):
            para([el.text])
        elif el.kind == "part":
            para([f"{el.label}{sep} {el.text}"])
        elif el.kind in ("sub", "section"):
            para([f"{el.label}. {el.text}"])
        elif el.kind == "item":
            first = _item_head(el) + el.text
            lines = _rewrap_lines(first, rng) if el.rewrap else [first]
            para(lines + el.subs)
        elif el.kind == "num_item":
            para([f"{el.label}. {el.text}"] + el.subs)
    return "\n".join(out).rstrip() + "\n"


def _wrap(text: str, width: int, rng: Random, indent: str = "") -> list[str]:
    """Hard-wrap like a PDF extraction: ~width chars, document numbers split after '-' or '/'."""
    words = text.split(" ")
    lines: list[str] = []
    cur: list[str] = []
    cur_len = len(indent)
    w = width
    k = 0
    while k < len(words):
        wd = words[k]
        if not wd:
            k += 1
            continue
        add = len(wd) + (1 if cur else 0)
        m = re.match(r"^(\d+[-/])([A-ZĐ]{1,6}[/-]\S*)$", wd)
        # a document number near the end of a line: break after its hyphen ('57-' / 'NQ/TW')
        near_end = cur and cur_len + add > w - 12 and rng.random() < 0.7
        if (not cur or cur_len + add <= w) and not (m and near_end):
            cur.append(wd)
            cur_len += add
            k += 1
            continue
        if m and cur and cur_len + 1 + len(m.group(1)) <= w + 2:
            cur.append(m.group(1))
            lines.append(" ".join(cur))
            words[k] = m.group(2)
            cur, cur_len = [], 0
            w = width + rng.randint(-4, 3)
            continue
        # do not start a line with something the parser reads as a marker
        back = 0
        while back < len(cur) - 1 and not _safe_break(cur + words[k:], len(cur) - back):
            back += 1
        if back:
            carry = cur[len(cur) - back:]
            cur = cur[: len(cur) - back]
            words[k:k] = carry
        lines.append(" ".join(cur))
        cur, cur_len = [], 0
        w = width + rng.randint(-4, 3)
    if cur:
        lines.append(" ".join(cur))
    return lines


def _render_pdf(els: list[_El], plan: ChildPlan, rng: Random) -> str:
    width = rng.choice([78, 80, 82, 84])
    sep = plan.roman_sep
    logical: list[tuple[str, bool]] = []  # (text, wrap?)
    for el in els:
        if el.kind == "marker":
            logical.append((el.text, False))
        elif el.kind in ("letterhead",):
            # the two letterhead columns come out of a PDF as short lines, one after the other
            unit, ward = el.subs[0].split(" PHƯỜNG ", 1)
            logical += [(unit, False), (f"PHƯỜNG {ward}", False), (el.subs[1], False), (el.subs[2], False), (el.subs[3], False), (el.subs[4], False)]
        elif el.kind in ("recipients", "signature"):
            logical += [(s, False) for s in el.subs]
        elif el.kind in ("kind",):
            logical.append((el.text, False))
        elif el.kind in ("title", "para", "obj", "closing"):
            logical.append((el.text, True))
        elif el.kind == "part":
            logical.append((f"{el.label}{sep} {el.text}", True))
        elif el.kind in ("sub", "section"):
            logical.append((f"{el.label}. {el.text}", True))
        elif el.kind == "item":
            logical.append((_item_head(el) + el.text, True))
            logical += [(s, True) for s in el.subs]
        elif el.kind == "num_item":
            logical.append((f"{el.label}. {el.text}", True))
            logical += [(s, True) for s in el.subs]
    # wrap; re-wrap paragraphs whose physical lines would repeat >= 3 times (short lines repeated
    # on many pages are what running headers look like; keep the drafts clear of that)
    widths = [width] * len(logical)
    for _ in range(6):
        phys: list[list[str]] = []
        for (text, wrap), wd in zip(logical, widths):
            phys.append(_wrap(text, wd, rng) if wrap else [text])
        counts: dict[str, int] = {}
        for lines in phys:
            for ln in lines:
                key = re.sub(r"\s+", " ", ln.strip())
                counts[key] = counts.get(key, 0) + 1
        bad = [i for i, lines in enumerate(phys) if logical[i][1] and any(counts[re.sub(r"\s+", " ", ln.strip())] >= 3 and 3 <= len(ln.strip()) <= 100 for ln in lines)]
        if not bad:
            break
        for i in bad:
            widths[i] = widths[i] + rng.choice([-7, -5, 5, 7])
    out: list[str] = []
    for lines in phys:
        for ln in lines:
            ind = rng.choice(["", "", "", " ", "  "])
            trail = rng.choice(["", " ", " "])
            out.append(ind + ln + trail if out else ln)  # the marker line stays exact
            out.append(rng.choice(["", "", " "]))
    return "\n".join(out).rstrip() + "\n"


def _render_web(els: list[_El], plan: ChildPlan, rng: Random) -> str:
    p = plan
    name = p.place
    out: list[str] = [SYNTHETIC_MARKER.format(seed=p.seed)]
    out.append(f"Kế hoạch {p.number} năm {p.date.year} triển khai {p.subject} trên địa bàn phường {name} theo {p.parent_ref}")
    dstr = f"{p.date.day:02d}/{p.date.month:02d}/{p.date.year}"
    out += [f"| Số hiệu | {p.number} |", f"| Ngày ban hành | {dstr} |", f"| Ngày có hiệu lực | {dstr} |", "| Loại văn bản | Kế hoạch |",
            f"| Cơ quan ban hành | Phường {name} |", f"| Người ký | {p.signer} |", "| Lĩnh vực | Công nghệ thông tin |"]
    letterhead = ["|", "ỦY BAN NHÂN DÂN |", f"PHƯỜNG {name.upper()} |", "CỘNG HÒA XÃ HỘI", "CHỦ NGHĨA VIỆT NAM |", "|", f"Số: {p.number} |", f"{name}, ngày {p.date.day:02d} tháng {p.date.month:02d} năm {p.date.year} |"]
    # keep which headings? letter/decimal items reveal lost headings by their restarts; dash items do not
    sections = [e for e in els if e.kind == "section"]
    keep_sections: set[int] = set()
    if p.style == "dash":
        keep_sections = {e.index for e in sections}
    elif len(sections) >= 3:
        # like 146/KH-UBND: section 3 and the last section keep their headings (see the
        # module notes on what the parser cannot recover without them)
        keep_sections = {3, sections[-1].index} | {e.index for e in sections[3:-1] if rng.random() < 0.25}
    keep_parts = p.style == "dash" or len(sections) < 3
    body: list[str] = []
    for el in els:
        if el.kind in ("marker", "letterhead", "kind", "title", "recipients"):
            continue
        if el.kind == "signature":
            body += ["|", "|", el.subs[1] + " |"]
        elif el.kind == "part":
            if keep_parts:
                body.append(f"{el.label}. {el.text}")
        elif el.kind == "sub":
            body.append(f"{el.label}. {el.text}")
        elif el.kind == "section":
            if el.index in keep_sections:
                body.append(f"{el.label}. {el.text}")
        elif el.kind in ("para", "obj", "closing"):
            body.append(el.text)
        elif el.kind == "item":
            first = _item_head(el) + el.text
            body += (_rewrap_lines(first, rng) if el.rewrap else [first]) + el.subs
        elif el.kind == "num_item":
            body += [f"{el.label}. {el.text}"] + el.subs
    # the opening repeated and truncated: letterhead + the body up to some task lines
    first_items = [i for i, ln in enumerate(body) if re.match(r"^([a-zđ]\)|\d+\.\d+\.|- )", ln)]
    cut = first_items[min(len(first_items) - 1, rng.randint(6, 16))] if first_items else min(len(body), 8)
    partial = body[:cut]
    trunc = body[cut]
    partial.append(trunc[: max(30, int(len(trunc) * rng.uniform(0.3, 0.7)))])
    out += letterhead + partial + letterhead + body
    out += ["Đăng xuất", "Việc làm Hồ Chí Minh"]
    return "\n".join(out) + "\n"


def _render_markdown(els: list[_El], plan: ChildPlan, rng: Random) -> str:
    out: list[str] = []
    bold_items = rng.random() < 0.5
    bold_sections = rng.random() < 0.3

    def block(*lines: str) -> None:
        out.extend(lines)
        out.append("")

    for el in els:
        if el.kind == "marker":
            block(el.text)
        elif el.kind == "letterhead":
            block(f"# {el.subs[0]} {el.subs[1]}  ", el.subs[2])
            block(f"{el.subs[3]}  ", el.subs[4])
        elif el.kind == "kind":
            out.append(f"# {el.text}")
        elif el.kind == "title":
            block(f"*{el.text}*")
        elif el.kind in ("para", "obj", "closing"):
            block(el.text)
        elif el.kind == "part":
            block(f"## {el.label}. {el.text}")
        elif el.kind == "sub":
            block(f"### {el.label}. {el.text}")
        elif el.kind == "section":
            block(f"**{el.label}. {el.text}**" if bold_sections else f"### {el.label}. {el.text}")
        elif el.kind == "item":
            head = _item_head(el).strip()
            first = (f"**{head}** " if bold_items and head != "-" else head + " ") + el.text
            lines = _rewrap_lines(first, rng) if el.rewrap else [first]
            block(*(lines + el.subs))
        elif el.kind == "num_item":
            block(f"{el.label}. {el.text}", *el.subs)
        elif el.kind == "recipients":
            block(f"*{el.subs[0]}*", *el.subs[1:])
        elif el.kind == "signature":
            block(*[s + "  " for s in el.subs[:-1]], el.subs[-1])
    return "\n".join(out).rstrip() + "\n"


def _site_wrap(text: str, width: int, rng: Random) -> list[str]:
    """Hard-wrap as a legal-document site's markdown does: at ~width, anywhere between words (so a
    line may start with '- 2030' or '- xã hội': the blank line, not the dash, starts a paragraph)."""
    words, lines, cur = text.split(), [], ""
    for wd in words:
        if cur and len(cur) + 1 + len(wd) > width:
            lines.append(cur)
            cur, width = wd, width + rng.randint(-6, 6)
        else:
            cur = f"{cur} {wd}" if cur else wd
    if cur:
        lines.append(cur)
    return lines or [""]


def _bold_wrapped(text: str, rng: Random) -> list[str]:
    """A bold heading cut by the wrap inside its markup: '**III. NHIỆM VỤ VÀ' / 'GIẢI PHÁP**'."""
    words = text.split()
    if len(words) < 2 or rng.random() < 0.3:
        return [f"**{text}**"]
    k = rng.randint(1, len(words) - 1)
    return [f"**{' '.join(words[:k])}", f"{' '.join(words[k:])}**"]


def _render_site(els: list[_El], plan: ChildPlan, rng: Random) -> str:
    """The markdown of a legal-document website: letterhead cells between '|' lines, bold headings
    wrapped inside their markup, hard-wrapped paragraphs with a blank line between paragraphs, bold or
    escaped numbers ('**1.** ...', '**1\\.** ...'), italic citations."""
    width = rng.choice([60, 66, 72, 80])
    out: list[str] = []

    def para(lines: list[str]) -> None:
        out.extend(lines)
        out.append("")

    bold_items = rng.random() < 0.5
    for el in els:
        if el.kind == "marker":
            para([el.text])
        elif el.kind == "letterhead":
            unit, ward = el.subs[0].split(" PHƯỜNG ", 1)
            out += ["|", f"**{unit}**", f"PHƯỜNG {ward}", "-------", "|", "**CỘNG HÒA XÃ HỘI", "CHỦ NGHĨA VIỆT NAM**", el.subs[2], "---------------", "|", "|", el.subs[3], "|"]
            date = el.subs[4].split(", ", 1)
            out += [f"*{date[0]}, {date[1].rsplit(' tháng ', 1)[0]}", f"tháng {date[1].rsplit(' tháng ', 1)[1]}*", "|", ""]
        elif el.kind == "kind":
            para([f"**{el.text}**"])
        elif el.kind == "title":
            para(_site_wrap(el.text.upper(), width, rng))
        elif el.kind == "para":
            para(_site_wrap(el.text, width, rng))
        elif el.kind in ("obj", "closing"):
            para(_site_wrap(el.text, width, rng))
        elif el.kind == "part":
            para(_bold_wrapped(f"{el.label}. {el.text}", rng))
        elif el.kind in ("sub", "section"):
            para(_bold_wrapped(f"{el.label}. {el.text}", rng))
        elif el.kind == "item":
            head = _item_head(el).strip()
            if head != "-" and bold_items:
                head = f"**{head.replace('.', chr(92) + '.') if rng.random() < 0.3 else head}**"
            para(_site_wrap(f"{head} {el.text}", width, rng))
            for sub in el.subs:
                para(_site_wrap(sub, width, rng))
        elif el.kind == "num_item":
            para(_site_wrap(f"{el.label}. {el.text}", width, rng))
            for sub in el.subs:
                para(_site_wrap(sub, width, rng))
        elif el.kind == "recipients":
            out += ["|", f"*{el.subs[0]}*"] + el.subs[1:] + ["|"]
        elif el.kind == "signature":
            out += [f"**{el.subs[0]}**", el.subs[1], el.subs[2], "", f"**{el.subs[3]}**"]
    return "\n".join(out).rstrip() + "\n"


def render(plan: ChildPlan, layout: str) -> str:
    """The plan's text in one layout (deterministic for the plan's seed)."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; one of {', '.join(LAYOUTS)}")
    rng = Random(f"plancompare.synth:{plan.seed}:render:{layout}")
    els = _elements(plan)
    fn = {"plain": _render_plain, "pdf_text": _render_pdf, "web_scrape": _render_web, "markdown": _render_markdown, "site_markdown": _render_site}[layout]
    return fn(els, plan, rng)


# ------------------------------------------------------------------ entry points


def make_draft(
    parent: ParsedDocument,
    raw_text: str | None = None,
    *,
    seed: int,
    edits: EditMix | None = None,
    layout: str = "plain",
    style: str | None = None,
    place: str | None = None,
    parent_file: str | None = None,
    child_file: str | None = None,
) -> Draft:
    """A synthetic child draft of ``parent`` and its truth.

    ``raw_text`` (the parent's raw text) is only used to find a subject line when
    the parser found no title. ``style`` is the task labelling (``letter`` a), b)...,
    ``decimal`` 1.1., ``dash`` -); by default drawn from the seed. The plan (edits,
    labels, truth) depends only on ``seed``, ``edits``, ``style`` and ``place``:
    rendering the same seed in another layout gives the same truth."""
    plan = plan_draft(parent, raw_text, seed=seed, edits=edits, style=style, place=place)
    text = render(plan, layout)
    truth: dict[str, Any] = {
        "parent_file": parent_file or parent.document.source_file,
        "child_file": child_file or f"child{'.md' if layout in ('markdown', 'site_markdown') else '.txt'}",
        "parent": parent_file or parent.document.source_file,
        "synthetic": True,
        "generator": f"plancompare.synth seed={seed} layout={layout} style={plan.style}",
        "edits": {k: v for k, v in plan.edits.to_dict().items()},
        "pairs": plan.truth_pairs(),
    }
    return Draft(text=text, truth=truth, layout=layout, seed=seed, plan=plan)


def write_pair(draft: Draft, out_dir: str | Path) -> tuple[Path, Path]:
    """Write ``child.txt`` (or ``child.md``) and ``truth.yaml`` into ``out_dir``."""
    d = Path(out_dir)
    d.mkdir(parents=True, exist_ok=True)
    child = d / f"child{draft.suffix}"
    child.write_text(draft.text, encoding="utf-8")
    truth = d / "truth.yaml"
    truth.write_text(draft.truth_yaml(), encoding="utf-8")
    return child, truth
