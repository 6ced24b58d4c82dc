"""Batch results verified on rerun, one writer per results folder, a per-file time limit, CSV opt-in."""

from __future__ import annotations

import fcntl
import gzip
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")
pytest.importorskip("datasketch")
import pyarrow.parquet as pq  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from plancompare.scale.batch import MANIFEST, TABLES, check_results_dir, run_batch  # noqa: E402
from plancompare.cli import app  # noqa: E402
from plancompare.errors import InputError, OutputError  # noqa: E402
from plancompare.synth.national import generate  # noqa: E402

runner = CliRunner()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("verify") / "corpus"
    generate(d, provinces=1, communes=6, seed=3, workers=1)
    return d


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("verify") / "ref"
    rep = run_batch(corpus, out, workers=1, chunk_size=2)
    return out, rep


def tables_of(out: Path) -> dict[str, object]:
    return {t: pq.read_table(out / f"{t}.parquet") for t in TABLES}


def same_tables(a: Path, b: Path) -> bool:
    ta, tb = tables_of(a), tables_of(b)
    return all(ta[t].equals(tb[t]) for t in TABLES)


def copy_results(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def test_parquet_by_default_csv_on_request(corpus, reference, tmp_path):
    out, rep = reference
    assert not list(out.glob("*.csv")) and not rep.csv
    assert set(rep.tables) == set(TABLES)
    sums = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["checksums"]
    assert {f"{t}.parquet" for t in TABLES} <= set(sums)
    assert any(k.startswith("parts/pairs/") for k in sums) and any(k.startswith("_state/scan/") for k in sums) and any(k.startswith("_cache/docs/") for k in sums)
    assert rep.main_peak_rss_mb > 0 and rep.worker_peak_rss_mb
    res = copy_results(out, tmp_path / "r")
    rep2 = run_batch(corpus, res, workers=1, chunk_size=2, csv=True)
    assert rep2.tables_written and rep2.align_chunks_run == 0 and rep2.parsed == 0
    for t in TABLES:
        assert (res / f"{t}.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    rep3 = run_batch(corpus, res, workers=1, chunk_size=2)  # back to Parquet only: the CSV tables would be stale
    assert rep3.tables_written and not list(res.glob("*.csv")) and same_tables(res, out)


def test_a_truncated_table_is_rewritten_and_said_so(corpus, reference, tmp_path):
    out, _ = reference
    res = copy_results(out, tmp_path / "r")
    p = res / "pairs.parquet"
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])
    with pytest.raises(InputError, match="pairs.parquet failed verification"):
        check_results_dir(res)
    r = runner.invoke(app, ["survey", str(res)])
    assert r.exit_code == 2 and "failed verification" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    rep = run_batch(corpus, res, workers=1, chunk_size=2)
    assert rep.tables_written and rep.repaired == ["pairs.parquet: checksum mismatch, redone"]
    assert rep.align_chunks_run == 0 and same_tables(res, out)
    check_results_dir(res)


def test_a_damaged_part_or_state_file_is_redone(corpus, reference, tmp_path):
    out, _ = reference
    res = copy_results(out, tmp_path / "r")
    part = sorted((res / "parts" / "pairs").glob("*.parquet"))[0]
    part.write_bytes(b"PAR1 not really")
    state = sorted((res / "_state" / "scan").glob("*.json"))[0]
    state.write_text(state.read_text(encoding="utf-8")[:-40], encoding="utf-8")
    r = runner.invoke(app, ["batch", str(corpus), "--out", str(res), "--workers", "1", "--chunk-size", "2", "--quiet", "--format", "json"])
    assert r.exit_code == 0, r.output
    rep = json.loads(r.stdout)
    # both redone; the tables (verified on their own, and built from the same results) need no rewrite
    assert rep["align_chunks_run"] == 1 and rep["scan_chunks_run"] == 1 and not rep["tables_written"]
    assert sorted(rep["repaired"]) == sorted([f"parts/pairs/{part.name}: checksum mismatch, redone", f"_state/scan/{state.name}: checksum mismatch, redone"])
    assert r.stderr.count("plancompare: note: failed verification:") == 2
    assert same_tables(res, out)


def test_an_edited_but_valid_cached_document_is_parsed_again(corpus, reference, tmp_path):
    out, _ = reference
    res = copy_results(out, tmp_path / "r")
    entry = sorted((res / "_cache" / "docs").rglob("*.json.gz"))[0]
    doc = json.loads(gzip.decompress(entry.read_bytes()))
    doc["tasks"] = doc["tasks"][:1]  # still a valid record: only the checksum tells
    entry.write_bytes(gzip.compress(json.dumps(doc, ensure_ascii=False).encode()))
    for p in (res / "parts" / "documents").glob("*.parquet"):  # every chunk realigned: the entry is read again
        p.unlink()
    rep = run_batch(corpus, res, workers=1, chunk_size=2)
    rel = entry.relative_to(res).as_posix()
    assert f"{rel}: checksum mismatch, parsed again" in rep.repaired
    assert rep.parsed == 1 and same_tables(res, out)


