"""The results folder: is it one, is it finished, its lock, its manifest, the run's state in it
(checksums, what was redone), the cleanup of stale parts, and its tables read back."""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..errors import InputError, MissingFileError, OutputError
from .common import FORMAT_VERSION, MANIFEST, LOCK, MANIFEST_KIND, TABLES, fingerprints, _file_digest
from .engines import _engine


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
