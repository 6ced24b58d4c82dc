"""Synthetic child drafts with known truth, to measure the aligner on many labelled pairs.

A real child plan (a ward's plan implementing its province's plan) copies most of
its parent's tasks and edits some: it localises jurisdiction words, softens what
it cannot decide itself ("Xây dựng, ban hành" -> "Đề xuất xây dựng"), narrows,
rewords, drops, merges and splits tasks and adds a few of its own. This package
does the same to a parsed parent plan, with a seeded :class:`random.Random`, and
records what it did as a truth file in the format of the hand-labelled gold
alignments. One module per question:

* :mod:`.mix` which edits, how often (:class:`EditMix`); :mod:`.edits` what each edit
  does to a text; :mod:`.text` sentences and clauses;
* :mod:`.planner` :func:`plan_draft`, in steps: :mod:`.choice` (one edit per parent task),
  :mod:`.children` (the child tasks), :mod:`.sections` (sections, added tasks,
  reordering), :mod:`.header` (number, date, objectives, organisation);
* :mod:`.model` the plan and the draft as data; :mod:`.truth` task keys and truth pairs;
* :mod:`.elements`, :mod:`.wrap` and :mod:`.layouts` :func:`render` in each layout;
* this module: :func:`make_draft` and :func:`write_pair`, and every public name above
  (the import path ``plancompare.synth.drafts`` of earlier versions).

>>> from plancompare.parse import parse_file
>>> from plancompare.synth import make_draft, EditMix
>>> parent = parse_file("data/raw/dak-lak_146-KH-UBND_2025-06-25.txt")
>>> draft = make_draft(parent, seed=7, edits=EditMix(), layout="plain")   # doctest: +SKIP
>>> draft.text.splitlines()[0]                                             # doctest: +SKIP
'BẢN NHÁP TỔNG HỢP (synthetic, seed=7) — không phải văn bản thật.'

Pure library code: no CLI framework, no I/O except :func:`write_pair`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..models import ParsedDocument

# (noqa F401: also the public names that this module had before the package was split, kept importable here)
from .edits import EXTEND_POOL, LOCALIZE_RULES, SOFTEN_ANY, SOFTEN_START, SYNONYMS, extend, localize, narrow, reformat, retarget, reword, soften, typo  # noqa: F401
from .elements import SYNTHETIC_MARKER
from .header import PLACES, SIGNERS  # noqa: F401
from .layouts import DETECTED_LAYOUT, LAYOUTS, render
from .mix import APPLY_ORDER, KIND_OF, KIND_ORDER, OPS, SECOND_OPS, EditMix  # noqa: F401
from .model import VN_LETTERS, ChildPlan, ChildSection, ChildTask, Draft, label_tasks
from .planner import STYLES, plan_draft
from .sections import ADD_POOL, SECTION_TOPICS  # noqa: F401
from .text import split_clauses, split_sentences
from .truth import MIN_KEY_WORDS, opening_key, truth_norm

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
    "VN_LETTERS",
    "label_tasks",
]


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
