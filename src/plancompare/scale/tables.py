"""Step tables: pairs, documents, survival and top_tasks streamed from the part files (Parquet, CSV)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..store import sha256_file
from ..io import neutralise_table
from .common import FORMAT_VERSION, TABLES, NATIONAL, PROVINCIAL, Progress, schema, columns, _hash, _tmp_name, _peak_rss_mb
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
        import pyarrow as pa

        self.write(pa.Table.from_pylist(rows, schema=schema(self.name)))

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
    import pyarrow.parquet as pq

    H = {h["file"]: h for h in headers}
    by_doc = {h["doc"]: h["file"] for h in headers}
    topset = set(tops)

    def province_of(f: str) -> tuple[str | None, str | None]:
        x: str | None = f
        while x is not None:
            if H[x].get("level") in PROVINCIAL:
                return H[x].get("place") or H[x].get("issuer"), H[x]["doc"]
            x = parents.get(x, {}).get("parent")
        return None, None

    def root_of(f: str) -> str:
        x = f
        while parents.get(x, {}).get("parent"):
            x = parents[x]["parent"]
        return H[x]["doc"]

    prov = {f: province_of(f) for f in H if not H[f].get("error")}
    writers = {n: _TableWriter(out, n, csv) for n in ("pairs", "survival", "top_tasks")}
    from ..lineage.survival import Carried, carry, top

    # carried[doc file][(top file, top task id)] = what the doc carries of that top task
    carried: dict[str, dict[tuple[str, str], Carried]] = {}
    top_tasks_seen: set[str] = set()
    top_labels: dict[tuple[str, str], str | None] = {}
    summaries: list[dict[str, Any]] = []
    want = ["doc", "status", "score", "parent_task_id", "parent_label", "parent_path", "parent_section", "parent_text", "child_task_id"]
    try:
        order = sorted(align_specs, key=lambda s: (depth[s["parent"]["file"]], s["parent"]["file"], s["children"][0]["file"]))
        for n, spec in enumerate(order, 1):
            cid = spec["chunk_id"]
            tbl = pq.ParquetFile(out / "parts" / "pairs" / f"{cid}.parquet").read()  # not read_table: pyarrow.dataset imports pandas
            summaries += pq.ParquetFile(out / "parts" / "documents" / f"{cid}.parquet").read().to_pylist()
            writers["pairs"].write(tbl)
            col = {c: tbl.column(c).to_pylist() for c in want}
            nrows = tbl.num_rows
            pf = spec["parent"]["file"]
            base = dict(carried.get(pf, {}))
            if pf in topset and nrows:
                first_doc = col["doc"][0]
                seen_ids: dict[str, int] = {}
                for i in range(nrows):
                    tid = col["parent_task_id"][i]
                    if tid is not None and tid not in seen_ids and (col["doc"][i] == first_doc or pf in top_tasks_seen):
                        seen_ids[tid] = i
                for tid in seen_ids:
                    base[(pf, tid)] = top(tid)
                if pf not in top_tasks_seen:
                    top_tasks_seen.add(pf)
                    trows = []
                    for tid, i in seen_ids.items():
                        top_labels[(pf, tid)] = col["parent_label"][i]
                        trows.append({"top_doc": H[pf]["doc"], "top_number": H[pf].get("number"), "top_file": pf, "task_id": tid, "label": col["parent_label"][i],
                                      "path": col["parent_path"][i], "section": col["parent_section"][i], "text": col["parent_text"][i]})
                    writers["top_tasks"].rows_of(trows)
            # the links of each child, in row order
            per_doc: dict[str, dict[str, list[tuple[str, str, float]]]] = {}
            for i in range(nrows):
                d = col["doc"][i]
                links = per_doc.setdefault(d, {})
                p_, c_ = col["parent_task_id"][i], col["child_task_id"][i]
                if p_ is not None and c_ is not None:
                    links.setdefault(p_, []).append((c_, col["status"][i], col["score"][i]))
            rows = []
            for doc_id, links in per_doc.items():
                cf = by_doc[doc_id]
                mine: dict[tuple[str, str], Carried] = {}
                place = H[cf].get("place")
                pv = prov.get(cf, (None, None))[0]
                for (tf, tid), above in base.items():
                    got = mine[(tf, tid)] = carry(above, links)  # the one survival step (plancompare.lineage.survival)
                    rows.append({"top_doc": H[tf]["doc"], "top_number": H[tf].get("number"), "top_task_id": tid, "top_label": top_labels.get((tf, tid)), "doc": doc_id, "file": cf,
                                 "number": H[cf].get("number"), "level": H[cf].get("level"), "place": place, "province": pv,
                                 "distance": depth[cf] - depth[tf], "parent_doc": H[pf]["doc"], "status": got.status, "tasks": ";".join(got.tasks) or None,
                                 "score": got.score})
                if cf in children:
                    carried[cf] = mine
            if rows:
                writers["survival"].rows_of(rows)
            prog("tables", n, len(order))
        for w in writers.values():
            w.close()
    except BaseException:
        for w in writers.values():
            w.abort()
        raise
    al_by = {r["doc"]: r for r in summaries}
    docs = []
    for h in sorted(headers, key=lambda h: h["file"]):
        f = h["file"]
        r = parents.get(f, {})
        pfile = r.get("parent")
        pv, pvd = prov.get(f, (None, None))
        row = {"doc": h["doc"], "file": f, "sha256": h["sha256"], "number": h.get("number"), "kind": h.get("kind"), "issuer": h.get("issuer"),
               "level": h.get("level"), "place": h.get("place"), "issue_date": h.get("issue_date"), "title": h.get("title"), "layout": h.get("layout"),
               "tasks": h.get("tasks"), "body_tasks": h.get("body_tasks"), "problems": h.get("problems"), "parse_error": h.get("error"),
               "parent_doc": H[pfile]["doc"] if pfile else None, "parent_file": pfile, "parent_number": H[pfile].get("number") if pfile else None,
               "parent_match": r.get("match"), "parent_note": r.get("note"), "missing_parents": "; ".join(r.get("missing") or []) or None,
               "parent_docs": "; ".join(H[p]["doc"] for p in r.get("parents") or []) or None,
               "depth": depth.get(f), "root_doc": root_of(f) if not h.get("error") else None, "province": pv, "province_doc": pvd,
               "children": len(children.get(f, []))}
        a = al_by.get(h["doc"])
        for c in columns("align_docs")[2:]:
            row[c] = a.get(c) if a is not None else None
        docs.append(row)
    w = _TableWriter(out, "documents", csv)
    try:
        w.rows_of(docs)
        w.close()
    except BaseException:
        w.abort()
        raise
    digests: dict[str, str] = {}
    for x in (*writers.values(), w):
        digests.update(x.digests)
    return writers["pairs"].rows, digests
