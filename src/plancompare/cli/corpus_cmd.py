"""`plancompare corpus scan`, `chain`, `trace`, `siblings`, `dropped`, `indicators`: the corpus and lineage commands.

Each command parses its arguments, calls plancompare.store / plancompare.lineage
and renders the result (rich views in render_lineage.py)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import typer

from ..lineage.settings import DEFAULT as LINEAGE
from .common import AppendixOpt, FormatOpt, OcrOpt, OutOpt, check_format, emit, err, handle_errors, ocr_reading

FORMATS = ("table", "json", "csv", "md")

CorpusOpt = Annotated[Path, typer.Option("--corpus", "-C", help="Folder of plan files (the corpus).")]
StoreOpt = Annotated[Optional[Path], typer.Option("--store", help="Folder for parsed records, the index and cached comparisons (default: 'parsed' beside the corpus folder, i.e. data/parsed for data/raw).")]
ManifestOpt = Annotated[Optional[Path], typer.Option("--manifest", help="YAML manifest adding or correcting metadata (default: corpus.yaml in the corpus folder, if any).")]


def _corpus(folder: Path, store: Path | None, manifest: Path | None) -> Any:
    from ..store import Corpus

    c = Corpus.scan(folder, store=store, manifest=manifest)
    rep = c.report
    if rep is not None and (rep.parsed or rep.errors):
        err(f"corpus {folder}: {rep.parsed} parsed, {rep.reused} reused, {rep.errors} unreadable")
    return c


def _render(result: Any, fmt: str, out: Path | None, table: Callable[..., None], csv_text: str | None = None) -> None:
    if fmt == "json":
        emit(result.to_json(), out)
    elif fmt == "csv":
        emit(csv_text if csv_text is not None else result.to_csv(), out, csv=True)
    elif fmt == "md":
        emit(result.to_markdown(), out)
    elif out is not None:
        from .common import console as _file_console

        buf = StringIO()
        table(result, _file_console(file=buf, width=160, force_terminal=False))
        emit(buf.getvalue(), out)
    else:
        table(result)


def register(app: typer.Typer) -> None:
    corpus_app = typer.Typer(help="Build and inspect the corpus index (parsed records kept in a store folder).", no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(corpus_app, name="corpus")

    @corpus_app.command("scan")
    @handle_errors
    def scan(
        folder: Annotated[Path, typer.Argument(help="Folder of plan files.", show_default=True)] = Path("data/raw"),
        store: StoreOpt = None,
        manifest: ManifestOpt = None,
        format: FormatOpt = None,
        out: OutOpt = None,
        time_limit: Annotated[Optional[float], typer.Option("--time-limit", min=0.001, help="Seconds one file may take to parse before it is skipped as an error (default 120).", show_default=False)] = None,
        ocr: OcrOpt = "auto",
    ) -> None:
        """Parse every plan of a folder once and index it by content hash; reparse only what changed."""
        from ..store import Corpus

        fmt = check_format(format, FORMATS, "table")
        with ocr_reading(ocr):
            c = Corpus.scan(folder, store=store, manifest=manifest, time_limit=time_limit)
        from .render_lineage import render_scan

        _render(c.report, fmt, out, render_scan)

    @app.command("chain")
    @handle_errors
    def chain(
        doc: Annotated[Optional[str], typer.Argument(help="A document (number, file name, or part of it): show its ancestors and descendants. Default: the whole corpus.", show_default=False)] = None,
        corpus: CorpusOpt = Path("data/raw"),
        store: StoreOpt = None,
        manifest: ManifestOpt = None,
        format: FormatOpt = None,
        out: OutOpt = None,
        appendix: AppendixOpt = None,
        diff: Annotated[bool, typer.Option("--diff/--no-diff", help="Compare each parent-child pair for the edge summaries.")] = True,
    ) -> None:
        """The tree of documents, found from their references, with the diff summary on each edge and the missing links."""
        from ..lineage import chain as run
        from .render_lineage import render_chain

        fmt = check_format(format, FORMATS, "table")
        c = _corpus(corpus, store, manifest)
        _render(run(c, doc, include_appendix=appendix, diff=diff), fmt, out, render_chain)

    @app.command("trace")
    @handle_errors
    def trace(
        doc: Annotated[str, typer.Argument(help="The document (number, file name, or part of it).", show_default=False)],
        task: Annotated[str, typer.Argument(help="The task: id ('T:II.2.a'), path ('II.2.a') or a unique label path ('2.a').", show_default=False)],
        corpus: CorpusOpt = Path("data/raw"),
        store: StoreOpt = None,
        manifest: ManifestOpt = None,
        format: FormatOpt = None,
        out: OutOpt = None,
        appendix: AppendixOpt = None,
    ) -> None:
        """Follow one task up to its origin and down to every descendant, with the status and kinds at each step."""
        from ..lineage import trace as run
        from .render_lineage import render_trace

        fmt = check_format(format, FORMATS, "table")
        c = _corpus(corpus, store, manifest)
        _render(run(c, doc, task, include_appendix=appendix), fmt, out, render_trace)

    @app.command("siblings")
    @handle_errors
    def siblings(
        docs: Annotated[list[str], typer.Argument(help="Two or more plans of the same level.", show_default=False)],
        ancestor: Annotated[Optional[str], typer.Option("--ancestor", help="Compare against this document (default: their nearest common ancestor).")] = None,
        part: Annotated[Optional[str], typer.Option("--part", help="Show one part: coverage, summary, sections, only, near, indicators (CSV shows one part; default coverage).")] = None,
        near: Annotated[float, typer.Option("--near", help="Similarity (0..1) above which tasks of two plans count as near-identical.")] = LINEAGE.near,
        min_score: Annotated[float, typer.Option("--min-score", help="Indicator name match threshold (rapidfuzz token_set_ratio, 0..100).")] = LINEAGE.min_score,
        corpus: CorpusOpt = Path("data/raw"),
        store: StoreOpt = None,
        manifest: ManifestOpt = None,
        format: FormatOpt = None,
        out: OutOpt = None,
        appendix: AppendixOpt = None,
    ) -> None:
        """Plans at the same level side by side: coverage matrix against the common ancestor, tasks only one has, near-identical tasks, indicators."""
        from ..lineage import SiblingsResult
        from ..lineage import siblings as run
        from .render_lineage import render_siblings

        fmt = check_format(format, FORMATS, "table")
        if part is not None and part not in SiblingsResult.PARTS:
            raise typer.BadParameter(f"'{part}' is not one of: {', '.join(SiblingsResult.PARTS)}", param_hint="'--part'")
        c = _corpus(corpus, store, manifest)
        res = run(c, docs, ancestor, near=near, include_appendix=appendix, min_score=min_score, with_indicators=part in (None, "indicators"))
        parts = (part,) if part else SiblingsResult.PARTS
        _render(res, fmt, out, lambda r, con=None: render_siblings(r, con, parts), csv_text=res.to_csv(part or "coverage") if fmt == "csv" else None)

    @app.command("dropped")
    @handle_errors
    def dropped(
        docs: Annotated[list[str], typer.Argument(help="A province's (or a ward's) plans; their non-national ancestors are included.", show_default=False)],
        top: Annotated[Optional[list[str]], typer.Option("--top", help="Top document(s) to check (default: the national-level ancestors).")] = None,
        corpus: CorpusOpt = Path("data/raw"),
        store: StoreOpt = None,
        manifest: ManifestOpt = None,
        format: FormatOpt = None,
        out: OutOpt = None,
        appendix: AppendixOpt = None,
    ) -> None:
        """What each level dropped from the top: the top documents' tasks the plans never carried, as a list and a share per section."""
        from ..lineage import dropped_from_top as run
        from .render_lineage import render_dropped

        fmt = check_format(format, FORMATS, "table")
        c = _corpus(corpus, store, manifest)
        _render(run(c, docs, top, include_appendix=appendix), fmt, out, render_dropped)

    @app.command("indicators")
    @handle_errors
    def indicators(
        docs: Annotated[list[str], typer.Argument(help="Documents whose indicators to put side by side.", show_default=False)],
        parent: Annotated[Optional[str], typer.Option("--parent", help="The parent whose targets they are checked against (default: their nearest common ancestor with indicators).")] = None,
        min_score: Annotated[float, typer.Option("--min-score", help="Name match threshold (rapidfuzz token_set_ratio, 0..100).")] = LINEAGE.min_score,
        min_overlap: Annotated[float, typer.Option("--min-overlap", help="Weighted word overlap threshold (0..1).")] = LINEAGE.min_overlap,
        corpus: CorpusOpt = Path("data/raw"),
        store: StoreOpt = None,
        manifest: ManifestOpt = None,
        format: FormatOpt = None,
        out: OutOpt = None,
    ) -> None:
        """The same targets across documents, with the parent's value and a flag where a child's target is weaker or missing."""
        from ..lineage import indicators as run
        from .render_lineage import render_indicators

        fmt = check_format(format, FORMATS, "table")
        c = _corpus(corpus, store, manifest)
        _render(run(c, docs, parent, min_score=min_score, min_overlap=min_overlap), fmt, out, render_indicators)
