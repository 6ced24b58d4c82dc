"""Align a child plan with its parent: which tasks were copied, changed, dropped or added.

>>> from plancompare import parse_file, compare
>>> cmp = compare(parse_file("data/raw/dak-lak_146-KH-UBND_2025-06-25.txt"),
...               parse_file("data/raw/dak-lak_tan-lap_KH-UBND_2025.txt"))
>>> cmp.summary.statuses["dropped"]
4

The package owns the comparison of two parsed plans and every fact about it (each link's status,
kinds, confidence; each parent task's outcome; what counts as carried). It may import
:mod:`plancompare.models` (and its base, :mod:`plancompare.modelbase`), :mod:`plancompare.normalize`, :mod:`plancompare.io`,
:mod:`plancompare.errors` and :mod:`plancompare.parse` (the numbering grammar); nothing above it.
"""

from .core import SETTINGS, compare
from .models import Comparison, DiffOp, Kind, Pair, Related, Retarget, SectionSummary, Status, Summary, TaskRef
from .prepared import PreparedParent, compare_many
from .settings import AlignSettings

__all__ = ["compare", "compare_many", "PreparedParent", "SETTINGS", "AlignSettings", "Comparison", "Pair", "Related", "TaskRef", "DiffOp", "Retarget", "Status", "Kind", "Summary", "SectionSummary"]
