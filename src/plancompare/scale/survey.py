"""Nationwide questions over the tables of `plancompare batch`.

* For every task of the top documents (the roots of the corpus and national-level
  documents with plans below them, e.g. 57-NQ/TW and 03/NQ-CP): the share of provinces
  and of communes below it that kept it (copied), changed it, dropped it, or never
  received it (their province had dropped it).
* Communes whose plan is a near-verbatim copy of their province's, with no localisation.
* Tasks that appear in many communes but in no parent (a common template from
  elsewhere). Found without comparing all pairs: every added commune task is hashed
  (MinHash over word 3-shingles of its comparison key, datasketch) into an LSH index;
  only the candidates the index returns are compared exactly (rapidfuzz), and
  near-duplicates are grouped (union-find). The groups found in many communes are then
  looked up, the same way, among the tasks of every parent plan of the corpus.

Reads the tables in record batches (bounded memory). Core module: no typer, no rich.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from .batch import PROVINCIAL, _v, check_results_dir, iter_table, load_table
from ..io import markdown_view
from ..normalize import shorten as _short
from ..normalize import md_cell as _md

class SurveySettings(BaseModel):
    """The survey's thresholds: one frozen model, recorded in every :class:`SurveyResult`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    verbatim_coverage: float = Field(0.95, ge=0.0, le=1.0, description="Near-verbatim commune: share of the parent's tasks carried.")
    verbatim_share: float = Field(0.9, ge=0.0, le=1.0, description="Near-verbatim commune: share of the child's tasks copied word for word (after normalisation).")
    verbatim_max_added: int = Field(1, ge=0, description="Near-verbatim commune: at most this many added tasks.")
    num_perm: int = Field(64, ge=1, description="MinHash permutations.")
    lsh_threshold: float = Field(0.5, gt=0.0, le=1.0, description="Jaccard similarity of the shingle sets for an LSH candidate.")
    shingle: int = Field(3, ge=1, description="Words per shingle.")
    min_ratio: float = Field(85.0, ge=0.0, le=100.0, description="rapidfuzz token_sort_ratio of the keys for two tasks to be near-duplicates.")
    template_min_communes: int = Field(3, ge=1, description="A template task: found in at least this many communes...")
    template_min_share: float = Field(0.01, ge=0.0, le=1.0, description="...and in at least this share of the communes.")


DEFAULT = SurveySettings()


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TopTaskShare(_M):
    top_doc: str
    top_number: str | None
    task_id: str
    label: str | None = None
    section: str | None = None
    text: str
    provinces: int = Field(description="Provincial plans below the top document.")
    province_copied: float
    province_changed: float
    province_dropped: float
    province_not_received: float
    communes: int = Field(description="Commune plans below the top document.")
    commune_copied: float
    commune_changed: float
    commune_dropped: float
    commune_not_received: float

    @property
    def province_kept(self) -> float:
        return self.province_copied + self.province_changed

    @property
    def commune_kept(self) -> float:
        return self.commune_copied + self.commune_changed


class VerbatimCommune(_M):
    doc: str
    file: str
    number: str | None
    place: str | None
    province: str | None
    parent_number: str | None
    coverage: float
    verbatim_share: float = Field(description="Share of the commune's tasks that are word-for-word copies (no kinds, not even localized).")
    localized: int
    added: int
    child_tasks: int


class TemplateTask(_M):
    text: str = Field(description="The most common wording.")
    communes: int
    provinces: int
    variants: int = Field(description="Distinct wordings (comparison keys) in the group.")
    min_ratio: float = Field(description="Lowest rapidfuzz similarity of a member to the wording shown.")
    in_parent: str | None = Field(None, description="A parent plan of the corpus that has this task (then it is not from elsewhere), else None.")
    examples: list[str] = Field(description="Some plans that have it.")


