"""Weaker or not: the one definition of a changed target, for task texts and indicator rows.

The aligner reads each changed run of a linked pair's word diff once
(:func:`retargets_of`) and records every number it changed as a structured
:class:`~plancompare.align.models.Retarget`: the values before and after, what
they are (percent, number, year, month), the direction the words give (a minimum,
a maximum, a date: later is weaker), whether the change is weaker, better or the
same, and the words around it. A number removed together with its words (no
percentage, no 'tối thiểu'/'không quá') is *not a target*: it is kept out of
``Pair.retargets`` and of the ``retargeted`` kind, and the gate says so.

:func:`is_weaker` and :func:`target_change` are the comparisons the gate
(``check``'s ``targets`` rule) and the lineage indicator table both call, so the
two cannot disagree on a pair.
"""

from __future__ import annotations

from typing import Literal

from ..models import Target
from ..parse.quantities import Direction, Num, direction_of, numbers
from .models import DiffOp, Retarget

Change = Literal["weaker", "better", "same", "removed", "added"]
INLINE = 4  # a change of at most this many words is an edit in place (as in align.kinds)
DEFAULT_DIRECTION: Direction = "at_least"  # a plain number or percentage is a minimum to reach


def is_weaker(direction: Direction, old: float, new: float, *, default: Direction = DEFAULT_DIRECTION, tolerance: float = 0.0) -> bool:
    """True when ``new`` asks less than ``old``: a lower minimum, a higher maximum, a later date.
    ``default`` is the direction of a number with no wording around it ('ignore' never weaker)."""
    d = default if direction == "unstated" else direction
    if d == "later":
        return new > old
    if d == "at_least":
        return new < old - tolerance
    if d == "at_most":
        return new > old + tolerance
    return False


def _change(direction: Direction, old: float, new: float) -> Change:
    if old == new:
        return "same"
    return "weaker" if is_weaker(direction, old, new) else "better"


def diff_regions(diff: list[DiffOp]) -> list[tuple[str, str, str, str]]:
    """(text before, deleted, inserted, text after) for each changed run of a word diff."""
    out = []
    i = 0
    while i < len(diff):
        if diff[i].op == "equal":
            i += 1
            continue
        j = i
        dels, ins = [], []
        while j < len(diff) and diff[j].op != "equal":
            (dels if diff[j].op == "delete" else ins).append(diff[j].text)
            j += 1
        before = diff[i - 1].text if i > 0 else ""
        after = diff[j].text if j < len(diff) else ""
        out.append((before, " ".join(dels), " ".join(ins), after))
        i = j
    return out


def _tail_words(t: str, n: int = 7) -> str:
    return " ".join(t.split()[-n:])


def _same_class(a: Num, b: Num) -> bool:
    return a.is_time == b.is_time


def _retarget(old: Num, new: Num | None, before: str, after: str) -> Retarget:
    """One changed number of a diff region, with its direction and verdict."""
    direction: Direction = "later" if old.is_time else direction_of(before, after)
    context = f"…{_tail_words(before)} {old.text}…"
    if new is None:
        target = not old.is_time and (old.kind == "percent" or direction != "unstated")
        return Retarget(old=old.text, new=None, unit=old.kind, old_value=old.value, direction=direction, change="removed", target=target, context=context)
    return Retarget(old=old.text, new=new.text, unit=old.kind, old_value=old.value, new_value=new.value, direction=direction, change=_change(direction, old.value, new.value), target=True, context=context)


def _added(new: Num, before: str, after: str, in_place: bool) -> Retarget:
    """A number the child wrote where the parent had none: a target when written in place of a few words."""
    direction: Direction = "later" if new.is_time else direction_of(before, after)
    return Retarget(old=None, new=new.text, unit=new.kind, new_value=new.value, direction=direction, change="added", target=in_place, context=f"…{_tail_words(before)} {new.text}…")


def retargets_of(diff: list[DiffOp], child_text: str = "") -> list[Retarget]:
    """Every number a linked pair changed, read from its word diff: each number the parent
    wrote in a changed run, paired with the next number of the same class (date or amount)
    the child wrote in its place; removed when the child wrote none (a number the child still
    writes elsewhere in ``child_text`` moved: it is not a change)."""
    out: list[Retarget] = []
    kept: set[tuple[str, float]] | None = None  # the child's numbers, read when a number has no replacement
    for before, deleted, inserted, after in diff_regions(diff):
        pool = list(numbers(inserted))
        for old in numbers(deleted):
            new = next((x for x in pool if _same_class(old, x)), None)
            if new is not None:
                pool.remove(new)
            else:
                if kept is None:
                    kept = {(n.kind, n.value) for n in numbers(child_text)}
                if (old.kind, old.value) in kept:
                    continue
            out.append(_retarget(old, new, before[-40:] + " " + deleted[: old.start], deleted[old.end :] + " " + after[:20]))
        in_place = max(len(deleted.split()), len(inserted.split())) <= INLINE  # not a number in a sentence added whole
        out += [_added(x, before[-40:] + " " + inserted[: x.start], inserted[x.end :] + " " + after[:20], in_place) for x in pool]
    return out


def target_direction(t: Target) -> Direction:
    """The direction of an indicator target: its operator ('≥' a minimum, '≤' a maximum), else unstated."""
    if t.op in ("≤", "<"):
        return "at_most"
    if t.op in ("≥", ">"):
        return "at_least"
    return "unstated"


def target_change(parent: Target, child: Target, *, default: Direction = DEFAULT_DIRECTION, tolerance: float = 0.0) -> Change | None:
    """Weaker, better or the same: a child's indicator target against the parent's for the same
    year (None when either has no number to compare)."""
    if parent.value is None or child.value is None or parent.qualitative or child.qualitative:
        return None
    direction = target_direction(parent)
    if is_weaker(direction, parent.value, child.value, default=default, tolerance=tolerance):
        return "weaker"
    if (child.value, child.value_max, child.op) == (parent.value, parent.value_max, parent.op):
        return "same"
    return "better"


__all__ = ["Change", "DEFAULT_DIRECTION", "is_weaker", "diff_regions", "retargets_of", "target_direction", "target_change"]
