"""Fit the link-confidence model on labelled pairs; write its coefficients and its calibration.

    python benchmarks/fit_confidence.py                # fit, write src/plancompare/align/_coef.py and benchmarks/out/confidence.json
    python benchmarks/fit_confidence.py --check        # fit in memory, report whether _coef.py is current (exit 1 if not)
    python benchmarks/fit_confidence.py --hold-out N   # the pair held out of fitting (default HOLD_OUT below)

Needs scikit-learn (`pip install -e '.[fit]'`); the diff itself only applies the
checked-in coefficients.

Data: every candidate pair the aligner scores (plancompare.align.core.score: the
texts identical after normalisation, linked first, and the inverted-index candidates) in every labelled pair that
benchmarks/accuracy.py discovers (tests/pairs/*/truth.yaml, the gold files of
/work/shared/gold/, the hand-labelled pairs of /work/labels/ or $PLANCOMPARE_LABELS).
A candidate is positive when the gold lists it as a link (copied, changed or either),
negative otherwise (related_optional pairs are negative: related in meaning, not
derived); candidates whose tasks the gold does not name are left out. Tasks are
matched to the gold by their text (the gold scorer's rule), never by parser id.

Calibration is measured out of sample: leave-one-group-out over document pairs
(the four layouts of one synthetic draft are one group), reported as a reliability
table and the expected calibration error (ECE, 10 equal-width bins). One real pair
(HOLD_OUT) is left out of fitting and of the cross-validation, and reported apart.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _score  # noqa: E402
import accuracy  # noqa: E402
from plancompare.align import confidence as conf_mod  # noqa: E402
from plancompare.align import core  # noqa: E402
from plancompare.align.settings import DEFAULT  # noqa: E402
from plancompare.align.text import Vocab  # noqa: E402
from plancompare.parse import parse_file  # noqa: E402
from plancompare.synth import LAYOUTS  # noqa: E402

COEF_FILE = ROOT / "src" / "plancompare" / "align" / "_coef.py"
OUT = ROOT / "benchmarks" / "out" / "confidence.json"
HOLD_OUT = "real_283_vs_146"  # a real pair kept out of fitting, reported apart
C_REG = 1.0  # inverse L2 regularisation strength
BALANCE = True  # weigh each document pair the same
LAYOUT = re.compile(r"_(" + "|".join(sorted(map(re.escape, LAYOUTS), key=len, reverse=True)) + r")$")


def group_of(name: str) -> str:
    """The layouts of one synthetic draft are one group (one document pair)."""
    return LAYOUT.sub("", name)


def rows_of(pair: dict) -> list[dict]:
    """One row per scored candidate pair: features, label, and which pair it comes from."""
    gold = pair["gold"]
    pkeys = list(dict.fromkeys((p["parent"], _score.norm(p["parent"])) for p in gold["pairs"] if p.get("parent")))
    ckeys = list(dict.fromkeys((p["child"], _score.norm(p["child"])) for p in gold["pairs"] if p.get("child")))
    links = {(p["parent"], p["child"]) for p in gold["pairs"] if p.get("parent") and p.get("child") and p["status"] in ("copied", "changed", "either")}
    optional = {(r["parent"], r["child"]) for r in gold.get("related_optional", []) or []}
    parent, child = parse_file(pair["parent"]), parse_file(pair["child"])
    out = []
    vocab = Vocab()
    for ptasks, ctasks in core._groups(parent, child, None):
        if not ptasks or not ctasks:
            continue
        ps, cs, _ = core.prepare_group(ptasks, ctasks, vocab)
        sc = core.score(ps, cs, DEFAULT)
        pk = [_score.key_of(t.text, pkeys) for t in ptasks]
        ck = [_score.key_of(t.text, ckeys) for t in ctasks]
        scored = sorted(sc.feats.items()) + [((lk.p, lk.c), x) for lk, x in zip(sc.prelinks, sc.prelink_feats)]
        for (i, j), x in scored:
            if pk[i] is None or ck[j] is None:
                continue
            out.append({"pair": pair["name"], "group": pair["group"], "x": x, "y": int((pk[i], ck[j]) in links), "optional": (pk[i], ck[j]) in optional,
                        "parent": ptasks[i].text[:60], "child": ctasks[j].text[:60]})
    return out


def weights(rows: list[dict]) -> list[float]:
    """Each document pair (group) weighs the same in the fit, however many candidates it has
    (the four layouts of a synthetic draft would otherwise count four times)."""
    n: dict[str, int] = {}
    for r in rows:
        g = group_of(r["pair"])
        n[g] = n.get(g, 0) + 1
    mean = len(rows) / len(n)
    return [mean / n[group_of(r["pair"])] for r in rows] if BALANCE else [1.0] * len(rows)


def fit(rows: list[dict]):
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(C=C_REG, max_iter=5000, solver="lbfgs")
    m.fit([r["x"] for r in rows], [r["y"] for r in rows], sample_weight=weights(rows))
    return {"features": list(conf_mod.FEATURES), "intercept": round(float(m.intercept_[0]), 6), "weights": [round(float(w), 6) for w in m.coef_[0]]}


def reliability(preds: list[tuple[float, int]], bins: int = 10) -> tuple[list[dict], float]:
    table = []
    ece = 0.0
    n = len(preds)
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inb = [(p, y) for p, y in preds if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if not inb:
            continue
        mp = sum(p for p, _ in inb) / len(inb)
        oy = sum(y for _, y in inb) / len(inb)
        ece += len(inb) / n * abs(mp - oy)
        table.append({"bin": f"{lo:.1f}–{hi:.1f}", "n": len(inb), "predicted": round(mp, 3), "observed": round(oy, 3)})
    return table, round(ece, 4)


def cross_validate(rows: list[dict]) -> list[tuple[float, int, dict]]:
    """Out-of-fold predictions, leaving one document pair (group) out at a time."""
    groups = sorted({group_of(r["pair"]) for r in rows})
    out = []
    for g in groups:
        train = [r for r in rows if group_of(r["pair"]) != g]
        test = [r for r in rows if group_of(r["pair"]) == g]
        if not test or len({r["y"] for r in train}) < 2:
            continue
        coef = fit(train)
        out += [(conf_mod.probability(r["x"], coef), r["y"], r) for r in test]
    return out


def coef_source(coef: dict, n: dict) -> str:
    return ('"""Coefficients of the link-confidence model (see confidence.py).\n\n'
            "Generated by `python benchmarks/fit_confidence.py`; do not edit by hand.\n"
            f"Fitted on {n['rows']} candidate pairs ({n['positive']} links) of {n['pairs']} labelled document pairs.\n"
            '"""\n\n'
            f"COEF = {json.dumps(coef, ensure_ascii=False)}\n")


