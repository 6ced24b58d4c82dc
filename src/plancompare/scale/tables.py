"""Step tables: pairs, documents, survival and top_tasks streamed from the part files (Parquet, CSV)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..store import sha256_file
from ..io import neutralise_table
from .common import FORMAT_VERSION, TABLES, NATIONAL, PROVINCIAL, Progress, schema, columns, table_of, _hash, _tmp_name, _peak_rss_mb
from .results import _Run, _cleanup
from .scan import _Links, _Scan
from .aligning import _Align


@dataclass
class _Tables:
    tops: list[str]
    final_key: str
    tables: dict[str, str]
    wrote: bool
    pairs: int


def _tables(run: _Run, scan: _Scan, links: _Links, align: _Align, csv: bool, prog: Progress) -> _Tables:
    """Step tables (on a worker when there are workers: the main process never imports pyarrow or pandas),
    unless every table is verified and was made from the same inputs."""
    H = {h["file"]: h for h in scan.headers}
    tops = sorted(f for f in links.children if links.parents[f]["parent"] is None or (H[f].get("level") in NATIONAL))
    final_key = _hash(FORMAT_VERSION, [s["chunk_id"] for s in scan.specs], [s["chunk_id"] for s in align.specs], links.parents, tops, csv)
    tables = {}
    names = [f"{n}.parquet" for n in TABLES] + ([f"{n}.csv" for n in TABLES] if csv else [])
    for name in TABLES:
        tables[name] = str(run.outp / f"{name}.parquet")
        if csv:
            tables[name + "_csv"] = str(run.outp / f"{name}.csv")
    have_all = all([run.verified(n) for n in names])  # every table checked (and reported), not only up to the first failure
    last = run.old.get("last_run")
    pair_rows = last.get("pairs", 0) if isinstance(last, dict) else 0
    if have_all and run.old.get("final_key") == final_key:
        return _Tables(tops=tops, final_key=final_key, tables=tables, wrote=False, pairs=pair_rows)
    spec = {"chunk_id": "t" + final_key, "out": str(run.outp), "headers": scan.headers, "parents": links.parents, "children": links.children, "depth": links.depth,
            "tops": tops, "align_specs": align.specs, "csv": csv}
    prog("tables", 0, 1)
    res = next(iter(run.run(tables_job, [spec])))
    prog("tables", 1, 1)
    if not csv:  # CSV tables of an earlier --csv run would be stale
        for n in TABLES:
            (run.outp / f"{n}.csv").unlink(missing_ok=True)
            run.sums.pop(f"{n}.csv", None)
    _cleanup(run.outp, scan.specs, align.specs, run.parser_fp, run.sums)
    return _Tables(tops=tops, final_key=final_key, tables=tables, wrote=True, pairs=res["pairs"])


class _TableWriter:
    """One table written part by part: Parquet row groups and CSV (UTF-8 with BOM) batches, both
    streamed by pyarrow; renamed into place at the end."""

    def __init__(self, out: Path, name: str, csv: bool = False) -> None:
        import pyarrow.parquet as pq

        self.name = name
        self.pq_path = out / f"{name}.parquet"
        self.csv_path = out / f"{name}.csv"
        self.pq_tmp = _tmp_name(self.pq_path)
        self.csv_tmp = _tmp_name(self.csv_path)
        self.writer = pq.ParquetWriter(self.pq_tmp, schema(name), compression="zstd")
        self.csv_file = None
        self.csv = None
        if csv:
            import pyarrow.csv as pacsv

            self.csv_file = open(self.csv_tmp, "wb")
            self.csv_file.write(b"\xef\xbb\xbf")
            self.csv = pacsv.CSVWriter(self.csv_file, schema(name), write_options=pacsv.WriteOptions(quoting_style="needed"))
        self.rows = 0
        self.digests: dict[str, str] = {}

    def write(self, table: Any) -> None:
        if table.num_rows:
            self.writer.write_table(table)
            if self.csv is not None:
                self.csv.write_table(neutralise_table(table))  # no spreadsheet formulas (plancompare.io)
        self.rows += table.num_rows

    def rows_of(self, rows: list[dict[str, Any]]) -> None:
        self.write(table_of(rows, schema(self.name)))

    def close(self) -> None:
        self.writer.close()
        self.digests[self.pq_path.name] = sha256_file(self.pq_tmp)
        if self.csv is not None and self.csv_file is not None:
            self.csv.close()
            self.csv_file.close()
            self.digests[self.csv_path.name] = sha256_file(self.csv_tmp)
            os.replace(self.csv_tmp, self.csv_path)
        os.replace(self.pq_tmp, self.pq_path)

    def abort(self) -> None:
        for c in (self.writer, self.csv, self.csv_file):
            try:
                if c is not None:
                    c.close()
            except Exception:
                pass
        for p in (self.pq_tmp, self.csv_tmp):
            p.unlink(missing_ok=True)


def tables_job(spec: dict[str, Any]) -> dict[str, Any]:
    """Worker: the final tables from the part files (see _write_tables)."""
    rows, digests = _write_tables(Path(spec["out"]), spec["headers"], spec["parents"], spec["children"], spec["depth"], spec["tops"], spec["align_specs"],
                                  lambda phase, done, total: None, spec["csv"])
    return {"chunk_id": spec["chunk_id"], "pairs": rows, "digests": digests, "peak_rss_mb": _peak_rss_mb(), "pid": os.getpid()}


def _write_tables(out: Path, headers: list[dict[str, Any]], parents: dict[str, dict[str, Any]], children: dict[str, list[str]], depth: dict[str, int],
                  tops: list[str], align_specs: list[dict[str, Any]], prog: Progress, csv: bool = False) -> tuple[int, dict[str, str]]:
    """pairs, survival and top_tasks streamed part by part (in plan order); documents from headers + part summaries."""
    tree = _Tree(headers, parents, children, depth)
    writers = {n: _TableWriter(out, n, csv) for n in ("pairs", "survival", "top_tasks")}
    try:
        summaries = _stream_parts(out, tree, set(tops), align_specs, writers, prog)
        for w in writers.values():
            w.close()
    except BaseException:
        for w in writers.values():
            w.abort()
        raise
    w = _TableWriter(out, "documents", csv)
    try:
        w.rows_of(_document_rows(tree, summaries))
        w.close()
    except BaseException:
        w.abort()
        raise
    digests: dict[str, str] = {}
    for x in (*writers.values(), w):
        digests.update(x.digests)
    return writers["pairs"].rows, digests


class _Tree:
    """The plans as the tables see them: headers by file and by doc id, parents, children, depth, and each
    plan's province (the nearest provincial plan at or above it) and root."""

    def __init__(self, headers: list[dict[str, Any]], parents: dict[str, dict[str, Any]], children: dict[str, list[str]], depth: dict[str, int]) -> None:
        self.headers, self.parents, self.children, self.depth = headers, parents, children, depth
        self.H = {h["file"]: h for h in headers}
        self.by_doc = {h["doc"]: h["file"] for h in headers}
        self.prov = {f: self.province_of(f) for f in self.H if not self.H[f].get("error")}

    def province_of(self, f: str) -> tuple[str | None, str | None]:
        x: str | None = f
        while x is not None:
            if self.H[x].get("level") in PROVINCIAL:
                return self.H[x].get("place") or self.H[x].get("issuer"), self.H[x]["doc"]
            x = self.parents.get(x, {}).get("parent")
        return None, None

    def root_of(self, f: str) -> str:
        x = f
        while self.parents.get(x, {}).get("parent"):
            x = self.parents[x]["parent"]
        return self.H[x]["doc"]


