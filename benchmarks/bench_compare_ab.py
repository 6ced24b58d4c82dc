"""In-process compare() CPU of this tree against another tree of the project, alternating in one run.

Run:  git archive REV | tar -x -C /tmp/base   (any earlier commit, unpacked)
      python benchmarks/bench_compare_ab.py --baseline-src /tmp/base/src [--rounds 3]

Each round runs one fresh process per tree (in alternating order): it parses three corpus pairs
and reports the median CPU time (time.process_time) of 9 compare() calls per pair after a warm-up
call. Printed: each tree's medians per round and the ratio of their medians (this tree ÷ baseline).
Nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAIRS = [("dak-lak_146-KH-UBND_2025-06-25.txt", "dak-lak_tan-lap_KH-UBND_2025.txt"),
         ("central_03-NQ-CP_2025-01-09.md", "thai-nguyen_25-KH-UBND_2025-01-24.txt"),
         ("central_57-NQ-TW_2024-12-22.md", "central_03-NQ-CP_2025-01-09.md")]
CODE = r'''
import json, statistics, sys, time
from plancompare.parse import load
from plancompare.align import compare
raw, pairs = sys.argv[1], json.loads(sys.argv[2])
out = []
for a, b in pairs:
    A, B = load(f"{raw}/{a}"), load(f"{raw}/{b}")
    compare(A, B)
    ts = []
    for _ in range(9):
        t = time.process_time()
        compare(A, B)
        ts.append(time.process_time() - t)
    out.append(statistics.median(ts) * 1000)
print(json.dumps(out))
'''


def _run(src: str) -> list[float]:
    res = subprocess.run([sys.executable, "-c", CODE, str(ROOT / "data" / "raw"), json.dumps(PAIRS)], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": src, "PATH": "/usr/bin:/bin"})
    return json.loads(res.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline-src", required=True, help="the src/ folder of the tree to compare against")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    trees = {"this": str(ROOT / "src"), "baseline": a.baseline_src}
    res: dict[str, list[list[float]]] = {"this": [], "baseline": []}
    for r in range(a.rounds):
        for tag in (("this", "baseline") if r % 2 == 0 else ("baseline", "this")):
            res[tag].append(_run(trees[tag]))
    for i, (p, c) in enumerate(PAIRS):
        this, base = [x[i] for x in res["this"]], [x[i] for x in res["baseline"]]
        print(f"{p} -> {c}: this {[round(v, 1) for v in this]} ms, baseline {[round(v, 1) for v in base]} ms, "
              f"ratio {statistics.median(this) / statistics.median(base):.2f}")


if __name__ == "__main__":
    main()
