"""Batch: every plan of a corpus folder parsed, linked to its parent and aligned with it, streamed to tables.

Pipeline (``run_batch``)::

    discover files -> hash -> scan (parse, in chunks, on workers) -> resolve parents
      -> align (one chunk = one parent and up to ``chunk_size`` of its children, on workers)
      -> tables (pairs, documents, survival, top_tasks; Parquet and CSV)

Results folder::

    batch.json                      manifest: inputs (file, SHA-256), chunks and their input hashes,
                                    code fingerprints, what the last run did
    pairs.parquet / pairs.csv       one row per Pair of every comparison (parent task, child task, status...)
    documents.parquet / .csv        one row per plan: identity, parent found, summary of its comparison
    survival.parquet / .csv         one row per task of a top document and per plan below it:
                                    copied / changed / dropped / not_received there
    top_tasks.parquet / .csv        the tasks of the top documents
    parts/{pairs,documents}/<chunk>.parquet   per-chunk results (the unit of resumption)
    _state/scan/<chunk>.json        per-chunk document headers (number, date, references...)
    _cache/docs/<parser>/<sha[:2]>/<sha>.json.gz   parsed documents, by content hash (plancompare.store.DocumentCache, as in a corpus store)

**Resumable and incremental.** A chunk's id is a hash of its inputs (file names and
SHA-256 of the parent and children) and of the parser's and aligner's code; its part
files are written atomically (temporary file, then rename), and a chunk whose part files
exist is not run again. An interrupted run continues where it stopped; a rerun with
unchanged inputs parses nothing, aligns nothing and rewrites no table.

**Memory bounded.** Workers get file paths, not parsed objects; each worker parses a
parent once and keeps it and its ``PreparedParent`` (by content hash) for the chunks that need it; results go to
disk chunk by chunk; the final tables are streamed part by part (Parquet row groups,
CSV appends). The main process holds one small header per plan.

**Engines.** ``local``: a :class:`~concurrent.futures.ProcessPoolExecutor` (one worker:
in-process). ``dask``: ``dask.distributed`` (``Client(address)`` with ``scheduler``, else a
``LocalCluster`` of worker processes), running the *same* chunk functions: the tables are
identical byte for byte. On a real cluster the corpus and results folders must be on a
filesystem shared by every worker, at the same path.

**Parents** are found by the one resolver of the lineage commands,
:func:`plancompare.lineage.resolve`, over the headers the workers write (identity and numbered
references with their citing sentences; see :func:`resolve_parents`): ``chain`` and ``batch``
give every plan the same parents, and batch aligns a plan with its primary parent. The
resolver reads headers, not parsed documents, so the main process holds one small header per
plan (not the ~0.2 MB a parsed commune plan takes as pydantic objects), and its cycle check
walks up from the new parent over an adjacency index (a plan has few ancestors).

Core module: no typer, no rich. Progress goes through ``progress(phase, done, total)``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import time
from collections import OrderedDict, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, ClassVar, Iterable, Iterator, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..store import ALIGNER_CODE, DOCS_DIR, NATIONAL_LEVELS, PARSER_CODE, PROVINCIAL_LEVELS, DocumentCache, code_fingerprint, plan_files, sha256_file
from ..errors import InputError, MissingFileError, OutputError, PlanCompareError, TimeLimitError
from ..io import Table, markdown_view, neutralise_table

FORMAT_VERSION = "1"
HEADER_FORMAT = "2"  # the scan headers' fields (2: every field of each numbered reference, with its citing sentence)
MANIFEST = "batch.json"
LOCK = ".lock"
DEFAULT_FILE_TIMEOUT = 120.0  # as parse.limits' max_seconds_per_file (corpus scan)
MANIFEST_KIND = "plancompare.batch-results"
SCAN_CHUNK = 48
CACHE_PREFIX = DOCS_DIR  # the store's record layout, as in a corpus store
DEFAULT_CHUNK = 24
TABLES = ("pairs", "documents", "survival", "top_tasks")

NATIONAL, PROVINCIAL = NATIONAL_LEVELS, PROVINCIAL_LEVELS  # compared with the level strings of the headers and tables (Level is a str enum)
KINDS = ("localized", "softened", "narrowed", "extended", "retargeted", "reworded", "merged", "split", "typo")  # = align.models.KIND_NAMES (kept literal: batch imports no aligner at start-up; tests check they agree)

Progress = Callable[[str, int, int], None]

# ---------------------------------------------------------------- table schemas


def _schemas() -> dict[str, Any]:
    import pyarrow as pa

    s, f, i = pa.string(), pa.float64(), pa.int64()
    pairs = [("parent_doc", s), ("parent_file", s), ("doc", s), ("file", s), ("pair", i), ("status", s), ("kinds", s), ("score", f),
             ("parent_task_id", s), ("parent_label", s), ("parent_path", s), ("parent_section", s), ("parent_text", s),
             ("child_task_id", s), ("child_label", s), ("child_path", s), ("child_section", s), ("child_text", s),
             ("parent_coverage", f), ("child_coverage", f), ("group", s), ("retargets", s), ("deleted_words", s), ("inserted_words", s)]
    align_docs = [("doc", s), ("parent_doc", s), ("compare_error", s), ("parent_tasks", i), ("child_tasks", i), ("copied", i), ("changed", i),
                  ("dropped", i), ("added", i), ("child_copied", i), ("child_changed", i), ("child_verbatim", i), ("links", i), ("coverage", f),
                  ("mean_score", f), ("localized_copies", i)] + [(f"kind_{k}", i) for k in KINDS]
    documents = [("doc", s), ("file", s), ("sha256", s), ("number", s), ("kind", s), ("issuer", s), ("level", s), ("place", s), ("issue_date", s),
                 ("title", s), ("layout", s), ("tasks", i), ("body_tasks", i), ("problems", i), ("parse_error", s),
                 ("parent_doc", s), ("parent_file", s), ("parent_number", s), ("parent_match", s), ("parent_note", s), ("missing_parents", s), ("parent_docs", s),
                 ("depth", i), ("root_doc", s), ("province", s), ("province_doc", s), ("children", i)] + align_docs[2:]
    survival = [("top_doc", s), ("top_number", s), ("top_task_id", s), ("top_label", s), ("doc", s), ("file", s), ("number", s), ("level", s),
                ("place", s), ("province", s), ("distance", i), ("parent_doc", s), ("status", s), ("tasks", s), ("score", f)]
    top_tasks = [("top_doc", s), ("top_number", s), ("top_file", s), ("task_id", s), ("label", s), ("path", s), ("section", s), ("text", s)]
    return {k: pa.schema(v) for k, v in {"pairs": pairs, "align_docs": align_docs, "documents": documents, "survival": survival, "top_tasks": top_tasks}.items()}


_SCHEMAS: dict[str, Any] | None = None


def schema(name: str) -> Any:
    global _SCHEMAS
    if _SCHEMAS is None:
        _SCHEMAS = _schemas()
    return _SCHEMAS[name]


def columns(name: str) -> list[str]:
    return list(schema(name).names)


# ---------------------------------------------------------------- small helpers


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _hash(*parts: Any) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(json.dumps(p, ensure_ascii=False, sort_keys=True, default=str).encode())
        h.update(b"\0")
    return h.hexdigest()[:20]


def fingerprints() -> tuple[str, str]:
    """(parser, aligner) code fingerprints: a change of either invalidates the cached results."""
    return code_fingerprint(PARSER_CODE), code_fingerprint(ALIGNER_CODE)


def _tmp_name(path: Path) -> Path:
    """A temporary name beside ``path``, unique to this process and call ('.name.PID.RANDOM.tmp')."""
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_digest(path: Path) -> str | None:
    try:
        return sha256_file(path)
    except OSError:
        return None


@contextmanager
def _time_limit(seconds: float | None, name: str) -> Iterator[None]:
    """The per-file time limit of plancompare.parse.limits (a real-time alarm: in a process's main
    thread, where the local engine's workers run; no limit in Dask's worker threads)."""
    from ..parse.limits import time_limit

    with time_limit(seconds, name):
        yield


@contextmanager
def _atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``, renamed onto it when the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_name(path)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise


def write_rows(rows: list[dict[str, Any]], path: Path, name: str) -> str:
    """Rows (dicts) as Parquet with the table's schema, atomically (pyarrow directly: no DataFrame); returns its SHA-256."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    with _atomic_path(path) as tmp:
        pq.write_table(pa.Table.from_pylist(rows, schema=schema(name)), tmp, compression="zstd")
        digest = sha256_file(tmp)
    return digest


