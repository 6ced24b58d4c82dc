"""Drafts of real plans with known truth: parse a real plan, draft a child of it with every edit
(plancompare.synth), parse the draft back and compare it with the plan; score the links against the
draft's truth.

    python benchmarks/real_drafts.py                       # ../shared/realdocs, two mixes, four layouts
    python benchmarks/real_drafts.py FOLDER... --seeds 1,7 --layouts plain,markdown --json OUT

The corpus pairs (tests/pairs/) are drafts of the seven corpus files, whose layouts the parser was
built on; a real plan's tasks carry fields, specification dashes, '+' lines and paragraphs that a
draft writes again in another layout, so these drafts test the parser and the aligner together on
plans nobody tuned them to. Seed 1 takes the default edit mix, every other seed ``EditMix.hard()``.
Prints one row per draft that is not exact and the totals (link precision/recall, per status).
The documents are read where they are (a public collection kept outside the repository).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _score  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "realdocs"
LAYOUTS = ("plain", "markdown", "pdf_text", "web_scrape")


def drafts_of(path: Path, seeds: list[int], layouts: list[str], min_tasks: int):
    """(seed, layout, truth, child text) for each draft of one real plan; none for a plan with fewer
    than ``min_tasks`` body tasks (a notice, a decree, a plan whose tasks are all in its appendix)."""
    from plancompare.parse import parse_file
    from plancompare.synth import EditMix, make_draft

    parent = parse_file(path)
    if sum(1 for t in parent.tasks if t.source != "appendix") < min_tasks:
        return parent, []
    raw = path.read_text(encoding="utf-8", errors="replace")
    out = []
    for seed in seeds:
        for layout in layouts:
            d = make_draft(parent, raw, seed=seed, edits=EditMix() if seed == 1 else EditMix.hard(), layout=layout)
            out.append((seed, layout, d.truth, d.text, d.suffix))
    return parent, out


def score_draft(parent, truth: dict, text: str, suffix: str) -> dict:
    """The link and status counts of one draft compared with its parent (``_score.detail``)."""
    from plancompare.align import compare
    from plancompare.errors import PlanCompareError
    from plancompare.parse import parse_text

    child = parse_text(text, "child" + suffix)
    try:
        res = compare(parent, child, scope="body").model_dump(mode="json")
    except PlanCompareError as e:  # the draft read back with no tasks: every link missed
        res = {"pairs": [], "error": str(e)}
    return _score.detail(truth, res)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*", type=Path, default=[DEFAULT])
    ap.add_argument("--seeds", default="1,7")
    ap.add_argument("--layouts", default=",".join(LAYOUTS))
    ap.add_argument("--min-tasks", type=int, default=4)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    files = sorted(p for f in args.folders for p in f.glob("*.md") if p.name != "README.md")
    if not files:
        print(f"no documents in {', '.join(map(str, args.folders))}", file=sys.stderr)
        return 2
    seeds = [int(s) for s in args.seeds.split(",")]
    layouts = args.layouts.split(",")
    total: dict = {}
    rows = []
    for path in files:
        parent, drafts = drafts_of(path, seeds, layouts, args.min_tasks)
        for seed, layout, truth, text, suffix in drafts:
            det = score_draft(parent, truth, text, suffix)
            _score.add_detail(total, det)
            L = det["links"]
            rows.append({"file": path.name, "seed": seed, "layout": layout, **L})
    L = total.get("links", {"tp": 0, "pred": 0, "gold": 0})
    p = L["tp"] / L["pred"] if L["pred"] else 0.0
    r = L["tp"] / L["gold"] if L["gold"] else 0.0
    inexact = [x for x in rows if not (x["tp"] == x["pred"] == x["gold"])]
    print(f"{len({x['file'] for x in rows})} real plans, {len(rows)} drafts ({len(inexact)} not exact); "
          f"links {L['tp']} right of {L['pred']} predicted, {L['gold']} true: precision {p:.3f}, recall {r:.3f}")
    print("| status | precision | recall | true | predicted |\n|---|---|---|---|---|")
    for s, v in _score.rates(total)["status"].items():
        print(f"| {s} | {v['precision']} | {v['recall']} | {v['gold']} | {v['pred']} |")
    for x in sorted(inexact, key=lambda x: (2 * x["tp"] - x["pred"] - x["gold"], x["file"]))[:20]:
        print(f"  {x['file'][:40]:40} seed {x['seed']} {x['layout']:10} right {x['tp']} / predicted {x['pred']} / true {x['gold']}")
    if args.json:
        args.json.write_text(json.dumps({"links": L, "precision": p, "recall": r, "rows": rows}, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