def collect(hold_out: str, only: str | None = None) -> tuple[list[dict], list[dict]]:
    pairs = accuracy.discover(only)
    rows, held = [], []
    for p in pairs:
        if p["parent"] is None or p["child"] is None:
            print(f"skipped {p['name']}: file not found", file=sys.stderr)
            continue
        r = rows_of(p)
        (held if p["name"] == hold_out else rows).extend(r)
    return rows, held


def report(hold_out: str, rows: list[dict] | None = None, held: list[dict] | None = None) -> dict:
    """Fit, cross-validate, and score the held-out pair."""
    if rows is None:
        rows, held = collect(hold_out)
    coef = fit(rows)
    cv = cross_validate(rows)
    table, ece = reliability([(p, y) for p, y, _ in cv])
    real_cv = [(p, y) for p, y, r in cv if r["group"] == "real"]
    rtable, rece = reliability(real_cv)
    hp = [(conf_mod.probability(r["x"], coef), r["y"]) for r in held or []]
    htable, hece = reliability(hp) if hp else ([], None)
    n = {"rows": len(rows), "positive": sum(r["y"] for r in rows), "pairs": len({r["pair"] for r in rows})}
    return {"coef": coef, "n": n, "hold_out": hold_out, "cv": {"table": table, "ece": ece, "n": len(cv)},
            "cv_real": {"table": rtable, "ece": rece, "n": len(real_cv)}, "held_out": {"table": htable, "ece": hece, "n": len(hp)}}


def markdown(rep: dict) -> str:
    lines = []
    for title, key in (("all labelled pairs, leave-one-document-pair-out", "cv"), ("real pairs only, leave-one-document-pair-out", "cv_real"), (f"held-out pair {rep['hold_out']} (model fitted without it)", "held_out")):
        d = rep[key]
        if not d["n"]:
            continue
        lines += [f"Reliability, {title}: {d['n']} candidate pairs, ECE {d['ece']:.3f}", "", "| confidence | pairs | mean predicted | observed share right |", "|---|---|---|---|"]
        lines += [f"| {t['bin']} | {t['n']} | {t['predicted']:.3f} | {t['observed']:.3f} |" for t in d["table"]]
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 when _coef.py is stale")
    ap.add_argument("--hold-out", default=HOLD_OUT)
    args = ap.parse_args()
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("fit_confidence: scikit-learn is needed: pip install -e '.[fit]'", file=sys.stderr)
        return 2
    rep = report(args.hold_out)
    src = coef_source(rep["coef"], rep["n"])
    print(markdown(rep))
    print("coefficients: " + ", ".join(f"{f} {w:+.3f}" for f, w in zip(rep["coef"]["features"], rep["coef"]["weights"])) + f", intercept {rep['coef']['intercept']:+.3f}")
    if args.check:
        current = COEF_FILE.read_text(encoding="utf-8") == src
        print("_coef.py is current" if current else "_coef.py is stale: run python benchmarks/fit_confidence.py", file=sys.stderr)
        return 0 if current else 1
    COEF_FILE.write_text(src, encoding="utf-8")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({k: v for k, v in rep.items()}, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {COEF_FILE.relative_to(ROOT)} and {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
