"""Generators: synthetic drafts of a plan with known truth (:mod:`.drafts`, which names the modules that
answer each question: edits, planning, truth, layouts) and a labelled national corpus (:mod:`.national`).

Owns nothing the comparison reads: it writes texts and their truth, to measure the parser and the
aligner. May import :mod:`plancompare.models`, :mod:`plancompare.normalize` and
:mod:`plancompare.parse`; never the aligner (the truth must not come from what it measures) or the CLI.
"""

from __future__ import annotations

from .drafts import *  # noqa: F403  (the public names of .drafts, listed once there)
from .drafts import __all__  # noqa: F401
