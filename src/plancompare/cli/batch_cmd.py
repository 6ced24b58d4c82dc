"""`plancompare batch`, `plancompare survey`, `plancompare synth`: the national scale."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Callable, Iterator, Optional

import typer

from .common import OutOpt, handle_errors
from .output import check_folder, choose_format, emit, format_option

BATCH_FORMATS = ("table", "json", "md")  # = scale.batch.BatchReport.FORMATS (tests/test_output.py)
SURVEY_FORMATS = ("table", "json", "csv", "md")  # = scale.survey.SurveyResult.FORMATS
SYNTH_FORMATS = ("table", "json")  # = synth.national.NationalReport.FORMATS

PHASES = {"hash": "hashing files", "scan": "parsing plans", "align": "aligning plans", "tables": "writing tables", "provinces": "generating provinces"}


@contextmanager
def progress_bar(quiet: bool = False) -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress bar on stderr, one line per phase; the core calls ``cb(phase, done, total)``."""
    if quiet:
        yield lambda phase, done, total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from .common import console as _console

    console = _console(stderr=True)
    prog = Progress(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(), console=console, transient=False, disable=not console.is_terminal)
    ids: dict[str, Any] = {}

    def cb(phase: str, done: int, total: int) -> None:
        if phase not in ids:
            ids[phase] = prog.add_task(PHASES.get(phase, phase), total=total or 1)
        prog.update(ids[phase], completed=done, total=total or 1)

    with prog:
        yield cb


@handle_errors
def batch(
    corpus_dir: Annotated[Path, typer.Argument(help="Folder of plan files (searched recursively).", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Results folder (created; an earlier results folder is resumed).", show_default=False)],
    workers: Annotated[Optional[int], typer.Option("--workers", "-w", help="Worker processes (default: the number of cores).", min=1)] = None,
    engine: Annotated[str, typer.Option("--engine", help="local (process pool) or dask (dask.distributed).")] = "local",
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="Address of a running Dask scheduler (tcp://host:8786); with --engine dask.")] = None,
    chunk_size: Annotated[int, typer.Option("--chunk-size", help="Plans per alignment chunk (one parent each).", min=1)] = 24,
    csv: Annotated[bool, typer.Option("--csv", help="Also write every table as CSV (UTF-8 with BOM); Parquet is always written.")] = False,
    file_timeout: Annotated[float, typer.Option("--file-timeout", help="Seconds one plan may take to parse and compare before it is recorded as an error (0: no limit).", min=0)] = 120.0,
    format: format_option(BATCH_FORMATS, "table") = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Parse every plan of CORPUS_DIR, find each one's parent, align it with its parent; write Parquet tables (and CSV with --csv)."""
    fmt = choose_format(format, BATCH_FORMATS, "table")
    if engine not in ("local", "dask"):
        raise typer.BadParameter(f"'{engine}' is not one of: local, dask", param_hint="'--engine'")
    from ..scale.batch import run_batch

    with progress_bar(quiet) as cb:
        report = run_batch(corpus_dir, out, workers=workers, engine=engine, scheduler=scheduler, chunk_size=chunk_size, progress=cb,
                           csv=csv, file_timeout=file_timeout)
    from .common import err

    for r in report.repaired:
        err(f"plancompare: note: failed verification: {r}")
    emit(report, fmt)


@handle_errors
def survey_cmd(
    results_dir: Annotated[Path, typer.Argument(help="Results folder written by `plancompare batch`.", show_default=False)],
    format: format_option(SURVEY_FORMATS, "table") = None,
    out: OutOpt = None,
    limit: Annotated[int, typer.Option("--limit", help="Rows per table in the terminal view (0: all).", min=0)] = 30,
) -> None:
    """Nationwide questions: survival of the top documents' tasks, near-verbatim communes, template tasks."""
    fmt = choose_format(format, SURVEY_FORMATS, "table")
    check_folder(out)
    from ..scale.survey import survey

    result = survey(results_dir)
    if fmt == "table" and out is not None:  # a file gets every row: the Markdown report
        fmt = "md"
    emit(result, fmt, out, limit=limit)


@handle_errors
def synth_cmd(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the synthetic corpus into (empty, new, or an earlier synthetic corpus). Never data/raw/.", show_default=False)],
    provinces: Annotated[int, typer.Option("--provinces", help="Number of provinces (34 since July 2025).", min=1)] = 34,
    communes: Annotated[int, typer.Option("--communes", help="Number of communes, wards and special zones (3,321 since July 2025).", min=0)] = 3321,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same corpus.")] = 0,
    workers: Annotated[Optional[int], typer.Option("--workers", "-w", help="Worker processes (default: the number of cores).", min=1)] = None,
    sources: Annotated[Path, typer.Option("--sources", help="Folder with the real root documents (03/NQ-CP, 57-NQ/TW).")] = Path("data/raw"),
    format: format_option(SYNTH_FORMATS, "table") = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Generate a labelled SYNTHETIC national corpus (provinces from 03/NQ-CP and 57-NQ/TW, communes from their province) with its truth."""
    fmt = choose_format(format, SYNTH_FORMATS, "table")
    from ..synth.national import generate

    with progress_bar(quiet) as cb:
        report = generate(out, provinces=provinces, communes=communes, seed=seed, workers=workers, sources=sources, progress=lambda d, t: cb("provinces", d, t))
    emit(report, fmt)


def register(app: typer.Typer) -> None:
    """Add batch, survey and synth to ``app`` (the command functions above, in the order `--help` lists them)."""
    app.command("batch")(batch)
    app.command("survey")(survey_cmd)
    app.command("synth")(synth_cmd)
