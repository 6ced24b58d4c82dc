"""Parsed documents by content hash: the one record layout of the store, shared by the corpus
(``Corpus.scan``: its store folder, read by every lineage command and by ``check``) and by the
national batch (its results folder, shared by its workers).

``DocumentCache(folder, parser)`` keeps one gzip'd JSON record per SHA-256 of the raw file,
under the fingerprint of the parser's code (another parser, another folder); a corpus store
and a batch results folder both keep it in :data:`DOCS_DIR`::

    <store>/_cache/docs/<parser>/<sha[:2]>/<sha>.json.gz

A record is written atomically (temporary file, then rename) and read back only when its own
SHA-256 is the one recorded when it was written (the caller keeps those digests: the batch
manifest); otherwise the file is parsed again and the mismatch reported. A few documents are
also kept in memory (by content hash) for a worker that needs the same parent again.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import secrets
from collections import OrderedDict
from pathlib import Path
from typing import Any

from ..models import ParsedDocument

#: the folder of parsed records inside a corpus store or a batch results folder
DOCS_DIR = "_cache/docs/"


def parse_plan(path: Path, seconds: float | None = None, name: str | None = None) -> ParsedDocument:
    """A plan file parsed (a parsed record, ``.json``, loaded) within ``seconds`` (TimeLimitError
    beyond, naming the file ``name``, default its file name; None: no limit)."""
    from ..parse import load
    from ..parse.limits import time_limit

    with time_limit(seconds, name or path.name):
        return load(path)


class DocumentCache:
    """Parsed documents of one parser, by content hash, in a folder (see the module docstring)."""

    MEMORY = 8  # documents kept in memory per process
    _memory: "OrderedDict[tuple[str, str], ParsedDocument]" = OrderedDict()

    def __init__(self, folder: Path, parser: str, prefix: str = "") -> None:
        self.folder = Path(folder)
        self.parser = parser
        self.prefix = prefix

    @staticmethod
    def name(parser: str, sha: str) -> str:
        return f"{parser}/{sha[:2]}/{sha}.json.gz"

    def rel(self, sha: str) -> str:
        """The record's path as the caller records it (``prefix`` + :meth:`name`)."""
        return self.prefix + self.name(self.parser, sha)

    def path(self, sha: str) -> Path:
        return self.folder / self.name(self.parser, sha)

    def load(self, path: Path, sha: str, stats: dict[str, Any], *, keep: bool = False, expect: str | None = None, timeout: float | None = None,
             name: str | None = None) -> ParsedDocument:
        """The parsed document of the file ``path`` with this SHA-256: from memory, the cache (when
        ``expect`` is its recorded digest) or the parser (then cached). ``stats`` counts memory /
        cached / parsed, lists mismatches in ``failed`` and the digests written in ``digests``."""
        key = (self.parser, sha)
        if key in self._memory:
            self._memory.move_to_end(key)
            stats["memory"] = stats.get("memory", 0) + 1
            return self._memory[key]
        doc = self.read(sha, expect, stats) if expect is not None else None
        if doc is None:
            doc = parse_plan(path, timeout, name)
            stats["parsed"] = stats.get("parsed", 0) + 1
            stats.setdefault("digests", {})[self.rel(sha)] = self.write(sha, doc)
        if keep:
            self._memory[key] = doc
            while len(self._memory) > self.MEMORY:
                self._memory.popitem(last=False)
        return doc

    def read(self, sha: str, expect: str, stats: dict[str, Any]) -> ParsedDocument | None:
        """The record of this SHA-256 when the file's own SHA-256 is ``expect`` (else None, the
        mismatch listed in ``stats["failed"]``)."""
        try:
            data: bytes | None = self.path(sha).read_bytes()
        except OSError:
            data = None
        if data is not None and hashlib.sha256(data).hexdigest() == expect:
            try:
                doc = ParsedDocument.model_validate_json(gzip.decompress(data))
                stats["cached"] = stats.get("cached", 0) + 1
                return doc
            except Exception:  # cannot happen for a verified record unless the code changed: parse again
                pass
        stats.setdefault("failed", []).append(f"{self.rel(sha)}: {'missing' if data is None else 'checksum mismatch'}, parsed again")
        return None

    def write(self, sha: str, doc: ParsedDocument) -> str:
        """Write the record atomically; its SHA-256."""
        data = gzip.compress(doc.model_dump_json().encode(), compresslevel=1, mtime=0)
        p = self.path(sha)
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_name(f".{p.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            tmp.write_bytes(data)
            os.replace(tmp, p)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return hashlib.sha256(data).hexdigest()


__all__ = ["DOCS_DIR", "DocumentCache", "parse_plan"]
