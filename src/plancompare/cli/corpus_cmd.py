"""`plancompare corpus scan`, `chain`, `trace`, `siblings`, `dropped`, `indicators`: the corpus and lineage commands.

Each command parses its arguments, calls plancompare.store / plancompare.lineage
and renders the result (rich views in render_lineage.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ..lineage.settings import DEFAULT as LINEAGE
from .common import AppendixOpt, OcrOpt, OutOpt, err, handle_errors, ocr_reading
from .output import check_folder, choose_format, emit, format_option

FORMATS = ("table", "json", "csv", "md")  # = the FORMATS of ScanReport and of every lineage result (tests/test_output.py)
FormatOpt = format_option(FORMATS, "table")

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


def _format_and_corpus(format: str | None, out: Path | None, folder: Path, store: Path | None, manifest: Path | None) -> tuple[str, Any]:
    """The steps every lineage command takes before its own: the output format, the output folder checked, the corpus scanned."""
    fmt = choose_format(format, FORMATS, "table")
    check_folder(out)
    return fmt, _corpus(folder, store, manifest)


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

    fmt = choose_format(format, FORMATS, "table")
    check_folder(out)
    with ocr_reading(ocr):
        c = Corpus.scan(folder, store=store, manifest=manifest, time_limit=time_limit)
    emit(c.report, fmt, out)


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

    fmt, c = _format_and_corpus(format, out, corpus, store, manifest)
    emit(run(c, doc, include_appendix=appendix, diff=diff), fmt, out)


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

    fmt, c = _format_and_corpus(format, out, corpus, store, manifest)
    emit(run(c, doc, task, include_appendix=appendix), fmt, out)


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

    fmt = choose_format(format, FORMATS, "table")
    check_folder(out)
    if part is not None and part not in SiblingsResult.PARTS:
        raise typer.BadParameter(f"'{part}' is not one of: {', '.join(SiblingsResult.PARTS)}", param_hint="'--part'")
    c = _corpus(corpus, store, manifest)
    res = run(c, docs, ancestor, near=near, include_appendix=appendix, min_score=min_score, with_indicators=part in (None, "indicators"))
    emit(res, fmt, out, parts=(part,) if part else SiblingsResult.PARTS, part=part or "coverage")


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

    fmt, c = _format_and_corpus(format, out, corpus, store, manifest)
    emit(run(c, docs, top, include_appendix=appendix), fmt, out)


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

    fmt, c = _format_and_corpus(format, out, corpus, store, manifest)
    emit(run(c, docs, parent, min_score=min_score, min_overlap=min_overlap), fmt, out)


def register(app: typer.Typer) -> None:
    """Add the corpus group (scan), chain, trace, siblings, dropped and indicators to ``app`` (the command functions above, in the order `--help` lists them)."""
    corpus_app = typer.Typer(help="Build and inspect the corpus index (parsed records kept in a store folder).", no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(corpus_app, name="corpus")
    corpus_app.command("scan")(scan)
    app.command("chain")(chain)
    app.command("trace")(trace)
    app.command("siblings")(siblings)
    app.command("dropped")(dropped)
    app.command("indicators")(indicators)
