"""The document store: the corpus folder, its index and its cache of parsed documents and comparisons.

Owns reading a folder of plans once (content-addressed by SHA-256, keyed on the parser's and the
aligner's code), naming documents, and caching what the parser and the aligner computed. May import
:mod:`plancompare.models`, :mod:`plancompare.normalize`, :mod:`plancompare.io`,
:mod:`plancompare.errors`, :mod:`plancompare.parse` and :mod:`plancompare.align`; never the lineage,
the gate, the views, the national scale or the CLI.
"""

from __future__ import annotations

from .corpus import DEFAULT_DIR, Corpus, CorpusEntry, CorpusIndex, Citation, DocumentNotFoundError, Manifest, ManifestAmendment, ManifestDocument, ScanReport, ScannedFile, doc_label, LEVEL_RANK, ALIGNER_CODE, PARSER_CODE, code_fingerprint, doc_id, plan_files, sha256_file

__all__ = [
    "DEFAULT_DIR",
    "Corpus",
    "CorpusEntry",
    "CorpusIndex",
    "Citation",
    "DocumentNotFoundError",
    "Manifest",
    "ManifestAmendment",
    "ManifestDocument",
    "ScanReport",
    "ScannedFile",
    "doc_label",
    "LEVEL_RANK",
    "ALIGNER_CODE",
    "PARSER_CODE",
    "code_fingerprint",
    "doc_id",
    "plan_files",
    "sha256_file",
]