def test_another_writer_is_refused_with_its_pid(corpus, reference, tmp_path):
    out, _ = reference
    res = copy_results(out, tmp_path / "r")
    fd = os.open(res / ".lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.pwrite(fd, b"4242\n", 0)
        with pytest.raises(OutputError, match=f"another batch is writing {res}, pid 4242"):
            run_batch(corpus, res, workers=1, chunk_size=2)
        r = runner.invoke(app, ["batch", str(corpus), "--out", str(res), "--workers", "1", "--quiet"])
        assert r.exit_code == 4 and r.stderr == f"plancompare: error: another batch is writing {res}, pid 4242\n"
    finally:
        os.close(fd)
    rep = run_batch(corpus, res, workers=1, chunk_size=2)  # the lock is free again
    assert not rep.tables_written and not rep.repaired


def test_two_runs_at_once_one_writes_the_other_is_told(corpus, tmp_path):
    out = tmp_path / "r"
    code = f"from plancompare.scale.batch import run_batch; run_batch({str(corpus)!r}, {str(out)!r}, workers=1, chunk_size=2)"
    procs = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errs = [p.communicate(timeout=300)[1] for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes[0] == 0
    if codes[1] != 0:  # the second one started while the first was writing
        assert any("another batch is writing" in e for e in errs), errs
    check_results_dir(out)


def test_stale_temporary_files_are_removed(corpus, reference, tmp_path):
    out, _ = reference
    res = copy_results(out, tmp_path / "r")
    stale = [res / ".pairs.parquet.99999.deadbeef.tmp", res / "parts" / "pairs" / ".a1.parquet.99999.0badf00d.tmp"]
    for s in stale:
        s.write_bytes(b"left by kill -9")
    run_batch(corpus, res, workers=1, chunk_size=2)
    assert not any(s.exists() for s in stale)


def test_a_file_over_the_time_limit_is_an_error_and_the_run_goes_on(corpus, tmp_path, monkeypatch):
    import plancompare.parse as parse

    real = parse.parse_file
    # a commune plan (a parent would be in the worker's memory from the earlier runs of this module)
    slow = sorted(p.name for p in corpus.rglob("*.txt") if p.name.startswith(("xa-", "phuong-")))[0]

    def parse_file(path, *a, **k):
        if Path(path).name == slow:
            time.sleep(5)  # a file that would stall the run
        return real(path, *a, **k)

    monkeypatch.setattr(parse, "parse_file", parse_file)
    t = time.perf_counter()
    rep = run_batch(corpus, tmp_path / "r", workers=1, chunk_size=2, file_timeout=0.5)
    assert time.perf_counter() - t < 30
    assert rep.parse_errors == 1
    docs = pq.read_table(tmp_path / "r" / "documents.parquet").to_pylist()
    err = [d["parse_error"] for d in docs if d["parse_error"]]
    rel = next(corpus.rglob(slow)).relative_to(corpus).as_posix()
    assert err == [f"{rel}: parsing took more than 0.5 s (the per-file time limit, see docs/limits.md); skipped"]


def test_the_main_process_does_not_import_pandas(corpus, tmp_path):
    code = (f"import sys; from plancompare.scale.batch import run_batch; run_batch({str(corpus)!r}, {str(tmp_path / 'r')!r}, workers=2, chunk_size=2); "
            "print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300).stdout
    assert out.strip() == "False"


def test_a_batch_in_one_process_imports_no_pandas(corpus, tmp_path):
    """The workers write their rows from Arrow buffers (scale.common.table_of): converting Python lists
    with pyarrow would import pandas in every worker (about 0.4 s of CPU each). (The opt-in CSV files
    still import it: pyarrow's scalars do.)"""
    code = (f"import sys; from plancompare.scale.batch import run_batch; run_batch({str(corpus)!r}, {str(tmp_path / 'r')!r}, workers=1, chunk_size=2); "
            "print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300).stdout
    assert out.strip() == "False"


def test_table_of_is_from_pylist():
    """table_of builds the very table pa.Table.from_pylist builds (nulls, missing keys, non-ASCII text,
    empty rows and tables), and raises alike on a value from_pylist refuses (a bool in an int64 column)."""
    import random

    import pyarrow as pa

    from plancompare.scale.common import schema, table_of

    rng = random.Random(5)
    texts = ["", "é", "abc", "Lồng ghép nội dung \u1ea0", "x" * 300]
    for name in ("pairs", "align_docs", "documents", "survival", "top_tasks"):
        sch = schema(name)
        for _ in range(40):
            rows = []
            for _ in range(rng.choice([0, 1, 7, 120])):
                row = {}
                for f in sch:
                    c = rng.random()
                    if c < 0.1:
                        continue  # a missing key is null
                    if c < 0.3:
                        row[f.name] = None
                    elif pa.types.is_string(f.type):
                        row[f.name] = rng.choice(texts)
                    elif str(f.type) == "int64":
                        row[f.name] = rng.choice([0, 1, -5, 2**40])
                    else:
                        row[f.name] = rng.choice([0.1, 1, 0.0, -3.25, 1e300])
                rows.append(row)
            got, want = table_of(rows, sch), pa.Table.from_pylist(rows, schema=sch)
            assert got.equals(want) and got.to_pylist() == want.to_pylist()
    bad = [{"pair": True}]
    with pytest.raises(pa.ArrowTypeError):
        pa.Table.from_pylist(bad, schema=schema("pairs"))
    with pytest.raises(pa.ArrowTypeError):
        table_of(bad, schema("pairs"))
