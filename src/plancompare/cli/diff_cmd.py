"""`plancompare diff PARENT CHILD`"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..models import TaskScope
from .common import FormatOpt, OcrOpt, OutOpt, check_format, emit, handle_errors, note_conversions, ocr_reading

STATUSES = ("copied", "changed", "dropped", "added", "related")  # related: dropped/added tasks shown with a weak counterpart


def parse_only(only: str | None) -> list[str] | None:
    if not only:
        return None
    vals = [v.strip().lower() for v in only.split(",") if v.strip()]
    bad = [v for v in vals if v not in STATUSES]
    if bad:
        raise typer.BadParameter(f"'{bad[0]}' is not a status; use {', '.join(STATUSES)}", param_hint="'--only'")
    return vals


def _load_named(refs: list[Path], corpus: Path) -> list:
    """Each plan from its file, or, when no such file exists, from the corpus by a short name
    (a number, a file name or a unique part of one: '146', 'tan-lap'), as the lineage commands do."""
    from ..parse import load

    if all(r.exists() or not corpus.is_dir() for r in refs):
        return [load(r) for r in refs]
    from .corpus_cmd import _corpus

    c = _corpus(corpus, None, None)
    return [load(r) if r.exists() else c.doc(c.resolve(str(r))) for r in refs]


def register(app: typer.Typer) -> None:
    @app.command("diff")
    @handle_errors
    def diff(
        parent: Annotated[Path, typer.Argument(help="The parent plan (any readable file, or parsed JSON); with --parents, the child plan.", show_default=False)],
        rest: Annotated[Optional[list[Path]], typer.Argument(help="The child plan; with --parents, more parents (--parents P1 P2 ...).", show_default=False)] = None,
        format: FormatOpt = None,
        out: OutOpt = None,
        only: Annotated[Optional[str], typer.Option("--only", help="Show only these statuses, comma-separated: copied,changed,dropped,added; related: the dropped/added tasks shown with a weak counterpart.")] = None,
        parents: Annotated[Optional[list[Path]], typer.Option("--parents", help="With one CHILD given as the first argument: attribute its tasks to several parents.")] = None,
        appendix: Annotated[Optional[bool], typer.Option("--appendix/--body-only", help="--appendix: body and appendix tasks in one alignment; --body-only: no appendix tables (default: tables compared with tables when both plans have one).", show_default=False)] = None,
        all_records: Annotated[bool, typer.Option("--all", help="Also compare objectives and assignments (reported apart from tasks, in JSON).")] = False,
        ocr: OcrOpt = "auto",
        corpus: Annotated[Path, typer.Option("--corpus", "-C", help="Where short names are looked up when PARENT or CHILD is not a file ('146', 'tan-lap', '283-KH/TU'), as the lineage commands do.")] = Path("data/raw"),
        lang: Annotated[Optional[str], typer.Option("--lang", help="Language of the terminal table: en (default) or vi; also $PLANCOMPARE_LANG. JSON, CSV and Markdown keep the machine values.", show_default=False)] = None,
    ) -> None:
        """Compare a child plan with its parent: which tasks were copied, changed (and how), dropped or added."""
        fmt = check_format(format, ("table", "json", "csv", "md"), "table")
        statuses = parse_only(only)
        rest = list(rest or [])
        if parents:
            # 'diff CHILD --parents P1 P2': click gives the option its first value, the others arrive as arguments
            from . import multi

            with ocr_reading(ocr):
                multi.run_multi(parent, list(parents) + rest, fmt, out, statuses, appendix)
            return
        if len(rest) != 1:
            raise typer.BadParameter("give PARENT and CHILD (or CHILD --parents P1 P2 ...)", param_hint="CHILD")
        child = rest[0]
        from ..align import compare

        with ocr_reading(ocr):
            pdoc, cdoc = _load_named([parent, child], corpus)
        note_conversions(pdoc)
        note_conversions(cdoc)
        result = compare(pdoc, cdoc, scope=TaskScope.of(appendix), other_records=all_records)
        view = result.only(statuses)
        if fmt == "json":
            emit(view.to_json(), out)
        elif fmt == "csv":
            emit(view.to_csv(), out, csv=True)
        elif fmt == "md":
            emit(view.to_markdown(), out)
        else:
            from ..i18n import resolve_lang
            from .render import render_comparison

            language = resolve_lang(lang, "en")
            if out is not None:
                from io import StringIO

                from .common import console as _file_console

                buf = StringIO()
                render_comparison(view, _file_console(file=buf, width=160, force_terminal=False), lang=language)
                emit(buf.getvalue(), out)
            else:
                render_comparison(view, lang=language)
