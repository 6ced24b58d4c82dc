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

from ..models import TaskScope
from ..gate.settings import DEFAULT as CHECK
from .common import AppendixOpt, FormatOpt, OcrOpt, OutOpt, check_format, emit, err, handle_errors, ocr_reading

LangOpt = Annotated[Optional[str], typer.Option("--lang", help="Language of the output: vi or en (default: $PLANCOMPARE_LANG, else the command's default).", show_default=False)]

CHECK_FORMATS = ("text", "json", "junit", "github")
GAPS_FORMATS = ("table", "json", "csv")
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


def register(app: typer.Typer) -> None:
    @app.command("check")
    @handle_errors
    def check(
        drafts: Annotated[list[Path], typer.Argument(help="The draft plan(s) to check (any readable file, or parsed JSON).", show_default=False)],
        against: Annotated[Path, typer.Option("--against", "-a", help="The parent plan the drafts must follow.", show_default=False)],
        config: Annotated[Optional[Path], typer.Option("--config", "-c", help=f"Rules in YAML (default: ./{DEFAULT_CONFIG} if present; see examples/plancheck.yaml).")] = None,
        corpus: Annotated[Optional[Path], typer.Option("--corpus", help="Folder of plans that cited documents resolve against (overrides references.corpus).")] = None,
        format: FormatOpt = None,
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
        Formats: text (default), json, junit (one test case per parent task and per rule), github (one annotation per finding)."""
        fmt = check_format(format, CHECK_FORMATS, "text")
        day = _today(today)
        from ..gate import baseline_yaml, changed_files, junit_xml, run_check
        from ..i18n import resolve_lang
        from ..parse import load

        language = resolve_lang(lang, "en")
        until = _today(expires) if expires else None
        cfg = _config(config)
        if changed_only is not None:
            changed = changed_files(changed_only)
            inputs = [against] + ([Path(cfg.source)] if cfg is not None else [])
            if any(p.resolve() in changed for p in inputs):
                err(f"plancheck: {', '.join(str(p) for p in inputs if p.resolve() in changed)} changed since {changed_only}: checking every draft")
            else:
                kept = [d for d in drafts if d.resolve() in changed]
                err(f"plancheck: {len(kept)} of {len(drafts)} draft{'s' if len(drafts) != 1 else ''} changed since {changed_only}" + (f": {', '.join(str(d) for d in kept)}" if kept else ": nothing to check"))
                drafts = kept
                if not drafts:
                    return
        with ocr_reading(ocr):
            parent = load(against)
            drafts_docs = [load(d) for d in drafts]
        folder = corpus or (cfg.corpus_dir() if cfg is not None else None)
        known = _corpus(folder) if folder is not None else None
        results = []
        with progress("checking drafts", len(drafts)) as step:
            for d, ddoc in zip(drafts, drafts_docs):
                results.append(run_check(ddoc, parent, cfg, today=day, corpus=known, draft_path=str(d), lang=language))
                step(d.name)
        if write_config is not None:
            from ..io import atomic_write

            base = dt.date.today() if day is None else day
            existing = Path(cfg.source).read_text(encoding="utf-8-sig") if cfg is not None else None
            text, n = baseline_yaml(results, existing, expires=until or base + dt.timedelta(days=CHECK.baseline_days), source=cfg.source if cfg is not None else str(write_config), today=base)
            atomic_write(write_config, text)
            err(f"wrote {write_config}: {n} waiver{'s' if n != 1 else ''} with reason TODO until {(until or base + dt.timedelta(days=CHECK.baseline_days)).isoformat()}" + (f" added to {cfg.source}" if cfg is not None else ""))
            return
        if fmt == "json":
            text = results[0].to_json() if len(results) == 1 else "[\n" + ",\n".join(r.to_json() for r in results) + "\n]"
        elif fmt == "junit":
            text = junit_xml(results)
        elif fmt == "github":
            text = "".join(r.to_github() for r in results)
        else:
            text = "\n".join(r.to_text() for r in results)
        emit(text, out)
        failed = [r for r in results if not r.passed]
        if failed:
            if fmt != "text" or out is not None:
                err(f"plancheck: {len(failed)} of {len(results)} draft{'s' if len(results) != 1 else ''} failed: " + "; ".join(f"{r.draft_file}: {', '.join(x.rule for x in r.failed_rules)}" for r in failed))
            raise typer.Exit(1)

    @app.command("gaps")
    @handle_errors
    def gaps(
        parent: Annotated[Path, typer.Argument(help="The parent plan.", show_default=False)],
        child: Annotated[Path, typer.Argument(help="The child plan.", show_default=False)],
        csv: Annotated[Optional[Path], typer.Option("--csv", help="Write the gap list as CSV (UTF-8 with BOM, opens in Excel).")] = None,
        xlsx: Annotated[Optional[Path], typer.Option("--xlsx", help="Write the gap list as an Excel workbook (header, filters, wrapped text).")] = None,
        format: FormatOpt = None,
        out: OutOpt = None,
        appendix: AppendixOpt = None,
        lang: LangOpt = None,
        ocr: OcrOpt = "auto",
    ) -> None:
        """One row per parent task the child dropped or changed: section, label, texts, status, kinds, changed words, lead agency.

        Formats on stdout: table (default), json, csv. With --csv/--xlsx and no --format, nothing is printed.
        Vietnamese by default (--lang en for English); JSON keeps the machine values."""
        fmt = check_format(format, GAPS_FORMATS, "table")
        from ..align import compare
        from ..views.gaps import gap_rows, to_csv, to_json, write_files
        from ..i18n import resolve_lang
        from ..parse import load

        language = resolve_lang(lang, "vi")
        with ocr_reading(ocr):
            pdoc, cdoc = load(parent), load(child)
        cmp = compare(pdoc, cdoc, scope=TaskScope.of(appendix))
        rows = gap_rows(cmp)
        if csv is not None or xlsx is not None:
            for path in write_files(rows, csv=csv, xlsx=xlsx, comparison=cmp, lang=language):  # all or none
                err(f"wrote {path} ({len(rows)} rows)")
        if (csv is not None or xlsx is not None) and format is None and out is None:
            return
        if fmt == "json":
            emit(to_json(rows), out)
        elif fmt == "csv":
            emit(to_csv(rows, language), out, csv=True)
        else:
            _gaps_table(cmp, rows, out, language)

    @app.command("report")
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
        with ocr_reading(ocr):
            pdoc, cdoc = load(parent), load(child)
        cmp = compare(pdoc, cdoc, scope=TaskScope.of(appendix))
        emit(render_html(cmp, lang=language), html)


def _gaps_table(cmp: Any, rows: list, out: Path | None, lang: str = "vi") -> None:
    from io import StringIO

    from .common import console as _file_console
    from rich.table import Table
    from rich.text import Text

    from ..i18n import gettext_for, kind_label, ngettext_for, status_label

    _ = gettext_for(lang)
    n_ = ngettext_for(lang)
    style = {"dropped": "red", "changed": "yellow"}
    title = f"{cmp.parent.label} → {cmp.child.label}: " + n_("{n} gap", "{n} gaps", len(rows)).format(n=len(rows))
    t = Table(show_header=True, header_style="bold", show_lines=True, expand=True, title=title)
    t.add_column(_("section"), ratio=1)
    t.add_column(_("task"), no_wrap=True)
    t.add_column(_("status"))
    t.add_column(_("parent text"), ratio=3)
    t.add_column(_("changed words"), ratio=2)
    t.add_column(_("lead"), ratio=1)
    for r in rows:
        words = Text()
        if r.deleted_words:
            words.append("− " + r.deleted_words, style="red")
        if r.inserted_words:
            words.append(("\n" if r.deleted_words else "") + "+ " + r.inserted_words, style="green")
        kinds = "\n".join(kind_label(k, lang) for k in r.kinds.split(";") if k)
        t.add_row(r.section[:40], r.parent_id.removeprefix("T:"), Text(status_label(r.status, lang) + ("\n" + kinds if kinds else ""), style=style.get(r.status, "")), r.parent_text, words, r.lead)
    if out is not None:
        buf = StringIO()
        _file_console(file=buf, width=160, force_terminal=False).print(t)
        emit(buf.getvalue(), out)
    else:
        from .common import console

        console().print(t)
