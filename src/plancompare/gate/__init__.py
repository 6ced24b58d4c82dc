"""The gate: ``plancompare check`` rules over a draft and its parents, waivers, baselines, JUnit and GitHub output.

Owns the check configuration, the rules and their findings, one module per question:
:mod:`.config` (the ``plancheck.yaml`` models), :mod:`.result` (findings, verdicts, the result and
its text/JUnit/GitHub views), :mod:`.context` (what every rule reads), :mod:`.rules` (one function
per rule), :mod:`.baseline` (baselines, changed files), :mod:`.settings` (:class:`CheckSettings`) and
:mod:`.check` (``run_check`` in named steps; it re-exports the names it always had). May import :mod:`plancompare.models`,
:mod:`plancompare.normalize`, :mod:`plancompare.io`, :mod:`plancompare.errors`,
:mod:`plancompare.i18n`, :mod:`plancompare.parse`, :mod:`plancompare.align`,
:mod:`plancompare.store` and :mod:`plancompare.lineage`; never the views, the national scale or the CLI.
"""

from __future__ import annotations

from .check import *  # noqa: F403  (the public names of .check, listed once there)
from .check import __all__  # noqa: F401
