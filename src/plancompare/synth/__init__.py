"""Generators: synthetic drafts of a plan with known truth (:mod:`.drafts`) and a labelled national corpus (:mod:`.national`).

Owns nothing the comparison reads: it writes texts and their truth, to measure the parser and the
aligner. May import :mod:`plancompare.models`, :mod:`plancompare.normalize` and
:mod:`plancompare.parse`; never the aligner (the truth must not come from what it measures) or the CLI.
"""

from __future__ import annotations

from .drafts import LAYOUTS, STYLES, OPS, KIND_ORDER, SYNTHETIC_MARKER, EditMix, ChildTask, ChildSection, ChildPlan, Draft, plan_draft, render, make_draft, write_pair, truth_norm, opening_key, MIN_KEY_WORDS, localize, soften, narrow, extend, retarget, reword, typo, reformat, split_sentences, split_clauses, DETECTED_LAYOUT

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