def discover(root: Path) -> list[str]:
    """Plan files of the corpus folder (:func:`plancompare.store.plan_files`), as relative POSIX paths."""
    return [p.relative_to(root).as_posix() for p in plan_files(root)]


# ---------------------------------------------------------------- worker side

def cache_rel(parser: str, sha: str) -> str:
    """Where the parsed document of a file with this SHA-256 is kept, relative to the results folder."""
    return CACHE_PREFIX + DocumentCache.name(parser, sha)


def _load_doc(root: str, out: str, parser: str, rel: str, sha: str, stats: dict[str, Any], keep: bool = False,
              expect: dict[str, str] | None = None, timeout: float | None = None) -> Any:
    """The parsed document of a file, through the store's document cache in the results folder
    (:class:`plancompare.store.DocumentCache`): a cache entry is used only when its SHA-256 is the
    one the manifest recorded (``expect``); ``stats`` counts what was parsed, cached, redone."""
    cache = DocumentCache(Path(out) / CACHE_PREFIX, parser, prefix=CACHE_PREFIX)
    return cache.load(Path(root) / rel, sha, stats, keep=keep, expect=(expect or {}).get(cache.rel(sha)), timeout=timeout, name=rel)


def header(rel: str, sha: str, doc: Any) -> dict[str, Any]:
    d = doc.document
    return {
        "file": rel, "sha256": sha, "doc": sha[:12], "number": d.number, "kind": d.kind, "issuer": d.issuer, "level": d.level.value,
        "place": d.place, "issue_date": d.issue_date.isoformat() if d.issue_date else None, "title": d.title, "layout": d.layout,
        "tasks": len(doc.tasks), "body_tasks": sum(1 for t in doc.tasks if t.source == "body"), "problems": len(doc.problems), "error": None,
        "references": [r.model_dump(mode="json", exclude_none=True) for r in doc.references if r.number],  # with the citing sentence: what the resolver reads
    }


def scan_chunk(spec: dict[str, Any]) -> dict[str, Any]:
    """Worker: parse (or load from the cache) a chunk of files; write and return their headers."""
    t0 = time.perf_counter()
    stats: dict[str, Any] = {}
    headers = []
    timeout = spec.get("file_timeout")
    for rel, sha in spec["files"]:
        err = None
        try:
            doc = _load_doc(spec["root"], spec["out"], spec["parser"], rel, sha, stats, expect=spec.get("expect"), timeout=timeout)
            headers.append(header(rel, sha, doc))
        except PlanCompareError as e:  # TimeLimitError too: "FILE: parsing took more than S s (the per-file time limit...)"
            err = str(e)
        if err is not None:
            headers.append({"file": rel, "sha256": sha, "doc": sha[:12], "error": err, "references": [], "level": "unknown", "tasks": 0, "body_tasks": 0, "problems": 0})
    rel_state = f"_state/scan/{spec['chunk_id']}.json"
    data = json.dumps({"chunk_id": spec["chunk_id"], "headers": headers}, ensure_ascii=False).encode()
    with _atomic_path(Path(spec["out"]) / rel_state) as tmp:
        tmp.write_bytes(data)
    digests = dict(stats.get("digests", {}))
    digests[rel_state] = _digest(data)
    return {"chunk_id": spec["chunk_id"], "files": len(headers), "parsed": stats.get("parsed", 0), "cached": stats.get("cached", 0),
            "seconds": time.perf_counter() - t0, "digests": digests, "failed": stats.get("failed", []), "peak_rss_mb": _peak_rss_mb(), "pid": os.getpid()}


