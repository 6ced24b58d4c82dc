"""What every step of the batch shares: the results folder's constants and table schemas, content hashes,
atomic writes, the parsed-document cache of the workers and their peak memory."""

from __future__ import annotations

import array
import hashlib
import itertools
import json
import operator
import os
import secrets
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from pydantic import BaseModel, ConfigDict

from ..store import ALIGNER_CODE, DOCS_DIR, NATIONAL_LEVELS, PARSER_CODE, PROVINCIAL_LEVELS, DocumentCache, code_fingerprint, plan_files, sha256_file


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


_ARRAY_CODES = {"int64": "q", "double": "d"}


def _column(values: list[Any], typ: Any) -> Any:
    """One column (strings, int64 or float64, None for null) as an Arrow array built from its buffers.

    The same array as ``pa.array(values, typ)``; but converting a Python list imports pandas inside
    pyarrow (about 0.4 s of CPU once per worker process, and its memory), which this avoids."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(values)
    nulls = values.count(None)
    valid = None
    if nulls:  # the validity bitmap: one byte per value (0/1), packed into bits by a cast to bool
        ones = pa.Array.from_buffers(pa.int8(), n, [None, pa.py_buffer(bytes(map(operator.is_not, values, itertools.repeat(None))))])
        valid = pc.cast(ones, pa.bool_()).buffers()[1]
    if pa.types.is_string(typ):
        data = [b"" if v is None else v.encode() for v in values]
        blob = b"".join(data)
        if len(blob) >= 2**31:
            raise OverflowError("string column over 2 GB")
        offsets = array.array("i", itertools.accumulate(map(len, data), initial=0))
        return pa.Array.from_buffers(typ, n, [valid, pa.py_buffer(offsets), pa.py_buffer(blob)], null_count=nulls)
    code = _ARRAY_CODES[str(typ)]
    zero = 0 if code == "q" else 0.0
    nums = array.array(code, [zero if v is None else v for v in values])
    return pa.Array.from_buffers(typ, n, [valid, pa.py_buffer(nums)], null_count=nulls)


def table_of(rows: list[dict[str, Any]], sch: Any) -> Any:
    """Rows (dicts; a missing key is null) as an Arrow table of schema ``sch``: ``pa.Table.from_pylist(rows,
    schema=sch)``, column by column from buffers (see :func:`_column`); from_pylist itself for a value
    the buffers cannot hold as it would (a bool or a float in an int64 column, a type other than
    string, int64, float64)."""
    import pyarrow as pa

    if all(pa.types.is_string(f.type) or str(f.type) in _ARRAY_CODES for f in sch) and not _odd_numbers(rows, sch):
        try:
            return pa.Table.from_arrays([_column(_values(rows, f.name), f.type) for f in sch], schema=sch)
        except (TypeError, OverflowError, AttributeError, UnicodeEncodeError):
            pass
    return pa.Table.from_pylist(rows, schema=sch)


def _values(rows: list[dict[str, Any]], name: str) -> list[Any]:
    """One column's values (None where a row lacks the key), read in C when every row has it."""
    try:
        return list(map(operator.itemgetter(name), rows))
    except KeyError:
        return [r.get(name) for r in rows]


def _odd_numbers(rows: list[dict[str, Any]], sch: Any) -> bool:
    """A value of a numeric column that is not a plain int (int64) or an int/float (float64): bools above all."""
    for f in sch:
        t = str(f.type)
        if t in _ARRAY_CODES:
            ok = (int,) if t == "int64" else (int, float)
            for r in rows:
                v = r.get(f.name)
                if v is not None and (type(v) not in ok):
                    return True
    return False


def write_rows(rows: list[dict[str, Any]], path: Path, name: str) -> str:
    """Rows (dicts) as Parquet with the table's schema, atomically (pyarrow directly: no DataFrame); returns its SHA-256."""
    import pyarrow.parquet as pq

    with _atomic_path(path) as tmp:
        pq.write_table(table_of(rows, schema(name)), tmp, compression="zstd")
        digest = sha256_file(tmp)
    return digest


def discover(root: Path) -> list[str]:
    """Plan files of the corpus folder (:func:`plancompare.store.plan_files`), as relative POSIX paths."""
    return [p.relative_to(root).as_posix() for p in plan_files(root)]


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
