"""Planning a draft: :func:`plan_draft` decides every edit of a child plan, before any rendering.

The steps, in the order they draw from the plan's seeded :class:`random.Random` (the order is
part of the output: the same seed must give the same draft): style and place; the parent's truth
keys; one edit per parent task (:mod:`.choice`); the child tasks (:mod:`.children`); the
sections, added tasks and reordering (:mod:`.sections`); the child's truth keys; the header
facts (:mod:`.header`). Only the parent's body tasks are used (appendix tables are not drafted),
as the aligner compares body tasks.
"""

from __future__ import annotations

from random import Random

from ..models import ParsedDocument, Task
from .children import child_tasks
from .choice import choose_edits
from .header import PLACES, header_facts
from .mix import EditMix
from .model import ChildPlan, ChildSection
from .sections import add_tasks, final_sections, mirror_sections, reorder
from .truth import child_truth_keys, parent_truth_keys

__all__ = ["STYLES", "plan_draft"]

STYLES = ("letter", "decimal", "dash")


def _body_tasks(parent: ParsedDocument) -> list[Task]:
    body = [t for t in parent.tasks if t.source == "body"]
    if not body:
        raise ValueError("the parent has no body tasks to derive a draft from")
    return body


def _style_and_place(style: str | None, place: str | None, rng: Random) -> tuple[str, str]:
    style = style or rng.choice(["letter", "letter", "decimal", "dash"])
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; one of {', '.join(STYLES)}")
    return style, place or rng.choice(PLACES)


def _child_sections(parent: ParsedDocument, body: list[Task], placed: dict, edits: EditMix, style: str, rng: Random) -> list[ChildSection]:
    sections = mirror_sections(parent, body, placed)
    add_tasks(parent, sections, edits.add, rng)
    if edits.reorder > 0:
        reorder(sections, edits.reorder, rng)
    return final_sections(sections, style)


def plan_draft(parent: ParsedDocument, raw_text: str | None = None, *, seed: int, edits: EditMix | None = None, style: str | None = None, place: str | None = None) -> ChildPlan:
    """Decide every edit of the draft (no rendering): the same plan renders in every layout."""
    edits = edits or EditMix()
    rng = Random(f"plancompare.synth:{seed}:plan")
    body = _body_tasks(parent)
    style, place = _style_and_place(style, place, rng)
    notes: list[str] = []
    parent_keys = parent_truth_keys(parent, body, notes)
    choice = choose_edits(body, edits, rng)
    placed = child_tasks(choice, edits, rng)
    sections = _child_sections(parent, body, placed, edits, style, rng)
    child_truth_keys(sections, notes)
    return ChildPlan(
        seed=seed, style=style, place=place, **header_facts(parent, raw_text, rng), sections=sections,
        parent_keys=parent_keys, parent_labels=[t.label for t in body], dropped=choice.dropped(), edits=edits, notes=notes,
    )
