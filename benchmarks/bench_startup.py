"""Whole-process cost of `plancompare diff` and `plancompare --help` against their yardsticks.

Run:  python benchmarks/bench_startup.py              (21 rounds; writes benchmarks/out/bench_startup.json)
      python benchmarks/bench_startup.py --rounds 7

Each round runs, in turn and in a rotating order, five processes:

* `plancompare diff 146 tan-lap --format json`           (the console script beside this Python)
* `python benchmarks/naive_diff.py 146 tan-lap`          (the 30-line rapidfuzz + difflib script)
* `plancompare --help`
* `python -c pass`
* the same diff with PLANCOMPARE_FAST=0: the typer command with pydantic models (for comparison)

Bytecode is written by the warm-up run even when PYTHONDONTWRITEBYTECODE is set, as for an
installed package (pip compiles it at install time; numpy and rapidfuzz have theirs).

and records each one's wall time and CPU time (user + system, from getrusage of the children).
Alternating in one run makes the ratios robust to this shared machine's load; the figures
reported are medians over the rounds, and the ratios are of medians. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
PARENT = RAW / "dak-lak_146-KH-UBND_2025-06-25.txt"
CHILD = RAW / "dak-lak_tan-lap_KH-UBND_2025.txt"


TYPER_PATH = "plancompare diff --format json, typer path (PLANCOMPARE_FAST=0)"


def commands() -> dict[str, list[str]]:
    exe = Path(sys.executable).parent / "plancompare"
    cli = [str(exe)] if exe.exists() else [sys.executable, "-m", "plancompare"]
    return {
        "plancompare diff --format json": cli + ["diff", str(PARENT), str(CHILD), "--format", "json"],
        "naive script (benchmarks/naive_diff.py)": [sys.executable, str(ROOT / "benchmarks" / "naive_diff.py"), str(PARENT), str(CHILD)],
        "plancompare --help": cli + ["--help"],
        "python -c pass": [sys.executable, "-c", "pass"],
        TYPER_PATH: cli + ["diff", str(PARENT), str(CHILD), "--format", "json"],
    }


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"COLUMNS": "120"}


def run_once(cmd: list[str], typer_path: bool = False) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=ENV | {"PLANCOMPARE_FAST": "0"} if typer_path else ENV)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=21)
    args = ap.parse_args()
    cmds = commands()
    names = list(cmds)
    for n in names:  # warm the page cache and the bytecode
        run_once(cmds[n], n == TYPER_PATH)
    wall: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    for r in range(args.rounds):
        order = names[r % len(names):] + names[: r % len(names)]
        for n in order:
            w, c = run_once(cmds[n], n == TYPER_PATH)
            wall[n].append(w)
            cpu[n].append(c)
    med_w = {n: statistics.median(v) for n, v in wall.items()}
    med_c = {n: statistics.median(v) for n, v in cpu.items()}
    diff, naive, helpc, bare, typer_diff = names
    # per round ratios, so that a slow minute affects both sides of a ratio alike
    r_diff = statistics.median(a / b for a, b in zip(wall[diff], wall[naive]))
    r_help = statistics.median(a / b for a, b in zip(wall[helpc], wall[bare]))
    result = {
        "rounds": args.rounds, "python": sys.version.split()[0],
        "median_wall_s": {n: round(v, 4) for n, v in med_w.items()},
        "median_cpu_s": {n: round(v, 4) for n, v in med_c.items()},
        "ratio_diff_to_naive_wall": round(r_diff, 3),
        "ratio_diff_to_naive_cpu": round(statistics.median(a / b for a, b in zip(cpu[diff], cpu[naive])), 3),
        "ratio_help_to_python_wall": round(r_help, 3),
        "ratio_typer_diff_to_naive_cpu": round(statistics.median(a / b for a, b in zip(cpu[typer_diff], cpu[naive])), 3),
        "ratio_help_to_python_cpu": round(statistics.median(a / b for a, b in zip(cpu[helpc], cpu[bare]) if b), 3),
    }
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "bench_startup.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"| process ({args.rounds} alternating rounds) | median wall | median CPU |")
    print("|---|---|---|")
    for n in names:
        print(f"| `{n}` | {med_w[n] * 1000:.0f} ms | {med_c[n] * 1000:.0f} ms |")
    print()
    print(f"diff / naive script: {result['ratio_diff_to_naive_wall']} (wall), {result['ratio_diff_to_naive_cpu']} (CPU); "
          f"typer path / naive script: {result['ratio_typer_diff_to_naive_cpu']} (CPU); --help / python -c pass: {result['ratio_help_to_python_wall']} (wall), {result['ratio_help_to_python_cpu']} (CPU); medians of per-round ratios")


if __name__ == "__main__":
    main()
