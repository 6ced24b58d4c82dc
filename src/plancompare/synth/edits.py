"""The edits a child plan makes to one parent task, each a function of the text (and a seeded rng).

A real child plan (a ward's plan implementing its province's plan) copies most of its
parent's tasks and edits some. Per task (one edit, weights in :class:`~.mix.EditMix`; a
changed task may get a second one): copy; ``localize`` ('tỉnh Đắk Lắk', 'toàn tỉnh', 'các
cấp chính quyền', 'quốc gia' -> 'phường' / 'địa phương': copied [localized]); ``reformat``
(re-spacing, re-wrapping, tone-mark placement 'hóa'/'hoá': copied); ``drop``; ``soften``
("Xây dựng, ban hành" -> "Đề xuất xây dựng"), ``narrow`` (a sentence, ';'-clause or
sub-bullet of >= 20% of the text removed), ``extend`` (a sentence of new content appended),
``retarget`` (a percentage, year or count changed), ``reword`` (synonyms), ``typo`` (one
wrong tone mark): changed with that kind. ``merge`` and ``split`` act on the task list and
are made by :mod:`.planner`; :func:`applicable` says which edits a task allows.

Each function returns the edited text, or None when the edit does not apply (nothing to
soften, no number to retarget, ...).
"""

from __future__ import annotations

import re
import unicodedata
from random import Random

from ..models import Task
from ..normalize import alternate_tone, normalize_tone
from .text import ensure_terminal, join_units, lcfirst, split_clauses, split_sentences, ucfirst, word_count
from .truth import MIN_KEY_WORDS, truth_norm

__all__ = ["LOCALIZE_RULES", "SOFTEN_START", "SOFTEN_ANY", "SYNONYMS", "EXTEND_POOL", "EDIT_FNS",
           "localize", "soften", "narrow", "extend", "retarget", "reword", "typo", "reformat", "applicable", "split_points"]

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
    return lead + lcfirst(head)


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
        if len(removed) < 0.2 * total or word_count(" ".join(rest)) < MIN_KEY_WORDS + 2:
            continue
        good.append((units, i))
    if not good:
        return None
    not_first = [g for g in good if g[1] > 0]
    pool = not_first if not_first and rng.random() >= first_p else good
    units, i = rng.choice(pool)
    rest = units[:i] + units[i + 1:]
    out = join_units(rest)
    out = ucfirst(out)
    return out


def extend(text: str, rng: Random, intensity: float = 1.0) -> str | None:
    """Append one (``intensity`` > 1: up to ``int(intensity)``) sentence(s) of new content."""
    pool = [s for s in EXTEND_POOL if truth_norm(s) not in truth_norm(text)]
    if not pool:
        return None
    n = max(1, min(len(pool), rng.randint(1, max(1, int(intensity)))))
    return ensure_terminal(text) + " " + " ".join(rng.sample(pool, n))


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
                repl = ucfirst(dst) if sentence_start else dst
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


EDIT_FNS = {
    "localize": lambda s, rng, k: localize(s),
    "soften": lambda s, rng, k: soften(s, rng),
    "narrow": lambda s, rng, k: narrow(s, rng, intensity=k),
    "extend": lambda s, rng, k: extend(s, rng, intensity=k),
    "retarget": lambda s, rng, k: retarget(s, rng),
    "reword": lambda s, rng, k: reword(s, rng, intensity=k),
    "typo": lambda s, rng, k: typo(s, rng),
}


def applicable(op: str, task: Task) -> bool:
    """May ``op`` edit ``task``? A text edit must change the text (at intensity 1); ``split`` needs
    two sentences long enough to be keyed, ``merge`` a one-paragraph task."""
    text = task.text
    if op in ("copy", "drop", "reformat", "extend"):
        return True
    if op in EDIT_FNS:
        return EDIT_FNS[op](text, Random(0), 1.0) is not None
    single = "\n" not in text
    if op == "split":
        return single and split_points(text) != []
    if op == "merge":
        return single
    return False


def split_points(text: str) -> list[int]:
    """Where ``text`` may be split in two: sentence indexes leaving >= MIN_KEY_WORDS + 2 words each side."""
    sents = split_sentences(text)
    pts = []
    for k in range(1, len(sents)):
        if word_count(" ".join(sents[:k])) >= MIN_KEY_WORDS + 2 and word_count(" ".join(sents[k:])) >= MIN_KEY_WORDS + 2:
            pts.append(k)
    return pts

