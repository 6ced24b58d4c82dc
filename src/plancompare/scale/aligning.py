"""Step align: one chunk is one parent and up to ``chunk_size`` of its children, aligned on a worker
and written as part files; the chunks planned, run and counted."""

from __future__ import annotations

import os
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..errors import PlanCompareError, TimeLimitError
from .common import FORMAT_VERSION, KINDS, Progress, columns, _hash, _time_limit, write_rows, cache_rel, _load_doc, _peak_rss_mb
from .results import _Run
from .scan import _Links, _Scan


def _section(ref: Any) -> str | None:
    s = ((ref.section_path or "") + " " + (ref.section_title or "")).strip()
    return s or None


def comparison_rows(cmp: Any, parent: dict[str, str], child: dict[str, str]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows of the pairs table and the child's summary row for one Comparison.

    They read no related counterpart (nor a confidence): the workers compare with
    ``compare(..., related=False)``, whose rows are those of the full Comparison (tested)."""
    rows = []
    verbatim = 0
    scores = []
    for n, p in enumerate(cmp.pairs):
        dels, ins = p.changed_words
        pr, cr = p.parent, p.child
        if p.status.value == "copied" and not p.kinds:
            verbatim += 1
        if pr is not None and cr is not None:
            scores.append(p.score)
        rows.append({
            "parent_doc": parent["doc"], "parent_file": parent["file"], "doc": child["doc"], "file": child["file"], "pair": n,
            "status": p.status.value, "kinds": ";".join(k.value for k in p.kinds), "score": round(p.score, 4),
            "parent_task_id": pr.id if pr else None, "parent_label": pr.label if pr else None, "parent_path": pr.path if pr else None,
            "parent_section": _section(pr) if pr else None, "parent_text": pr.text if pr else None,
            "child_task_id": cr.id if cr else None, "child_label": cr.label if cr else None, "child_path": cr.path if cr else None,
            "child_section": _section(cr) if cr else None, "child_text": cr.text if cr else None,
            "parent_coverage": None if p.parent_coverage is None else round(p.parent_coverage, 4),
            "child_coverage": None if p.child_coverage is None else round(p.child_coverage, 4),
            "group": p.group, "retargets": "; ".join(f"{r.old} -> {r.new}" for r in p.target_changes) or None,
            "deleted_words": dels or None, "inserted_words": ins or None,
        })
    s = cmp.summary
    summary = {
        "doc": child["doc"], "parent_doc": parent["doc"], "compare_error": None, "parent_tasks": s.parent_tasks, "child_tasks": s.child_tasks,
        "copied": s.statuses.get("copied", 0), "changed": s.statuses.get("changed", 0), "dropped": s.statuses.get("dropped", 0), "added": s.statuses.get("added", 0),
        "child_copied": s.child_statuses.get("copied", 0), "child_changed": s.child_statuses.get("changed", 0), "child_verbatim": verbatim,
        "links": s.links, "coverage": round(s.coverage, 4), "mean_score": round(sum(scores) / len(scores), 4) if scores else None,
        "localized_copies": s.localized_copies, **{f"kind_{k}": s.kinds.get(k, 0) for k in KINDS},
    }
    return rows, summary


_PREPARED_PARENTS = 8  # a worker keeps this many prepared parents (the parents of its current chunks)
_PREPARED: OrderedDict[str, Any] = OrderedDict()  # parent SHA-256 -> its PreparedParent, in this worker


def _prepared(sha: str, parent: Any, make: Callable[[Any], Any]) -> Any:
    """The parent's PreparedParent, kept by content hash for the later chunks of the same parent
    that this worker runs (as many as the parsed documents it keeps: a preparation is only
    reused with the very document object it was made from)."""
    pp = _PREPARED.get(sha)
    if pp is None or pp.doc is not parent:
        pp = _PREPARED[sha] = make(parent)
    _PREPARED.move_to_end(sha)
    while len(_PREPARED) > _PREPARED_PARENTS:
        _PREPARED.popitem(last=False)
    return pp


def align_chunk(spec: dict[str, Any]) -> dict[str, Any]:
    """Worker: align every child of the chunk with the chunk's parent; write the chunk's part files.

    ``spec``: root, out, parser, chunk_id, parent {file, sha256, doc}, children [{file, sha256, doc}]."""
    from ..align import PreparedParent
    from ..align.core import collector_paused

    t0 = time.perf_counter()
    stats: dict[str, Any] = {}
    expect = spec.get("expect")
    timeout = spec.get("file_timeout")
    par = spec["parent"]
    out = Path(spec["out"])
    rows: list[dict[str, Any]] = []
    docs: list[dict[str, Any]] = []
    secs = {"load": 0.0, "compare": 0.0}
    tasks = 0
    try:
        t = time.perf_counter()
        parent = _load_doc(spec["root"], spec["out"], spec["parser"], par["file"], par["sha256"], stats, keep=True, expect=expect, timeout=timeout)
        secs["load"] += time.perf_counter() - t
    except PlanCompareError as e:
        parent = None
        perr = str(e)
    # the parent's words are split, keyed and numbered once for all its children in this worker (same results)
    prepared = _prepared(par["sha256"], parent, PreparedParent) if parent is not None else None
    # the collector paused for the chunk's comparisons (as compare() pauses it for one): each Comparison
    # becomes rows and is freed at once by reference counting; a collection after each one would only
    # walk it, and the documents held, again (a chunk's own garbage waits for its end at most)
    with collector_paused():
        for ch in spec["children"]:
            empty = {k: None for k in columns("align_docs")}
            empty.update(doc=ch["doc"], parent_doc=par["doc"])
            if parent is None:
                docs.append({**empty, "compare_error": f"parent: {perr}"})
                continue
            try:
                cmp = _compare_child(spec, ch, parent, prepared, stats, secs)
            except PlanCompareError as e:
                docs.append({**empty, "compare_error": str(e)})
                continue
            r, s = comparison_rows(cmp, par, ch)
            tasks += s["parent_tasks"] + s["child_tasks"]
            rows += r
            docs.append(s)
    t_load, t_cmp = secs["load"], secs["compare"]
    t = time.perf_counter()
    digests = dict(stats.get("digests", {}))
    for sub, name, data in (("pairs", "pairs", rows), ("documents", "align_docs", docs)):
        rel = f"parts/{sub}/{spec['chunk_id']}.parquet"
        digests[rel] = write_rows(data, out / rel, name)
    t_write = time.perf_counter() - t
    return {"chunk_id": spec["chunk_id"], "children": len(spec["children"]), "comparisons": sum(1 for d in docs if not d["compare_error"]),
            "pairs": len(rows), "tasks": tasks, "parsed": stats.get("parsed", 0), "cached": stats.get("cached", 0),
            "seconds": time.perf_counter() - t0, "load_seconds": t_load, "compare_seconds": t_cmp, "write_seconds": t_write, "pid": os.getpid(),
            "digests": digests, "failed": stats.get("failed", []), "peak_rss_mb": _peak_rss_mb()}


def _compare_child(spec: dict[str, Any], ch: dict[str, str], parent: Any, prepared: Any, stats: dict[str, Any], secs: dict[str, float]) -> Any:
    """One child of the chunk loaded and compared with the parent (the lean comparison: the rows show no
    related counterpart); PlanCompareError when it cannot be; its seconds added to ``secs``."""
    from ..align import compare

    timeout = spec.get("file_timeout")
    t = time.perf_counter()
    child = _load_doc(spec["root"], spec["out"], spec["parser"], ch["file"], ch["sha256"], stats, expect=spec.get("expect"), timeout=timeout)
    secs["load"] += time.perf_counter() - t
    t = time.perf_counter()
    try:
        with _time_limit(timeout, ch["file"]):
            cmp = compare(parent, child, prepared=prepared, related=False)
    except TimeLimitError:
        raise TimeLimitError(f"{ch['file']}: comparing with its parent took more than {timeout:g} s (the per-file time limit, --file-timeout); skipped", path=ch["file"]) from None
    secs["compare"] += time.perf_counter() - t
    return cmp


@dataclass
class _Align:
    specs: list[dict[str, Any]]
    run: int  # align chunks run (the others were reused)
    comparisons: int = 0
    tasks: int = 0
    parsed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # summed worker seconds: load, compare, write, chunks


def _align_specs(run: _Run, links: _Links, H: dict[str, dict[str, Any]], chunk_size: int) -> list[dict[str, Any]]:
    """One chunk per parent and up to ``chunk_size`` of its children, parents by depth; the chunk id hashes its inputs and the code."""
    specs = []
    for pf in sorted(links.children, key=lambda x: (links.depth[x], x)):
        kids = links.children[pf]
        ph = H[pf]
        for i in range(0, len(kids), chunk_size):
            part = kids[i : i + chunk_size]
            cid = "a" + _hash(FORMAT_VERSION, run.parser_fp, run.aligner_fp, pf, ph["sha256"], [(k, H[k]["sha256"]) for k in part], run.file_timeout)
            expect = {k: run.sums[k] for k in (cache_rel(run.parser_fp, H[x]["sha256"]) for x in [pf, *part]) if k in run.sums}
            specs.append({
                "root": str(run.root), "out": str(run.outp), "parser": run.parser_fp, "chunk_id": cid,
                "parent": {"file": pf, "sha256": ph["sha256"], "doc": ph["doc"]},
                "children": [{"file": k, "sha256": H[k]["sha256"], "doc": H[k]["doc"]} for k in part],
                "expect": expect, "file_timeout": run.file_timeout,
            })
    return specs


def _align(run: _Run, scan: _Scan, links: _Links, files: list[str], shas: list[str], chunk_size: int, prog: Progress) -> _Align:
    """Step align: every chunk whose part files are not verified, on the workers, big chunks first; the manifest saved as they finish."""
    H = {h["file"]: h for h in scan.headers}
    specs = _align_specs(run, links, H, chunk_size)
    # a chunk is done when both its part files match their checksums ('&': both are verified, both reported)
    done_ids = {s["chunk_id"] for s in specs if run.verified(f"parts/pairs/{s['chunk_id']}.parquet") & run.verified(f"parts/documents/{s['chunk_id']}.parquet")}
    run.manifest["chunks"] = [{"id": s["chunk_id"], "parent": s["parent"]["file"], "parent_sha256": s["parent"]["sha256"],
                               "children": [[c["file"], c["sha256"]] for c in s["children"]], "done": s["chunk_id"] in done_ids} for s in specs]
    run.manifest["files"] = [[f, s] for f, s in zip(files, shas)]
    run.save()
    todo = sorted((s for s in specs if s["chunk_id"] not in done_ids), key=lambda s: -len(s["children"]))  # big chunks first (better balance), ties in plan order
    total = sum(len(s["children"]) for s in specs)
    done = total - sum(len(s["children"]) for s in todo)
    prog("align", done, total)
    out = _Align(specs=specs, run=len(todo), seconds={"load": 0.0, "compare": 0.0, "write": 0.0, "chunks": 0.0})
    if todo:
        by_id = {c["id"]: c for c in run.manifest["chunks"]}
        last_save = time.perf_counter()
        for res in run.run(align_chunk, todo):
            out.comparisons += res["comparisons"]
            out.tasks += res["tasks"]
            out.parsed += res["parsed"]
            for k, name in (("load", "load_seconds"), ("compare", "compare_seconds"), ("write", "write_seconds"), ("chunks", "seconds")):
                out.seconds[k] += res[name]
            by_id[res["chunk_id"]].update(done=True, pairs=res["pairs"])
            done += res["children"]
            if time.perf_counter() - last_save > 2.0:
                run.save()
                last_save = time.perf_counter()
            prog("align", done, total)
        run.save()
    return out
