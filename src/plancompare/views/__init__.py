"""Views for people: gap lists (CSV, XLSX, JSON) and the HTML report, derived from comparison results.

Owns no facts: every number it shows is read from :mod:`plancompare.align` results. May import
:mod:`plancompare.models`, :mod:`plancompare.io`, :mod:`plancompare.i18n`, :mod:`plancompare.errors`
and :mod:`plancompare.align`; never the CLI.
"""

from __future__ import annotations

