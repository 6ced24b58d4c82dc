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

**Modules.** This one runs the pipeline (:func:`run_batch`) and keeps every name it ever had importable;
the steps answer their own questions: :mod:`.common` (constants, table schemas, hashes, atomic
writes, the workers' document cache), :mod:`.scan` (scan and parents), :mod:`.aligning` (align),
:mod:`.tables` (the final tables), :mod:`.results` (the results folder: manifest, lock, checksums,
resumption), :mod:`.engines` (local and Dask) and :mod:`.report` (:class:`BatchReport`).

Core module: no typer, no rich. Progress goes through ``progress(phase, done, total)``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path
from typing import Literal

from ..errors import InputError, MissingFileError, OutputError, PlanCompareError
from ..store import sha256_file  # noqa: F401  (re-exported: callers hash files as the batch does)

# the steps live in their own modules (above); every public and private name this module had is re-exported
from .common import FORMAT_VERSION, HEADER_FORMAT, MANIFEST, LOCK, DEFAULT_FILE_TIMEOUT, MANIFEST_KIND, SCAN_CHUNK, CACHE_PREFIX, DEFAULT_CHUNK, TABLES, NATIONAL, PROVINCIAL, KINDS, Progress, schema, columns, _M, _hash, fingerprints, _tmp_name, _digest, _file_digest, _time_limit, _atomic_path, write_rows, discover, cache_rel, _load_doc, _peak_rss_mb, _v, _schemas  # noqa: F401
from .engines import _Dask, _Inline, _Local, _as_done, _engine  # noqa: F401
from .results import _Run, _cleanup, _locked, _remove_stale_temporaries, _write_manifest, check_results_dir, is_results_dir, iter_table, load_table, read_manifest  # noqa: F401
from .scan import _Links, _Scan, _hash_files, _scan, doc_header, header, resolve_parents, scan_chunk  # noqa: F401
from .aligning import _PREPARED, _PREPARED_PARENTS, _Align, _align, _align_specs, _prepared, _section, align_chunk, comparison_rows  # noqa: F401
from .tables import _TableWriter, _Tables, _tables, _write_tables, tables_job  # noqa: F401
from .report import BatchReport, PhaseTimes  # noqa: F401


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


__all__ = ["run_batch", "resolve_parents", "header", "align_chunk", "scan_chunk", "BatchReport", "discover", "check_results_dir", "is_results_dir", "load_table", "iter_table", "TABLES", "comparison_rows"]
