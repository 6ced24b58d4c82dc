"""Generate the checked-in synthetic labelled pairs under tests/pairs/.

    .venv/bin/python benchmarks/make_pairs.py            # (re)write tests/pairs/<name>/{child.txt|child.md, truth.yaml}
    .venv/bin/python benchmarks/make_pairs.py --check    # regenerate in memory, report files that differ

Each parent is drafted once with the default EditMix (one seed, one task-labelling style)
and the same draft is rendered in the four layouts, so differences between layouts measure
the layout alone; each parent also gets one harder draft (EditMix.hard()) in one layout.
The hand-labelled real pair tests/pairs/real_283_vs_146/ is not touched.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from plancompare.parse import parse_file  # noqa: E402
from plancompare.synth import LAYOUTS, EditMix, make_draft  # noqa: E402

# (name prefix, parent file, seed, style): one draft per parent, rendered in the four layouts
PARENTS = [
    ("146", "data/raw/dak-lak_146-KH-UBND_2025-06-25.txt", 1, "letter"),
    ("283", "data/raw/dak-lak_283-KH-TU_2025-05-22.txt", 2, "dash"),
    ("03", "data/raw/central_03-NQ-CP_2025-01-09.md", 3, "decimal"),
]
EDITS = EditMix()  # the default mix: every edit, 3 added tasks, some reordering
# harder drafts (EditMix.hard(): fewer copies, combined and heavier edits), one layout each
HARD = [
    ("146", "data/raw/dak-lak_146-KH-UBND_2025-06-25.txt", 41, "letter", "web_scrape"),
    ("283", "data/raw/dak-lak_283-KH-TU_2025-05-22.txt", 42, "decimal", "pdf_text"),
    ("03", "data/raw/central_03-NQ-CP_2025-01-09.md", 43, "dash", "markdown"),
]


def drafts():
    jobs = [(f"{prefix}_{layout}", parent_file, seed, style, layout, EDITS) for prefix, parent_file, seed, style in PARENTS for layout in LAYOUTS]
    jobs += [(f"{prefix}_hard_{layout}", parent_file, seed, style, layout, EditMix.hard()) for prefix, parent_file, seed, style, layout in HARD]
    cache: dict[str, tuple] = {}
    for name, parent_file, seed, style, layout, edits in jobs:
        if parent_file not in cache:
            cache[parent_file] = (parse_file(ROOT / parent_file), (ROOT / parent_file).read_text(encoding="utf-8"))
        parent, raw = cache[parent_file]
        suffix = ".md" if layout in ("markdown", "site_markdown") else ".txt"
        d = make_draft(parent, raw, seed=seed, edits=edits, layout=layout, style=style,
                       parent_file=parent_file, child_file=f"tests/pairs/{name}/child{suffix}")
        yield name, d


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "tests" / "pairs"))
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 if a checked-in file differs")
    args = ap.parse_args()
    out = Path(args.out)
    differ = 0
    for name, d in drafts():
        target = out / name
        files = {f"child{d.suffix}": d.text, "truth.yaml": d.truth_yaml()}
        if args.check:
            for fn, content in files.items():
                p = target / fn
                if not p.exists() or p.read_text(encoding="utf-8") != content:
                    print(f"differs: {p}")
                    differ += 1
            continue
        target.mkdir(parents=True, exist_ok=True)
        for fn, content in files.items():
            (target / fn).write_text(content, encoding="utf-8")
        st = collections.Counter(p["status"] for p in d.truth["pairs"])
        kinds = collections.Counter(k for p in d.truth["pairs"] for k in p.get("kinds", []))
        print(f"{name:16} {len(d.text.encode()):7d} bytes  child tasks {d.child_task_count:3d}  {dict(st)}  kinds {dict(sorted(kinds.items()))}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
