"""`plancompare check`, `plancompare gaps`, `plancompare report`: the views for
users outside the terminal (CI, spreadsheets, leadership).

Exit codes (the README's table, the same with --debug): 0 the drafts pass; 1 a
rule failed (the output is still written); 2 usage or input error (missing file,
bad config, bad option); 3 no comparison possible (a side has no tasks); 4 output
not written.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Iterator, Optional

import typer

from ..errors import EXIT_RULE_FAILED
from ..models import TaskScope
from ..gate.settings import DEFAULT as CHECK
from .common import AppendixOpt, OcrOpt, OutOpt, err, handle_errors, ocr_reading
from .output import check_folder, choose_format, emit, format_option, write

LangOpt = Annotated[Optional[str], typer.Option("--lang", help="Language of the output: vi or en (default: $PLANCOMPARE_LANG, else the command's default).", show_default=False)]

CHECK_FORMATS = ("text", "table", "json", "junit", "github")  # = gate.CheckResult.FORMATS (tests/test_output.py)
GAPS_FORMATS = ("table", "json", "csv")  # = views.gaps.GapList.FORMATS
DEFAULT_CONFIG = "plancheck.yaml"


@contextmanager
def progress(label: str, total: int) -> Iterator[Any]:
    """A rich progress bar on stderr (stdout carries only data); a no-op for one
    item, or when stderr is not a terminal (CI logs stay clean)."""
    from .common import console

    con = console(stderr=True)
    if total <= 1 or not con.is_terminal:
        yield lambda *a, **k: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.fields[item]}"), console=con, transient=True) as bar:
        task = bar.add_task(label, total=total, item="")

        def step(item: str = "", advance: int = 1) -> None:
            bar.update(task, advance=advance, item=item)

        yield step


def _today(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date like 2025-12-31", param_hint="'--today'") from None


def _config(path: Path | None) -> Any:
    from ..gate import CheckConfig

    if path is not None:
        return CheckConfig.from_yaml(path)
    if Path(DEFAULT_CONFIG).is_file():
        err(f"using {DEFAULT_CONFIG}")
        return CheckConfig.from_yaml(DEFAULT_CONFIG)
    return None


def _corpus(folder: Path) -> list[Any]:
    from ..gate import corpus_files, corpus_headers_from_dir

    files = corpus_files(folder)
    with progress("reading corpus", len(files)) as step:
        return corpus_headers_from_dir(folder, on_file=lambda f: step(f.name), on_error=lambda f, e: err(f"plancompare: warning: corpus file skipped: {e}"))


@handle_errors
def check(
    drafts: Annotated[list[Path], typer.Argument(help="The draft plan(s) to check (any readable file, or parsed JSON).", show_default=False)],
    against: Annotated[Path, typer.Option("--against", "-a", help="The parent plan the drafts must follow.", show_default=False)],
    config: Annotated[Optional[Path], typer.Option("--config", "-c", help=f"Rules in YAML (default: ./{DEFAULT_CONFIG} if present; see examples/plancheck.yaml).")] = None,
    corpus: Annotated[Optional[Path], typer.Option("--corpus", help="Folder of plans that cited documents resolve against (overrides references.corpus).")] = None,
    format: format_option(CHECK_FORMATS, "text") = None,
    out: OutOpt = None,
    today: Annotated[Optional[str], typer.Option("--today", help="Judge waiver expiry as of this date (YYYY-MM-DD; default: today).")] = None,
    lang: LangOpt = None,
    write_config: Annotated[Optional[Path], typer.Option("--write-config", help="Write a baseline config that waives every current drop (reason TODO, an expiry date) and exit 0.", show_default=False)] = None,
    expires: Annotated[Optional[str], typer.Option("--expires", help=f"Expiry date of the waivers --write-config writes (YYYY-MM-DD; default: {CHECK.baseline_days} days from today).", show_default=False)] = None,
    changed_only: Annotated[Optional[str], typer.Option("--changed-only", help="Check only the drafts changed in `git diff --name-only BASE...HEAD` (all of them when the parent or the config changed).", metavar="BASE", show_default=False)] = None,
    ocr: OcrOpt = "auto",
) -> None:
    """Check draft plans against the plan above: exit 0 when every rule passes, 1 when a rule fails, 2 on bad input, 3 when no comparison is possible.

    Strict by default: every parent task a draft leaves out fails unless a waiver covers it.
    Formats: text (default), table, json, junit (one test case per parent task and per rule), github (one annotation per finding)."""
    fmt = choose_format(format, CHECK_FORMATS, "text")
    check_folder(out, write_config)
    day = _today(today)
    from ..gate import run_check
    from ..i18n import resolve_lang
    from ..parse import load

    language = resolve_lang(lang, "en")
    until = _today(expires) if expires else None
    cfg = _config(config)
    if changed_only is not None:
        drafts = _changed_drafts(drafts, changed_only, against, cfg)
        if not drafts:
            return
    with ocr_reading(ocr):
        parent = load(against, strict=True)
        drafts_docs = [load(d, strict=True) for d in drafts]
    folder = corpus or (cfg.corpus_dir() if cfg is not None else None)
    known = _corpus(folder) if folder is not None else None
    results = []
    with progress("checking drafts", len(drafts)) as step:
        for d, ddoc in zip(drafts, drafts_docs):
            results.append(run_check(ddoc, parent, cfg, today=day, corpus=known, draft_path=str(d), lang=language))
            step(d.name)
    if write_config is not None:
        _write_baseline(results, cfg, write_config, day, until)
        return
    _emit_run(results, fmt, out)


def _changed_drafts(drafts: list[Path], base: str, against: Path, cfg: Any) -> list[Path]:
    """--changed-only: the drafts changed since ``base`` (every draft when the parent or the config changed)."""
    from ..gate import changed_files

    changed = changed_files(base)
    inputs = [against] + ([Path(cfg.source)] if cfg is not None else [])
    if any(p.resolve() in changed for p in inputs):
        err(f"plancheck: {', '.join(str(p) for p in inputs if p.resolve() in changed)} changed since {base}: checking every draft")
        return drafts
    kept = [d for d in drafts if d.resolve() in changed]
    err(f"plancheck: {len(kept)} of {len(drafts)} draft{'s' if len(drafts) != 1 else ''} changed since {base}" + (f": {', '.join(str(d) for d in kept)}" if kept else ": nothing to check"))
    return kept


def _write_baseline(results: list[Any], cfg: Any, path: Path, day: dt.date | None, until: dt.date | None) -> None:
    """--write-config: a config waiving every current drop (added to the existing config, if any)."""
    from ..gate import baseline_yaml
    from ..io import atomic_write

    base = dt.date.today() if day is None else day
    expires = until or base + dt.timedelta(days=CHECK.baseline_days)
    existing = Path(cfg.source).read_text(encoding="utf-8-sig") if cfg is not None else None
    text, n = baseline_yaml(results, existing, expires=expires, source=cfg.source if cfg is not None else str(path), today=base)
    atomic_write(path, text)
    err(f"wrote {path}: {n} waiver{'s' if n != 1 else ''} with reason TODO until {expires.isoformat()}" + (f" added to {cfg.source}" if cfg is not None else ""))


def _emit_run(results: list[Any], fmt: str, out: Path | None) -> None:
    """Write the run; exit 1 when a draft failed (with a summary line when the output is not the terminal text)."""
    from ..gate.result import CheckRun

    run = CheckRun(results)
    emit(run, fmt, out)
    failed = run.failed
    if failed:
        if fmt not in ("text", "table") or out is not None:
            err(f"plancheck: {len(failed)} of {len(results)} draft{'s' if len(results) != 1 else ''} failed: " + "; ".join(f"{r.draft_file}: {', '.join(x.rule for x in r.failed_rules)}" for r in failed))
        raise typer.Exit(EXIT_RULE_FAILED)


@handle_errors
def gaps(
    parent: Annotated[Path, typer.Argument(help="The parent plan.", show_default=False)],
    child: Annotated[Path, typer.Argument(help="The child plan.", show_default=False)],
    csv: Annotated[Optional[Path], typer.Option("--csv", help="Write the gap list as CSV (UTF-8 with BOM, opens in Excel).")] = None,
    xlsx: Annotated[Optional[Path], typer.Option("--xlsx", help="Write the gap list as an Excel workbook (header, filters, wrapped text).")] = None,
    format: format_option(GAPS_FORMATS, "table") = None,
    out: OutOpt = None,
    appendix: AppendixOpt = None,
    lang: LangOpt = None,
    ocr: OcrOpt = "auto",
) -> None:
    """One row per parent task the child dropped or changed: section, label, texts, status, kinds, changed words, lead agency.

    Formats on stdout: table (default), json, csv. With --csv/--xlsx and no --format, nothing is printed.
    Vietnamese by default (--lang en for English); JSON keeps the machine values."""
    fmt = choose_format(format, GAPS_FORMATS, "table")
    check_folder(out, csv, xlsx)
    from ..align import compare
    from ..views.gaps import GapList, write_files
    from ..i18n import resolve_lang
    from ..parse import load

    language = resolve_lang(lang, "vi")
    with ocr_reading(ocr):
        pdoc, cdoc = load(parent, strict=True), load(child, strict=True)
    cmp = compare(pdoc, cdoc, scope=TaskScope.of(appendix))
    gaps = GapList.of(cmp, lang=language)
    if csv is not None or xlsx is not None:
        for path in write_files(gaps.rows, csv=csv, xlsx=xlsx, comparison=cmp, lang=language):  # all or none
            err(f"wrote {path} ({len(gaps.rows)} rows)")
        if format is None and out is None:
            return
    emit(gaps, fmt, out)


@handle_errors
def report(
    parent: Annotated[Path, typer.Argument(help="The parent plan.", show_default=False)],
    child: Annotated[Path, typer.Argument(help="The child plan.", show_default=False)],
    html: Annotated[Optional[Path], typer.Option("--html", help="Write the report to this HTML file (default: stdout).")] = None,
    appendix: AppendixOpt = None,
    lang: LangOpt = None,
    ocr: OcrOpt = "auto",
) -> None:
    """One self-contained HTML report (no network needed): summary, coverage per section, every pair with its word diff, filter by status, printable. Vietnamese by default (--lang en)."""
    from ..align import compare
    from ..i18n import resolve_lang
    from ..parse import load
    from ..views.report import render_html

    language = resolve_lang(lang, "vi")
    check_folder(html)
    with ocr_reading(ocr):
        pdoc, cdoc = load(parent, strict=True), load(child, strict=True)
    cmp = compare(pdoc, cdoc, scope=TaskScope.of(appendix))
    write(render_html(cmp, lang=language), html)


def register(app: typer.Typer) -> None:
    """Add check, gaps and report to ``app`` (the command functions above, in the order `--help` lists them)."""
    app.command("check")(check)
    app.command("gaps")(gaps)
    app.command("report")(report)
