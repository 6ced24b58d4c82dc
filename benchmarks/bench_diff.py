"""Parse and diff timings: the corpus, its pairs, a large synthetic pair, and the CLI's wall time.

Run:  python benchmarks/bench_diff.py            (writes benchmarks/out/bench_diff.json)
      python benchmarks/bench_diff.py --quick    (fewer repetitions)

Timings are medians of repeated runs on this machine (2 cores); nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
sys.path.insert(0, str(ROOT / "src"))

from plancompare.align import compare  # noqa: E402
from plancompare.parse import parse_file, parse_text  # noqa: E402

PAIRS = [
    ("dak-lak_146-KH-UBND_2025-06-25.txt", "dak-lak_tan-lap_KH-UBND_2025.txt"),
    ("dak-lak_283-KH-TU_2025-05-22.txt", "dak-lak_146-KH-UBND_2025-06-25.txt"),
    ("central_03-NQ-CP_2025-01-09.md", "dak-lak_146-KH-UBND_2025-06-25.txt"),
    ("central_03-NQ-CP_2025-01-09.md", "thai-nguyen_25-KH-UBND_2025-01-24.txt"),
    ("central_57-NQ-TW_2024-12-22.md", "central_03-NQ-CP_2025-01-09.md"),
]
LETTERS = "abcdđeghiklmnopqrstuvxy"


def clear_caches() -> None:
    """Parse from cold each time: the normalisation caches would flatter repeated parses of one file."""
    import importlib

    from plancompare import normalize
    from plancompare.align import text

    clean = importlib.import_module("plancompare.parse.clean")

    for f in (normalize.key, normalize.clean_display, clean._norm, text.word_key, text.masked_key):
        f.cache_clear()


def timed(fn, reps: int) -> tuple[tuple[float, float], object]:
    """(median, min) of reps runs from cold caches: this shared machine is noisy, the minimum
    is the best estimate of the intrinsic cost, the median what a user sees."""
    ts = []
    out = None
    for _ in range(reps):
        clear_caches()
        t = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t)
    return (statistics.median(ts), min(ts)), out


def synthetic_plan(n: int, seed: int) -> tuple[str, str]:
    """A parent plan of n tasks built by recombining real corpus sentences, and an edited child."""
    ptxt, ctxt, _truth = synthetic_pair(n, seed)
    return ptxt, ctxt


def synthetic_pair(n: int, seed: int) -> tuple[str, str, list[int | None]]:
    """:func:`synthetic_plan` with its truth: for each child task, in the child's order, the index
    of the parent task it was made from (None for a task the child added)."""
    rng = random.Random(seed)
    sentences: list[str] = []
    for f in sorted(RAW.iterdir()):
        for t in parse_file(f).tasks:
            for s in t.text.replace("\n", " ").split(". "):
                if len(s.split()) >= 6:
                    sentences.append(s.rstrip(".") + ".")
    sentences = sorted(set(sentences))
    tasks = []
    for i in range(n):
        k = rng.choice((1, 2, 2, 3))
        tasks.append(" ".join(rng.sample(sentences, k)) + f" (nhiệm vụ {i + 1})")
    child: list[tuple[str, int | None]] = []
    for i, t in enumerate(tasks):
        r = rng.random()
        if r < 0.10:
            continue  # dropped
        if r < 0.20:
            t = "Đề xuất " + t[0].lower() + t[1:]  # softened
        elif r < 0.30:
            t = t.split(". ")[0] + "."  # narrowed
        elif r < 0.35:
            t = t + " " + rng.choice(sentences)  # extended
        child.append((t, i))
    for _ in range(n // 20):
        child.insert(rng.randrange(len(child)), (" ".join(rng.sample(sentences, 2)) + " (nhiệm vụ mới)", None))
    rng.shuffle(child)
    return _render(tasks), _render([t for t, _ in child]), [i for _, i in child]


def task_line(i: int, per_section: int = 20) -> int:
    """The line (1-based) of the i-th task in :func:`_render`'s text (five lines of heading, then each
    section's title and its tasks); a parser may read one line as several tasks (an inline list)."""
    return 5 + i // per_section + 1 + i + 1


