"""Accuracy of the aligner on labelled pairs: the synthetic drafts and the hand-labelled pairs.

Run:  .venv/bin/python benchmarks/accuracy.py               # Python API if importable, else the CLI
      .venv/bin/python benchmarks/accuracy.py --cli         # always `python -m plancompare diff PARENT CHILD --format json`
      .venv/bin/python benchmarks/accuracy.py --only 146_   # only pairs whose name contains '146_'

Pairs: every tests/pairs/*/truth.yaml (synthetic drafts from plancompare.synth, made by
benchmarks/make_pairs.py, and the hand-labelled tests/pairs/real_283_vs_146/) plus every
gold file in /work/shared/gold/ (when that directory exists). Each comparison is scored
with the shared gold scorer's logic (benchmarks/_score.py, a verbatim copy of
/work/shared/tools/score_gold.py) plus per-status precision/recall (copied, changed,
dropped, added), parent-child link F1 and, for each edit kind, the recall of its pairs.

Prints markdown tables; writes benchmarks/out/accuracy.json.
Exit status: 0 all pairs scored, 1 some pair failed, 2 no diff available (the aligner is
neither importable as plancompare.align.compare nor runnable as `python -m plancompare diff`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import yaml

ROOT = Path(__file__).resolve().parent.parent
PAIRS_DIR = ROOT / "tests" / "pairs"
SHARED = Path("/work/shared")
GOLD_DIR = SHARED / "gold"
LABELS_DIR = Path(os.environ.get("PLANCOMPARE_LABELS", "/work/labels"))
OUT = ROOT / "benchmarks" / "out" / "accuracy.json"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _score  # noqa: E402


class DiffUnavailable(RuntimeError):
    pass


# ---------------------------------------------------------------- pairs


def _resolve(name: str, truth_path: Path, extra: list[Path]) -> Path | None:
    cands = [ROOT / name, truth_path.parent / name, truth_path.parent.parent / name, *[e / name for e in extra], ROOT / "data" / "raw" / Path(name).name]
    return next((c for c in cands if c.exists()), None)


def discover(only: str | None) -> list[dict[str, Any]]:
    pairs = []
    for t in sorted(PAIRS_DIR.glob("*/truth.yaml")):
        pairs.append({"name": t.parent.name, "truth": t, "group": "real" if not yaml.safe_load(t.read_text(encoding="utf-8")).get("synthetic") else "synthetic"})
    if GOLD_DIR.is_dir():
        for t in sorted(GOLD_DIR.glob("*.yaml")):
            pairs.append({"name": f"gold:{t.stem}", "truth": t, "group": "real"})
    if LABELS_DIR.is_dir():
        for t in sorted(LABELS_DIR.glob("*.yaml")):
            pairs.append({"name": f"labels:{t.stem}", "truth": t, "group": "real"})
    out = []
    seen: set[tuple[str, str]] = set()  # a pair labelled in two places (labels/ and tests/pairs/) is scored once
    for p in pairs:
        if only and only not in p["name"]:
            continue
        gold = yaml.safe_load(p["truth"].read_text(encoding="utf-8"))
        ident = (Path(gold["parent_file"]).name, Path(gold["child_file"]).name)
        if ident in seen and p["name"].startswith("labels:"):
            continue
        seen.add(ident)
        p["gold"] = gold
        p["parent"] = _resolve(gold["parent_file"], p["truth"], [SHARED, SHARED / "realdocs", SHARED / "corpus"])
        p["child"] = _resolve(gold["child_file"], p["truth"], [SHARED, SHARED / "realdocs", SHARED / "corpus"])
        gen = str(gold.get("generator", ""))
        p["layout"] = next((w.split("=", 1)[1] for w in gen.split() if w.startswith("layout=")), "real")
        out.append(p)
    return out


# ---------------------------------------------------------------- the diff


def runner(force_cli: bool) -> tuple[str, Callable[[Path, Path, str | None], dict]]:
    """The diff to measure; ``scope`` is the truth file's ``scope`` (the tasks it labels: body,
    appendix or all; absent: the diff's default)."""
    if not force_cli:
        try:
            from plancompare.align import compare  # type: ignore[attr-defined]
            from plancompare.parse import parse_file

            def api(p: Path, c: Path, scope: str | None = None) -> dict:
                return compare(parse_file(p), parse_file(c), scope=scope).model_dump(mode="json")

            return "api (plancompare.align.compare)", api
        except (ImportError, AttributeError):
            pass
    probe = subprocess.run([sys.executable, "-m", "plancompare", "diff", "--help"], capture_output=True, text=True, cwd=ROOT)
    if probe.returncode != 0:
        msg = (probe.stderr or probe.stdout).strip().splitlines()
        raise DiffUnavailable(msg[-1] if msg else f"exit status {probe.returncode}")

    def cli(p: Path, c: Path, scope: str | None = None) -> dict:
        flag = {"body": ["--body-only"], "all": ["--appendix"]}.get(scope or "", [])
        r = subprocess.run([sys.executable, "-m", "plancompare", "diff", str(p), str(c), "--format", "json", *flag], capture_output=True, text=True, cwd=ROOT, timeout=900)
        if r.returncode != 0:
            raise RuntimeError((r.stderr or r.stdout).strip()[-300:] or f"exit status {r.returncode}")
        return json.loads(r.stdout)

    return "cli (python -m plancompare diff --format json)", cli


