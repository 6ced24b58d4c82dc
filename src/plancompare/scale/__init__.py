"""National scale: ``plancompare batch`` (thousands of plans, in parallel, resumable) and ``survey`` over its tables.

Owns the results folder, its manifest and its Parquet tables. May import :mod:`plancompare.models`,
:mod:`plancompare.normalize`, :mod:`plancompare.io`, :mod:`plancompare.errors`,
:mod:`plancompare.parse`, :mod:`plancompare.align`, :mod:`plancompare.store` and
:mod:`plancompare.lineage`; never the gate, the views or the CLI.
"""

from __future__ import annotations

