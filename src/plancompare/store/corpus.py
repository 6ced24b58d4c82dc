"""The corpus: a folder of plan files, parsed once and kept in an embedded store.

``Corpus.scan("data/raw")`` parses every plan file of the folder and keeps
the records in a store folder (by default ``parsed/`` beside the corpus folder,
so ``data/parsed/`` for ``data/raw/``)::

    data/parsed/_cache/docs/<parser>/<sha[:2]>/<sha>.json.gz
                                       the ParsedDocument of a raw file, by its content hash
                                       (:class:`~plancompare.store.docs.DocumentCache`, the layout
                                       the national batch keeps too), read back only when its own
                                       SHA-256 is the one the index recorded
    data/parsed/<stem>.json            the same record, readable: a view written beside it for
                                       people (and ``python -m plancompare.regen``), never read
    data/parsed/_corpus_index.json     the index: one entry per content hash (SHA-256)
    data/parsed/_comparisons/*.json    comparisons cached by the pair of content hashes

A file is parsed again only when its content hash changed (or the parser's code
did: the index records a fingerprint of the parser's source). The index also
keeps, for every reference a document cites, the sentence it is cited in, so
that lineage can read what the parser's :class:`~plancompare.models.Reference`
does not carry (for example "Nghị quyết số 71/NQ-CP ... về sửa đổi, bổ sung
Chương trình hành động của Chính phủ ...").

An optional YAML manifest (``corpus.yaml`` in the folder, or ``--manifest``)
adds or corrects metadata, validated by :class:`Manifest`::

    documents:
      - file: hai-duong_CTr-TU_2025.txt
        number: 12-CTr/TU
        issue_date: 2025-02-20
        parents: [03/NQ-CP]          # parents the text does not cite
        ignore_references: [06-NQ/TU]
    amendments:
      - amending: 71/NQ-CP            # not in the corpus
        amended: 03/NQ-CP             # stands in for it

No file name or document number is special here: the manifest is data.
This module never imports typer or rich.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import time
from pathlib import Path
from typing import Any, Callable, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..align.models import Comparison
from ..errors import ConfigError, InputError, MissingFileError, PlanCompareError
from ..io import markdown_view
from ..models import SCHEMA_VERSION, DocumentInfo, Level, ParsedDocument, TaskScope
from ..normalize import clean_display, nfc, number_key
from .docs import DOCS_DIR, DocumentCache, parse_plan
from .header import LEVEL_RANK, NATIONAL_LEVELS, PROVINCIAL_LEVELS, DocHeader, document_order, level_rank

DEFAULT_DIR = Path("data/raw")
INDEX_NAME = "_corpus_index.json"
CACHE_DIR = "_comparisons"
PLAN_SUFFIXES = (".txt", ".md", ".markdown", ".docx", ".pdf", ".html", ".htm", ".doc", ".rtf", ".odt", ".png", ".jpg", ".jpeg", ".tif", ".tiff")
PARSED_SUFFIX = ".json"
NOT_PLANS = ("readme", "license", "changelog")
MANIFEST_NAMES = ("corpus.yaml", "corpus.yml", "plancompare-corpus.yaml")

PARSER_CODE = ("parse", "models.py", "normalize.py")
ALIGNER_CODE = ("align", "models.py", "normalize.py")


class DocumentNotFoundError(InputError):
    """A document named on the command line is not in the corpus."""

    code = "unknown_document"


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- manifest


class ManifestDocument(_M):
    """Metadata to add or correct for one file of the corpus."""

    file: str = Field(description="File name (or path relative to the corpus folder) the entry is about.")
    number: str | None = Field(None, description="Number/symbol, when the text has none or the parser read it wrong.")
    kind: str | None = None
    issuer: str | None = None
    level: Level | None = None
    place: str | None = None
    issue_date: dt.date | None = None
    title: str | None = None
    parents: list[str] = Field(default_factory=list, description="Documents this one implements that its text does not cite: numbers or file names of corpus documents.")
    ignore_references: list[str] = Field(default_factory=list, description="Cited numbers not to treat as parents or missing links.")
    exclude: bool = Field(False, description="Leave this file out of the corpus.")

    def overrides(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("number", "kind", "issuer", "level", "place", "issue_date", "title") if getattr(self, k) is not None}


class ManifestAmendment(_M):
    """An amending document (usually absent from the corpus) and the corpus document it amends."""

    amending: str = Field(description="Number of the amending document, as cited ('71/NQ-CP').")
    amended: str = Field(description="Number or file name of the amended document in the corpus ('03/NQ-CP').")
    note: str | None = None


class Manifest(_M):
    """Optional YAML manifest of a corpus folder."""

    documents: list[ManifestDocument] = Field(default_factory=list)
    amendments: list[ManifestAmendment] = Field(default_factory=list)

    @classmethod
    def load(cls, path: str | Path) -> "Manifest":
        import yaml

        p = Path(path)
        if not p.exists():
            raise MissingFileError(f"{p}: no such manifest", path=str(p))
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as e:
            raise ConfigError(f"{p}: not valid YAML ({str(e).splitlines()[0]})", path=str(p)) from e
        except RecursionError:
            raise ConfigError(f"{p}: not valid YAML (nested too deeply)", path=str(p)) from None
        except ValueError as e:  # 'date: 2025-02-30'
            raise ConfigError(f"{p}: a value cannot be read ({e}; dates are written like 2025-12-31)", path=str(p)) from None
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"{p}: cannot read the manifest ({getattr(e, 'strerror', None) or e})", path=str(p)) from None
        try:
            return cls.model_validate(data)
        except ValidationError as e:
            first = e.errors()[0]
            where = ".".join(str(x) for x in first["loc"])
            raise ConfigError(f"{p}: invalid manifest at '{where}': {first['msg']}", path=str(p)) from e

    def for_file(self, rel: str) -> ManifestDocument | None:
        name = Path(rel).name
        for d in self.documents:
            if d.file in (rel, name):
                return d
        return None


# ---------------------------------------------------------------- index


class Citation(_M):
    """The sentence a reference is cited in (the clause between semicolons), from the cleaned text."""

    number: str | None = None
    line: int | None = None
    context: str = ""


#: the cache file's name for each value of ``include_appendix``
_SCOPE_NAME = {TaskScope.auto: "auto", TaskScope.all: "app", TaskScope.body: "body", TaskScope.appendix: "apponly"}


class CorpusEntry(_M):
    """One document of the corpus, as recorded in the index."""

    id: str = Field(description="Short id: the first 12 hex digits of the content hash.")
    sha256: str
    file: str = Field(description="Path of the raw file relative to the corpus folder.")
    record: str = Field(description="Path of the parsed record in the store, content-addressed: _cache/docs/<parser>/<sha[:2]>/<sha>.json.gz.")
    digest: str = Field("", description="SHA-256 of the record file as written; the record is read only when it still has it.")
    view: str = Field("", description="File name of the readable copy of the record in the store (<stem>.json).")
    size: int
    mtime_ns: int
    parser: str = Field(description="Fingerprint of the parser code that produced the record.")
    document: DocumentInfo = Field(description="Document identity as parsed (before the manifest).")
    tasks: int
    body_tasks: int
    indicators: int
    problems: int
    citations: list[Citation] = Field(default_factory=list, description="One per reference of the document, in the same order.")


class CorpusIndex(_M):
    """data/parsed/_corpus_index.json: the corpus documents keyed by content hash."""

    schema_version: str = SCHEMA_VERSION
    kind: Literal["plancompare.corpus-index"] = "plancompare.corpus-index"
    parser: str = ""
    documents: dict[str, CorpusEntry] = Field(default_factory=dict, description="Keyed by SHA-256 of the raw file.")


class ScannedFile(_M):
    file: str
    id: str | None = None
    status: Literal["parsed", "reused", "error", "duplicate", "excluded"]
    number: str | None = None
    kind: str | None = None
    level: str | None = None
    place: str | None = None
    issue_date: dt.date | None = None
    tasks: int = 0
    indicators: int = 0
    manifest: bool = Field(False, description="Metadata corrected or added by the manifest.")
    error: str | None = None


class ScanReport(_M):
    """What `plancompare corpus scan` did."""

    schema_version: str = SCHEMA_VERSION
    root: str
    store: str | None
    manifest: str | None = None
    files: list[ScannedFile]
    parsed: int
    reused: int
    errors: int
    removed: list[str] = Field(default_factory=list, description="Files of the previous index no longer in the folder.")
    warnings: list[str] = Field(default_factory=list)
    seconds: float

    FORMATS: ClassVar[tuple[str, ...]] = ("table", "json", "csv", "md")  # the CLI's --format values (cli/output.py)
    CSV_COLUMNS: ClassVar[tuple[str, ...]] = ("file", "id", "status", "number", "kind", "level", "place", "issue_date", "tasks", "indicators", "manifest", "error")

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    def to_csv(self) -> str:
        from ..io import csv_text

        return csv_text(self.CSV_COLUMNS, (f.model_dump(mode="json") for f in self.files))

    @markdown_view

    def to_markdown(self) -> str:
        out = [f"# Corpus {self.root}", "", f"{len(self.files)} files: {self.parsed} parsed, {self.reused} reused, {self.errors} errors.", ""]
        out.append("| file | number | level | date | tasks | indicators | status |")
        out.append("|---|---|---|---|---|---|---|")
        for f in self.files:
            out.append(f"| {f.file} | {f.number or '—'} | {f.level or ''} | {f.issue_date or ''} | {f.tasks} | {f.indicators} | {f.status}{': ' + f.error if f.error else ''} |")
        for w in self.warnings:
            out.append(f"\n> {w}")
        return "\n".join(out) + "\n"


# ---------------------------------------------------------------- helpers


def code_fingerprint(parts: tuple[str, ...]) -> str:
    """A hash of the source of some modules of this package (caches are invalid when it changes)."""
    base = Path(__file__).resolve().parent.parent  # the plancompare package
    h = hashlib.sha256()
    for part in parts:
        p = base / part
        files = sorted(p.rglob("*.py")) if p.is_dir() else [p]
        for f in files:
            if f.exists():
                h.update(f.relative_to(base).as_posix().encode())
                h.update(f.read_bytes())
    return h.hexdigest()[:16]


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes (read in blocks by the standard library)."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def plan_files(root: Path, *, recursive: bool = True, parsed: bool = False) -> list[Path]:
    """The plan files of a folder, sorted: the one list every reader of a corpus folder uses.

    Files with a :data:`PLAN_SUFFIXES` ending (and parsed records, ``.json``, with ``parsed``);
    names starting with '.' or '_' (indexes, manifests, temporary files, truth folders) and
    README, LICENSE and CHANGELOG files are not plans."""
    suffixes = (*PLAN_SUFFIXES, PARSED_SUFFIX) if parsed else PLAN_SUFFIXES
    out = []
    for p in sorted(root.rglob("*") if recursive else root.iterdir()):
        rel = p.relative_to(root)
        if any(part.startswith((".", "_")) for part in rel.parts) or p.stem.lower().split(".")[0] in NOT_PLANS:
            continue
        if p.is_file() and p.suffix.lower() in suffixes:
            out.append(p)
    return out


_NUM_IN_TEXT = re.compile(r"\d{1,4}\s*[-/]\s*[A-Za-zĐđ]+(?:\s*[-/]\s*[A-Za-zĐđ0-9]+)*")


def citation_contexts(lines: list[tuple[int, int, str]], doc: ParsedDocument) -> list[Citation]:
    """For each reference, the ';'-clause of its logical line that cites it: ``Reference.context``
    as the parser found it; ``lines`` are read only for records parsed before it did."""
    out = []
    for r in doc.references:
        if r.context is not None:
            out.append(Citation(number=r.number, line=r.line, context=r.context))
            continue
        text = ""
        if r.line is not None:
            for no, end, t in lines:
                if no <= r.line <= end:
                    text = clean_display(t)
                    break
        ctx = ""
        if text:
            want = number_key(r.number) if r.number else None
            pos = -1
            if want:
                for m in _NUM_IN_TEXT.finditer(text):
                    if number_key(m.group(0)) == want:
                        pos = m.start()
                        break
            if pos < 0:
                ctx = text[:600]
            else:
                start = text.rfind(";", 0, pos) + 1
                end = text.find(";", pos)
                ctx = text[start : end if end >= 0 else len(text)].strip()[:800]
        out.append(Citation(number=r.number, line=r.line, context=ctx))
    return out


def doc_label(info: DocumentInfo) -> str:
    """How a document is named in outputs (:attr:`DocumentInfo.label`)."""
    return info.label


def short_id(sha: str | None, fallback: str = "") -> str:
    if sha:
        return sha[:12]
    return hashlib.sha256(fallback.encode()).hexdigest()[:12]


def doc_id(doc: ParsedDocument) -> str:
    return short_id(doc.document.sha256, doc.model_dump_json())


# ---------------------------------------------------------------- the corpus


class Corpus:
    """A set of parsed plans with an index, a manifest and a comparison cache.

    Build one with :meth:`scan` (a folder, with a store on disk) or
    :meth:`from_documents` (parsed documents in memory, no store)."""

    def __init__(self, root: Path | None, store: Path | None, manifest: Manifest | None = None) -> None:
        self.root = root
        self.store = store
        self.manifest = manifest or Manifest()
        self.index = CorpusIndex(parser=code_fingerprint(PARSER_CODE))
        self.report: ScanReport | None = None
        self._docs: dict[str, ParsedDocument] = {}  # id -> effective document
        self._entries: dict[str, CorpusEntry] = {}  # id -> entry
        self._cmp: dict[tuple[str, str, bool], Comparison] = {}
        self._ids: list[str] | None = None
        self._aligner = code_fingerprint(ALIGNER_CODE)
        self.cache_hits = 0
        self.cache_misses = 0

    # ------------------------------------------------------------ building

    @classmethod
    def scan(
        cls, root: str | Path = DEFAULT_DIR, store: str | Path | None = None, manifest: str | Path | None = None, *, write: bool = True, time_limit: float | None = None,
        parsed: bool = False, on_file: Callable[[Path], None] | None = None, on_error: Callable[[Path, PlanCompareError], None] | None = None,
    ) -> "Corpus":
        """Index the plan files of ``root``; parse only new or changed files (by content hash).

        A file whose parsing takes longer than ``time_limit`` seconds (default: the
        ``max_seconds_per_file`` of :mod:`plancompare.parse.limits`, 120 s) is reported as an
        error and skipped, so one file cannot stall the scan. ``write=False`` reads a store
        (records of unchanged files are reused) but writes nothing. ``parsed``: parsed JSON
        records in the folder count as plans too. ``on_file`` is told of each file before it is
        read, ``on_error`` of each file that cannot be."""
        from ..parse.limits import default_limits

        t0 = time.perf_counter()
        per_file = time_limit if time_limit is not None else default_limits().max_seconds_per_file
        root, store_p, man_path, man = _scan_inputs(root, store, manifest)
        self = cls(root, store_p if write else None, man)
        files = plan_files(root, parsed=parsed)
        if not files:
            raise InputError(f"{root}: no plan files ({', '.join(PLAN_SUFFIXES)}) in this folder", path=str(root))
        old = self._read_index(store_p)
        by_path = {e.file: e for e in old.documents.values()} if old else {}
        report_files: list[ScannedFile] = []
        warnings: list[str] = []
        used_records: set[str] = set()
        for f in files:
            if on_file:
                on_file(f)
            rel = f.relative_to(root).as_posix()
            try:
                report_files.append(self._scan_file(f, rel, old, by_path.get(rel), store_p, write, per_file, used_records, warnings))
            except PlanCompareError as e:
                if on_error:
                    on_error(f, e)
                report_files.append(ScannedFile(file=rel, status="error", error=str(e)))
        if not self._entries:
            raise InputError(f"{root}: none of the {len(files)} files could be read as a plan", path=str(root))
        seen_rel = {f.file for f in report_files}
        for d in man.documents:
            if d.file not in seen_rel and Path(d.file).name not in {Path(r).name for r in seen_rel}:
                warnings.append(f"manifest: '{d.file}' is not a file of {root}")
        removed = sorted(e.file for e in (old.documents.values() if old else []) if e.file not in seen_rel)
        if write:
            self._write_index(store_p)
        count = {k: sum(1 for f in report_files if f.status == k) for k in ("parsed", "reused", "error")}
        self.report = ScanReport(root=str(root), store=str(store_p) if write else None, manifest=str(man_path) if man_path else None, files=report_files,
                                 parsed=count["parsed"], reused=count["reused"], errors=count["error"], removed=removed, warnings=warnings,
                                 seconds=round(time.perf_counter() - t0, 3))
        return self

    def _scan_file(self, f: Path, rel: str, old: CorpusIndex | None, prev: CorpusEntry | None, store_p: Path, write: bool, per_file: float | None,
                   used_records: set[str], warnings: list[str]) -> ScannedFile:
        """One file of :meth:`scan`: excluded, reused from the store (same content hash, same parser), or parsed (PlanCompareError when it cannot be)."""
        mdoc = self.manifest.for_file(rel)
        if mdoc is not None and mdoc.exclude:
            return ScannedFile(file=rel, status="excluded")
        st = f.stat()
        sha = prev.sha256 if prev is not None and prev.size == st.st_size and prev.mtime_ns == st.st_mtime_ns else sha256_file(f)
        entry = old.documents.get(sha) if old else None
        records = self._records(store_p)
        doc = self._read_record(records, entry) if entry is not None and entry.parser == self.index.parser else None
        status: Literal["parsed", "reused"] = "reused"
        if doc is None:
            status = "parsed"
            doc, lines = _parse_with_lines(f, per_file, store_p if write else None)
            entry = self._new_entry(f, sha, st, _record_name(f, used_records), doc, lines)
            if write:
                entry = self._write_record(records, store_p / entry.view, entry, doc)
        else:
            entry = entry.model_copy(update={"file": rel, "size": st.st_size, "mtime_ns": st.st_mtime_ns})  # type: ignore[union-attr]
            if write and not (store_p / entry.view).exists():
                _write_view(store_p / entry.view, doc)
        used_records.add(entry.view)
        if entry.id in self._entries:
            warnings.append(f"{rel}: same content as {self._entries[entry.id].file}; skipped")
            return ScannedFile(file=rel, id=entry.id, status="duplicate")
        self._add(entry, doc)
        info = self.info(entry.id)
        return ScannedFile(file=rel, id=entry.id, status=status, number=info.number, kind=info.kind, level=info.level.value, place=info.place, issue_date=info.issue_date,
                           tasks=entry.tasks, indicators=entry.indicators, manifest=mdoc is not None and bool(mdoc.overrides()))

    def _new_entry(self, f: Path, sha: str, st: Any, view: str, doc: ParsedDocument, lines: list[tuple[int, int, str]]) -> CorpusEntry:
        return CorpusEntry(id=short_id(sha), sha256=sha, file=f.relative_to(self.root).as_posix() if self.root else f.name, record="", view=view, size=st.st_size, mtime_ns=st.st_mtime_ns,
                           parser=self.index.parser, document=doc.document, tasks=len(doc.tasks), body_tasks=sum(1 for t in doc.tasks if t.source == "body"),
                           indicators=len(doc.all_indicators()), problems=len(doc.problems), citations=citation_contexts(lines, doc))

    @classmethod
    def from_documents(cls, docs: list[ParsedDocument], manifest: Manifest | None = None) -> "Corpus":
        """A corpus of documents already parsed (no store; comparisons cached in memory)."""
        self = cls(None, None, manifest)
        for d in docs:
            self.add_document(d)
        return self

    def add_document(self, doc: ParsedDocument, lines: list[tuple[int, int, str]] | None = None) -> str:
        """Add a parsed document (in memory only); returns its id."""
        did = doc_id(doc)
        if did in self._entries:
            return did
        entry = CorpusEntry(
            id=did,
            sha256=doc.document.sha256 or did,
            file=doc.document.source_file or did,
            record="",
            size=0,
            mtime_ns=0,
            parser=self.index.parser,
            document=doc.document,
            tasks=len(doc.tasks),
            body_tasks=sum(1 for t in doc.tasks if t.source == "body"),
            indicators=len(doc.all_indicators()),
            problems=len(doc.problems),
            citations=citation_contexts(lines or [], doc) if lines else [Citation(number=r.number, line=r.line, context=r.context if r.context is not None else (r.title or "")) for r in doc.references],
        )
        self._add(entry, doc)
        return did

    def add_file(self, path: str | Path) -> str:
        """Parse a file that is not in the corpus folder and add it (in memory only)."""
        doc, lines = _parse_with_lines(Path(path))
        return self.add_document(doc, lines)

    def _add(self, entry: CorpusEntry, doc: ParsedDocument | None) -> None:
        self._ids = None
        self._entries[entry.id] = entry
        self.index.documents[entry.sha256] = entry
        if doc is not None:
            self._docs[entry.id] = self._effective(entry, doc)

    def _effective(self, entry: CorpusEntry, doc: ParsedDocument) -> ParsedDocument:
        m = self.manifest.for_file(entry.file)
        if m is None or not m.overrides():
            return doc
        return doc.model_copy(update={"document": doc.document.model_copy(update=m.overrides())})

    # ------------------------------------------------------------ store

    def _read_index(self, store: Path | None) -> CorpusIndex | None:
        if store is None:
            return None
        p = store / INDEX_NAME
        if not p.exists():
            return None
        try:
            return CorpusIndex.model_validate_json(p.read_bytes())
        except (ValidationError, ValueError):
            return None  # an unreadable index is rebuilt

    def _write_index(self, store: Path) -> None:
        from ..io import atomic_write

        data = CorpusIndex(parser=self.index.parser, documents={e.sha256: e for e in sorted(self._entries.values(), key=lambda e: e.file)})
        _write_if_changed(store / INDEX_NAME, data.model_dump_json(indent=2) + "\n", writer=atomic_write)

    def _records(self, store: Path) -> DocumentCache:
        """The store's parsed records (the content-addressed layout batch uses too)."""
        return DocumentCache(store / DOCS_DIR, self.index.parser, prefix=DOCS_DIR)

    @staticmethod
    def _read_record(records: DocumentCache, entry: CorpusEntry) -> ParsedDocument | None:
        """The entry's record when it is still the one written (its recorded SHA-256) and of its
        raw file; None (the file is parsed again) otherwise."""
        if not entry.digest or entry.record != records.rel(entry.sha256):
            return None
        doc = records.read(entry.sha256, entry.digest, {})
        return doc if doc is not None and doc.document.sha256 == entry.sha256 else None

    @staticmethod
    def _write_record(records: DocumentCache, view: Path, entry: CorpusEntry, doc: ParsedDocument) -> CorpusEntry:
        """Store a freshly parsed record (atomically, by content hash) and its readable view; the
        entry pointing at both."""
        digest = records.write(entry.sha256, doc)
        _write_view(view, doc)
        return entry.model_copy(update={"record": records.rel(entry.sha256), "digest": digest})

    # ------------------------------------------------------------ access

    @property
    def ids(self) -> list[str]:
        """Document ids, ordered by level (top first), date and label."""
        if self._ids is None:
            self._ids = sorted(self._entries, key=self._order_key)
        return list(self._ids)

    def _order_key(self, did: str) -> tuple:
        return document_order(self.info(did), did)

    def header(self, did: str) -> DocHeader:
        """What the lineage resolver reads of a document (:class:`~plancompare.store.header.DocHeader`)."""
        return DocHeader.of(did, self.doc(did), self.entry(did).file, self.citations(did), self.manifest_entry(did))

    def headers(self) -> list[DocHeader]:
        """The header of every document, in :attr:`ids` order."""
        return [self.header(i) for i in self.ids]

    def entry(self, did: str) -> CorpusEntry:
        return self._entries[did]

    def info(self, did: str) -> DocumentInfo:
        if did in self._docs:
            return self._docs[did].document
        e = self._entries[did]
        m = self.manifest.for_file(e.file)
        return e.document.model_copy(update=m.overrides()) if m else e.document

    def doc(self, did: str) -> ParsedDocument:
        if did not in self._docs:
            e = self._entries[did]
            doc = self._read_record(self._records(self.store), e) if self.store else None
            if doc is None:
                doc = _parse_with_lines(self.root / e.file)[0]  # type: ignore[operator]
            self._docs[did] = self._effective(e, doc)
        return self._docs[did]

    def label(self, did: str) -> str:
        return doc_label(self.info(did))

    def citations(self, did: str) -> list[Citation]:
        return self._entries[did].citations

    def manifest_entry(self, did: str) -> ManifestDocument | None:
        return self.manifest.for_file(self._entries[did].file)

    def resolve(self, ref: str | Path) -> str:
        """The id of a document named by id, number, file name, stem, path or a unique part of them.

        A path to a plan file outside the corpus is parsed and added (in memory)."""
        s = nfc(str(ref)).strip()
        if not s:
            raise DocumentNotFoundError("no document given")
        ids = self.ids
        if s in self._entries:
            return s
        hits = [i for i in ids if self._entries[i].sha256.startswith(s.lower()) and len(s) >= 6]
        if len(hits) == 1:
            return hits[0]
        p = Path(s)
        if p.exists() and p.is_file():
            sha = sha256_file(p)
            for i in ids:
                if self._entries[i].sha256 == sha:
                    return i
            return self.add_file(p)
        nk = number_key(s)
        hits = [i for i in ids if number_key(self.info(i).number) == nk]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise DocumentNotFoundError(f"'{s}' names {len(hits)} documents ({', '.join(self._entries[i].file for i in hits)}); give the file name")
        for getter in (lambda i: self._entries[i].file, lambda i: Path(self._entries[i].file).name, lambda i: Path(self._entries[i].file).stem):
            hits = [i for i in ids if getter(i) == s]
            if len(hits) == 1:
                return hits[0]
        low = s.lower()
        hits = [i for i in ids if low in self._entries[i].file.lower() or low in self.label(i).lower()]
        if len(hits) == 1:
            return hits[0]
        known = "; ".join(f"{self.label(i)} ({self._entries[i].file})" for i in ids)
        if len(hits) > 1:
            raise DocumentNotFoundError(f"'{s}' matches several documents: {', '.join(self.label(i) for i in hits)}")
        where = f" in {self.root}" if self.root else ""
        raise DocumentNotFoundError(f"no document '{s}'{where}; the corpus has: {known}")

    # ------------------------------------------------------------ comparisons

    def compare(self, parent: str, child: str, scope: TaskScope | bool | None = None) -> Comparison:
        """Compare two corpus documents; cached in memory and in the store by the pair of content hashes
        and the :class:`TaskScope` (the older None / True / False are read as auto / all / body)."""
        from ..align import compare

        sc = TaskScope.of(scope)
        key = (parent, child, sc)
        if key in self._cmp:
            return self._cmp[key]
        pe, ce = self._entries[parent], self._entries[child]
        fp = f"{self.index.parser}-{self._aligner}"
        path = None
        result = None
        if self.store is not None:
            path = self.store / CACHE_DIR / f"{pe.sha256[:20]}__{ce.sha256[:20]}__{_SCOPE_NAME[sc]}.json"
            if path.exists():
                try:
                    raw = json.loads(path.read_bytes())
                    if raw.get("fingerprint") == fp:
                        result = Comparison.model_validate(raw["comparison"])
                except (ValueError, KeyError, ValidationError):
                    result = None
        if result is None:
            self.cache_misses += 1
            result = compare(self.doc(parent), self.doc(child), scope=sc)
            if path is not None:
                from ..io import atomic_write

                try:
                    atomic_write(path, json.dumps({"fingerprint": fp, "parent": pe.sha256, "child": ce.sha256, "comparison": json.loads(result.model_dump_json())}, ensure_ascii=False))
                except PlanCompareError:
                    pass  # a read-only store still works, uncached
        else:
            self.cache_hits += 1
            # the manifest may have changed the documents' metadata since
            result = result.model_copy(update={"parent": self.info(parent), "child": self.info(child)})
        self._cmp[key] = result
        return result


