"""Step scan (workers parse each file, or load it from the cache, and write its header) and step parents
(the lineage resolver over those headers; each primary parent's children and each plan's depth)."""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..store import sha256_file
from ..errors import PlanCompareError
from .common import FORMAT_VERSION, HEADER_FORMAT, SCAN_CHUNK, Progress, _hash, _digest, _atomic_path, cache_rel, _load_doc, _peak_rss_mb
from .results import _Run


def _hash_files(root: Path, files: list[str], prog: Progress) -> list[str]:
    prog("hash", 0, len(files))
    shas = []
    for n, rel in enumerate(files, 1):
        shas.append(sha256_file(root / rel))
        if n % 200 == 0 or n == len(files):
            prog("hash", n, len(files))
    return shas


def header(rel: str, sha: str, doc: Any) -> dict[str, Any]:
    d = doc.document
    return {
        "file": rel, "sha256": sha, "doc": sha[:12], "number": d.number, "kind": d.kind, "issuer": d.issuer, "level": d.level.value,
        "place": d.place, "issue_date": d.issue_date.isoformat() if d.issue_date else None, "title": d.title, "layout": d.layout,
        "tasks": len(doc.tasks), "body_tasks": sum(1 for t in doc.tasks if t.source == "body"), "problems": len(doc.problems), "error": None,
        "references": [r.model_dump(mode="json", exclude_none=True) for r in doc.references if r.number],  # with the citing sentence: what the resolver reads
    }


def scan_chunk(spec: dict[str, Any]) -> dict[str, Any]:
    """Worker: parse (or load from the cache) a chunk of files; write and return their headers."""
    t0 = time.perf_counter()
    stats: dict[str, Any] = {}
    headers = []
    timeout = spec.get("file_timeout")
    for rel, sha in spec["files"]:
        err = None
        try:
            doc = _load_doc(spec["root"], spec["out"], spec["parser"], rel, sha, stats, expect=spec.get("expect"), timeout=timeout)
            headers.append(header(rel, sha, doc))
        except PlanCompareError as e:  # TimeLimitError too: "FILE: parsing took more than S s (the per-file time limit...)"
            err = str(e)
        if err is not None:
            headers.append({"file": rel, "sha256": sha, "doc": sha[:12], "error": err, "references": [], "level": "unknown", "tasks": 0, "body_tasks": 0, "problems": 0})
    rel_state = f"_state/scan/{spec['chunk_id']}.json"
    data = json.dumps({"chunk_id": spec["chunk_id"], "headers": headers}, ensure_ascii=False).encode()
    with _atomic_path(Path(spec["out"]) / rel_state) as tmp:
        tmp.write_bytes(data)
    digests = dict(stats.get("digests", {}))
    digests[rel_state] = _digest(data)
    return {"chunk_id": spec["chunk_id"], "files": len(headers), "parsed": stats.get("parsed", 0), "cached": stats.get("cached", 0),
            "seconds": time.perf_counter() - t0, "digests": digests, "failed": stats.get("failed", []), "peak_rss_mb": _peak_rss_mb(), "pid": os.getpid()}


def doc_header(h: dict[str, Any]) -> Any:
    """The :class:`~plancompare.store.DocHeader` of a plan from the header its worker wrote."""
    from ..models import DocumentInfo, Reference
    from ..store import DocHeader

    info = DocumentInfo(number=h.get("number"), kind=h.get("kind"), issuer=h.get("issuer"), level=h.get("level") or "unknown", place=h.get("place"),
                        issue_date=h.get("issue_date"), title=h.get("title"), source_file=h["file"])
    return DocHeader(id=h["doc"], file=h["file"], document=info, tasks=h.get("tasks") or 0, references=[Reference.model_validate(r) for r in h.get("references") or []])