_PAIR_COLUMNS = ["doc", "status", "score", "parent_task_id", "parent_label", "parent_path", "parent_section", "parent_text", "child_task_id"]


class _Carry:
    """What each plan carries of each top task, chunk after chunk (parents before their children)."""

    def __init__(self) -> None:
        self.carried: dict[str, dict[tuple[str, str], Any]] = {}  # carried[doc file][(top file, top task id)] = its Carried
        self.top_tasks_seen: set[str] = set()
        self.top_labels: dict[tuple[str, str], str | None] = {}


def _stream_parts(out: Path, tree: _Tree, topset: set[str], align_specs: list[dict[str, Any]], writers: dict[str, _TableWriter], prog: Progress) -> list[dict[str, Any]]:
    """Every chunk's part files in plan order (parents by depth): pairs copied, top tasks and survival rows
    written; returns the chunks' document summaries."""
    import pyarrow.parquet as pq

    state = _Carry()
    summaries: list[dict[str, Any]] = []
    order = sorted(align_specs, key=lambda s: (tree.depth[s["parent"]["file"]], s["parent"]["file"], s["children"][0]["file"]))
    for n, spec in enumerate(order, 1):
        cid = spec["chunk_id"]
        tbl = pq.ParquetFile(out / "parts" / "pairs" / f"{cid}.parquet").read()  # not read_table: pyarrow.dataset imports pandas
        summaries += pq.ParquetFile(out / "parts" / "documents" / f"{cid}.parquet").read().to_pylist()
        writers["pairs"].write(tbl)
        col = {c: tbl.column(c).to_pylist() for c in _PAIR_COLUMNS}
        pf = spec["parent"]["file"]
        base = dict(state.carried.get(pf, {}))
        if pf in topset and tbl.num_rows:
            _add_top_tasks(tree, state, pf, col, tbl.num_rows, base, writers["top_tasks"])
        rows = _survival_rows(tree, state, pf, _links_per_doc(col, tbl.num_rows), base)
        if rows:
            writers["survival"].rows_of(rows)
        prog("tables", n, len(order))
    return summaries


