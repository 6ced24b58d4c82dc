"""The document store: the corpus folder, its index and its cache of parsed documents and comparisons.

One record layout for every reader of plans (the corpus, ``check``'s folder scan through it, and the
national batch): :class:`~plancompare.store.docs.DocumentCache`, a gzip'd ParsedDocument per SHA-256
of the raw file under the parser's fingerprint, ``<store>/_cache/docs/<parser>/<sha[:2]>/<sha>.json.gz``,
written atomically and read back only against the digest recorded when it was written (the corpus
index, the batch manifest). One parse function (:func:`parse_plan`), one list of plan suffixes
(:func:`plan_files`). The corpus store also keeps a readable ``<stem>.json`` view of each record.

Owns reading a folder of plans once (content-addressed by SHA-256, keyed on the parser's and the
aligner's code), naming documents (:mod:`.header`: what the lineage resolver reads of each, re-exported by :mod:`.corpus`), and caching what the parser and the aligner computed. May import
:mod:`plancompare.models`, :mod:`plancompare.normalize`, :mod:`plancompare.io`,
:mod:`plancompare.errors`, :mod:`plancompare.parse` and :mod:`plancompare.align`; never the lineage,
the gate, the views, the national scale or the CLI.
"""

from __future__ import annotations

from .corpus import *  # noqa: F403  (the public names of .corpus, listed once there)
from .corpus import __all__  # noqa: F401
