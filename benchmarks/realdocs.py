"""Hand counts against parsed counts on the 25 real documents of ../shared/realdocs/.

usage: python benchmarks/realdocs.py [REALDOCS_DIR]   (from the project root)

Per document: body tasks, appendix task rows and indicator rows (rows of indicator tables: the
indicators read from body sentences are not counted; hand counts from counts.json),
number (counts.json), kind, issuer, cited parents (benchmarks/realdocs_truth.py) and date of
signing (the file name's date), each as parsed/hand; then a total line. Prints a message and
exits 0 when the folder or its counts.json is absent.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from realdocs_truth import TRUTH  # noqa: E402

from plancompare.parse import parse_file  # noqa: E402

DEFAULT = HERE.parent.parent / "shared" / "realdocs"


def cited(doc) -> list[str]:
    return [r.number or ("Luật" if r.kind == "Luật" else (r.kind or "?")) for r in doc.references if r.relation in ("implements", "basis")]


def file_date(name: str) -> dt.date | None:
    m = re.search(r"_(\d{4})-(\d{2})-(\d{2})\.md$", name)
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else DEFAULT
    counts_file = folder / "counts.json"
    if not counts_file.exists():
        print(f"realdocs benchmark skipped: {counts_file} not found (the shared realdocs are not on this machine)", file=sys.stderr)
        return 0
    want = json.loads(counts_file.read_text(encoding="utf-8"))
    cols = ["body", "appx", "ind", "number", "kind", "issuer", "date", "cites"]
    ok = dict.fromkeys(cols, 0)
    sums = {"body": [0, 0], "appx": [0, 0], "ind": [0, 0]}
    print(f"{'document':<42} {'body':>7} {'appx':>7} {'ind':>7}  number kind issuer date cites")
    t0 = time.perf_counter()
    for name, w in sorted(want.items()):
        d = parse_file(folder / name)
        body = sum(1 for t in d.tasks if t.source != "appendix")
        appx = len(d.tasks) - body
        ind = sum(1 for i in d.indicators if i.source != "body")  # table rows; quantified body targets are objectives
        kind, issuer, cites = TRUTH.get(name, (None, None, None))
        marks = {
            "body": body == w["body_tasks"],
            "appx": appx == w["appendix_task_rows"],
            "ind": ind == w["indicator_rows"],
            "number": d.document.number == w["number"],
            "kind": kind is not None and d.document.kind == kind,
            "issuer": issuer is not None and d.document.issuer == issuer,
            "date": d.document.issue_date == file_date(name),
            "cites": cites is not None and cited(d) == cites,
        }
        for c, v in marks.items():
            ok[c] += v
        for c, got, hand in (("body", body, w["body_tasks"]), ("appx", appx, w["appendix_task_rows"]), ("ind", ind, w["indicator_rows"])):
            sums[c][0] += min(got, hand)
            sums[c][1] += hand
        flag = lambda c: "ok" if marks[c] else "NO"  # noqa: E731
        print(f"{name[:42]:<42} {body:>3}/{w['body_tasks']:<3} {appx:>3}/{w['appendix_task_rows']:<3} {ind:>3}/{w['indicator_rows']:<3}  "
              f"{flag('number'):<6} {flag('kind'):<4} {flag('issuer'):<6} {flag('date'):<4} {flag('cites')}"
              + ("" if marks["number"] else f"  (number {d.document.number})") + ("" if marks["cites"] or cites is None else f"  (cites {len(cited(d))} vs {len(cites)})"))
    n = len(want)
    ms = (time.perf_counter() - t0) * 1000 / max(n, 1)
    print(f"total ({n} documents): exact body {ok['body']}/{n}, appendix rows {ok['appx']}/{n}, indicator rows {ok['ind']}/{n}; "
          f"number {ok['number']}/{n}, kind {ok['kind']}/{n}, issuer {ok['issuer']}/{n}, date {ok['date']}/{n}, cited parents {ok['cites']}/{n}; "
          f"found at most: body {sums['body'][0]}/{sums['body'][1]}, appendix rows {sums['appx'][0]}/{sums['appx'][1]}, indicator rows {sums['ind'][0]}/{sums['ind'][1]}; {ms:.0f} ms per document")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