def _render(tasks: list[str], per_section: int = 20) -> str:
    out = ["KẾ HOẠCH (tổng hợp, dùng để đo hiệu năng)", "I. MỤC TIÊU", "1. Mục tiêu chung", "Nâng cao nhận thức.", "II. NHIỆM VỤ VÀ GIẢI PHÁP"]
    for s in range(0, len(tasks), per_section):
        out.append(f"{s // per_section + 1}. Nhóm nhiệm vụ {s // per_section + 1}")
        for i, t in enumerate(tasks[s : s + per_section]):
            out.append(f"{LETTERS[i]}) {t}")
    out += ["III. TỔ CHỨC THỰC HIỆN", "1. Sở Khoa học và Công nghệ chủ trì."]
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--size", type=int, default=1000)
    args = ap.parse_args()
    reps = 3 if args.quick else 15
    res: dict = {"parse_ms": {}, "diff_ms": {}, "cli_s": {}, "synthetic": {}}
    docs = {}
    for f in sorted(RAW.iterdir()):
        dt, doc = timed(lambda f=f: parse_file(f), reps)
        docs[f.name] = doc
        res["parse_ms"][f.name] = [round(dt[0] * 1000, 1), round(dt[1] * 1000, 1)]
    for p, c in PAIRS:
        compare(docs[p], docs[c])  # warm caches as a long-running process would
        dt, cmp = timed(lambda p=p, c=c: compare(docs[p], docs[c]), reps)
        res["diff_ms"][f"{p} -> {c}"] = {"ms": round(dt[0] * 1000, 1), "min_ms": round(dt[1] * 1000, 1), "parent_tasks": cmp.summary.parent_tasks, "child_tasks": cmp.summary.child_tasks}
    # the whole command, as a user runs it after `pip install .` (which compiles bytecode):
    # allow bytecode to be written, run once to compile, then time
    import os

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for label, extra in (("diff 146 tan-lap --format json", ["--format", "json"]), ("diff 146 tan-lap (terminal table)", [])):
        cmd = [sys.executable, "-m", "plancompare", "diff", str(RAW / PAIRS[0][0]), str(RAW / PAIRS[0][1]), *extra]
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        walls = []
        for _ in range(reps):
            t = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, env={**env, "COLUMNS": "120"})
            walls.append(time.perf_counter() - t)
        res["cli_s"][label] = [round(statistics.median(walls), 3), round(min(walls), 3)]
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "plancompare", "--help"], check=True, capture_output=True, env=env)
    res["cli_s"]["--help"] = round(time.perf_counter() - t, 3)
    # a large synthetic pair
    ptxt, ctxt = synthetic_plan(args.size, seed=7)
    clear_caches()
    t = time.perf_counter()
    P = parse_text(ptxt, "synthetic-parent.txt")
    C = parse_text(ctxt, "synthetic-child.txt")
    parse_s = time.perf_counter() - t
    t = time.perf_counter()
    cmp = compare(P, C)
    diff_s = time.perf_counter() - t
    res["synthetic"] = {"parent_tasks": len(P.tasks), "child_tasks": len(C.tasks), "parse_s": round(parse_s, 2), "diff_s": round(diff_s, 2), "statuses": cmp.summary.statuses}
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_diff.json").write_text(json.dumps(res, ensure_ascii=False, indent=2), encoding="utf-8")
    print("| what | median | min |\n|---|---|---|")
    for k, v in res["parse_ms"].items():
        print(f"| parse {k} | {v[0]} ms | {v[1]} ms |")
    for k, v in res["diff_ms"].items():
        print(f"| diff {k} ({v['parent_tasks']}×{v['child_tasks']} tasks) | {v['ms']} ms | {v['min_ms']} ms |")
    for k, v in res["cli_s"].items():
        if isinstance(v, list):
            print(f"| `plancompare {k}` wall | {v[0]} s | {v[1]} s |")
        else:
            print(f"| `plancompare {k}` wall | {v} s | |")
    s = res["synthetic"]
    print(f"| synthetic {s['parent_tasks']}×{s['child_tasks']}: parse both | {s['parse_s']} s | |")
    print(f"| synthetic {s['parent_tasks']}×{s['child_tasks']}: diff | {s['diff_s']} s | |")


if __name__ == "__main__":
    main()