def _scan_inputs(root: str | Path, store: str | Path | None, manifest: str | Path | None) -> tuple[Path, Path, Path | None, Manifest]:
    """The corpus folder (checked), the store folder (default: ``parsed/`` beside it), the manifest's path and the manifest."""
    root = Path(root)
    if not root.exists():
        raise MissingFileError(f"{root}: no such folder", path=str(root))
    if not root.is_dir():
        raise InputError(f"{root}: not a folder (give the folder of plan files)", path=str(root))
    store_p = Path(store) if store is not None else root.resolve().parent / "parsed"
    man_path = Path(manifest) if manifest is not None else next((root / n for n in MANIFEST_NAMES if (root / n).exists()), None)
    return root, store_p, man_path, Manifest.load(man_path) if man_path is not None else Manifest()


def _parse_with_lines(path: Path, seconds: float | None = None, store: Path | None = None) -> tuple[ParsedDocument, list[tuple[int, int, str]]]:
    """Parse a file and keep its cleaned logical lines (for citation contexts), within
    ``seconds`` (a TimeLimitError beyond).

    With a store, scans are OCR'd (and old Word files converted) once: the results are
    cached in ``<store>/_cache/`` by content hash, unless a cache folder is set already."""
    from ..parse.ocr import current_settings, use_ocr

    if store is not None and current_settings().cache_dir is None:
        with use_ocr(cache_dir=str(store / "_cache")):
            return _parse_with_lines(path, seconds)
    return parse_plan(path, seconds), []  # the parser sets each Reference.context: no second pass to the clean stage


def _record_name(f: Path, used: set[str]) -> str:
    name = f.stem + ".json"
    if name in used:
        name = f.name + ".json"
    return name


def _write_view(path: Path, doc: ParsedDocument) -> None:
    """The readable copy of a record (as ``data/parsed/`` holds it): indented JSON."""
    _write_if_changed(path, doc.model_dump_json(indent=2) + "\n")


def _write_if_changed(path: Path, text: str, writer: Any = None) -> None:
    from ..io import atomic_write

    try:
        if path.exists() and path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    (writer or atomic_write)(path, text)


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
    "DOCS_DIR",
    "DocumentCache",
    "parse_plan",
    "DocHeader",
    "LEVEL_RANK",
    "NATIONAL_LEVELS",
    "PROVINCIAL_LEVELS",
    "document_order",
    "level_rank",
    "ALIGNER_CODE",
    "PARSER_CODE",
    "code_fingerprint",
    "doc_id",
    "plan_files",
    "PLAN_SUFFIXES",
    "PARSED_SUFFIX",
    "sha256_file",
]
