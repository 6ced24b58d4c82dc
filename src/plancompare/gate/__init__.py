"""The gate: ``plancompare check`` rules over a draft and its parents, waivers, baselines, JUnit and GitHub output.

Owns the check configuration, the rules and their findings. May import :mod:`plancompare.models`,
:mod:`plancompare.normalize`, :mod:`plancompare.io`, :mod:`plancompare.errors`,
:mod:`plancompare.i18n`, :mod:`plancompare.parse`, :mod:`plancompare.align`,
:mod:`plancompare.store` and :mod:`plancompare.lineage`; never the views, the national scale or the CLI.
"""

from __future__ import annotations

from .check import RULES, CheckConfig, CheckResult, RuleResult, Finding, TaskSelector, ProtectedTask, Waiver, run_check, TaskVerdict, DroppedRule, WeakenedRule, baseline_yaml, changed_files, junit_xml, parse_deadline, numbers, corpus_numbers_from_dir, corpus_files

__all__ = [
    "RULES",
    "CheckConfig",
    "CheckResult",
    "RuleResult",
    "Finding",
    "TaskSelector",
    "ProtectedTask",
    "Waiver",
    "run_check",
    "TaskVerdict",
    "DroppedRule",
    "WeakenedRule",
    "baseline_yaml",
    "changed_files",
    "junit_xml",
    "parse_deadline",
    "numbers",
    "corpus_numbers_from_dir",
    "corpus_files",
]