# ---------------------------------------------------------------- report


def _pr(r: dict | None) -> str:
    if not r:
        return "–"
    f = lambda x: "–" if x is None else f"{x:.2f}"  # noqa: E731
    return f"{f(r['precision'])} / {f(r['recall'])}"


def _num(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def markdown(results: list[dict], groups: dict[str, dict], runner_name: str) -> str:
    lines = [f"## Aligner accuracy on labelled pairs ({runner_name})", ""]
    lines.append("Per status: precision / recall. Link F1 over parent–child links; status acc = right link and right status, over gold links (score_gold.py).")
    lines.append("")
    head = "| pair | layout | gold links | link F1 | status acc | strict acc | copied P/R | changed P/R | dropped P/R | added P/R | s |"
    lines += [head, "|" + "|".join(["---"] * (head.count("|") - 1)) + "|"]
    for r in results:
        if r.get("error"):
            lines.append(f"| {r['name']} | {r['layout']} | – | error: {r['error'][:60]} | | | | | | | |")
            continue
        s, rt = r["score"], r["rates"]
        lines.append(f"| {r['name']} | {r['layout']} | {s['gold']['matches']} | {_num(s['match_f1'])} | {_num(s['match_status_acc'])} | {_num(s['strict_accuracy'])} | "
                     + " | ".join(_pr(rt["status"].get(k)) for k in _score.STATUSES) + f" | {r['seconds']:.1f} |")
    lines += ["", "### Totals (micro-averaged over the pairs of each group)", ""]
    head = "| group | pairs | gold links | link P/R | link F1 | copied P/R | changed P/R | dropped P/R | added P/R |"
    lines += [head, "|" + "|".join(["---"] * (head.count("|") - 1)) + "|"]
    for g, v in groups.items():
        rt = v["rates"]
        lines.append(f"| {g} | {v['pairs']} | {rt['links']['gold']} | {_pr(rt['links'])} | {_num(rt['links']['f1'])} | " + " | ".join(_pr(rt["status"].get(k)) for k in _score.STATUSES) + " |")
    lines += ["", "### Per edit kind", "",
              "n = gold links carrying the kind; link = the pair was linked; status = linked with the gold status; kind = the predicted kinds include it (recall); prec = of the kinds predicted on gold links, the share the gold lists (precision).", ""]
    kind_groups = [g for g in groups if g in ("synthetic", "real")]
    head = "| kind | " + " | ".join(f"{g}: n | link | status | kind | prec" for g in kind_groups) + " |"
    lines += [head, "|" + "|".join(["---"] * (head.count("|") - 1)) + "|"]
    kinds = sorted({k for g in kind_groups for k in groups[g]["rates"]["kinds"]})
    for k in kinds:
        cells = []
        for g in kind_groups:
            d = groups[g]["rates"]["kinds"].get(k)
            cells.append(" | ".join(["–"] * 5) if not d else f"{d['n']} | {_num(d['link_recall'])} | {_num(d['status_recall'])} | {_num(d['kind_recall'])} | {_num(d.get('kind_precision'))}")
        lines.append(f"| {k} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _hold_out() -> str | None:
    try:
        import fit_confidence
    except ImportError:
        return None
    return fit_confidence.HOLD_OUT


def _calibration() -> dict | None:
    """Reliability table and ECE of the link confidence, cross-validated by document pair
    (benchmarks/fit_confidence.py; needs scikit-learn)."""
    try:
        import sklearn  # noqa: F401

        import fit_confidence
    except ImportError:
        print("calibration skipped: scikit-learn is not installed (pip install -e '.[fit]')", file=sys.stderr)
        return None
    rep = fit_confidence.report(fit_confidence.HOLD_OUT)
    rep["markdown"] = fit_confidence.markdown(rep)
    return rep


def main() -> int:
    ap = argparse.ArgumentParser(description="Aligner accuracy on the labelled pairs (synthetic and hand-labelled).")
    ap.add_argument("--cli", action="store_true", help="run `python -m plancompare diff` even if the Python API is importable")
    ap.add_argument("--only", help="only pairs whose name contains this string")
    ap.add_argument("--out", default=str(OUT), help="JSON output (default benchmarks/out/accuracy.json)")
    ap.add_argument("--no-calibration", action="store_true", help="skip the reliability table of the link confidence (needs scikit-learn)")
    args = ap.parse_args()

    shared = SHARED / "tools" / "score_gold.py"
    if shared.exists() and hashlib.sha256(shared.read_bytes()).hexdigest() != _score.SOURCE_SHA256:
        print(f"warning: {shared} changed since benchmarks/_score.py copied it; compare the two", file=sys.stderr)

    pairs = discover(args.only)
    if not pairs:
        print("no labelled pairs found (tests/pairs/*/truth.yaml, /work/shared/gold/*.yaml)", file=sys.stderr)
        return 1
    try:
        runner_name, run = runner(args.cli)
    except DiffUnavailable as e:
        print("accuracy: no diff available to measure: plancompare.align.compare is not importable and "
              f"`python -m plancompare diff` does not run ({e}).\nBuild the aligner first; nothing was scored.", file=sys.stderr)
        return 2

    results: list[dict] = []
    failed = 0
    for p in pairs:
        r: dict[str, Any] = {"name": p["name"], "layout": p["layout"], "group": p["group"], "truth": str(p["truth"]),
                             "parent": str(p["parent"]) if p["parent"] else None, "child": str(p["child"]) if p["child"] else None}
        if p["parent"] is None or p["child"] is None:
            r["error"] = f"file not found: {p['gold']['parent_file'] if p['parent'] is None else p['gold']['child_file']}"
            failed += 1
            results.append(r)
            continue
        t0 = time.perf_counter()
        try:
            pred = run(p["parent"], p["child"], p["gold"].get("scope"))
        except Exception as e:  # a failed comparison is reported, the others still run
            r["error"] = f"{type(e).__name__}: {e}"
            failed += 1
            results.append(r)
            continue
        r["seconds"] = round(time.perf_counter() - t0, 2)
        r["score"] = _score.score(p["gold"], pred)
        r["counts"] = _score.detail(p["gold"], pred)
        r["rates"] = _score.rates(r["counts"])
        results.append(r)

    groups: dict[str, dict] = {}
    def add(g: str, r: dict) -> None:
        v = groups.setdefault(g, {"pairs": 0, "counts": {}})
        v["pairs"] += 1
        _score.add_detail(v["counts"], r["counts"])

    hold_out = _hold_out()
    for r in results:
        if r.get("error"):
            continue
        if r["group"] == "real" and hold_out and r["name"] == hold_out:
            add("real, held out of the confidence fit", r)
            continue
        add(r["group"], r)
        if r["group"] == "synthetic":
            add(f"synthetic/{r['layout']}", r)
    order = ["synthetic"] + sorted(g for g in groups if g.startswith("synthetic/")) + ["real", "real, held out of the confidence fit"]
    groups = {g: groups[g] for g in order if g in groups}
    for v in groups.values():
        v["rates"] = _score.rates(v["counts"])

    print(markdown(results, groups, runner_name))
    calibration = None
    if not args.no_calibration:
        calibration = _calibration()
        if calibration:
            print("### Calibration of the link confidence (out of sample)\n")
            print(calibration["markdown"])
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"runner": runner_name, "when": dt.datetime.now().isoformat(timespec="seconds"), "pairs": results, "groups": groups,
                                         "calibration": {k: v for k, v in (calibration or {}).items() if k != "markdown"} or None},
                              ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    if failed:
        print(f"{failed} pair(s) failed", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
