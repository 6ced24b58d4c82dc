"""Property: `batch` killed with SIGKILL at any point, then run again, gives the tables of an uninterrupted run.

The batch runs in its own process group (main process, forkserver and workers), killed
whole at a random moment (hypothesis draws when, how many times, with how many workers);
the rerun must finish, leave no temporary file, and write tables equal to the reference.
PLANCOMPARE_LONG_TESTS=1 tries more cases."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")
pytest.importorskip("datasketch")
import pyarrow.parquet as pq  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from plancompare.scale.batch import TABLES, check_results_dir, run_batch  # noqa: E402
from plancompare.synth.national import generate  # noqa: E402

LONG = bool(os.environ.get("PLANCOMPARE_LONG_TESTS"))


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    base = tmp_path_factory.mktemp("kill")
    corpus = base / "corpus"
    generate(corpus, provinces=1, communes=6, seed=11, workers=1)
    ref = base / "ref"
    t = time.perf_counter()
    _run(corpus, ref, 1).wait(timeout=300)
    took = time.perf_counter() - t  # an uninterrupted run as a subprocess: the kills fall inside it
    check_results_dir(ref)
    return base, corpus, ref, took


def _run(corpus: Path, out: Path, workers: int) -> subprocess.Popen:
    code = f"from plancompare.scale.batch import run_batch; run_batch({str(corpus)!r}, {str(out)!r}, workers={workers}, chunk_size=2, csv=True)"
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _tables(out: Path) -> dict[str, object]:
    return {t: pq.ParquetFile(out / f"{t}.parquet").read() for t in TABLES}


_n = 0


@settings(max_examples=12 if LONG else 4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(kills=st.lists(st.floats(0.05, 1.0), min_size=1, max_size=2), workers=st.sampled_from([1, 2]))
def test_kill_9_then_rerun_gives_identical_tables(setup, kills, workers):
    global _n
    base, corpus, ref, took = setup
    _n += 1
    out = base / f"run{_n}"
    for share in kills:
        p = _run(corpus, out, workers)
        time.sleep(share * took)
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)  # the whole process group: main process, forkserver, workers
        p.wait(timeout=60)
    rep = run_batch(corpus, out, workers=1, chunk_size=2, csv=True)
    assert not list(out.rglob("*.tmp"))
    check_results_dir(out)
    got, want = _tables(out), _tables(ref)
    for t in TABLES:
        assert got[t].equals(want[t]), (t, kills, workers, rep.repaired)
        assert (out / f"{t}.csv").read_bytes() == (ref / f"{t}.csv").read_bytes(), t
