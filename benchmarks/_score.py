"""Scoring a comparison against a gold alignment (used by benchmarks/accuracy.py).

``norm``, ``key_of``, ``task_text`` and ``score`` are copied verbatim from
``/work/shared/tools/score_gold.py`` (the shared gold scorer; sha256 of the copied
version below) so that the benchmark reports exactly the numbers the shared tool
reports, and runs where ``/work/shared`` is absent. ``detail`` adds per-status
precision/recall and per-kind recall computed over the same key mapping.
"""
import re
import unicodedata

from rapidfuzz import fuzz

#: sha256 of /work/shared/tools/score_gold.py when norm/key_of/task_text/score were copied
SOURCE_SHA256 = "6f4deb69cef45decf1e58610e8d12207ae803e41bfeff478f9e85d0b47131373"

# ---------------------------------------------------------------- copied from score_gold.py

TONE = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oè": "òe", "oé": "óe",
        "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe", "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}

def norm(t):
    t = unicodedata.normalize("NFC", t or "").lower()
    for a, b in TONE.items():
        t = t.replace(a, b)
    t = re.sub(r"-\s+", "-", t)
    t = re.sub(r"[^\w%]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()

def key_of(text, keys):
    """Return the gold key this task text starts with, or None."""
    if not text:
        return None
    nt = norm(text)
    for k, nk in keys:
        if nt.startswith(nk):
            return k
    best = max(((fuzz.ratio(nt[: len(nk)], nk), k) for k, nk in keys), default=(0, None))
    return best[1] if best[0] >= 92 else None

def task_text(x):
    if x is None:
        return None
    if isinstance(x, str):
        return x
    for f in ("text", "content", "body"):
        if isinstance(x.get(f), str):
            return x[f]
    return None

def score(gold, pred):
    pkeys = [(p["parent"], norm(p["parent"])) for p in gold["pairs"] if p.get("parent")]
    ckeys = [(p["child"], norm(p["child"])) for p in gold["pairs"] if p.get("child")]
    pkeys = list(dict.fromkeys(pkeys)); ckeys = list(dict.fromkeys(ckeys))
    G = {}
    for p in gold["pairs"]:
        G[(p.get("parent"), p.get("child"))] = p["status"]
    optional = {(r["parent"], r["child"]) for r in gold.get("related_optional", [])}
    P = {}
    seen_p, seen_c = set(), set()
    for row in pred.get("pairs", []):
        pk = key_of(task_text(row.get("parent")), pkeys) if row.get("parent") is not None else None
        ck = key_of(task_text(row.get("child")), ckeys) if row.get("child") is not None else None
        if row.get("parent") is not None and pk is None:
            continue  # a record outside the gold set (objective, assignment, ...)
        if row.get("child") is not None and ck is None:
            if pk is None:
                continue
            # parent in gold, child unknown to gold: counts as a wrong link
            ck = "<unknown child>"
        if pk is None and ck is None:
            continue
        if (pk, ck) in optional:
            continue
        P[(pk, ck)] = row.get("status")
        if pk: seen_p.add(pk)
        if ck: seen_c.add(ck)
    def prf(gs, ps):
        t = len(gs & ps)
        pr = t / len(ps) if ps else (1.0 if not gs else 0.0)
        rc = t / len(gs) if gs else 1.0
        return round(2 * pr * rc / (pr + rc), 3) if pr + rc else 0.0
    is_match = lambda l: l[0] is not None and l[1] is not None
    gm = {l for l in G if is_match(l)}; pm = {l for l in P if is_match(l)}
    gd = {l for l in G if l[1] is None}; pd = {l for l in P if l[1] is None}
    ga = {l for l in G if l[0] is None}; pa = {l for l in P if l[0] is None}
    def status_ok(l):
        g, s = G.get(l), P.get(l)
        return g == s or (g == "either" and s in ("copied", "changed"))
    matched_ok = sum(1 for l in gm if l in P and status_ok(l))
    strict = sum(1 for l in G if l in P and status_ok(l))
    return {"match_f1": prf(gm, pm), "match_status_acc": round(matched_ok / len(gm), 3) if gm else 1.0,
            "dropped_f1": prf(gd, pd), "added_f1": prf(ga, pa),
            "strict_accuracy": round(strict / len(G), 3) if G else 1.0,
            "gold": {"matches": len(gm), "dropped": len(gd), "added": len(ga)},
            "pred": {"matches": len(pm), "dropped": len(pd), "added": len(pa)},
            "unmentioned_gold_parents": len({k for k, _ in pkeys} - seen_p),
            "unmentioned_gold_children": len({k for k, _ in ckeys} - seen_c)}

# ---------------------------------------------------------------- added for benchmarks/accuracy.py

STATUSES = ("copied", "changed", "dropped", "added")


def predicted_links(gold, pred):
    """The predicted links keyed like ``score`` keys them: {(parent key, child key): (status, kinds)}.

    Same mapping rules as ``score`` (rows outside the gold set skipped, unknown children
    kept as '<unknown child>', related_optional links ignored)."""
    pkeys = list(dict.fromkeys((p["parent"], norm(p["parent"])) for p in gold["pairs"] if p.get("parent")))
    ckeys = list(dict.fromkeys((p["child"], norm(p["child"])) for p in gold["pairs"] if p.get("child")))
    optional = {(r["parent"], r["child"]) for r in gold.get("related_optional", [])}
    P = {}
    for row in pred.get("pairs", []):
        pk = key_of(task_text(row.get("parent")), pkeys) if row.get("parent") is not None else None
        ck = key_of(task_text(row.get("child")), ckeys) if row.get("child") is not None else None
        if row.get("parent") is not None and pk is None:
            continue
        if row.get("child") is not None and ck is None:
            if pk is None:
                continue
            ck = "<unknown child>"
        if pk is None and ck is None:
            continue
        if (pk, ck) in optional:
            continue
        kinds = row.get("kinds") or []
        if isinstance(kinds, str):
            kinds = [kinds]
        P[(pk, ck)] = (row.get("status"), list(kinds))
    return P


def detail(gold, pred):
    """Counts for per-status precision/recall and per-kind recall (summable across pairs).

    status ``s``: tp = predicted links with status s that are gold links whose gold status
    accepts s ('either' accepts copied and changed); pred = predicted links with status s;
    gold = gold links with status s ('either' links count in no recall denominator);
    hit = gold links with status s predicted with status s.
    kind ``k`` (over gold links, any status, whose kinds list k): n, linked (the link was
    predicted), changed (predicted changed, or copied for a 'localized' copy), kind (the
    predicted kinds include k)."""
    G = {(p.get("parent"), p.get("child")): (p["status"], list(p.get("kinds") or [])) for p in gold["pairs"]}
    P = predicted_links(gold, pred)
    out = {"status": {s: {"tp": 0, "pred": 0, "gold": 0, "hit": 0} for s in STATUSES}, "kinds": {}}
    gm = {l for l in G if l[0] is not None and l[1] is not None}
    pm = {l for l in P if l[0] is not None and l[1] is not None}
    out["links"] = {"tp": len(gm & pm), "pred": len(pm), "gold": len(gm)}
    for link, (ps, _) in P.items():
        if ps not in out["status"]:
            continue
        c = out["status"][ps]
        c["pred"] += 1
        g = G.get(link)
        if g and (g[0] == ps or (g[0] == "either" and ps in ("copied", "changed"))):
            c["tp"] += 1
    for link, (gs, gkinds) in G.items():
        if gs in out["status"]:
            out["status"][gs]["gold"] += 1
            if link in P and P[link][0] == gs:
                out["status"][gs]["hit"] += 1
        for k in gkinds:
            d = out["kinds"].setdefault(k, {"n": 0, "linked": 0, "status_ok": 0, "kind": 0})
            d["n"] += 1
            if link in P:
                d["linked"] += 1
                ps, pk = P[link]
                if ps == gs or (gs == "either" and ps in ("copied", "changed")):
                    d["status_ok"] += 1
                if k in pk:
                    d["kind"] += 1
    # kind precision: the kinds predicted on links that the gold has
    for link, (ps, pk) in P.items():
        if link not in G:
            continue
        gkinds = G[link][1]
        for k in pk:
            d = out["kinds"].setdefault(k, {"n": 0, "linked": 0, "status_ok": 0, "kind": 0})
            d["pred"] = d.get("pred", 0) + 1
            d["pred_ok"] = d.get("pred_ok", 0) + (1 if k in gkinds else 0)
    return out


def add_detail(total, d):
    """Sum ``detail`` counts into ``total`` (in place)."""
    t = total.setdefault("links", {"tp": 0, "pred": 0, "gold": 0})
    for k, v in d.get("links", {}).items():
        t[k] += v
    for s, c in d["status"].items():
        t = total.setdefault("status", {}).setdefault(s, {"tp": 0, "pred": 0, "gold": 0, "hit": 0})
        for k, v in c.items():
            t[k] += v
    for kind, c in d["kinds"].items():
        t = total.setdefault("kinds", {}).setdefault(kind, {"n": 0, "linked": 0, "status_ok": 0, "kind": 0})
        for k, v in c.items():
            t[k] = t.get(k, 0) + v
    return total


def rates(d):
    """Precision/recall per status and recall per kind from summed counts (None when undefined)."""
    def div(a, b):
        return round(a / b, 3) if b else None

    st = {s: {"precision": div(c["tp"], c["pred"]), "recall": div(c["hit"], c["gold"]), "gold": c["gold"], "pred": c["pred"]}
          for s, c in d.get("status", {}).items()}
    kinds = {k: {"n": c["n"], "link_recall": div(c["linked"], c["n"]), "status_recall": div(c["status_ok"], c["n"]), "kind_recall": div(c["kind"], c["n"]),
                 "kind_precision": div(c.get("pred_ok", 0), c.get("pred", 0))}
             for k, c in sorted(d.get("kinds", {}).items())}
    ln = d.get("links", {"tp": 0, "pred": 0, "gold": 0})
    pr, rc = div(ln["tp"], ln["pred"]), div(ln["tp"], ln["gold"])
    f1 = round(2 * pr * rc / (pr + rc), 3) if pr and rc else (0.0 if ln["gold"] or ln["pred"] else None)
    return {"links": {"precision": pr, "recall": rc, "f1": f1, "gold": ln["gold"], "pred": ln["pred"]}, "status": st, "kinds": kinds}
