"""Robustness run of the parser over a folder of documents nobody here has labelled.

    python benchmarks/wide_parse.py FOLDER [--glob '*.md'] [--limit N] [--json OUT]

For each file: parse it, and report the outcome (records, or the package's own error), the body task
count, the time, and whether the document said why it has no tasks. Prints a summary: how many
parsed, how many raised which error, how many crashed (anything that is not a PlanCompareError: a bug),
how many have no tasks (and whether each says why), and the slowest files. Exit 1 on any crash.

Use it on documents fetched for the purpose (a public collection of plans), kept outside the
repository: the figures go in the README, the documents never into the project.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections import Counter
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--glob", default="*")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--json", type=Path, default=None, help="write one row per file here")
    a = ap.parse_args(argv)
    from plancompare.errors import PlanCompareError
    from plancompare.parse import parse_file

    files = sorted(p for p in a.folder.glob(a.glob) if p.is_file())
    if a.limit:
        files = files[: a.limit]
    rows = []
    for f in files:
        t0 = time.perf_counter()
        try:
            doc = parse_file(f)
            body = sum(1 for t in doc.tasks if t.source != "appendix")
            said = any(p.code in ("no_tasks", "no_structure") for p in doc.problems)
            rows.append({"file": f.name, "outcome": "parsed", "body_tasks": body, "appendix_tasks": len(doc.tasks) - body, "says_why": said, "seconds": time.perf_counter() - t0})
        except PlanCompareError as e:
            rows.append({"file": f.name, "outcome": type(e).__name__, "body_tasks": 0, "says_why": True, "seconds": time.perf_counter() - t0})
        except Exception as e:  # a bug: the package must only raise its own errors
            rows.append({"file": f.name, "outcome": "CRASH " + type(e).__name__, "detail": traceback.format_exc().splitlines()[-1], "body_tasks": 0, "says_why": False, "seconds": time.perf_counter() - t0})
    if a.json:
        a.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    outcomes = Counter(r["outcome"] for r in rows)
    parsed = [r for r in rows if r["outcome"] == "parsed"]
    zero = [r for r in parsed if r["body_tasks"] == 0 and not r["appendix_tasks"]]
    appendix_only = [r for r in parsed if r["body_tasks"] == 0 and r["appendix_tasks"]]
    secs = sorted(r["seconds"] for r in rows)
    print(f"files: {len(rows)}; outcomes: {dict(outcomes)}")
    print(f"parsed with tasks: {len(parsed) - len(zero)} ({len(appendix_only)} only in an appendix table); without tasks: {len(zero)} ({sum(1 for r in zero if r['says_why'])} say why)")
    if secs:
        print(f"seconds per file: median {secs[len(secs) // 2]:.3f}, max {secs[-1]:.3f}; total {sum(secs):.1f}")
    crashes = [r for r in rows if r["outcome"].startswith("CRASH")]
    for r in crashes:
        print(f"crash: {r['file']}: {r['detail']}", file=sys.stderr)
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
