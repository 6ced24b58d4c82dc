"""The naive 30-line script a user could write instead of `plancompare diff` (the yardstick of
benchmarks/bench_startup.py): lettered/dashed items as tasks, rapidfuzz cdist, greedy one-to-one
assignment, difflib word diff, JSON on stdout.   Run: python benchmarks/naive_diff.py PARENT CHILD"""
import difflib, json, re, sys, unicodedata
import numpy as np
from rapidfuzz import fuzz, process

ITEM = re.compile(r"^\s*(?:[a-zđ]\)|[-+•]\s|\d+(?:\.\d+)*\.?\s)", re.I)

def tasks(path):
    out, cur = [], None
    for line in open(path, encoding="utf-8-sig"):
        line = unicodedata.normalize("NFC", line).strip(" |\t\n")
        if not line:
            continue
        if ITEM.match(line):
            cur = [ITEM.sub("", line, count=1)]
            out.append(cur)
        elif cur is not None and line[:1].islower():
            cur.append(line)  # a wrapped line
        else:
            cur = None
    return [" ".join(t) for t in out if len(" ".join(t).split()) >= 6]

p, c = tasks(sys.argv[1]), tasks(sys.argv[2])
scores = process.cdist(p, c, scorer=fuzz.token_set_ratio, processor=str.lower, workers=1)
links, used_p, used_c = [], set(), set()
for k in np.argsort(-scores, axis=None):
    i, j = divmod(int(k), len(c))
    if scores[i, j] < 60:
        break
    if i not in used_p and j not in used_c:
        used_p.add(i); used_c.add(j)
        a, b = p[i].split(), c[j].split()
        ops = [(t, " ".join(a[i1:i2]), " ".join(b[j1:j2])) for t, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes()]
        links.append({"parent": p[i], "child": c[j], "score": float(scores[i, j]), "diff": ops})
json.dump({"links": links, "dropped": [p[i] for i in range(len(p)) if i not in used_p],
           "added": [c[j] for j in range(len(c)) if j not in used_c]}, sys.stdout, ensure_ascii=False)
