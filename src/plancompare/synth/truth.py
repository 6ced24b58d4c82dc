"""The truth of a draft: task keys and the pairs, in the format of the hand-labelled gold alignments.

The gold files (``/work/shared/gold/*.yaml``) name tasks by their opening words::

    parent_file: data/raw/dak-lak_146-KH-UBND_2025-06-25.txt
    child_file: tests/pairs/146_plain/child.txt
    pairs:
    - parent: Xây dựng, ban hành quy định trách nhiệm người đứng đầu các   # opening words:
      parent_label: b                                                     # >= 10, unique
      child: Đề xuất xây dựng quy định trách nhiệm người đứng đầu các
      child_label: a
      status: changed            # copied | changed | dropped | added
      kinds: [softened]

A key is the shortest opening of >= :data:`MIN_KEY_WORDS` words that no other task of the
same document starts with (after :func:`truth_norm`, the scorer's normalisation).
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any, Iterable

from ..models import ParsedDocument, Task

if TYPE_CHECKING:
    from .model import ChildPlan, ChildSection, ChildTask

__all__ = ["MIN_KEY_WORDS", "truth_norm", "opening_key", "parent_truth_keys", "child_truth_keys", "truth_pairs"]

MIN_KEY_WORDS = 10  # the gold files name tasks by ~10 syllables

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


def _starts_another(key: str, others: list[str]) -> bool:
    nk = truth_norm(key)
    return any(o.startswith(nk) for o in others)


def parent_truth_keys(parent: ParsedDocument, body: list[Task], notes: list[str]) -> list[str]:
    """The key of each parent body task, unique among all the parent's tasks where it can be
    (else among its body tasks, with a note)."""
    all_norm = [truth_norm(t.text) for t in parent.tasks]
    keys: list[str] = []
    for t in body:
        others = [n for u, n in zip(parent.tasks, all_norm) if u.id != t.id]
        k = opening_key(t.text, others)
        if _starts_another(k, others):
            body_others = [truth_norm(u.text) for u in body if u.id != t.id]
            k = opening_key(t.text, body_others)
            notes.append(f"parent task {t.id}: its opening also starts an appendix task; key unique among body tasks only")
        keys.append(k)
    return keys


def child_truth_keys(sections: list[ChildSection], notes: list[str]) -> None:
    """Set the key of every child task (unique among the child's tasks; a note where a text is a
    prefix of another)."""
    children = [c for s in sections for c in s.tasks]
    cnorm = [truth_norm(c.text) for c in children]
    for idx, c in enumerate(children):
        others = [x for j, x in enumerate(cnorm) if j != idx]
        c.key = opening_key(c.text, others)
        if _starts_another(c.key, others):
            notes.append(f"child task {c.label} in section {idx}: its text is a prefix of another child task")


def truth_pairs(plan: ChildPlan) -> list[dict[str, Any]]:
    """Truth entries in the gold format, in parent order, added tasks last."""
    by_parent: dict[int, list[ChildTask]] = {}
    for t in plan.tasks():
        for i in t.origin:
            by_parent.setdefault(i, []).append(t)
    pairs: list[dict[str, Any]] = []
    for i, pkey in enumerate(plan.parent_keys):
        kids = by_parent.get(i, [])
        if not kids:
            pairs.append({"parent": pkey, "parent_label": plan.parent_labels[i], "child": None, "status": "dropped"})
            continue
        for c in kids:
            e: dict[str, Any] = {"parent": pkey, "parent_label": plan.parent_labels[i], "child": c.key, "child_label": c.label, "status": c.status}
            if c.kinds:
                e["kinds"] = list(c.kinds)
            pairs.append(e)
    for c in plan.tasks():
        if not c.origin:
            pairs.append({"parent": None, "child": c.key, "child_label": c.label, "status": "added"})
    return pairs
