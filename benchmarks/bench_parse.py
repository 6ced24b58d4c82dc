"""Parse time per document: the corpus and the real documents, against a baseline revision in the same run.

    python benchmarks/bench_parse.py                    # this checkout only
    python benchmarks/bench_parse.py --baseline 75611de # also a git revision, run alternately

The baseline is checked out into a temporary git worktree and timed in its own process, alternating
with this checkout (``--rounds`` times each), so that both see the same machine load; the figure that
matters is the ratio of the two totals. Each round parses every file once after a warm-up pass;
the minimum over rounds is kept per file. Real documents are read from ../shared/realdocs when present.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "data" / "raw").iterdir()) + sorted((ROOT.parent / "shared" / "realdocs").glob("*.md"))

_ONE_ROUND = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from plancompare.parse import parse_file
files = json.loads(sys.argv[2])
for f in files: parse_file(f)
out = {}
for f in files:
    t0 = time.perf_counter(); parse_file(f); out[f] = time.perf_counter() - t0
print(json.dumps(out))
"""


def _round(src: Path) -> dict[str, float]:
    p = subprocess.run([sys.executable, "-c", _ONE_ROUND, str(src), json.dumps([str(f) for f in FILES])], capture_output=True, text=True, check=True)
    return json.loads(p.stdout)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", help="a git revision to time alongside this checkout")
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args(argv)
    srcs = {"this": ROOT / "src"}
    tmp = None
    if a.baseline:
        tmp = Path(tempfile.mkdtemp()) / "baseline"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tmp), a.baseline], check=True)
        srcs["baseline"] = tmp / "src"
    best: dict[str, dict[str, float]] = {k: {} for k in srcs}
    try:
        for _ in range(a.rounds):
            for name, src in srcs.items():
                for f, t in _round(src).items():
                    best[name][f] = min(t, best[name].get(f, t))
    finally:
        if tmp is not None:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tmp)], check=False)
    cols = list(srcs)
    print(f"{'file':48} " + " ".join(f"{c + ' ms':>12}" for c in cols))
    for f in FILES:
        print(f"{Path(f).name[:48]:48} " + " ".join(f"{best[c][str(f)] * 1000:12.1f}" for c in cols))
    totals = {c: sum(best[c].values()) for c in cols}
    print(f"{'total (' + str(len(FILES)) + ' files)':48} " + " ".join(f"{totals[c] * 1000:12.1f}" for c in cols))
    if "baseline" in totals:
        print(f"ratio this/baseline: {totals['this'] / totals['baseline']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
