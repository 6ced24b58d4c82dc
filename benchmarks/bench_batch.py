"""National-scale benchmark: `plancompare batch` and `plancompare survey` on the synthetic national corpus.

Run (the full run takes about 5 minutes on the 2-core machine):

    .venv/bin/python benchmarks/bench_batch.py                       # 100, 300, 1000 and 3,355 plans
    .venv/bin/python benchmarks/bench_batch.py --sizes 100,300       # quick: no full-size run
    .venv/bin/python benchmarks/bench_batch.py --work /tmp/pcbench   # where the corpus and results go

What it measures (figures to benchmarks/out/bench_batch.json and .md; a markdown table on stdout):

* generation of the corpus (`plancompare synth --provinces 34 --communes 3321`);
* `plancompare batch` (local engine, --workers N) on the first 100, 300, 1000 plans and
  the whole corpus, each in a fresh results folder and a fresh process: wall time per
  phase, plan pairs/s and tasks/s, peak memory (the whole process tree sampled with
  psutil every 0.1 s, and getrusage of the process and of its children);
* `plancompare survey` on the full results (wall time, peak memory);
* accuracy against the corpus truth: precision/recall per status (the gold scorer's
  key mapping, benchmarks/_score.py), near-verbatim communes and template tasks found;
* baselines on a SAMPLE of the same plan pairs, EXTRAPOLATED to all pairs (labelled so):
  a naive all-pairs rapidfuzz alignment (token_sort_ratio of every parent task with every
  child task, greedy one-to-one), and difflib's SequenceMatcher.ratio on every task pair;
  for the survey, all-pairs rapidfuzz over the added commune tasks against MinHash LSH;
* where the time goes: cProfile of the in-process pipeline on 100 plans, grouped by module.
"""

from __future__ import annotations

import argparse
import cProfile
import difflib
import io
import json
import os
import pstats
import random
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

PY = sys.executable


# ---------------------------------------------------------------- helpers


class TreeRSS:
    """Peak RSS of a process and all its descendants, sampled."""

    def __init__(self, pid: int, every: float = 0.1) -> None:
        import psutil

        self.proc = psutil.Process(pid)
        self.peak = 0
        self.peak_procs = 0
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self.t = threading.Thread(target=self._run, args=(every,), daemon=True)
        self.t.start()

    def _run(self, every: float) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self.proc] + self.proc.children(recursive=True)
                total = 0
                for p in procs:
                    try:
                        total += p.memory_info().rss
                        c = p.cpu_times()
                        self.cpu[p.pid] = max(self.cpu.get(p.pid, 0.0), c.user + c.system)
                    except psutil.Error:
                        pass
                if total > self.peak:
                    self.peak, self.peak_procs = total, len(procs)
            except psutil.Error:
                pass
            time.sleep(every)

    def stop(self) -> None:
        self._stop.set()
        self.t.join()


RUNNER = r"""
import json, resource, sys, time
sys.path.insert(0, {src!r})
t = time.perf_counter()
{body}
wall = time.perf_counter() - t
ru_self = resource.getrusage(resource.RUSAGE_SELF)
ru_ch = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({{"wall": wall, "result": result, "maxrss_self_mb": ru_self.ru_maxrss / 1024, "maxrss_children_mb": ru_ch.ru_maxrss / 1024,
                   "cpu_self": ru_self.ru_utime + ru_self.ru_stime, "cpu_children": ru_ch.ru_utime + ru_ch.ru_stime}}))
"""


