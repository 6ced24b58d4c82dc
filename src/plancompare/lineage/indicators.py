"""Indicators side by side: each target of a document and what its parent and children made of it."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from typing import Any, Callable, ClassVar, Literal
from pydantic import Field
from rapidfuzz import fuzz
from ..store import Corpus
from ..errors import InputError
from ..io import markdown_view
from ..models import SCHEMA_VERSION, Indicator, ParsedDocument, Target
from ..normalize import key as text_key
from ..normalize import nfc, normalize_tone
from ..normalize import shorten as _short
from ..normalize import md_cell as _md
from ..align.targets import target_change
from ._common import _M, _csv
from .graph import DocRef, LineageGraph, _Result, _docref, nearest_common_ancestor
from .resolve import build_graph
from .settings import DEFAULT as LINEAGE, LineageSettings


# ====================================================================== indicators side by side


IndicatorFlag = Literal["weaker_value", "later_year", "missing", "not_comparable"]


class IndicatorCell(_M):
    """One document's indicator in a row (several rows of one document with the same name are merged)."""

    doc: str
    indicator_ids: list[str]
    name: str
    unit: str | None = None
    score: float = Field(description="Match of its name with the row's name: rapidfuzz token_set_ratio on the indicator key, 0..100 (100 for the row's own name).")
    overlap: float = Field(1.0, description="Weighted overlap of the two names' words (rare words weigh more), 0..1.")
    unit_agreement: Literal["same", "compatible", "unknown"] = "same"
    targets: list[Target]
    flags: list[IndicatorFlag] = Field(default_factory=list, description="Against the parent's targets: weaker_value (a lower value for a ≥ target, a higher one for a ≤ target), later_year (the parent's value only reached later), not_comparable.")
    notes: list[str] = Field(default_factory=list)


class IndicatorRow(_M):
    name: str = Field(description="The name the row is matched on (the parent's, else the first document's).")
    unit: str | None = None
    parent: IndicatorCell | None = None
    cells: list[IndicatorCell | None] = Field(description="One per document of the table, in order; None when the document has no matching indicator.")
    weaker_in: list[str] = Field(default_factory=list)
    missing_in: list[str] = Field(default_factory=list, description="Documents without the parent's indicator.")


class IndicatorTable(_Result):
    """The same targets across documents, with the parent's value and flags where a child is weaker."""

    schema_version: str = SCHEMA_VERSION
    documents: list[DocRef]
    parent: str | None
    columns: list[str] = Field(description="Ids of the documents compared, in column order.")
    rows: list[IndicatorRow]
    min_score: float
    min_overlap: float = 0.5
    notes: list[str] = Field(default_factory=list)

    CSV_COLUMNS: ClassVar[tuple[str, ...]] = ("row", "unit", "doc", "indicator_ids", "name", "score", "targets", "parent_targets", "flags")

    def csv_rows(self) -> list[dict[str, Any]]:
        rows = []
        for n, r in enumerate(self.rows, 1):
            pt = targets_text(r.parent.targets) if r.parent else ""
            for did, c in zip(self.columns, r.cells):
                rows.append(
                    {
                        "row": f"{n}. {r.name}",
                        "unit": r.unit or "",
                        "doc": self.label(did),
                        "indicator_ids": ";".join(c.indicator_ids) if c else "",
                        "name": c.name if c else "",
                        "score": f"{c.score:.0f}" if c else "",
                        "targets": targets_text(c.targets) if c else "",
                        "parent_targets": pt,
                        "flags": ";".join(c.flags) if c else ("missing" if did in r.missing_in else ""),
                    }
                )
        return rows

    def to_csv(self) -> str:
        return _csv(self.CSV_COLUMNS, self.csv_rows())

    @markdown_view

    def to_markdown(self) -> str:
        head = ["indicator"] + ([f"{self.label(self.parent)} (parent)"] if self.parent else []) + [self.label(c) for c in self.columns]
        out = ["# Indicators", "", "| " + " | ".join(_md(h) for h in head) + " |", "|" + "---|" * len(head)]
        for r in self.rows:
            cells = [f"{_md(_short(r.name, 60))} [{_md(r.unit or '')}]"]
            if self.parent:
                cells.append(_md(targets_text(r.parent.targets)) if r.parent else "—")
            for did, c in zip(self.columns, r.cells):
                if c is None:
                    cells.append("**missing**" if did in r.missing_in else "—")
                else:
                    flag = f" **{', '.join(c.flags)}**" if c.flags else ""
                    cells.append(f"{_md(targets_text(c.targets))} ({c.score:.0f}){flag}")
            out.append("| " + " | ".join(cells) + " |")
        for n in self.notes:
            out.append(f"\n> {n}")
        return "\n".join(out) + "\n"


def targets_text(ts: list[Target]) -> str:
    return "; ".join(f"{t.year or t.period or '?'}: {t.raw}" for t in ts)


def unit_key(u: str | None) -> str | None:
    if not u:
        return None
    k = re.sub(r"\s+", "", normalize_tone(nfc(u)).lower()).strip(".,;:")
    k = k.replace("grdp", "gdp")
    return k or None


