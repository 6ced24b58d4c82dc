"""Scaling of parse and compare with the number of tasks: time and memory per task.

Run:  python benchmarks/bench_scale.py                         (100, 1,000, 10,000, 30,000 tasks per side)
      python benchmarks/bench_scale.py --sizes 100,1000 --timeout 120
      python benchmarks/bench_scale.py --repeat 7   (sizes under 10 s measured 7 times, in rounds, fresh processes: the minimum)
      python benchmarks/bench_scale.py --src /tmp/base/src --out /tmp/base.json   (another checkout's sources, e.g. for a before/after)

For each size N a synthetic parent plan of N tasks (real corpus sentences recombined, as in
bench_diff.py) and an edited child (dropped, softened, narrowed, extended, added, shuffled
tasks) are parsed and compared in a FRESH process (no warm caches from a smaller size):

* time: parse of both texts, and compare(): CPU seconds of the process (time.process_time: robust to a shared machine's load;
  scipy, which compare() imports on first need, imported before);
* links: precision and recall of compare()'s parent-child links against the generator's truth
  (bench_diff.synthetic_pair: which parent task each child task was made from);
* memory: peak traced allocation (tracemalloc, in a second run of the same steps, since
  tracing slows Python down) of parsing and of comparing.

Reported per task (parent + child tasks): microseconds and bytes. Linear means the per-task
figures stay flat from the smallest to the largest size (the growth column: largest over
smallest). A size that does not finish within --timeout seconds is reported as such.
Figures go to benchmarks/out/bench_scale.json; a markdown table to stdout. Not a test.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def one(n: int) -> None:
    """Measure one size; one JSON line per step, flushed, so that a size cut short by the timeout keeps its first steps."""
    # plancompare first (the sources of --src, when given), then bench_diff, which puts this tree's src/ first on the path
    from plancompare.align import compare
    from plancompare.parse import parse_text

    from bench_diff import synthetic_pair

    def say(**kw: object) -> None:
        print(json.dumps(kw), flush=True)

    # compare() imports scipy for its first large assignment component (align.assign): a
    # one-off cost of the process, not of the tasks, which would weigh on the per-task
    # figure of the sizes that reach it and not of the others
    import scipy.sparse.csgraph  # noqa: F401

    ptxt, ctxt, truth = synthetic_pair(n, seed=7)
    t = time.process_time()
    P = parse_text(ptxt, "scale-parent.txt")
    C = parse_text(ctxt, "scale-child.txt")
    parse_s = time.process_time() - t
    tasks = len(P.tasks) + len(C.tasks)
    say(n=n, parent_tasks=len(P.tasks), child_tasks=len(C.tasks), tasks=tasks, chars=len(ptxt) + len(ctxt), parse_s=round(parse_s, 3),
        parse_us_per_task=round(parse_s / tasks * 1e6, 1))
    t = time.process_time()
    cmp = compare(P, C)
    compare_s = time.process_time() - t
    say(compare_s=round(compare_s, 3), compare_us_per_task=round(compare_s / tasks * 1e6, 1), links=cmp.summary.links, statuses=cmp.summary.statuses)
    say(**link_accuracy(n, P, C, cmp, truth))
    # memory, traced in a second pass (the normalisation caches are warm now: the peak is what the steps allocate)
    tracemalloc.start()
    P2 = parse_text(ptxt, "scale-parent.txt")
    C2 = parse_text(ctxt, "scale-child.txt")
    say(parse_peak_bytes_per_task=round(tracemalloc.get_traced_memory()[1] / tasks))
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    compare(P2, C2)
    say(compare_peak_bytes_per_task=round((tracemalloc.get_traced_memory()[1] - base) / tasks))
    tracemalloc.stop()


def link_accuracy(n: int, P, C, cmp, truth: list[int | None]) -> dict:
    """Parent-child links against the generator's truth (each child task's parent, or none for an
    added task), counted between generated tasks (a line the parser reads as several tasks, an
    inline list, is one): precision over every link compare() reports (merge and split links
    included), recall over the true links. The generator recombines corpus sentences, so an added
    task or a narrowed one can share a whole sentence with parents it was not made from: a perfect
    score is not expected; the figures are for comparing sizes and versions."""
    from bench_diff import task_line

    p_line = {task_line(i): i for i in range(n)}
    c_line = {task_line(j): j for j in range(len(truth))}
    pid = {t.id: p_line.get(t.line_start) for t in P.tasks}
    cid = {t.id: c_line.get(t.line_start) for t in C.tasks}
    pred = {(pid[x.parent.id], cid[x.child.id]) for x in cmp.pairs if x.parent is not None and x.child is not None}
    gold = {(i, j) for j, i in enumerate(truth) if i is not None}
    hit = len(pred & gold)
    return {"truth_links": len(gold), "pred_links": len(pred), "link_precision": round(hit / len(pred), 4) if pred else None,
            "link_recall": round(hit / len(gold), 4) if gold else None}


def _run(n: int, timeout: float, src: str | None = None) -> dict:
    """One size in a fresh process: its JSON lines merged (a size cut by the timeout keeps its first steps)."""
    p = subprocess.Popen([sys.executable, __file__, "--one", str(n), *(["--src", src] if src else [])], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    row: dict = {"n": n}
    try:
        out, err = p.communicate(timeout=timeout)
        if p.returncode:
            row["error"] = (err.strip().splitlines() or [f"exit {p.returncode}"])[-1:]
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        row["timeout_s"] = timeout
    for line in out.splitlines():
        row.update(json.loads(line))
    return row


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100,1000,10000,30000")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per size (parse + compare, twice)")
    ap.add_argument("--repeat", type=int, default=1, help="fresh processes per size, the minimum CPU time kept (sizes shorter than --repeat-under)")
    ap.add_argument("--repeat-under", type=float, default=10.0, help="seconds (parse + compare CPU of the first run) under which a size is repeated")
    ap.add_argument("--src", help="the plancompare sources to measure (default: this tree's src/), e.g. another checkout's, for a before/after")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "out" / "bench_scale.json"))
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        if args.src:
            sys.path.insert(0, args.src)
        one(args.one)
        return
    sizes = [int(x) for x in args.sizes.split(",")]
    runs: dict[int, list[dict]] = {n: [_run(n, args.timeout, args.src)] for n in sizes}
    # the short sizes are measured again, in rounds over them all (so that each size meets the
    # same spells of a busy machine), each run in a fresh process: the minimum CPU time is kept
    short = [n for n in sizes if "compare_s" in runs[n][0] and runs[n][0]["parse_s"] + runs[n][0]["compare_s"] < args.repeat_under]
    for _ in range(args.repeat - 1):
        for n in short:
            r = _run(n, args.timeout, args.src)
            if "compare_s" in r:
                runs[n].append(r)
    rows = []
    for n in sizes:
        row = runs[n][0]
        if len(runs[n]) > 1:
            for k, per in (("parse_s", "parse_us_per_task"), ("compare_s", "compare_us_per_task")):
                row[k] = min(r[k] for r in runs[n])
                row[per] = round(row[k] / row["tasks"] * 1e6, 1)
            row["runs"] = len(runs[n])
        rows.append(row)
        print(json.dumps(row), file=sys.stderr)
    growth = {}
    for k in ("parse_us_per_task", "compare_us_per_task", "parse_peak_bytes_per_task", "compare_peak_bytes_per_task"):
        have = [r for r in rows if k in r]
        if len(have) >= 2 and have[0][k]:
            growth[k] = {"from": have[0]["n"], "to": have[-1]["n"], "ratio": round(have[-1][k] / have[0][k], 2)}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"rows": rows, "growth": growth}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("| tasks per side | tasks (both) | parse CPU s | compare CPU s | parse µs/task | compare µs/task | parse peak B/task | compare peak B/task | link P / R (truth) |")
    print("|---|---|---|---|---|---|---|---|---|")
    def cell(r: dict, k: str, fmt: str = "{}") -> str:
        return fmt.format(r[k]) if k in r else "—"

    for r in rows:
        note = ""
        if "timeout_s" in r:
            note = f" (cut at {r['timeout_s']:.0f} s)"
        elif "error" in r:
            note = f" (failed: {r['error'][0]})"
        elif r.get("runs", 1) > 1:
            note = f" (min of {r['runs']} runs)"
        print(f"| {r['n']:,}{note} | {cell(r, 'tasks', '{:,}')} | {cell(r, 'parse_s')} | {cell(r, 'compare_s')} | {cell(r, 'parse_us_per_task')} | "
              f"{cell(r, 'compare_us_per_task')} | {cell(r, 'parse_peak_bytes_per_task', '{:,}')} | {cell(r, 'compare_peak_bytes_per_task', '{:,}')} | "
              f"{cell(r, 'link_precision', '{:.3f}')} / {cell(r, 'link_recall', '{:.3f}')} |")
    if growth:
        print("\ngrowth per task (largest size measured over the smallest): " + ", ".join(f"{k} ×{v['ratio']} ({v['from']:,} → {v['to']:,})" for k, v in growth.items()))


if __name__ == "__main__":
    main()