def run_measured(body: str) -> dict:
    """Run python code in a fresh process; wall time, its result, peak RSS of the tree, rusage."""
    code = RUNNER.format(src=str(ROOT / "src"), body=body)
    t = time.perf_counter()
    p = subprocess.Popen([PY, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    mon = TreeRSS(p.pid)
    out, err = p.communicate()
    mon.stop()
    if p.returncode != 0:
        raise RuntimeError(err[-3000:])
    res = json.loads(out.strip().splitlines()[-1])
    res["outer_wall"] = time.perf_counter() - t
    res["tree_peak_mb"] = mon.peak / 2**20
    res["tree_peak_processes"] = mon.peak_procs
    res["tree_cpu_seconds"] = sum(mon.cpu.values())
    return res


def subset(corpus: Path, n: int, dest: Path) -> int:
    """The roots, then provinces with their communes, until ~n generated plans (hard links)."""
    from plancompare.synth.national import load_truth

    plans, _ = load_truth(corpus)
    if dest.exists():
        shutil.rmtree(dest)
    by_prov = defaultdict(list)
    for p in plans:
        if p["kind"] == "commune":
            by_prov[p["province"]].append(p["file"])
    chosen = [p["file"] for p in plans if p["kind"] == "root"]
    count = 0
    for p in plans:
        if p["kind"] != "province" or count >= n:
            continue
        chosen.append(p["file"])
        count += 1
        kids = by_prov[p["province"]][: max(0, n - count)]
        chosen += kids
        count += len(kids)
    for f in chosen:
        (dest / f).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(corpus / f, dest / f)
        except OSError:
            shutil.copyfile(corpus / f, dest / f)
    return count


# ---------------------------------------------------------------- accuracy


def accuracy(corpus: Path, results: Path) -> dict:
    import _score
    from plancompare.scale.batch import iter_table
    from plancompare.synth.national import load_truth

    plans, truth = load_truth(corpus)
    gold_by = {f: g for f, g in truth.groupby("file")}
    total: dict = {}
    n = 0
    t = time.perf_counter()
    cols = ["file", "status", "kinds", "parent_text", "child_text"]
    buf: dict[str, list] = defaultdict(list)
    done: set[str] = set()

    def score_file(f: str, rows: list) -> None:
        nonlocal n
        g = gold_by.get(f)
        if g is None:
            return
        gold = {"pairs": [{"parent": _n(r.parent_key), "child": _n(r.child_key), "status": r.status, "kinds": [k for k in (r.kinds or "").split(";") if k]} for r in g.itertuples()]}
        pred = {"pairs": rows}
        _score.add_detail(total, _score.detail(gold, pred))
        n += 1

    last = None
    for b in iter_table(results, "pairs", cols):
        for r in b.itertuples(index=False):
            if last is not None and r.file != last:
                score_file(last, buf.pop(last))
                done.add(last)
            last = r.file
            buf[r.file].append({"status": r.status, "kinds": [k for k in (_n(r.kinds) or "").split(";") if k],
                                "parent": {"text": _n(r.parent_text)} if _n(r.parent_text) is not None else None,
                                "child": {"text": _n(r.child_text)} if _n(r.child_text) is not None else None})
    if last is not None:
        score_file(last, buf.pop(last))
    rates = _score.rates(total)
    links = total.get("links", {})
    rates["link_precision"] = round(links["tp"] / links["pred"], 3) if links.get("pred") else None
    rates["link_recall"] = round(links["tp"] / links["gold"], 3) if links.get("gold") else None
    rates["plans_scored"] = n
    rates["seconds"] = round(time.perf_counter() - t, 1)
    # the survey's findings against what was planted
    return rates


def _n(x):
    return None if x is None or (isinstance(x, float) and x != x) else x


def survey_accuracy(corpus: Path, survey_json: dict, results: Path) -> dict:
    import pandas as pd

    from plancompare.synth.national import TEMPLATE_TASKS, load_truth
    from plancompare.normalize import key

    plans, _ = load_truth(corpus)
    present = set(pd.read_parquet(results / "documents.parquet", columns=["file"])["file"])
    plans = [p for p in plans if p["file"] in present]
    planted = {p["file"] for p in plans if p["near_verbatim"]}
    found = {v["file"] for v in survey_json["verbatim"]}
    out = {"verbatim_planted": len(planted), "verbatim_found": len(found), "verbatim_true_positive": len(planted & found)}
    tp = []
    for tid, text, _w in TEMPLATE_TASKS:
        adopters = sum(1 for p in plans if tid in p["template_tasks"])
        head = key(text.format(unit="xã"))[:40]
        hits = [t for t in survey_json["templates"] if key(t["text"]).startswith(head)]
        tp.append({"template": tid, "planted_communes": adopters, "found_groups": len(hits), "found_communes": sum(h["communes"] for h in hits)})
    out["templates"] = tp
    out["template_groups_reported"] = len(survey_json["templates"])
    return out


# ---------------------------------------------------------------- baselines


def _greedy(scores: list[tuple[float, int, int]], np_: int, nc: int, link: float, same: float) -> list[dict]:
    used_p, used_c = set(), set()
    pairs = []
    for s, i, j in sorted(scores, reverse=True):
        if s < link:
            break
        if i in used_p or j in used_c:
            continue
        used_p.add(i)
        used_c.add(j)
        pairs.append((i, j, "copied" if s >= same else "changed"))
    return pairs, used_p, used_c


def naive_align(pt: list[str], ct: list[str], scorer) -> list[dict]:
    scores = [(scorer(a, b), i, j) for i, a in enumerate(pt) for j, b in enumerate(ct)]
    pairs, up, uc = _greedy(scores, len(pt), len(ct), 0.6, 0.97)
    rows = [{"status": st, "parent": {"text": pt[i]}, "child": {"text": ct[j]}} for i, j, st in pairs]
    rows += [{"status": "dropped", "parent": {"text": pt[i]}, "child": None} for i in range(len(pt)) if i not in up]
    rows += [{"status": "added", "parent": None, "child": {"text": ct[j]}} for j in range(len(ct)) if j not in uc]
    return rows


def baselines(corpus: Path, results: Path, sample: int, sample_difflib: int, seed: int = 7) -> dict:
    import pandas as pd
    from rapidfuzz import fuzz

    import _score
    from plancompare.align import compare
    from plancompare.synth.national import load_truth
    from plancompare.parse import parse_file

    plans, truth = load_truth(corpus)
    docs = pd.read_parquet(results / "documents.parquet", columns=["file", "parent_file", "compare_error"])
    have_truth = set(truth["file"])
    pairs_all = [(r.parent_file, r.file) for r in docs.itertuples() if isinstance(r.parent_file, str) and r.file in have_truth and not isinstance(r.compare_error, str)]
    rng = random.Random(seed)
    chosen = rng.sample(pairs_all, min(sample, len(pairs_all)))
    cache: dict[str, object] = {}

    def doc(f):
        if f not in cache:
            cache[f] = parse_file(corpus / f)
        return cache[f]

    def body(d):
        b = [t.text for t in d.tasks if t.source == "body"]
        return b or [t.text for t in d.tasks]

    gold_by = {f: g for f, g in truth.groupby("file")}
    res = {"sample_pairs": len(chosen), "all_pairs": len(pairs_all)}
    acc = {"plancompare": {}, "rapidfuzz_all_pairs": {}, "difflib_all_pairs": {}}
    secs = {"plancompare": 0.0, "rapidfuzz_all_pairs": 0.0, "difflib_all_pairs": 0.0}
    task_pairs = 0
    for k, (pf, cf) in enumerate(chosen):
        P, C = doc(pf), doc(cf)
        pt, ct = body(P), body(C)
        task_pairs += len(pt) * len(ct)
        g = gold_by[cf]
        gold = {"pairs": [{"parent": _n(r.parent_key), "child": _n(r.child_key), "status": r.status, "kinds": []} for r in g.itertuples()]}
        t = time.perf_counter()
        cmp = compare(P, C)
        secs["plancompare"] += time.perf_counter() - t
        pred = {"pairs": [{"status": p.status.value, "parent": {"text": p.parent.text} if p.parent else None, "child": {"text": p.child.text} if p.child else None} for p in cmp.pairs]}
        _score.add_detail(acc["plancompare"], _score.detail(gold, pred))
        t = time.perf_counter()
        rows = naive_align(pt, ct, lambda a, b: fuzz.token_sort_ratio(a, b) / 100)
        secs["rapidfuzz_all_pairs"] += time.perf_counter() - t
        _score.add_detail(acc["rapidfuzz_all_pairs"], _score.detail(gold, {"pairs": rows}))
        if k < sample_difflib:
            t = time.perf_counter()
            rows = naive_align(pt, ct, lambda a, b: difflib.SequenceMatcher(None, a, b).ratio())
            secs["difflib_all_pairs"] += time.perf_counter() - t
            _score.add_detail(acc["difflib_all_pairs"], _score.detail(gold, {"pairs": rows}))
    n = len(chosen)
    res["task_pairs_in_sample"] = task_pairs
    res["methods"] = {}
    for m, s in secs.items():
        npairs = n if m != "difflib_all_pairs" else min(n, sample_difflib)
        per = s / npairs if npairs else None
        r = _score.rates(acc[m]) if acc[m] else {}
        links = acc[m].get("links", {})
        res["methods"][m] = {
            "sample_pairs": npairs, "seconds_in_sample": round(s, 2), "ms_per_plan_pair": round(per * 1000, 1) if per else None,
            "extrapolated_seconds_all_pairs_one_core": round(per * len(pairs_all), 1) if per else None,
            "link_f1": round(2 * links["tp"] / (links["pred"] + links["gold"]), 3) if links.get("pred") else None,
            "status": {k: v for k, v in r.get("status", {}).items()},
        }
    return res


def survey_all_pairs(results: Path, sample: int = 200_000, seed: int = 3) -> dict:
    """All-pairs rapidfuzz over the added commune tasks (what LSH avoids): timed on a sample of pairs, extrapolated."""
    from rapidfuzz import fuzz

    from plancompare.scale.batch import iter_table, load_table
    from plancompare.normalize import key

    docs = load_table(results, "documents", ["doc", "level"])
    comm = set(docs.loc[docs["level"] == "commune", "doc"])
    keys = []
    for b in iter_table(results, "pairs", ["doc", "status", "child_text"]):
        a = b[(b["status"] == "added") & b["doc"].isin(comm)]
        keys += [key(t) for t in a["child_text"].tolist()]
    uk = sorted(set(keys))
    rng = random.Random(seed)
    n = len(uk)
    total = n * (n - 1) // 2
    m = min(sample, total)
    pairs = [(rng.randrange(n), rng.randrange(n)) for _ in range(m)]
    t = time.perf_counter()
    for i, j in pairs:
        fuzz.token_sort_ratio(uk[i], uk[j])
    s = time.perf_counter() - t
    return {"added_tasks": len(keys), "distinct": n, "all_pairs": total, "sampled_pairs": m, "sample_seconds": round(s, 3),
            "extrapolated_seconds_one_core": round(s / m * total, 1) if m else 0.0}


# ---------------------------------------------------------------- profile


def profile(corpus_small: Path, work: Path) -> dict:
    """cProfile of the whole pipeline in one process (workers=1) on a small corpus, grouped by module."""
    from plancompare.scale.batch import run_batch

    out = work / "profile-results"
    if out.exists():
        shutil.rmtree(out)
    pr = cProfile.Profile()
    pr.enable()
    run_batch(corpus_small, out, workers=1)
    pr.disable()
    st = pstats.Stats(pr)
    total = sum(v[2] for v in st.stats.values())  # tottime
    groups: dict[str, float] = defaultdict(float)
    funcs = []
    for (file, line, name), (cc, nc, tt, ct, callers) in st.stats.items():
        f = file.replace(str(ROOT / "src") + "/", "")
        if "plancompare/parse/" in f:
            g = "parse (plancompare.parse)"
        elif "plancompare/align/core" in f or "plancompare/align/build" in f:  # build.py: the Comparison made from core's links
            g = "align core (plancompare.align.core)"
        elif "plancompare/align/kinds" in f:
            g = "align kinds (plancompare.align.kinds)"
        elif "plancompare/align/" in f:
            g = "align other (text.py, models.py)"
        elif "pydantic" in f:
            g = "pydantic (model construction / JSON)"
        elif "plancompare/scale/" in f:  # scale/batch.py and its steps (scan, aligning, tables...)
            g = "batch (rows, tables)"
        elif "pyarrow" in f or "pandas" in f:
            g = "pandas / pyarrow (tables)"
        elif f.startswith("~") or "{" in name:
            g = "builtins (re, str, list...)"
        else:
            g = "other"
        groups[g] += tt
        funcs.append((tt, ct, nc, f"{f}:{line}({name})"))
    funcs.sort(reverse=True)
    buf = io.StringIO()
    pstats.Stats(pr, stream=buf).sort_stats("cumulative").print_stats(40)
    (OUT / "bench_batch_profile.txt").write_text(buf.getvalue(), encoding="utf-8")
    return {"total_seconds_profiled": round(total, 2), "by_group": {k: round(v, 2) for k, v in sorted(groups.items(), key=lambda kv: -kv[1])},
            "top_functions": [{"tottime": round(a, 2), "cumtime": round(b, 2), "calls": c, "function": d} for a, b, c, d in funcs[:15]]}


# ---------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default="/tmp/plancompare-bench", help="folder for the corpus and the results")
    ap.add_argument("--sizes", default="100,300,1000,full")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--sample", type=int, default=40, help="plan pairs for the rapidfuzz baseline")
    ap.add_argument("--sample-difflib", type=int, default=6, help="plan pairs for the difflib baseline")
    ap.add_argument("--no-profile", action="store_true")
    ap.add_argument("--reuse-corpus", action="store_true", help="keep a corpus generated by an earlier run (generation not timed)")
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    figures: dict = {"machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]}, "workers": args.workers, "date": time.strftime("%Y-%m-%d %H:%M")}
    corpus = work / "corpus"
    if args.reuse_corpus and (corpus / "_truth" / "plans.json").exists() and (OUT / "bench_batch.json").exists():
        figures["synth"] = json.loads((OUT / "bench_batch.json").read_text(encoding="utf-8"))["synth"]
        figures["synth"]["reused"] = True
    else:
        sys.stderr.write("generating the synthetic national corpus...\n")
        g = run_measured(f"from plancompare.synth.national import generate\nr = generate({str(corpus)!r}, provinces=34, communes=3321, seed={args.seed}, workers={args.workers})\nresult = json.loads(r.to_json())")
        figures["synth"] = {"seconds": round(g["wall"], 1), "plans": g["result"]["plans"], "tasks": g["result"]["tasks"], "tree_peak_mb": round(g["tree_peak_mb"])}
    sizes = []
    for s in args.sizes.split(","):
        sizes.append(None if s.strip() == "full" else int(s))
    runs = []
    full_results = None
    for n in sizes:
        if n is None:
            cdir, plans = corpus, figures["synth"]["plans"]
        else:
            cdir = work / f"corpus-{n}"
            plans = subset(corpus, n, cdir)
        rdir = work / f"results-{plans}"
        if rdir.exists():
            shutil.rmtree(rdir)
        sys.stderr.write(f"batch on {plans} plans...\n")
        r = run_measured(f"from plancompare.scale.batch import run_batch\nr = run_batch({str(cdir)!r}, {str(rdir)!r}, workers={args.workers})\nresult = json.loads(r.to_json())")
        rep = r["result"]
        # the floor on the same files, in the same run: read, NFC-normalise, split into words (benchmarks/floor.py)
        fl = run_measured(f"sys.path.insert(0, {str(ROOT / 'benchmarks')!r})\nfrom floor import floor\nresult = floor({str(cdir)!r})")["result"]
        cpu = round(max(r["tree_cpu_seconds"], r["cpu_self"] + r["cpu_children"]), 1)
        workers_mb = rep.get("worker_peak_rss_mb") or {}
        runs.append({
            "floor_cpu_seconds": fl["cpu_seconds"], "cpu_vs_floor": round(cpu / fl["cpu_seconds"], 1) if fl["cpu_seconds"] else None,
            "worker_peak_rss_mb": workers_mb, "main_peak_rss_mb": rep.get("main_peak_rss_mb"),
            "plans": plans, "files": rep["files"], "comparisons": rep["comparisons"], "pairs": rep["pairs"], "tasks_aligned": rep["tasks_aligned"],
            "seconds": round(r["wall"], 2), "phases": rep["seconds"], "worker_seconds": rep["worker_seconds"],
            "plan_pairs_per_s": round(rep["comparisons"] / r["wall"], 1), "tasks_per_s": round(rep["tasks_aligned"] / r["wall"]),
            "ms_per_plan": round(r["wall"] / plans * 1000, 1), "tree_peak_mb": round(r["tree_peak_mb"]), "maxrss_main_mb": round(r["maxrss_self_mb"]),
            "maxrss_largest_child_mb": round(r["maxrss_children_mb"]), "cpu_seconds": round(max(r["tree_cpu_seconds"], r["cpu_self"] + r["cpu_children"]), 1),
        })
        if n is None:
            full_results = rdir
    figures["batch"] = runs
    if full_results is None and runs:
        full_results = work / f"results-{runs[-1]['plans']}"
        cdir_run = work / f"corpus-{sizes[-1]}"
    else:
        cdir_run = corpus
    cdir_acc = corpus  # the truth (and the same files, hard-linked, for the subsets)
    # a rerun with unchanged inputs
    sys.stderr.write("rerun (no work expected)...\n")
    r = run_measured(f"from plancompare.scale.batch import run_batch\nr = run_batch({str(cdir_run)!r}, {str(full_results)!r}, workers={args.workers})\nresult = json.loads(r.to_json())")
    figures["rerun"] = {"seconds": round(r["wall"], 2), "parsed": r["result"]["parsed"], "align_chunks_run": r["result"]["align_chunks_run"], "tables_written": r["result"]["tables_written"]}
    sys.stderr.write("survey...\n")
    s = run_measured(f"from plancompare.scale.survey import survey\nr = survey({str(full_results)!r})\nresult = json.loads(r.to_json())")
    sv = s["result"]
    figures["survey"] = {"seconds": round(s["wall"], 2), "tree_peak_mb": round(s["tree_peak_mb"]), "stats": sv["stats"], "verbatim": len(sv["verbatim"]), "templates": len(sv["templates"])}
    sys.stderr.write("survey all-pairs baseline (sampled)...\n")
    figures["survey_all_pairs"] = survey_all_pairs(full_results)
    sys.stderr.write("accuracy...\n")
    figures["accuracy"] = accuracy(cdir_acc, full_results)
    figures["survey_accuracy"] = survey_accuracy(cdir_acc, sv, full_results)
    sys.stderr.write("baselines (sampled)...\n")
    figures["baselines"] = baselines(cdir_acc, full_results, args.sample, args.sample_difflib)
    if not args.no_profile:
        sys.stderr.write("profile (100 plans, one process)...\n")
        small = work / "corpus-profile"
        subset(corpus, 100, small)
        figures["profile"] = profile(small, work)
    (OUT / "bench_batch.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    md = markdown(figures)
    (OUT / "bench_batch.md").write_text(md, encoding="utf-8")
    print(md)


def markdown(f: dict) -> str:
    o = [f"## plancompare batch on the synthetic national corpus ({f['machine']['cores']} cores, --workers {f['workers']}, {f['date']})", ""]
    o += [f"Corpus generation (`plancompare synth --provinces 34 --communes 3321`): {f['synth']['plans']} plans, {f['synth']['tasks']} tasks in {f['synth']['seconds']} s.", ""]
    o += ["| plans | comparisons | pair rows | wall s | scan s | align s | tables s | plan pairs/s | tasks/s | ms/plan | peak RSS, process tree (MB) | CPU s (all processes) | floor CPU s | CPU ÷ floor | peak RSS main / each worker (MB) |",
          "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in f["batch"]:
        p = r["phases"]
        o.append(f"| {r['plans']} | {r['comparisons']} | {r['pairs']} | {r['seconds']} | {p['scan']:.1f} | {p['align']:.1f} | {p['tables']:.1f} | {r['plan_pairs_per_s']} | {r['tasks_per_s']} | {r['ms_per_plan']} | {r['tree_peak_mb']} | {r['cpu_seconds']} | {r.get('floor_cpu_seconds')} | {r.get('cpu_vs_floor')} | {r.get('main_peak_rss_mb')} / {', '.join(f'{v:.0f}' for v in (r.get('worker_peak_rss_mb') or {}).values())} |")
    if len(f["batch"]) >= 2:
        a, b = f["batch"][0], f["batch"][-1]
        o += ["", f"Growth: {b['plans'] / a['plans']:.1f}× the plans took {b['seconds'] / a['seconds']:.1f}× the time (ms per plan {a['ms_per_plan']} → {b['ms_per_plan']}): linear, not quadratic."]
    rr = f.get("rerun", {})
    o += ["", f"Rerun with unchanged inputs: {rr.get('seconds')} s, {rr.get('parsed')} files parsed, {rr.get('align_chunks_run')} chunks aligned, tables rewritten: {rr.get('tables_written')}."]
    sv = f["survey"]
    o += ["", f"Survey (`plancompare survey`): {sv['seconds']} s, peak RSS {sv['tree_peak_mb']} MB; {sv['stats']['added_commune_tasks']} added commune tasks, "
          f"{sv['stats']['lsh_candidate_pairs']} LSH candidate pairs compared exactly instead of {sv['stats']['all_pairs_would_be']} (all pairs); "
          f"{sv['verbatim']} near-verbatim communes, {sv['templates']} template tasks."]
    ap = f["survey_all_pairs"]
    o += [f"All-pairs rapidfuzz over those tasks (SAMPLED {ap['sampled_pairs']} pairs, EXTRAPOLATED): {ap['extrapolated_seconds_one_core']} s on one core."]
    b = f["baselines"]
    o += ["", f"Baselines on a SAMPLE of the same plan pairs, EXTRAPOLATED to all {b['all_pairs']} pairs (one core):", "",
          "| method | sample pairs | ms per plan pair | extrapolated s, all pairs | link F1 | copied P/R | changed P/R | dropped P/R | added P/R |", "|---|---|---|---|---|---|---|---|---|"]
    for m, v in b["methods"].items():
        st = v["status"]

        def pr(s: str) -> str:
            x = st.get(s) or {}
            return f"{x.get('precision')}/{x.get('recall')}"

        o.append(f"| {m} | {v['sample_pairs']} | {v['ms_per_plan_pair']} | {v['extrapolated_seconds_all_pairs_one_core']} | {v['link_f1']} | {pr('copied')} | {pr('changed')} | {pr('dropped')} | {pr('added')} |")
    acc = f["accuracy"]
    o += ["", f"Accuracy of the batch against the truth ({acc['plans_scored']} plans; link precision {acc['link_precision']}, recall {acc['link_recall']}):", "",
          "| status | precision | recall | gold | predicted |", "|---|---|---|---|---|"]
    for s, v in acc["status"].items():
        o.append(f"| {s} | {v['precision']} | {v['recall']} | {v['gold']} | {v['pred']} |")
    sa = f["survey_accuracy"]
    o += ["", f"Survey against what was planted: near-verbatim communes {sa['verbatim_true_positive']} of {sa['verbatim_planted']} found ({sa['verbatim_found']} reported); "
          + "; ".join(f"{t['template']}: {t['found_communes']} of {t['planted_communes']} communes" for t in sa["templates"]) + f"; {sa['template_groups_reported']} template groups reported."]
    if "profile" in f:
        pf = f["profile"]
        o += ["", f"Where the time goes (cProfile, 100 plans in one process, {pf['total_seconds_profiled']} s profiled):", "", "| part | seconds (self) | share |", "|---|---|---|"]
        for k, v in pf["by_group"].items():
            o.append(f"| {k} | {v} | {v / pf['total_seconds_profiled']:.0%} |")
        o += ["", "| function | self s | cumulative s | calls |", "|---|---|---|---|"]
        for x in pf["top_functions"][:10]:
            o.append(f"| `{x['function']}` | {x['tottime']} | {x['cumtime']} | {x['calls']} |")
    return "\n".join(o) + "\n"


if __name__ == "__main__":
    main()