class SurveyResult(_M):
    FORMATS: ClassVar[tuple[str, ...]] = ("table", "json", "csv", "md")  # the CLI's --format values (cli/output.py)

    results: str
    documents: int
    provinces: int
    communes: int
    tops: list[str]
    tasks: list[TopTaskShare]
    verbatim: list[VerbatimCommune]
    templates: list[TemplateTask]
    settings: SurveySettings
    stats: dict[str, float | int] = Field(default_factory=dict, description="Added commune tasks hashed, LSH candidate pairs compared exactly, seconds.")

    CSV_COLUMNS: ClassVar[tuple[str, ...]] = (
        "section", "top_number", "task_id", "label", "text", "provinces", "province_copied", "province_changed", "province_dropped", "province_not_received",
        "communes", "commune_copied", "commune_changed", "commune_dropped", "commune_not_received", "file", "number", "place", "province", "parent_number",
        "coverage", "verbatim_share", "localized", "added", "template_provinces", "variants", "in_parent", "examples")

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    def csv_rows(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for t in self.tasks:
            d = t.model_dump()
            d.pop("top_doc")
            d.pop("section")
            rows.append({"section": "top_task", **{k: (round(v, 4) if isinstance(v, float) else v) for k, v in d.items()}})
        for v in self.verbatim:
            rows.append({"section": "verbatim_commune", "file": v.file, "number": v.number, "place": v.place, "province": v.province, "parent_number": v.parent_number,
                         "coverage": v.coverage, "verbatim_share": round(v.verbatim_share, 4), "localized": v.localized, "added": v.added})
        for tp in self.templates:
            rows.append({"section": "template_task", "text": tp.text, "communes": tp.communes, "template_provinces": tp.provinces, "variants": tp.variants,
                         "in_parent": tp.in_parent or "", "examples": "; ".join(tp.examples)})
        return rows

    def to_csv(self) -> str:
        from ..io import csv_text

        return csv_text(self.CSV_COLUMNS, self.csv_rows())

    @markdown_view

    def to_markdown(self) -> str:
        out = [f"# National survey of {self.results}", "", f"{self.documents} plans: {self.provinces} provincial, {self.communes} commune. Top documents: {', '.join(self.tops) or '—'}.", ""]
        out += ["## Tasks of the top documents", "", "| top | task | provinces kept / changed / dropped | communes kept / changed / dropped / not received | text |", "|---|---|---|---|---|"]
        for t in self.tasks:
            out.append(f"| {t.top_number} | {t.label or t.task_id} | {t.province_copied:.0%} / {t.province_changed:.0%} / {t.province_dropped:.0%} ({t.provinces}) | "
                       f"{t.commune_copied:.0%} / {t.commune_changed:.0%} / {t.commune_dropped:.0%} / {t.commune_not_received:.0%} ({t.communes}) | {_md(_short(t.text))} |")
        out += ["", f"## Near-verbatim copies of the province's plan, not localised ({len(self.verbatim)})", "", "| commune | province | parent | coverage | verbatim | file |", "|---|---|---|---|---|---|"]
        for v in self.verbatim:
            out.append(f"| {_md(v.place or '')} | {_md(v.province or '')} | {v.parent_number or ''} | {v.coverage:.0%} | {v.verbatim_share:.0%} | {v.file} |")
        out += ["", f"## Tasks in many communes and in no parent ({len(self.templates)})", "", "| communes | provinces | variants | in a parent | text |", "|---|---|---|---|---|"]
        for tp in self.templates:
            out.append(f"| {tp.communes} | {tp.provinces} | {tp.variants} | {tp.in_parent or 'no'} | {_md(_short(tp.text, 140))} |")
        return "\n".join(out) + "\n"


# ---------------------------------------------------------------- near-duplicates


def shingles(key: str, n: int = 3) -> set[bytes]:
    w = key.split()
    if len(w) <= n:
        return {" ".join(w).encode()}
    return {" ".join(w[i : i + n]).encode() for i in range(len(w) - n + 1)}


def minhashes(keys: list[str], num_perm: int = 64, n: int = 3) -> list[Any]:
    from datasketch import MinHash

    out = []
    for k in keys:
        m = MinHash(num_perm=num_perm)
        m.update_batch(list(shingles(k, n)))
        out.append(m)
    return out


def near_duplicate_groups(keys: list[str], *, num_perm: int = 64, threshold: float = 0.5, min_ratio: float = 85.0, n: int = 3) -> tuple[list[list[int]], int]:
    """Groups of near-duplicate texts (indices into ``keys``) and the number of candidate pairs compared.

    Identical keys are merged first; MinHash LSH proposes candidates among distinct keys;
    each candidate pair is confirmed with rapidfuzz's token_sort_ratio >= ``min_ratio``."""
    from datasketch import MinHashLSH
    from rapidfuzz import fuzz

    from ..lineage import connected_groups

    distinct: dict[str, list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        distinct[k].append(i)
    uk = list(distinct)
    mh = minhashes(uk, num_perm, n)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    for i, m in enumerate(mh):
        lsh.insert(i, m)
    candidates = [(i, j) for i, m in enumerate(mh) for j in lsh.query(m) if j > i]
    confirmed = ((i, j) for i, j in candidates if fuzz.token_sort_ratio(uk[i], uk[j]) >= min_ratio)
    groups = connected_groups(list(range(len(uk))), confirmed)  # the one near-duplicate grouping (plancompare.lineage)
    return [sorted(x for i in g for x in distinct[uk[i]]) for g in groups], len(candidates)


# ---------------------------------------------------------------- the survey


def survey(results: str | Path, *, settings: SurveySettings = DEFAULT) -> SurveyResult:
    """Answer the nationwide questions over a results folder of `plancompare batch`: one named step each."""
    t0 = time.perf_counter()
    st = settings
    res = check_results_dir(results)
    docs = load_table(res, "documents")
    level = dict(zip(docs["doc"], docs["level"]))
    prov_docs = {d for d, lv in level.items() if lv in PROVINCIAL}
    comm_docs = {d for d, lv in level.items() if lv == "commune"}
    tasks = _top_task_shares(res)
    tops = list(dict.fromkeys(t.top_number or t.top_doc for t in tasks))
    verbatim = _verbatim_communes(docs, st)
    t1 = time.perf_counter()
    templates, stats = _template_tasks(res, docs, comm_docs, st)
    stats.update(seconds=round(time.perf_counter() - t0, 3), near_duplicate_seconds=round(time.perf_counter() - t1, 3))
    return SurveyResult(results=str(res), documents=len(docs), provinces=len(prov_docs), communes=len(comm_docs), tops=tops, tasks=tasks, verbatim=verbatim,
                        templates=templates, settings=st, stats=stats)


def _top_task_shares(res: Path) -> list[TopTaskShare]:
    """Step 1: for each task of a top document, the shares of provinces and communes that kept, changed, dropped or never received it (the survival table)."""
    top = load_table(res, "top_tasks")
    surv = load_table(res, "survival", ["top_doc", "top_task_id", "doc", "level", "status"])
    surv["grp"] = surv["level"].map(lambda lv: "province" if lv in PROVINCIAL else ("commune" if lv == "commune" else "other"))
    cd = surv.groupby(["top_doc", "top_task_id", "grp", "status"], sort=False).size().to_dict()
    td = surv.groupby(["top_doc", "top_task_id", "grp"], sort=False).size().to_dict()
    tasks = []
    for r in top.itertuples(index=False):
        vals: dict[str, Any] = {}
        for grp in ("province", "commune"):
            n = int(td.get((r.top_doc, r.task_id, grp), 0))
            vals[grp + "s"] = n
            for s in ("copied", "changed", "dropped", "not_received"):
                vals[f"{grp}_{s}"] = round(cd.get((r.top_doc, r.task_id, grp, s), 0) / n, 4) if n else 0.0
        tasks.append(TopTaskShare(top_doc=r.top_doc, top_number=_v(r.top_number), task_id=r.task_id, label=_v(r.label), section=_v(r.section), text=_v(r.text) or "", **vals))
    return tasks


def _verbatim_communes(docs: Any, st: SurveySettings) -> list[VerbatimCommune]:
    """Step 2: communes whose plan copies their parent's nearly word for word, with nothing localised."""
    verbatim = []
    for r in docs[docs["level"] == "commune"].itertuples(index=False):
        ct = _v(r.child_tasks)
        if not ct or _v(r.coverage) is None:
            continue
        share = (_v(r.child_verbatim) or 0) / ct
        loc = int(_v(r.kind_localized) or 0) + int(_v(r.localized_copies) or 0)
        added = int(_v(r.added) or 0)
        if r.coverage >= st.verbatim_coverage and share >= st.verbatim_share and added <= st.verbatim_max_added and loc == 0:
            verbatim.append(VerbatimCommune(doc=r.doc, file=r.file, number=_v(r.number), place=_v(r.place), province=_v(r.province), parent_number=_v(r.parent_number),
                                            coverage=float(r.coverage), verbatim_share=round(share, 4), localized=loc, added=added, child_tasks=int(ct)))
    verbatim.sort(key=lambda v: (v.province or "", v.file))
    return verbatim


def _template_tasks(res: Path, docs: Any, comm_docs: set[str], st: SurveySettings) -> tuple[list[TemplateTask], dict[str, Any]]:
    """Step 3: tasks added in many communes (near-duplicates via MinHash LSH), and whether a parent plan has them."""
    from rapidfuzz import fuzz

    from ..normalize import key

    parents_with_children = set(docs.loc[docs["children"].fillna(0) > 0, "doc"])
    added: list[tuple[str, str]] = []  # (doc, text)
    ptexts: dict[tuple[str, str], str] = {}
    for b in iter_table(res, "pairs", ["doc", "status", "child_text", "parent_doc", "parent_task_id", "parent_text"]):
        a = b[(b["status"] == "added") & b["doc"].isin(comm_docs)]
        added += list(zip(a["doc"].tolist(), a["child_text"].tolist()))
        pb = b[b["parent_task_id"].notna() & b["parent_doc"].isin(parents_with_children)].drop_duplicates(["parent_doc", "parent_task_id"])
        for d, tid, tx in zip(pb["parent_doc"].tolist(), pb["parent_task_id"].tolist(), pb["parent_text"].tolist()):
            ptexts.setdefault((d, tid), tx)
    keys = [key(t or "") for _d, t in added]
    groups, compared = near_duplicate_groups(keys, num_perm=st.num_perm, threshold=st.lsh_threshold, min_ratio=st.min_ratio, n=st.shingle)
    n_comm = len(comm_docs)
    min_c = max(st.template_min_communes, math.ceil(st.template_min_share * n_comm))
    prov_of = dict(zip(docs["doc"], docs["province"]))
    file_of = dict(zip(docs["doc"], docs["file"]))
    number_of = dict(zip(docs["doc"], docs["number"]))
    big = []
    for g in groups:
        communes = {added[i][0] for i in g}
        if len(communes) < min_c:
            continue
        kc = Counter(keys[i] for i in g)
        rep_key = kc.most_common(1)[0][0]
        rep = next(added[i][1] for i in g if keys[i] == rep_key)
        big.append((g, communes, rep_key, rep, kc))
    in_parent: list[str | None] = [None] * len(big)
    if big and ptexts:
        from datasketch import MinHashLSH

        pk = list(ptexts)
        pkeys = [key(ptexts[k] or "") for k in pk]
        lsh = MinHashLSH(threshold=st.lsh_threshold, num_perm=st.num_perm)
        for i, m in enumerate(minhashes(pkeys, st.num_perm, st.shingle)):
            lsh.insert(i, m)
        for gi, m in enumerate(minhashes([b[2] for b in big], st.num_perm, st.shingle)):
            hits = sorted(j for j in lsh.query(m) if fuzz.token_sort_ratio(big[gi][2], pkeys[j]) >= st.min_ratio)
            if hits:
                d = pk[hits[0]][0]
                in_parent[gi] = _v(number_of.get(d)) or file_of.get(d)
    templates = []
    for (g, communes, rep_key, rep, kc), ip in zip(big, in_parent):
        provinces = {prov_of.get(d) for d in communes}
        templates.append(TemplateTask(text=rep, communes=len(communes), provinces=len({p for p in provinces if _v(p)}), variants=len(kc),
                                      min_ratio=round(min(fuzz.token_sort_ratio(rep_key, k) for k in kc), 1), in_parent=ip,
                                      examples=sorted(file_of.get(d, d) for d in communes)[:5]))
    templates.sort(key=lambda t: (t.in_parent is not None, -t.communes, t.text))
    stats = {"added_commune_tasks": len(added), "distinct_keys": len(set(keys)), "lsh_candidate_pairs": compared,
             "all_pairs_would_be": len(set(keys)) * (len(set(keys)) - 1) // 2, "parent_tasks": len(ptexts)}
    return templates, stats


__all__ = ["survey", "SurveyResult", "TopTaskShare", "VerbatimCommune", "TemplateTask", "near_duplicate_groups", "minhashes", "shingles", "SurveySettings", "DEFAULT"]