def units_agree(a: str | None, b: str | None) -> Literal["same", "compatible", "unknown", "different"]:
    ka, kb = unit_key(a), unit_key(b)
    if ka is None or kb is None:
        return "unknown"
    if ka == kb:
        return "same"
    if ka.startswith("%") and kb.startswith("%") and ("%" in (ka, kb)):
        return "compatible"
    return "different"


# the two spellings of some syllables ('tỉ lệ' / 'tỷ lệ'), and words that say nothing about what is measured
_I_Y = {"tỉ": "tỷ", "kỉ": "kỷ", "lí": "lý", "kĩ": "kỹ", "mĩ": "mỹ", "sĩ": "sỹ"}
_GENERIC = re.compile(r"\b(?:tỷ lệ|số lượng|trên địa bàn|mỗi năm|hằng năm|hàng năm)\b")


def indicator_key(name: str) -> str:
    """Key of an indicator name for matching: the comparison key, one spelling of i/y syllables, generic words dropped."""
    k = " ".join(_I_Y.get(w, w) for w in text_key(name).split())
    return " ".join(_GENERIC.sub(" ", k).split())


class _Logical:
    def __init__(self, doc: str, ind: Indicator) -> None:
        self.doc = doc
        self.ids = [ind.id]
        self.name = ind.name
        self.key = indicator_key(ind.name)
        self.unit = ind.unit or next((t.unit for t in ind.targets if t.unit), None)
        self.targets = list(ind.targets)


def _logical(did: str, doc: ParsedDocument) -> list[_Logical]:
    out: list[_Logical] = []
    for ind in doc.all_indicators():
        if not ind.targets:
            continue  # a group heading
        lg = _Logical(did, ind)
        same = next((o for o in out if o.key == lg.key and units_agree(o.unit, lg.unit) != "different"), None)
        if same is not None:
            same.ids.append(ind.id)
            same.targets += [t for t in ind.targets if (t.year, t.raw) not in {(x.year, x.raw) for x in same.targets}]
        else:
            out.append(lg)
    for o in out:
        o.targets.sort(key=lambda t: (t.year or 0))
    return out


def _overlap(a: str, b: str, weight: Any) -> float:
    """Weighted Dice of the two names' words (rare words weigh more)."""
    A, B = set(a.split()), set(b.split())
    den = sum(weight(t) for t in A) + sum(weight(t) for t in B)
    return 2 * sum(weight(t) for t in A & B) / den if den else 0.0


def compare_targets(parent: list[Target], child: list[Target]) -> tuple[list[IndicatorFlag], list[str]]:
    """Flags for a child's targets against its parent's, year by year.

    weaker_value: for the same year, a lower value for a ≥/>/= target (a higher
    one for ≤/<); later_year: no target for the parent's year, and the parent's
    value reached only in a later year; not_comparable: nothing to compare
    (qualitative targets, other scales)."""
    flags: list[IndicatorFlag] = []
    notes: list[str] = []
    pnum = [t for t in parent if t.value is not None and t.year]
    cnum = [t for t in child if t.value is not None and t.year]
    if not pnum:
        return flags, notes
    if not cnum:
        return ["not_comparable"], ["no numeric target to compare"]
    compared = 0
    for p in pnum:
        ok = [c for c in cnum if units_agree(p.unit, c.unit) != "different"]
        if not ok:
            continue
        same = [c for c in ok if c.year == p.year]
        if same:
            compared += 1
            c = same[0]
            if target_change(p, c) == "weaker":  # the one definition (align.targets), as check's targets rule
                if "weaker_value" not in flags:
                    flags.append("weaker_value")
                notes.append(f"{p.year}: {c.raw} against the parent's {p.raw}")
            continue
        later = [c for c in ok if c.year > p.year]  # type: ignore[operator]
        if later:
            compared += 1
            meets = [c for c in later if target_change(p, c) in ("same", "better")]
            if meets:
                if "later_year" not in flags:
                    flags.append("later_year")
                notes.append(f"the parent's {p.raw} by {p.year} is reached only by {meets[0].year} ({meets[0].raw})")
            elif not [c for c in ok if c.year < p.year]:  # type: ignore[operator]
                if "weaker_value" not in flags:
                    flags.append("weaker_value")
                notes.append(f"{p.year}: no target; the later targets stay below the parent's {p.raw}")
    if not compared:
        flags.append("not_comparable")
        notes.append("no target of the same year or scale as the parent's")
    return flags, notes


