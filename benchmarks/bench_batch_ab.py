"""`plancompare batch` CPU of this tree against another tree of the project, on the same corpus, alternating.

Run:  git archive REV | tar -x -C /tmp/base   (any earlier commit, unpacked)
      python benchmarks/bench_batch_ab.py --baseline /tmp/base --corpus /work/batchwork/corpus-1000 [--rounds 2] [--workers 2]

(a corpus subset as benchmarks/bench_batch.py makes them: ``corpus-300``, ``corpus-1000`` in its --work folder.)

Each round runs the baseline (A) and this tree (B) in the order A B B A, each a fresh process running
``run_batch`` into a fresh results folder, measured as bench_batch.py measures a batch (CPU of every
process of the tree, :func:`bench_batch.run_measured`, with each tree's own ``src``), and the floor
(benchmarks/floor.py) on the same files right after. Printed: one JSON line per run, the means and
the ratio of the means (B ÷ A), and whether the last A and B runs wrote equal tables (pyarrow
``Table.equals`` on pairs, documents, survival and top_tasks). Nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("pairs", "documents", "survival", "top_tasks")
CODE = r'''
import json, shutil, sys
tree, corpus, out, workers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
sys.path.insert(0, tree + "/benchmarks")
import bench_batch as bb
assert str(bb.ROOT) == tree, (bb.ROOT, tree)
shutil.rmtree(out, ignore_errors=True)
r = bb.run_measured(f"from plancompare.scale.batch import run_batch\nr = run_batch({corpus!r}, {out!r}, workers={workers})\nresult = json.loads(r.to_json())")
fl = bb.run_measured(f"sys.path.insert(0, {str(bb.ROOT / 'benchmarks')!r})\nfrom floor import floor\nresult = floor({corpus!r})")["result"]
cpu = max(r["tree_cpu_seconds"], r["cpu_self"] + r["cpu_children"])
print(json.dumps({"cpu": round(cpu, 2), "floor": fl["cpu_seconds"], "cpu_vs_floor": round(cpu / fl["cpu_seconds"], 1), "wall": round(r["wall"], 1), "pairs": r["result"]["pairs"]}))
'''


def _run(tree: Path, corpus: str, out: Path, workers: int) -> dict:
    p = subprocess.run([sys.executable, "-c", CODE, str(tree), corpus, str(out), str(workers)], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(p.stderr[-3000:])
    return json.loads(p.stdout.strip().splitlines()[-1])


def _equal_tables(a: Path, b: Path) -> bool:
    import pyarrow.parquet as pq

    return all(pq.ParquetFile(a / f"{t}.parquet").read().equals(pq.ParquetFile(b / f"{t}.parquet").read()) for t in TABLES)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", required=True, help="the other tree (a folder with src/ and benchmarks/)")
    ap.add_argument("--corpus", required=True, help="a corpus folder (e.g. bench_batch.py's corpus-1000)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    trees = {"A": Path(args.baseline).resolve(), "B": ROOT}
    cpu: dict[str, list[float]] = {"A": [], "B": []}
    with tempfile.TemporaryDirectory() as tmp:
        outs = {k: Path(tmp) / k for k in trees}
        for _ in range(args.rounds):
            for k in "ABBA":
                res = _run(trees[k], args.corpus, outs[k], args.workers)
                cpu[k].append(res["cpu"])
                print(k, json.dumps(res), flush=True)
        same = _equal_tables(outs["A"], outs["B"])
        for o in outs.values():
            shutil.rmtree(o, ignore_errors=True)
    a, b = statistics.mean(cpu["A"]), statistics.mean(cpu["B"])
    print(json.dumps({"mean_cpu_A": round(a, 2), "mean_cpu_B": round(b, 2), "ratio_B_over_A": round(b / a, 3), "tables_equal": same}))


if __name__ == "__main__":
    main()