def _add_top_tasks(tree: _Tree, state: _Carry, pf: str, col: dict[str, list[Any]], nrows: int, base: dict[tuple[str, str], Any], writer: _TableWriter) -> None:
    """A top document's tasks (those of its first child's rows, or all once its tasks were written) start
    their survival in ``base``; the first time, they are written to top_tasks."""
    from ..lineage.survival import top

    first_doc = col["doc"][0]
    seen_ids: dict[str, int] = {}
    for i in range(nrows):
        tid = col["parent_task_id"][i]
        if tid is not None and tid not in seen_ids and (col["doc"][i] == first_doc or pf in state.top_tasks_seen):
            seen_ids[tid] = i
    for tid in seen_ids:
        base[(pf, tid)] = top(tid)
    if pf in state.top_tasks_seen:
        return
    state.top_tasks_seen.add(pf)
    H = tree.H
    trows = []
    for tid, i in seen_ids.items():
        state.top_labels[(pf, tid)] = col["parent_label"][i]
        trows.append({"top_doc": H[pf]["doc"], "top_number": H[pf].get("number"), "top_file": pf, "task_id": tid, "label": col["parent_label"][i],
                      "path": col["parent_path"][i], "section": col["parent_section"][i], "text": col["parent_text"][i]})
    writer.rows_of(trows)


def _links_per_doc(col: dict[str, list[Any]], nrows: int) -> dict[str, dict[str, list[tuple[str, str, float]]]]:
    """The links of each child of a chunk, in row order: {doc: {parent task id: [(child task id, status, score)]}}."""
    per_doc: dict[str, dict[str, list[tuple[str, str, float]]]] = {}
    for i in range(nrows):
        links = per_doc.setdefault(col["doc"][i], {})
        p_, c_ = col["parent_task_id"][i], col["child_task_id"][i]
        if p_ is not None and c_ is not None:
            links.setdefault(p_, []).append((c_, col["status"][i], col["score"][i]))
    return per_doc


def _survival_rows(tree: _Tree, state: _Carry, pf: str, per_doc: dict[str, dict[str, list[tuple[str, str, float]]]],
                   base: dict[tuple[str, str], Any]) -> list[dict[str, Any]]:
    """One survival row per top task its parent carries and per child of the chunk; what a child carries is
    kept for its own children."""
    from ..lineage.survival import carry

    H, rows = tree.H, []
    for doc_id, links in per_doc.items():
        cf = tree.by_doc[doc_id]
        mine: dict[tuple[str, str], Any] = {}
        place = H[cf].get("place")
        pv = tree.prov.get(cf, (None, None))[0]
        for (tf, tid), above in base.items():
            got = mine[(tf, tid)] = carry(above, links)  # the one survival step (plancompare.lineage.survival)
            rows.append({"top_doc": H[tf]["doc"], "top_number": H[tf].get("number"), "top_task_id": tid, "top_label": state.top_labels.get((tf, tid)), "doc": doc_id, "file": cf,
                         "number": H[cf].get("number"), "level": H[cf].get("level"), "place": place, "province": pv,
                         "distance": tree.depth[cf] - tree.depth[tf], "parent_doc": H[pf]["doc"], "status": got.status, "tasks": ";".join(got.tasks) or None,
                         "score": got.score})
        if cf in tree.children:
            state.carried[cf] = mine
    return rows


def _document_rows(tree: _Tree, summaries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per plan (in file order): its header, its parents, its place in the tree, its comparison's summary."""
    al_by = {r["doc"]: r for r in summaries}
    align_cols = columns("align_docs")[2:]
    docs = []
    for h in sorted(tree.headers, key=lambda h: h["file"]):
        row = _document_row(tree, h)
        a = al_by.get(h["doc"])
        for c in align_cols:
            row[c] = a.get(c) if a is not None else None
        docs.append(row)
    return docs


def _document_row(tree: _Tree, h: dict[str, Any]) -> dict[str, Any]:
    H = tree.H
    f = h["file"]
    r = tree.parents.get(f, {})
    pfile = r.get("parent")
    pv, pvd = tree.prov.get(f, (None, None))
    return {"doc": h["doc"], "file": f, "sha256": h["sha256"], "number": h.get("number"), "kind": h.get("kind"), "issuer": h.get("issuer"),
            "level": h.get("level"), "place": h.get("place"), "issue_date": h.get("issue_date"), "title": h.get("title"), "layout": h.get("layout"),
            "tasks": h.get("tasks"), "body_tasks": h.get("body_tasks"), "problems": h.get("problems"), "parse_error": h.get("error"),
            "parent_doc": H[pfile]["doc"] if pfile else None, "parent_file": pfile, "parent_number": H[pfile].get("number") if pfile else None,
            "parent_match": r.get("match"), "parent_note": r.get("note"), "missing_parents": "; ".join(r.get("missing") or []) or None,
            "parent_docs": "; ".join(H[p]["doc"] for p in r.get("parents") or []) or None,
            "depth": tree.depth.get(f), "root_doc": tree.root_of(f) if not h.get("error") else None, "province": pv, "province_doc": pvd,
            "children": len(tree.children.get(f, []))}
