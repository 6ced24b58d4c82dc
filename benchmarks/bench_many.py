"""Many pairs: separate `plancompare diff` processes against one process with compare_many.

Run:  python benchmarks/bench_many.py                  (a province plan and 24 of its communes)
      python benchmarks/bench_many.py --communes 12 --work /tmp/pcmany

A small synthetic national corpus (`plancompare synth`, one province) gives one parent and
N children, all distinct files. Measured, alternating, --rounds times (median CPU seconds of
the processes, from getrusage of the children):

* N separate processes `plancompare diff PROVINCE COMMUNE --format json` (what a script that
  shells out does);
* one process that imports plancompare and runs `compare_many([(PROVINCE, COMMUNE), ...])`,
  writing each comparison's JSON (start-up and parsing included: the parent is parsed and
  prepared once, each child parsed once).

Reported: CPU per pair each way and the ratio. Figures to benchmarks/out/bench_many.json. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MANY = """
import sys
from plancompare.align import compare_many
pairs = [tuple(l.split("\\t")) for l in sys.stdin.read().splitlines()]
for cmp in compare_many(pairs):
    sys.stdout.write(cmp.to_json())
"""


def cpu_of(cmd: list[str], stdin: str | None = None) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, input=stdin, text=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--communes", type=int, default=24)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--work", default="/tmp/plancompare-bench-many")
    args = ap.parse_args()
    work = Path(args.work)
    corpus = work / "corpus"
    if not (corpus / "_truth" / "plans.json").exists():
        subprocess.run([sys.executable, "-m", "plancompare", "synth", "--provinces", "1", "--communes", str(args.communes), "--out", str(corpus),
                        "--workers", "1", "--quiet", "--sources", str(ROOT / "data" / "raw")], check=True, stdout=subprocess.DEVNULL)
    plans = json.loads((corpus / "_truth" / "plans.json").read_text(encoding="utf-8"))
    plans = plans["plans"] if isinstance(plans, dict) else plans
    communes = [p for p in plans if p.get("level") == "commune"][: args.communes]
    pairs = [(str(corpus / p["parent_file"]), str(corpus / p["file"])) for p in communes]
    exe = Path(sys.executable).parent / "plancompare"
    cli = [str(exe)] if exe.exists() else [sys.executable, "-m", "plancompare"]
    env_note = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    os.environ.clear()
    os.environ.update(env_note)  # bytecode is compiled as after `pip install .`
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=False, stdout=subprocess.DEVNULL)
    sep, one = [], []
    stdin = "\n".join(f"{p}\t{c}" for p, c in pairs)
    for _ in range(args.rounds):
        sep.append(sum(cpu_of(cli + ["diff", p, c, "--format", "json"]) for p, c in pairs))
        one.append(cpu_of([sys.executable, "-c", MANY], stdin))
    n = len(pairs)
    res = {"pairs": n, "rounds": args.rounds, "separate_cpu_s_per_pair": round(statistics.median(sep) / n, 4),
           "compare_many_cpu_s_per_pair": round(statistics.median(one) / n, 4)}
    res["ratio"] = round(res["separate_cpu_s_per_pair"] / res["compare_many_cpu_s_per_pair"], 2)
    (ROOT / "benchmarks" / "out").mkdir(parents=True, exist_ok=True)
    (ROOT / "benchmarks" / "out" / "bench_many.json").write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    print(f"| {n} pairs (one province, its communes) | CPU per pair |\n|---|---|")
    print(f"| separate `plancompare diff --format json` processes | {res['separate_cpu_s_per_pair'] * 1000:.0f} ms |")
    print(f"| one process, `compare_many` (start-up and parsing included) | {res['compare_many_cpu_s_per_pair'] * 1000:.0f} ms |")
    print(f"\ncompare_many is {res['ratio']}× cheaper per pair")


if __name__ == "__main__":
    main()