def indicators(corpus: Corpus, docs: list[str], parent: str | None = None, *, min_score: float = LINEAGE.min_score, min_overlap: float = LINEAGE.min_overlap, graph: LineageGraph | None = None) -> IndicatorTable:
    """Indicators of several documents side by side, against a parent's.

    Names are matched by wording and unit: rapidfuzz ``token_set_ratio`` on
    :func:`indicator_key` (at least ``min_score``), a weighted word overlap
    in which rare words weigh more (at least ``min_overlap``: two names that
    share only common words such as 'khoa học, công nghệ' are not the same
    indicator), and units that do not contradict each other ('% GDP' and
    '% GRDP' agree). Each document's rows with the same name (one per
    period) are merged; matching is one-to-one, best pairs first."""
    if not docs:
        raise InputError("give at least one document")
    pid, cols = _parent_and_columns(corpus, docs, parent, graph)
    notes = []
    rows: list[dict[str, Any]] = []  # name, key, unit, parent cell, cells per doc
    if pid is not None:
        for lg in _logical(pid, corpus.doc(pid)):
            rows.append({"name": lg.name, "key": lg.key, "unit": lg.unit, "parent": _cell(lg, 100.0, "same"), "cells": {}})
        if not rows:
            notes.append(f"{corpus.label(pid)} has no indicators")
    logical = {c: _logical(c, corpus.doc(c)) for c in cols}
    weight = _word_weight([r["key"] for r in rows] + [lg.key for lgs in logical.values() for lg in lgs])
    for c in cols:
        if not logical[c]:
            notes.append(f"{corpus.label(c)} has no indicators in its parsed text")
            continue
        _match_column(rows, c, logical[c], weight, min_score, min_overlap)
    out_rows = [_row(r, cols) for r in rows]
    used = set(cols) | ({pid} if pid else set())
    return IndicatorTable(documents=[_docref(corpus, i) for i in corpus.ids if i in used], parent=pid, columns=cols, rows=out_rows, min_score=min_score, min_overlap=min_overlap, notes=notes, lineage_settings=LineageSettings(min_score=min_score, min_overlap=min_overlap))


def _parent_and_columns(corpus: Corpus, docs: list[str], parent: str | None, graph: LineageGraph | None) -> tuple[str | None, list[str]]:
    """The parent named (else the nearest common ancestor with indicators) and the documents side by side."""
    cols: list[str] = []
    for d in docs:
        i = corpus.resolve(d)
        if i not in cols:
            cols.append(i)
    if parent is not None:
        pid: str | None = corpus.resolve(parent)
    else:
        g = graph or build_graph(corpus)
        pid = nearest_common_ancestor(g, cols, prefer=lambda a: corpus.entry(a).indicators > 0)
    return pid, [c for c in cols if c != pid]


def _cell(lg: _Logical, score: float, agree: str, overlap: float = 1.0) -> IndicatorCell:
    return IndicatorCell(doc=lg.doc, indicator_ids=lg.ids, name=lg.name, unit=lg.unit, score=round(score, 1), overlap=round(overlap, 3), unit_agreement=agree if agree != "different" else "unknown", targets=lg.targets)  # type: ignore[arg-type]


def _word_weight(names: list[str]) -> Callable[[str], float]:
    """Inverse document frequency of a word over all the indicator names: rare words weigh more."""
    df: dict[str, int] = defaultdict(int)
    for k in names:
        for w in set(k.split()):
            df[w] += 1
    n_names = len(names)
    return lambda w: math.log((n_names + 1) / (df.get(w, 0) + 0.5))


def _match_column(rows: list[dict[str, Any]], c: str, lgs: list[_Logical], weight: Callable[[str], float], min_score: float, min_overlap: float) -> None:
    """One document's indicators matched one-to-one to the rows (best pairs first); the others become new rows."""
    cand = []
    for ri, r in enumerate(rows):
        for li, lg in enumerate(lgs):
            agree = units_agree(r["unit"], lg.unit)
            if agree == "different":
                continue
            sc = fuzz.token_set_ratio(r["key"], lg.key)
            if sc < min_score:
                continue
            ov = _overlap(r["key"], lg.key, weight)
            if ov < min_overlap:
                continue
            cand.append((ov + sc / 100, sc, ov, ri, li, agree))
    cand.sort(key=lambda x: (-x[0], x[3], x[4]))
    used_r: set[int] = set()
    used_l: set[int] = set()
    for _, sc, ov, ri, li, agree in cand:
        if ri in used_r or li in used_l:
            continue
        used_r.add(ri)
        used_l.add(li)
        rows[ri]["cells"][c] = _cell(lgs[li], sc, agree, ov)
    for li, lg in enumerate(lgs):
        if li not in used_l:
            rows.append({"name": lg.name, "key": lg.key, "unit": lg.unit, "parent": None, "cells": {c: _cell(lg, 100.0, "same")}})


def _row(r: dict[str, Any], cols: list[str]) -> IndicatorRow:
    """A row's cells in column order, each compared with the parent's targets; where it is weaker or missing."""
    cells: list[IndicatorCell | None] = []
    weaker, missing = [], []
    for c in cols:
        x = r["cells"].get(c)
        if x is not None and r["parent"] is not None:
            fl, nt = compare_targets(r["parent"].targets, x.targets)
            x = x.model_copy(update={"flags": fl, "notes": nt})
            if "weaker_value" in fl or "later_year" in fl:
                weaker.append(c)
        if x is None and r["parent"] is not None:
            missing.append(c)
        cells.append(x)
    return IndicatorRow(name=r["name"], unit=r["unit"], parent=r["parent"], cells=cells, weaker_in=weaker, missing_in=missing)