def _peak_rss_mb() -> float:
    """Peak resident memory of this process so far (MB): VmHWM where /proc has it (getrusage's
    ru_maxrss keeps the peak of the parent's image across exec, so a small process started by a
    large one would report the large one's peak)."""
    import resource
    import sys

    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(r / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def _section(ref: Any) -> str | None:
    s = ((ref.section_path or "") + " " + (ref.section_title or "")).strip()
    return s or None


def comparison_rows(cmp: Any, parent: dict[str, str], child: dict[str, str]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows of the pairs table and the child's summary row for one Comparison."""
    rows = []
    verbatim = 0
    scores = []
    for n, p in enumerate(cmp.pairs):
        dels, ins = p.changed_words
        pr, cr = p.parent, p.child
        if p.status.value == "copied" and not p.kinds:
            verbatim += 1
        if pr is not None and cr is not None:
            scores.append(p.score)
        rows.append({
            "parent_doc": parent["doc"], "parent_file": parent["file"], "doc": child["doc"], "file": child["file"], "pair": n,
            "status": p.status.value, "kinds": ";".join(k.value for k in p.kinds), "score": round(p.score, 4),
            "parent_task_id": pr.id if pr else None, "parent_label": pr.label if pr else None, "parent_path": pr.path if pr else None,
            "parent_section": _section(pr) if pr else None, "parent_text": pr.text if pr else None,
            "child_task_id": cr.id if cr else None, "child_label": cr.label if cr else None, "child_path": cr.path if cr else None,
            "child_section": _section(cr) if cr else None, "child_text": cr.text if cr else None,
            "parent_coverage": None if p.parent_coverage is None else round(p.parent_coverage, 4),
            "child_coverage": None if p.child_coverage is None else round(p.child_coverage, 4),
            "group": p.group, "retargets": "; ".join(f"{r.old} -> {r.new}" for r in p.target_changes) or None,
            "deleted_words": dels or None, "inserted_words": ins or None,
        })
    s = cmp.summary
    summary = {
        "doc": child["doc"], "parent_doc": parent["doc"], "compare_error": None, "parent_tasks": s.parent_tasks, "child_tasks": s.child_tasks,
        "copied": s.statuses.get("copied", 0), "changed": s.statuses.get("changed", 0), "dropped": s.statuses.get("dropped", 0), "added": s.statuses.get("added", 0),
        "child_copied": s.child_statuses.get("copied", 0), "child_changed": s.child_statuses.get("changed", 0), "child_verbatim": verbatim,
        "links": s.links, "coverage": round(s.coverage, 4), "mean_score": round(sum(scores) / len(scores), 4) if scores else None,
        "localized_copies": s.localized_copies, **{f"kind_{k}": s.kinds.get(k, 0) for k in KINDS},
    }
    return rows, summary


_PREPARED_PARENTS = 8  # a worker keeps this many prepared parents (the parents of its current chunks)
_PREPARED: OrderedDict[str, Any] = OrderedDict()  # parent SHA-256 -> its PreparedParent, in this worker


def _prepared(sha: str, parent: Any, make: Callable[[Any], Any]) -> Any:
    """The parent's PreparedParent, kept by content hash for the later chunks of the same parent
    that this worker runs (as many as the parsed documents it keeps: a preparation is only
    reused with the very document object it was made from)."""
    pp = _PREPARED.get(sha)
    if pp is None or pp.doc is not parent:
        pp = _PREPARED[sha] = make(parent)
    _PREPARED.move_to_end(sha)
    while len(_PREPARED) > _PREPARED_PARENTS:
        _PREPARED.popitem(last=False)
    return pp


def align_chunk(spec: dict[str, Any]) -> dict[str, Any]:
    """Worker: align every child of the chunk with the chunk's parent; write the chunk's part files.

    ``spec``: root, out, parser, chunk_id, parent {file, sha256, doc}, children [{file, sha256, doc}]."""
    from ..align import PreparedParent, compare

    t0 = time.perf_counter()
    stats: dict[str, Any] = {}
    expect = spec.get("expect")
    timeout = spec.get("file_timeout")
    par = spec["parent"]
    out = Path(spec["out"])
    rows: list[dict[str, Any]] = []
    docs: list[dict[str, Any]] = []
    t_load = t_cmp = 0.0
    tasks = 0
    try:
        t = time.perf_counter()
        parent = _load_doc(spec["root"], spec["out"], spec["parser"], par["file"], par["sha256"], stats, keep=True, expect=expect, timeout=timeout)
        t_load += time.perf_counter() - t
    except PlanCompareError as e:
        parent = None
        perr = str(e)
    # the parent's words are split, keyed and numbered once for all its children in this worker (same results)
    prepared = _prepared(par["sha256"], parent, PreparedParent) if parent is not None else None
    for ch in spec["children"]:
        empty = {k: None for k in columns("align_docs")}
        empty.update(doc=ch["doc"], parent_doc=par["doc"])
        if parent is None:
            docs.append({**empty, "compare_error": f"parent: {perr}"})
            continue
        try:
            t = time.perf_counter()
            child = _load_doc(spec["root"], spec["out"], spec["parser"], ch["file"], ch["sha256"], stats, expect=expect, timeout=timeout)
            t_load += time.perf_counter() - t
            t = time.perf_counter()
            try:
                with _time_limit(timeout, ch["file"]):
                    cmp = compare(parent, child, prepared=prepared)
            except TimeLimitError:
                raise TimeLimitError(f"{ch['file']}: comparing with its parent took more than {timeout:g} s (the per-file time limit, --file-timeout); skipped", path=ch["file"]) from None
            t_cmp += time.perf_counter() - t
        except PlanCompareError as e:
            docs.append({**empty, "compare_error": str(e)})
            continue
        r, s = comparison_rows(cmp, par, ch)
        tasks += s["parent_tasks"] + s["child_tasks"]
        rows += r
        docs.append(s)
    t = time.perf_counter()
    digests = dict(stats.get("digests", {}))
    for sub, name, data in (("pairs", "pairs", rows), ("documents", "align_docs", docs)):
        rel = f"parts/{sub}/{spec['chunk_id']}.parquet"
        digests[rel] = write_rows(data, out / rel, name)
    t_write = time.perf_counter() - t
    return {"chunk_id": spec["chunk_id"], "children": len(spec["children"]), "comparisons": sum(1 for d in docs if not d["compare_error"]),
            "pairs": len(rows), "tasks": tasks, "parsed": stats.get("parsed", 0), "cached": stats.get("cached", 0),
            "seconds": time.perf_counter() - t0, "load_seconds": t_load, "compare_seconds": t_cmp, "write_seconds": t_write, "pid": os.getpid(),
            "digests": digests, "failed": stats.get("failed", []), "peak_rss_mb": _peak_rss_mb()}


# ---------------------------------------------------------------- parents


def doc_header(h: dict[str, Any]) -> Any:
    """The :class:`~plancompare.store.DocHeader` of a plan from the header its worker wrote."""
    from ..models import DocumentInfo, Reference
    from ..store import DocHeader

    info = DocumentInfo(number=h.get("number"), kind=h.get("kind"), issuer=h.get("issuer"), level=h.get("level") or "unknown", place=h.get("place"),
                        issue_date=h.get("issue_date"), title=h.get("title"), source_file=h["file"])
    return DocHeader(id=h["doc"], file=h["file"], document=info, tasks=h.get("tasks") or 0, references=[Reference.model_validate(r) for r in h.get("references") or []])


def resolve_parents(headers: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each plan's parents in the corpus: {file: {parent, match, note, missing, parents}}.

    The one resolver of :func:`plancompare.lineage.resolve` over the plans' headers (the rules of
    :mod:`plancompare.lineage`: numbers restart every year, a parent sits above its child and is
    not issued after it, a mentioned document only when nothing is cited...). ``parent`` is the
    primary parent (:meth:`~plancompare.lineage.LineageGraph.primary_parent`: the nearest level
    first), the one the plan is aligned with; ``parents`` all of them, primary first. Files of
    the same content share one document: the first file (in the corpus order) stands for it."""
    from ..lineage import resolve

    ok = [h for h in headers if not h.get("error")]
    g = resolve(doc_header(h) for h in ok)
    file_of = {d.id: d.file for d in g.documents}
    missing: dict[str, set[str]] = defaultdict(set)
    for m in g.missing:
        missing[m.child].add(m.number)
    out: dict[str, dict[str, Any]] = {}
    for h in ok:
        did = h["doc"]
        first = g.primary_parent(did)
        others = [e.parent for e in g.parents(did) if e is not first]  # in the graph's order
        out[h["file"]] = {
            "parent": file_of[first.parent] if first else None,
            "match": ("mentions" if first.relation == "mentions" else first.match) if first else None,
            "note": first.note if first else None,
            "missing": sorted(missing.get(did, ())),
            "parents": [file_of[p] for p in ([first.parent] if first else []) + others],
        }
    return out


def _v(x: Any) -> Any:
    """None for a missing value read back from a table (None, NaN or pandas' NA)."""
    if x is None:
        return None
    try:
        if x != x:
            return None
    except TypeError:  # pd.NA
        return None
    return x


# ---------------------------------------------------------------- engines


def _as_done(futs: list[Any], as_completed: Callable[[list[Any]], Iterator[Any]]) -> Iterator[dict[str, Any]]:
    """Each future's result as it completes (the executor's own ``as_completed``); the rest cancelled
    when the caller stops early (an error, Ctrl-C)."""
    try:
        for f in as_completed(futs):
            yield f.result()
    finally:
        for f in futs:
            f.cancel()


class _Inline:
    name = "local"

    def run(self, fn: Callable[[dict[str, Any]], dict[str, Any]], specs: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for s in specs:
            yield fn(s)

    def close(self) -> None:
        pass


class _Local:
    name = "local"

    def __init__(self, workers: int) -> None:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        # forkserver: workers do not inherit the main process's threads (a progress bar) or memory
        self.ex = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("forkserver"))

    def run(self, fn: Callable[[dict[str, Any]], dict[str, Any]], specs: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        from concurrent.futures import as_completed

        yield from _as_done([self.ex.submit(fn, s) for s in specs], as_completed)

    def close(self) -> None:
        self.ex.shutdown(wait=True, cancel_futures=True)


class _Dask:
    name = "dask"

    def __init__(self, workers: int, scheduler: str | None) -> None:
        import logging

        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as e:  # pragma: no cover
            raise InputError("--engine dask needs dask[distributed]: pip install 'dask[distributed]'") from e
        self.cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout="20s")
            except (OSError, TimeoutError) as e:
                raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from e
        else:
            self.cluster = LocalCluster(n_workers=workers, processes=True, threads_per_worker=1, dashboard_address=None, silence_logs=logging.ERROR)
            self.client = Client(self.cluster)

    def run(self, fn: Callable[[dict[str, Any]], dict[str, Any]], specs: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        from dask.distributed import as_completed

        yield from _as_done(self.client.map(fn, specs, key=[f"{fn.__name__}-{s['chunk_id']}" for s in specs], pure=False), as_completed)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _engine(engine: str, workers: int, scheduler: str | None) -> Any:
    if engine == "dask":
        return _Dask(workers, scheduler)
    if engine != "local":
        raise InputError(f"unknown engine '{engine}': use local or dask")
    if scheduler:
        raise InputError("--scheduler needs --engine dask")
    return _Inline() if workers <= 1 else _Local(workers)


# ---------------------------------------------------------------- the report


class PhaseTimes(_M):
    discover: float = 0.0
    scan: float = 0.0
    resolve: float = 0.0
    align: float = 0.0
    tables: float = 0.0
    total: float = 0.0


class BatchReport(_M):
    """What `plancompare batch` did (also kept in the manifest as ``last_run``)."""

    FORMATS: ClassVar[tuple[str, ...]] = ("table", "json", "md")  # the CLI's --format values (cli/output.py)

    corpus: str
    out: str
    engine: str
    workers: int
    files: int
    documents: int = Field(description="Files read as plans.")
    parse_errors: int
    parsed: int = Field(description="Files parsed by this run (others came from the cache).")
    scan_chunks_run: int
    scan_chunks_reused: int
    align_chunks_run: int
    align_chunks_reused: int
    comparisons: int = Field(description="Comparisons made by this run.")
    compared_plans: int = Field(description="Plans with a parent in the corpus (aligned now or before).")
    pairs: int = Field(description="Rows of the pairs table.")
    tasks_aligned: int = Field(description="Parent + child tasks of the comparisons made by this run.")
    roots: int
    tops: list[str] = Field(description="Top documents (roots and national-level documents with children).")
    orphans: int = Field(description="Plans below national level whose parent is not in the corpus.")
    tables_written: bool
    tables: dict[str, str]
    seconds: PhaseTimes
    worker_seconds: dict[str, float] = Field(default_factory=dict, description="Summed over workers: load (parse or cache), compare, write.")
    worker_peak_rss_mb: dict[str, float] = Field(default_factory=dict, description="Peak resident memory of each worker process of this run (MB, by pid; 'main' for in-process work).")
    main_peak_rss_mb: float = Field(0.0, description="Peak resident memory of the process that ran the batch (MB).")
    csv: bool = Field(False, description="CSV tables written beside the Parquet ones (--csv).")
    repaired: list[str] = Field(default_factory=list, description="Files that failed verification against the manifest's checksums and were redone.")

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    def rows(self) -> list[tuple[str, str]]:
        s = self.seconds
        return [
            ("corpus", self.corpus), ("results", self.out), ("engine", f"{self.engine} ({self.workers} workers)"),
            ("plans", f"{self.documents} of {self.files} files ({self.parse_errors} unreadable)"),
            ("parsed now", str(self.parsed)),
            ("scan chunks", f"{self.scan_chunks_run} run, {self.scan_chunks_reused} reused"),
            ("align chunks", f"{self.align_chunks_run} run, {self.align_chunks_reused} reused"),
            ("comparisons now", str(self.comparisons)), ("plans with a parent", str(self.compared_plans)), ("pair rows", str(self.pairs)),
            ("top documents", ", ".join(self.tops) or "—"), ("orphans", str(self.orphans)),
            ("tables", ("written" if self.tables_written else "unchanged") + (" (Parquet and CSV)" if self.csv else " (Parquet)")),
            ("verification", f"{len(self.repaired)} files failed and were redone" if self.repaired else "every file matched its checksum"),
            ("peak memory", f"main {self.main_peak_rss_mb:.0f} MB; workers " + (", ".join(f"{v:.0f}" for v in self.worker_peak_rss_mb.values()) + " MB" if self.worker_peak_rss_mb else "—")),
            ("seconds", f"total {s.total:.1f} (scan {s.scan:.1f}, resolve {s.resolve:.1f}, align {s.align:.1f}, tables {s.tables:.1f})"),
        ]

    def tables(self) -> list[Table]:
        """The terminal view: one two-column table of :meth:`rows`."""
        return [Table("plancompare batch", ("", ""), self.rows())]

    @markdown_view

    def to_markdown(self) -> str:
        return "| | |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in self.rows()) + "\n"


# ---------------------------------------------------------------- results folder


def is_results_dir(path: Path) -> bool:
    m = path / MANIFEST
    if not m.is_file():
        return False
    try:
        return json.loads(m.read_text(encoding="utf-8")).get("kind") == MANIFEST_KIND
    except (ValueError, OSError):
        return False


def check_results_dir(path: str | Path) -> Path:
    """A finished results folder (for survey): raises an InputError otherwise."""
    p = Path(path)
    if not p.exists():
        raise MissingFileError(f"{p}: no such folder", path=str(p))
    if not p.is_dir():
        raise InputError(f"{p}: not a folder", path=str(p))
    if not is_results_dir(p):
        raise InputError(f"{p}: not a results folder of `plancompare batch` (no {MANIFEST})", path=str(p))
    missing = [t for t in TABLES if not (p / f"{t}.parquet").exists()]
    if missing:
        raise InputError(f"{p}: the batch did not finish (no {', '.join(t + '.parquet' for t in missing)}); run `plancompare batch` again", path=str(p))
    sums = read_manifest(p).get("checksums") or {}
    bad = [f"{t}.parquet" for t in TABLES if sums.get(f"{t}.parquet") != _file_digest(p / f"{t}.parquet")]
    if bad:
        raise InputError(f"{p}: {', '.join(bad)} failed verification (the checksum in {MANIFEST} differs); run `plancompare batch` again to rewrite it", path=str(p))
    return p


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    """One batch at a time per results folder: an exclusive lock on RESULTS_DIR/.lock, holding the writer's pid."""
    import fcntl

    path = out / LOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise OutputError(f"{out}: cannot write here ({e.strerror or e})", path=str(out)) from e
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            other = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            raise OutputError(f"another batch is writing {out}, pid {other}", path=str(out)) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _remove_stale_temporaries(out: Path) -> int:
    """Temporary files left by a run that was killed (only ours: '.NAME.*.tmp'); called under the lock."""
    n = 0
    for p in out.rglob(".*.tmp"):
        try:
            p.unlink()
            n += 1
        except OSError:
            pass
    return n


def read_manifest(out: Path) -> dict[str, Any]:
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_manifest(out: Path, data: dict[str, Any]) -> None:
    from ..io import atomic_write

    atomic_write(out / MANIFEST, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


# ---------------------------------------------------------------- the run


def run_batch(
    corpus: str | Path,
    out: str | Path,
    *,
    workers: int | None = None,
    engine: Literal["local", "dask"] | str = "local",
    scheduler: str | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
    csv: bool = False,
    file_timeout: float | None = DEFAULT_FILE_TIMEOUT,
) -> BatchReport:
    """Parse, link and align every plan of ``corpus``; write the tables into ``out`` (see the module docstring).

    ``csv``: also write each table as CSV (UTF-8 with BOM; Parquet is always written).
    ``file_timeout``: seconds one file may take to parse, or one plan to parse and compare
    (None or 0: no limit); a file over it is recorded as an error and the run goes on."""
    t_start = time.perf_counter()
    root = Path(corpus)
    if not root.exists():
        raise MissingFileError(f"{root}: no such folder", path=str(root))
    if not root.is_dir():
        raise InputError(f"{root}: not a folder (give the folder of plan files)", path=str(root))
    root = root.resolve()
    outp = Path(out)
    if outp.exists() and not outp.is_dir():
        raise OutputError(f"{outp}: exists and is not a folder", path=str(outp))
    if outp.exists() and any(p.name != LOCK for p in outp.iterdir()) and not is_results_dir(outp):
        raise OutputError(f"{outp}: not empty and not a results folder of `plancompare batch`; choose an empty or new folder", path=str(outp))
    outp = outp.resolve()
    if outp == root or root in outp.parents:
        raise OutputError(f"{outp}: the results folder must not be inside the corpus folder", path=str(outp))
    if chunk_size < 1:
        raise InputError("--chunk-size must be at least 1")
    if file_timeout is not None and file_timeout < 0:
        raise InputError("--file-timeout must be 0 (no limit) or more seconds")
    workers = max(1, workers or (os.cpu_count() or 1))
    files = discover(root)
    if not files:
        raise InputError(f"{root}: no plan files (.txt, .md, .docx, .pdf, .html) in this folder", path=str(root))
    try:
        outp.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{outp}: cannot create the results folder ({e.strerror or e})", path=str(outp)) from e
    with _locked(outp):
        return _run_locked(root, outp, files, t_start, workers=workers, engine=engine, scheduler=scheduler, chunk_size=chunk_size,
                           progress=progress, csv=csv, file_timeout=file_timeout or None)


class _Run:
    """One run's state in the results folder: the manifest, the checksums of every file it keeps
    (a file is trusted on a rerun only when it matches, else it is redone and reported), the
    engine (started when first needed) and the peak memory each process reported."""

    def __init__(self, root: Path, outp: Path, *, workers: int, engine: str, scheduler: str | None, file_timeout: float | None) -> None:
        self.root, self.outp, self.workers, self.engine, self.scheduler, self.file_timeout = root, outp, workers, engine, scheduler, file_timeout
        self.parser_fp, self.aligner_fp = fingerprints()
        self.old = read_manifest(outp)
        old_sums = self.old.get("checksums") or {}
        self.sums: dict[str, str] = dict(old_sums) if self.old.get("parser") == self.parser_fp else {k: v for k, v in old_sums.items() if not k.startswith("_cache/")}
        self.repaired: list[str] = []
        self.peaks: dict[str, float] = {}
        self.manifest: dict[str, Any] = {"kind": MANIFEST_KIND, "format": FORMAT_VERSION, "corpus": str(root), "parser": self.parser_fp, "aligner": self.aligner_fp,
                                         "final_key": self.old.get("final_key"), "chunks": self.old.get("chunks", []), "checksums": self.sums}
        self._runner: Any = None

    def verified(self, rel: str) -> bool:
        """The file exists and matches its recorded checksum; a recorded file that does not is reported."""
        want = self.sums.get(rel)
        got = _file_digest(self.outp / rel) if want is not None else None
        if want is not None and got != want:
            self.repaired.append(f"{rel}: {'missing' if got is None else 'checksum mismatch'}, redone")
            self.sums.pop(rel, None)
        return want is not None and got == want

    def absorb(self, res: dict[str, Any]) -> None:
        """What a worker's result adds: checksums of the files it wrote, what it redid, its peak memory."""
        self.sums.update(res.get("digests") or {})
        self.repaired.extend(res.get("failed") or [])
        if res.get("peak_rss_mb") is not None:
            key = str(res.get("pid")) if res.get("pid") != os.getpid() else "main"
            self.peaks[key] = max(self.peaks.get(key, 0.0), res["peak_rss_mb"])

    def run(self, fn: Callable[[dict[str, Any]], dict[str, Any]], specs: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """The results of ``fn`` on every spec, as they complete, on the engine (started on first use); each absorbed."""
        if self._runner is None:
            self._runner = _engine(self.engine, self.workers, self.scheduler)
        for res in self._runner.run(fn, specs):
            self.absorb(res)
            yield res

    def save(self) -> None:
        _write_manifest(self.outp, self.manifest)

    def close(self) -> None:
        if self._runner is not None:
            self._runner.close()


def _run_locked(root: Path, outp: Path, files: list[str], t_start: float, *, workers: int, engine: str, scheduler: str | None, chunk_size: int,
                progress: Progress | None, csv: bool, file_timeout: float | None) -> BatchReport:
    """The pipeline in named steps: hash, scan, parents, align, tables, report (see the module docstring)."""
    times = PhaseTimes()
    prog = progress or (lambda phase, done, total: None)
    _remove_stale_temporaries(outp)
    run = _Run(root, outp, workers=workers, engine=engine, scheduler=scheduler, file_timeout=file_timeout)
    run.save()
    shas = _hash_files(root, files, prog)
    times.discover = time.perf_counter() - t_start
    try:
        t = time.perf_counter()
        scan = _scan(run, files, shas, prog)
        times.scan, t = time.perf_counter() - t, time.perf_counter()
        links = _Links.of(scan.headers)
        times.resolve, t = time.perf_counter() - t, time.perf_counter()
        align = _align(run, scan, links, files, shas, chunk_size, prog)
        times.align, t = time.perf_counter() - t, time.perf_counter()
        tables = _tables(run, scan, links, align, csv, prog)
    finally:
        run.close()
        try:  # what finished before an interruption stays verified for the next run
            run.save()
        except PlanCompareError:
            pass
    times.tables = time.perf_counter() - t
    times.total = time.perf_counter() - t_start
    report = _report(run, files, scan, links, align, tables, times, csv)
    run.manifest["final_key"] = tables.final_key
    run.manifest["last_run"] = json.loads(report.model_dump_json())
    run.manifest["updated"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    run.save()
    return report


def _hash_files(root: Path, files: list[str], prog: Progress) -> list[str]:
    prog("hash", 0, len(files))
    shas = []
    for n, rel in enumerate(files, 1):
        shas.append(sha256_file(root / rel))
        if n % 200 == 0 or n == len(files):
            prog("hash", n, len(files))
    return shas


@dataclass
class _Scan:
    specs: list[dict[str, Any]]
    headers: list[dict[str, Any]]
    run: int  # scan chunks run (the others were reused)
    parsed: int = 0


def _scan(run: _Run, files: list[str], shas: list[str], prog: Progress) -> _Scan:
    """Step scan: every file parsed (or its cached document loaded) on the workers, in chunks; their headers."""
    specs = []
    for i in range(0, len(files), SCAN_CHUNK):
        part = list(zip(files[i : i + SCAN_CHUNK], shas[i : i + SCAN_CHUNK]))
        cid = "s" + _hash(FORMAT_VERSION, HEADER_FORMAT, run.parser_fp, part, run.file_timeout)
        expect = {k: run.sums[k] for k in (cache_rel(run.parser_fp, sh) for _, sh in part) if k in run.sums}
        specs.append({"root": str(run.root), "out": str(run.outp), "parser": run.parser_fp, "chunk_id": cid, "files": part, "expect": expect, "file_timeout": run.file_timeout})
    todo = [s for s in specs if not run.verified(f"_state/scan/{s['chunk_id']}.json")]
    parsed = 0
    done_files = sum(len(s["files"]) for s in specs) - sum(len(s["files"]) for s in todo)
    prog("scan", done_files, len(files))
    if todo:
        for res in run.run(scan_chunk, todo):
            parsed += res["parsed"]
            done_files += res["files"]
            prog("scan", done_files, len(files))
    state = run.outp / "_state" / "scan"
    headers: list[dict[str, Any]] = []
    for s in specs:
        headers += json.loads((state / f"{s['chunk_id']}.json").read_text(encoding="utf-8"))["headers"]
    return _Scan(specs=specs, headers=headers, run=len(todo), parsed=parsed)


@dataclass
class _Links:
    """Step parents: each plan's parents (:func:`resolve_parents`), the children of each primary parent, each plan's depth below its root."""

    parents: dict[str, dict[str, Any]]
    children: dict[str, list[str]]
    depth: dict[str, int]

    @classmethod
    def of(cls, headers: list[dict[str, Any]]) -> "_Links":
        parents = resolve_parents(headers)
        children: dict[str, list[str]] = defaultdict(list)
        for f in sorted(parents):
            p = parents[f]["parent"]
            if p is not None:
                children[p].append(f)
        depth: dict[str, int] = {}
        for f in parents:
            x: str | None = f
            chain = []
            while x is not None and x not in depth:
                chain.append(x)
                x = parents.get(x, {}).get("parent")
            d0 = -1 if x is None else depth[x]
            for y in reversed(chain):
                d0 += 1
                depth[y] = d0
        return cls(parents=parents, children=dict(children), depth=depth)


@dataclass
class _Align:
    specs: list[dict[str, Any]]
    run: int  # align chunks run (the others were reused)
    comparisons: int = 0
    tasks: int = 0
    parsed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # summed worker seconds: load, compare, write, chunks


def _align_specs(run: _Run, links: _Links, H: dict[str, dict[str, Any]], chunk_size: int) -> list[dict[str, Any]]:
    """One chunk per parent and up to ``chunk_size`` of its children, parents by depth; the chunk id hashes its inputs and the code."""
    specs = []
    for pf in sorted(links.children, key=lambda x: (links.depth[x], x)):
        kids = links.children[pf]
        ph = H[pf]
        for i in range(0, len(kids), chunk_size):
            part = kids[i : i + chunk_size]
            cid = "a" + _hash(FORMAT_VERSION, run.parser_fp, run.aligner_fp, pf, ph["sha256"], [(k, H[k]["sha256"]) for k in part], run.file_timeout)
            expect = {k: run.sums[k] for k in (cache_rel(run.parser_fp, H[x]["sha256"]) for x in [pf, *part]) if k in run.sums}
            specs.append({
                "root": str(run.root), "out": str(run.outp), "parser": run.parser_fp, "chunk_id": cid,
                "parent": {"file": pf, "sha256": ph["sha256"], "doc": ph["doc"]},
                "children": [{"file": k, "sha256": H[k]["sha256"], "doc": H[k]["doc"]} for k in part],
                "expect": expect, "file_timeout": run.file_timeout,
            })
    return specs


def _align(run: _Run, scan: _Scan, links: _Links, files: list[str], shas: list[str], chunk_size: int, prog: Progress) -> _Align:
    """Step align: every chunk whose part files are not verified, on the workers, big chunks first; the manifest saved as they finish."""
    H = {h["file"]: h for h in scan.headers}
    specs = _align_specs(run, links, H, chunk_size)
    # a chunk is done when both its part files match their checksums ('&': both are verified, both reported)
    done_ids = {s["chunk_id"] for s in specs if run.verified(f"parts/pairs/{s['chunk_id']}.parquet") & run.verified(f"parts/documents/{s['chunk_id']}.parquet")}
    run.manifest["chunks"] = [{"id": s["chunk_id"], "parent": s["parent"]["file"], "parent_sha256": s["parent"]["sha256"],
                               "children": [[c["file"], c["sha256"]] for c in s["children"]], "done": s["chunk_id"] in done_ids} for s in specs]
    run.manifest["files"] = [[f, s] for f, s in zip(files, shas)]
    run.save()
    todo = sorted((s for s in specs if s["chunk_id"] not in done_ids), key=lambda s: -len(s["children"]))  # big chunks first (better balance), ties in plan order
    total = sum(len(s["children"]) for s in specs)
    done = total - sum(len(s["children"]) for s in todo)
    prog("align", done, total)
    out = _Align(specs=specs, run=len(todo), seconds={"load": 0.0, "compare": 0.0, "write": 0.0, "chunks": 0.0})
    if todo:
        by_id = {c["id"]: c for c in run.manifest["chunks"]}
        last_save = time.perf_counter()
        for res in run.run(align_chunk, todo):
            out.comparisons += res["comparisons"]
            out.tasks += res["tasks"]
            out.parsed += res["parsed"]
            for k, name in (("load", "load_seconds"), ("compare", "compare_seconds"), ("write", "write_seconds"), ("chunks", "seconds")):
                out.seconds[k] += res[name]
            by_id[res["chunk_id"]].update(done=True, pairs=res["pairs"])
            done += res["children"]
            if time.perf_counter() - last_save > 2.0:
                run.save()
                last_save = time.perf_counter()
            prog("align", done, total)
        run.save()
    return out


@dataclass
class _Tables:
    tops: list[str]
    final_key: str
    tables: dict[str, str]
    wrote: bool
    pairs: int


def _tables(run: _Run, scan: _Scan, links: _Links, align: _Align, csv: bool, prog: Progress) -> _Tables:
    """Step tables (on a worker when there are workers: the main process never imports pyarrow or pandas),
    unless every table is verified and was made from the same inputs."""
    H = {h["file"]: h for h in scan.headers}
    tops = sorted(f for f in links.children if links.parents[f]["parent"] is None or (H[f].get("level") in NATIONAL))
    final_key = _hash(FORMAT_VERSION, [s["chunk_id"] for s in scan.specs], [s["chunk_id"] for s in align.specs], links.parents, tops, csv)
    tables = {}
    names = [f"{n}.parquet" for n in TABLES] + ([f"{n}.csv" for n in TABLES] if csv else [])
    for name in TABLES:
        tables[name] = str(run.outp / f"{name}.parquet")
        if csv:
            tables[name + "_csv"] = str(run.outp / f"{name}.csv")
    have_all = all([run.verified(n) for n in names])  # every table checked (and reported), not only up to the first failure
    last = run.old.get("last_run")
    pair_rows = last.get("pairs", 0) if isinstance(last, dict) else 0
    if have_all and run.old.get("final_key") == final_key:
        return _Tables(tops=tops, final_key=final_key, tables=tables, wrote=False, pairs=pair_rows)
    spec = {"chunk_id": "t" + final_key, "out": str(run.outp), "headers": scan.headers, "parents": links.parents, "children": links.children, "depth": links.depth,
            "tops": tops, "align_specs": align.specs, "csv": csv}
    prog("tables", 0, 1)
    res = next(iter(run.run(tables_job, [spec])))
    prog("tables", 1, 1)
    if not csv:  # CSV tables of an earlier --csv run would be stale
        for n in TABLES:
            (run.outp / f"{n}.csv").unlink(missing_ok=True)
            run.sums.pop(f"{n}.csv", None)
    _cleanup(run.outp, scan.specs, align.specs, run.parser_fp, run.sums)
    return _Tables(tops=tops, final_key=final_key, tables=tables, wrote=True, pairs=res["pairs"])


def _report(run: _Run, files: list[str], scan: _Scan, links: _Links, align: _Align, tables: _Tables, times: PhaseTimes, csv: bool) -> BatchReport:
    H = {h["file"]: h for h in scan.headers}
    parents = links.parents
    return BatchReport(
        corpus=str(run.root), out=str(run.outp), engine=run.engine, workers=run.workers, files=len(files),
        documents=sum(1 for h in scan.headers if not h.get("error")), parse_errors=sum(1 for h in scan.headers if h.get("error")), parsed=scan.parsed + align.parsed,
        scan_chunks_run=scan.run, scan_chunks_reused=len(scan.specs) - scan.run, align_chunks_run=align.run, align_chunks_reused=len(align.specs) - align.run,
        comparisons=align.comparisons, compared_plans=sum(len(v) for v in links.children.values()), pairs=tables.pairs, tasks_aligned=align.tasks,
        roots=sum(1 for f in parents if parents[f]["parent"] is None), tops=[H[f].get("number") or f for f in tables.tops],
        orphans=sum(1 for f, r in parents.items() if r["parent"] is None and H[f].get("level") not in NATIONAL),
        tables_written=tables.wrote, tables=tables.tables, seconds=PhaseTimes(**{k: round(v, 3) for k, v in times.model_dump().items()}),
        worker_seconds={k: round(v, 3) for k, v in align.seconds.items()}, worker_peak_rss_mb=run.peaks, main_peak_rss_mb=_peak_rss_mb(), csv=csv,
        repaired=run.repaired,
    )


def _cleanup(out: Path, scan_specs: list[dict[str, Any]], align_specs: list[dict[str, Any]], parser_fp: str, sums: dict[str, str]) -> None:
    """Part files and caches of inputs that are no longer in the corpus (and their checksums)."""
    keep_scan = {s["chunk_id"] for s in scan_specs}
    for p in (out / "_state" / "scan").glob("*.json"):
        if p.stem not in keep_scan:
            p.unlink(missing_ok=True)
    keep = {s["chunk_id"] for s in align_specs}
    for sub in ("pairs", "documents"):
        for p in (out / "parts" / sub).glob("*.parquet"):
            if p.stem not in keep:
                p.unlink(missing_ok=True)
    cache = out / "_cache" / "docs"
    if cache.exists():
        import shutil

        for d in cache.iterdir():
            if d.is_dir() and d.name != parser_fp:
                shutil.rmtree(d, ignore_errors=True)
    for rel in [r for r in sums if not r.startswith("_cache/") and "/" in r]:
        if not (out / rel).exists():
            del sums[rel]
    for rel in [r for r in sums if r.startswith("_cache/") and not r.startswith(f"_cache/docs/{parser_fp}/")]:
        del sums[rel]


class _TableWriter:
    """One table written part by part: Parquet row groups and CSV (UTF-8 with BOM) batches, both
    streamed by pyarrow; renamed into place at the end."""

    def __init__(self, out: Path, name: str, csv: bool = False) -> None:
        import pyarrow.parquet as pq

        self.name = name
        self.pq_path = out / f"{name}.parquet"
        self.csv_path = out / f"{name}.csv"
        self.pq_tmp = _tmp_name(self.pq_path)
        self.csv_tmp = _tmp_name(self.csv_path)
        self.writer = pq.ParquetWriter(self.pq_tmp, schema(name), compression="zstd")
        self.csv_file = None
        self.csv = None
        if csv:
            import pyarrow.csv as pacsv

            self.csv_file = open(self.csv_tmp, "wb")
            self.csv_file.write(b"\xef\xbb\xbf")
            self.csv = pacsv.CSVWriter(self.csv_file, schema(name), write_options=pacsv.WriteOptions(quoting_style="needed"))
        self.rows = 0
        self.digests: dict[str, str] = {}

    def write(self, table: Any) -> None:
        if table.num_rows:
            self.writer.write_table(table)
            if self.csv is not None:
                self.csv.write_table(neutralise_table(table))  # no spreadsheet formulas (plancompare.io)
        self.rows += table.num_rows

    def rows_of(self, rows: list[dict[str, Any]]) -> None:
        import pyarrow as pa

        self.write(pa.Table.from_pylist(rows, schema=schema(self.name)))

    def close(self) -> None:
        self.writer.close()
        self.digests[self.pq_path.name] = sha256_file(self.pq_tmp)
        if self.csv is not None and self.csv_file is not None:
            self.csv.close()
            self.csv_file.close()
            self.digests[self.csv_path.name] = sha256_file(self.csv_tmp)
            os.replace(self.csv_tmp, self.csv_path)
        os.replace(self.pq_tmp, self.pq_path)

    def abort(self) -> None:
        for c in (self.writer, self.csv, self.csv_file):
            try:
                if c is not None:
                    c.close()
            except Exception:
                pass
        for p in (self.pq_tmp, self.csv_tmp):
            p.unlink(missing_ok=True)


def tables_job(spec: dict[str, Any]) -> dict[str, Any]:
    """Worker: the final tables from the part files (see _write_tables)."""
    rows, digests = _write_tables(Path(spec["out"]), spec["headers"], spec["parents"], spec["children"], spec["depth"], spec["tops"], spec["align_specs"],
                                  lambda phase, done, total: None, spec["csv"])
    return {"chunk_id": spec["chunk_id"], "pairs": rows, "digests": digests, "peak_rss_mb": _peak_rss_mb(), "pid": os.getpid()}


def _write_tables(out: Path, headers: list[dict[str, Any]], parents: dict[str, dict[str, Any]], children: dict[str, list[str]], depth: dict[str, int],
                  tops: list[str], align_specs: list[dict[str, Any]], prog: Progress, csv: bool = False) -> tuple[int, dict[str, str]]:
    """pairs, survival and top_tasks streamed part by part (in plan order); documents from headers + part summaries."""
    import pyarrow.parquet as pq

    H = {h["file"]: h for h in headers}
    by_doc = {h["doc"]: h["file"] for h in headers}
    topset = set(tops)

    def province_of(f: str) -> tuple[str | None, str | None]:
        x: str | None = f
        while x is not None:
            if H[x].get("level") in PROVINCIAL:
                return H[x].get("place") or H[x].get("issuer"), H[x]["doc"]
            x = parents.get(x, {}).get("parent")
        return None, None

    def root_of(f: str) -> str:
        x = f
        while parents.get(x, {}).get("parent"):
            x = parents[x]["parent"]
        return H[x]["doc"]

    prov = {f: province_of(f) for f in H if not H[f].get("error")}
    writers = {n: _TableWriter(out, n, csv) for n in ("pairs", "survival", "top_tasks")}
    from ..lineage.survival import Carried, carry, top

    # carried[doc file][(top file, top task id)] = what the doc carries of that top task
    carried: dict[str, dict[tuple[str, str], Carried]] = {}
    top_tasks_seen: set[str] = set()
    top_labels: dict[tuple[str, str], str | None] = {}
    summaries: list[dict[str, Any]] = []
    want = ["doc", "status", "score", "parent_task_id", "parent_label", "parent_path", "parent_section", "parent_text", "child_task_id"]
    try:
        order = sorted(align_specs, key=lambda s: (depth[s["parent"]["file"]], s["parent"]["file"], s["children"][0]["file"]))
        for n, spec in enumerate(order, 1):
            cid = spec["chunk_id"]
            tbl = pq.ParquetFile(out / "parts" / "pairs" / f"{cid}.parquet").read()  # not read_table: pyarrow.dataset imports pandas
            summaries += pq.ParquetFile(out / "parts" / "documents" / f"{cid}.parquet").read().to_pylist()
            writers["pairs"].write(tbl)
            col = {c: tbl.column(c).to_pylist() for c in want}
            nrows = tbl.num_rows
            pf = spec["parent"]["file"]
            base = dict(carried.get(pf, {}))
            if pf in topset and nrows:
                first_doc = col["doc"][0]
                seen_ids: dict[str, int] = {}
                for i in range(nrows):
                    tid = col["parent_task_id"][i]
                    if tid is not None and tid not in seen_ids and (col["doc"][i] == first_doc or pf in top_tasks_seen):
                        seen_ids[tid] = i
                for tid in seen_ids:
                    base[(pf, tid)] = top(tid)
                if pf not in top_tasks_seen:
                    top_tasks_seen.add(pf)
                    trows = []
                    for tid, i in seen_ids.items():
                        top_labels[(pf, tid)] = col["parent_label"][i]
                        trows.append({"top_doc": H[pf]["doc"], "top_number": H[pf].get("number"), "top_file": pf, "task_id": tid, "label": col["parent_label"][i],
                                      "path": col["parent_path"][i], "section": col["parent_section"][i], "text": col["parent_text"][i]})
                    writers["top_tasks"].rows_of(trows)
            # the links of each child, in row order
            per_doc: dict[str, dict[str, list[tuple[str, str, float]]]] = {}
            for i in range(nrows):
                d = col["doc"][i]
                links = per_doc.setdefault(d, {})
                p_, c_ = col["parent_task_id"][i], col["child_task_id"][i]
                if p_ is not None and c_ is not None:
                    links.setdefault(p_, []).append((c_, col["status"][i], col["score"][i]))
            rows = []
            for doc_id, links in per_doc.items():
                cf = by_doc[doc_id]
                mine: dict[tuple[str, str], Carried] = {}
                place = H[cf].get("place")
                pv = prov.get(cf, (None, None))[0]
                for (tf, tid), above in base.items():
                    got = mine[(tf, tid)] = carry(above, links)  # the one survival step (plancompare.lineage.survival)
                    rows.append({"top_doc": H[tf]["doc"], "top_number": H[tf].get("number"), "top_task_id": tid, "top_label": top_labels.get((tf, tid)), "doc": doc_id, "file": cf,
                                 "number": H[cf].get("number"), "level": H[cf].get("level"), "place": place, "province": pv,
                                 "distance": depth[cf] - depth[tf], "parent_doc": H[pf]["doc"], "status": got.status, "tasks": ";".join(got.tasks) or None,
                                 "score": got.score})
                if cf in children:
                    carried[cf] = mine
            if rows:
                writers["survival"].rows_of(rows)
            prog("tables", n, len(order))
        for w in writers.values():
            w.close()
    except BaseException:
        for w in writers.values():
            w.abort()
        raise
    al_by = {r["doc"]: r for r in summaries}
    docs = []
    for h in sorted(headers, key=lambda h: h["file"]):
        f = h["file"]
        r = parents.get(f, {})
        pfile = r.get("parent")
        pv, pvd = prov.get(f, (None, None))
        row = {"doc": h["doc"], "file": f, "sha256": h["sha256"], "number": h.get("number"), "kind": h.get("kind"), "issuer": h.get("issuer"),
               "level": h.get("level"), "place": h.get("place"), "issue_date": h.get("issue_date"), "title": h.get("title"), "layout": h.get("layout"),
               "tasks": h.get("tasks"), "body_tasks": h.get("body_tasks"), "problems": h.get("problems"), "parse_error": h.get("error"),
               "parent_doc": H[pfile]["doc"] if pfile else None, "parent_file": pfile, "parent_number": H[pfile].get("number") if pfile else None,
               "parent_match": r.get("match"), "parent_note": r.get("note"), "missing_parents": "; ".join(r.get("missing") or []) or None,
               "parent_docs": "; ".join(H[p]["doc"] for p in r.get("parents") or []) or None,
               "depth": depth.get(f), "root_doc": root_of(f) if not h.get("error") else None, "province": pv, "province_doc": pvd,
               "children": len(children.get(f, []))}
        a = al_by.get(h["doc"])
        for c in columns("align_docs")[2:]:
            row[c] = a.get(c) if a is not None else None
        docs.append(row)
    w = _TableWriter(out, "documents", csv)
    try:
        w.rows_of(docs)
        w.close()
    except BaseException:
        w.abort()
        raise
    digests: dict[str, str] = {}
    for x in (*writers.values(), w):
        digests.update(x.digests)
    return writers["pairs"].rows, digests


def load_table(results: str | Path, name: str, columns_: list[str] | None = None, filters: Any = None) -> Any:
    """A results table as a DataFrame (only ``columns_``, rows matching pyarrow ``filters``)."""
    import pandas as pd

    p = Path(results) / f"{name}.parquet"
    return pd.read_parquet(p, columns=columns_, filters=filters)


def iter_table(results: str | Path, name: str, columns_: list[str] | None = None, batch_size: int = 65536) -> Iterable[Any]:
    """A results table in record batches (pandas DataFrames): bounded memory whatever its size."""
    import pyarrow.parquet as pq

    f = pq.ParquetFile(Path(results) / f"{name}.parquet")
    for b in f.iter_batches(batch_size=batch_size, columns=columns_):
        yield b.to_pandas()


__all__ = ["run_batch", "resolve_parents", "header", "align_chunk", "scan_chunk", "BatchReport", "discover", "check_results_dir", "is_results_dir", "load_table", "iter_table", "TABLES", "comparison_rows"]
