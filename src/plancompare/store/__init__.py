"""The document store: the corpus folder, its index and its cache of parsed documents and comparisons.

Owns reading a folder of plans once (content-addressed by SHA-256, keyed on the parser's and the
aligner's code), naming documents (:mod:`.header`: what the lineage resolver reads of each, re-exported by :mod:`.corpus`), and caching what the parser and the aligner computed. May import
:mod:`plancompare.models`, :mod:`plancompare.normalize`, :mod:`plancompare.io`,
:mod:`plancompare.errors`, :mod:`plancompare.parse` and :mod:`plancompare.align`; never the lineage,
the gate, the views, the national scale or the CLI.
"""

from __future__ import annotations

from .corpus import *  # noqa: F403  (the public names of .corpus, listed once there)
from .corpus import __all__  # noqa: F401