def resolve_parents(headers: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each plan's parents in the corpus: {file: {parent, match, note, missing, parents}}.

    The one resolver of :func:`plancompare.lineage.resolve` over the plans' headers (the rules of
    :mod:`plancompare.lineage`: numbers restart every year, a parent sits above its child and is
    not issued after it, a mentioned document only when nothing is cited...). ``parent`` is the
    primary parent (:meth:`~plancompare.lineage.LineageGraph.primary_parent`: the nearest level
    first), the one the plan is aligned with; ``parents`` all of them, primary first. Files of
    the same content share one document: the first file (in the corpus order) stands for it."""
    from ..lineage import resolve

    ok = [h for h in headers if not h.get("error")]
    g = resolve(doc_header(h) for h in ok)
    file_of = {d.id: d.file for d in g.documents}
    missing: dict[str, set[str]] = defaultdict(set)
    for m in g.missing:
        missing[m.child].add(m.number)
    out: dict[str, dict[str, Any]] = {}
    for h in ok:
        did = h["doc"]
        first = g.primary_parent(did)
        others = [e.parent for e in g.parents(did) if e is not first]  # in the graph's order
        out[h["file"]] = {
            "parent": file_of[first.parent] if first else None,
            "match": ("mentions" if first.relation == "mentions" else first.match) if first else None,
            "note": first.note if first else None,
            "missing": sorted(missing.get(did, ())),
            "parents": [file_of[p] for p in ([first.parent] if first else []) + others],
        }
    return out


@dataclass
class _Scan:
    specs: list[dict[str, Any]]
    headers: list[dict[str, Any]]
    run: int  # scan chunks run (the others were reused)
    parsed: int = 0


def _scan(run: _Run, files: list[str], shas: list[str], prog: Progress) -> _Scan:
    """Step scan: every file parsed (or its cached document loaded) on the workers, in chunks; their headers."""
    specs = []
    for i in range(0, len(files), SCAN_CHUNK):
        part = list(zip(files[i : i + SCAN_CHUNK], shas[i : i + SCAN_CHUNK]))
        cid = "s" + _hash(FORMAT_VERSION, HEADER_FORMAT, run.parser_fp, part, run.file_timeout)
        expect = {k: run.sums[k] for k in (cache_rel(run.parser_fp, sh) for _, sh in part) if k in run.sums}
        specs.append({"root": str(run.root), "out": str(run.outp), "parser": run.parser_fp, "chunk_id": cid, "files": part, "expect": expect, "file_timeout": run.file_timeout})
    todo = [s for s in specs if not run.verified(f"_state/scan/{s['chunk_id']}.json")]
    parsed = 0
    done_files = sum(len(s["files"]) for s in specs) - sum(len(s["files"]) for s in todo)
    prog("scan", done_files, len(files))
    if todo:
        for res in run.run(scan_chunk, todo):
            parsed += res["parsed"]
            done_files += res["files"]
            prog("scan", done_files, len(files))
    state = run.outp / "_state" / "scan"
    headers: list[dict[str, Any]] = []
    for s in specs:
        headers += json.loads((state / f"{s['chunk_id']}.json").read_text(encoding="utf-8"))["headers"]
    return _Scan(specs=specs, headers=headers, run=len(todo), parsed=parsed)


@dataclass
class _Links:
    """Step parents: each plan's parents (:func:`resolve_parents`), the children of each primary parent, each plan's depth below its root."""

    parents: dict[str, dict[str, Any]]
    children: dict[str, list[str]]
    depth: dict[str, int]

    @classmethod
    def of(cls, headers: list[dict[str, Any]]) -> "_Links":
        parents = resolve_parents(headers)
        children: dict[str, list[str]] = defaultdict(list)
        for f in sorted(parents):
            p = parents[f]["parent"]
            if p is not None:
                children[p].append(f)
        depth: dict[str, int] = {}
        for f in parents:
            x: str | None = f
            chain = []
            while x is not None and x not in depth:
                chain.append(x)
                x = parents.get(x, {}).get("parent")
            d0 = -1 if x is None else depth[x]
            for y in reversed(chain):
                d0 += 1
                depth[y] = d0
        return cls(parents=parents, children=dict(children), depth=depth)
