"""Which edit each parent task gets: one primary edit per body task, drawn with the mix's weights.

The draw is seeded (the planner's :class:`random.Random`), so the same seed chooses the same
edits. ``merge`` takes a neighbour in the same section as its partner (marked ``merge+``);
with ``ensure_all`` every edit with a weight occurs at least once where some task allows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from ..models import Task
from .edits import applicable
from .mix import OPS, EditMix
from .text import word_count
from .truth import MIN_KEY_WORDS

__all__ = ["EditChoice", "choose_edits"]


@dataclass
class EditChoice:
    """The primary edit of each parent body task (``ops[i]``), and each merge's partner."""

    body: list[Task]
    ops: list[str | None]
    partner: dict[int, int]

    def merge_partner(self, i: int) -> int | None:
        """The next undecided one-paragraph task of the same section (within 3), long enough to key."""
        body, ops = self.body, self.ops
        for j in range(i + 1, min(len(body), i + 4)):
            if ops[j] is None and "\n" not in body[j].text and body[j].section_path == body[i].section_path and word_count(body[j].text) >= MIN_KEY_WORDS:
                return j
        return None

    def merge(self, i: int, j: int) -> None:
        self.partner[i] = j
        self.ops[j] = "merge+"

    def dropped(self) -> list[int]:
        return [i for i, o in enumerate(self.ops) if o == "drop"]


def choose_edits(body: list[Task], edits: EditMix, rng: Random) -> EditChoice:
    """Draw the primary edit of every body task (then, with ``ensure_all``, plant the missing ones)."""
    choice = EditChoice(body=body, ops=[None] * len(body), partner={})
    weights = edits.weights()
    _draw_primary(choice, weights, rng)
    if edits.ensure_all:
        for op in OPS:
            if weights.get(op, 0) <= 0 or op in choice.ops or op == "copy":
                continue
            _plant(choice, op, rng)
    return choice


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


def _draw_primary(choice: EditChoice, weights: dict[str, float], rng: Random) -> None:
    for i, t in enumerate(choice.body):
        if choice.ops[i] is not None:
            continue
        allowed = [op for op in OPS if applicable(op, t)]
        if "merge" in allowed and choice.merge_partner(i) is None:
            allowed.remove("merge")
        op = _draw(rng, weights, allowed)
        choice.ops[i] = op
        if op == "merge":
            j = choice.merge_partner(i)
            assert j is not None
            choice.merge(i, j)


def _plant(choice: EditChoice, op: str, rng: Random) -> None:
    """Give ``op`` to one task that was copied (or, failing that, had an edit that occurs twice)."""
    ops, body = choice.ops, choice.body
    cands = [i for i, o in enumerate(ops) if o in ("copy", "reformat") and applicable(op, body[i])]
    if not cands:  # take a task from an edit that occurs more than once
        cands = [i for i, o in enumerate(ops) if o not in ("merge", "merge+", "split") and ops.count(o) >= 2 and applicable(op, body[i])]
    if op == "merge":
        cands = [i for i in cands if choice.merge_partner(i) is not None and ops[choice.merge_partner(i) or 0] in ("copy", "reformat")]
    if not cands:
        return
    i = rng.choice(cands)
    if op == "merge":
        j = choice.merge_partner(i)
        if j is None:
            return
        choice.merge(i, j)
    ops[i] = op
