"""`plancompare diff PARENT CHILD` and `plancompare diff CHILD --parents P1 P2 ...`"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..models import TaskScope
from .common import ArgsCommand, OcrOpt, OutOpt, click_context, handle_errors, note_conversions, ocr_reading
from .fast import STATUSES  # the statuses --only accepts (align.models.STATUS_NAMES and related: tests/test_cli_fast.py)
from .output import check_folder, choose_format, emit, format_option

FORMATS = ("table", "json", "csv", "md")  # = align.models.Comparison.FORMATS = lineage.Attribution.FORMATS (tests/test_output.py)


def parse_only(only: str | None) -> list[str] | None:
    if not only:
        return None
    vals = [v.strip().lower() for v in only.split(",") if v.strip()]
    bad = [v for v in vals if v not in STATUSES]
    if bad:
        raise typer.BadParameter(f"'{bad[0]}' is not a status; use {', '.join(STATUSES)}", param_hint="'--only'")
    return vals


def load_named(refs: list[Path], corpus: Path) -> list:
    """Each plan from its file, or, when no such file exists, from the corpus by a short name
    (a number, a file name or a unique part of one: '146', 'tan-lap'), as the lineage commands do.
    A file with no plan structure is an input error (exit 2), as in `parse`."""
    from ..parse import load

    if not corpus.is_dir() or all(_is_file(r) for r in refs):
        return [load(r, strict=True) for r in refs]
    from .corpus_cmd import _corpus

    c = _corpus(corpus, None, None)
    return [load(r, strict=True) if _is_file(r) else c.doc(c.resolve(str(r))) for r in refs]


def _is_file(ref: Path) -> bool:
    """A file, not a short name: it exists, or it is written as a file is (a file suffix, or in a
    folder that exists); a missing one is then 'no such file', not a corpus look-up."""
    return ref.exists() or bool(ref.suffix and ref.suffix[1:].isalpha()) or (ref.parent != Path(".") and ref.parent.is_dir())


@handle_errors
def diff(
    parent: Annotated[Path, typer.Argument(help="The parent plan (any readable file, parsed JSON, or a short name in --corpus); with --parents, the child plan.", show_default=False)],
    rest: Annotated[Optional[list[Path]], typer.Argument(help="The child plan; with --parents, more parents (--parents P1 P2 ...).", show_default=False)] = None,
    format: format_option(FORMATS, "table") = None,
    out: OutOpt = None,
    only: Annotated[Optional[str], typer.Option("--only", help="Show only these statuses, comma-separated: copied,changed,dropped,added; related: the dropped/added tasks shown with a weak counterpart.")] = None,
    parents: Annotated[Optional[list[Path]], typer.Option("--parents", help="With one CHILD given as the first argument: attribute its tasks to several parents.")] = None,
    appendix: Annotated[Optional[bool], typer.Option("--appendix/--body-only", help="--appendix: body and appendix tasks in one alignment; --body-only: no appendix tables (default: tables compared with tables when both plans have one).", show_default=False)] = None,
    all_records: Annotated[bool, typer.Option("--all", help="Also compare objectives and assignments (reported apart from tasks, in every format).")] = False,
    ocr: OcrOpt = "auto",
    corpus: Annotated[Path, typer.Option("--corpus", "-C", help="Where short names are looked up when PARENT or CHILD is not a file ('146', 'tan-lap', '283-KH/TU'), as the lineage commands do.")] = Path("data/raw"),
    lang: Annotated[Optional[str], typer.Option("--lang", help="Language of the terminal table: en (default) or vi; also $PLANCOMPARE_LANG. JSON, CSV and Markdown keep the machine values.", show_default=False)] = None,
) -> None:
    """Compare a child plan with its parent: which tasks were copied, changed (and how), dropped or added."""
    fmt = choose_format(format, FORMATS, "table")
    statuses = parse_only(only)
    check_folder(out)
    if parents:
        result = _attribution(parent, _extra_parents(parents, rest), appendix, corpus, ocr)
    else:
        result = _comparison(parent, rest, appendix, all_records, corpus, ocr)
    from ..i18n import resolve_lang

    emit(result.only(statuses), fmt, out, lang=resolve_lang(lang, "en"))


def register(app: typer.Typer) -> None:
    """Add diff to ``app`` (the command functions above, in the order `--help` lists them)."""
    app.command("diff", cls=ArgsCommand)(diff)


def _extra_parents(parents: list[Path], rest: list[Path] | None) -> list[Path]:
    """'diff CHILD --parents P1 P2': click gives the option its first value and the others arrive
    as arguments. 'diff P C --parents X' (a second plan before --parents) is refused, not read as
    one more parent."""
    rest = list(rest or [])
    args = [str(a) for a in click_context().meta.get("plancompare.args", [])]
    at = next((i for i, a in enumerate(args) if a == "--parents" or a.startswith("--parents=")), len(args))
    if rest and str(rest[0]) in args[:at]:
        raise typer.BadParameter("with --parents, give one CHILD and then the parents: diff CHILD --parents P1 P2 ...", param_hint="'--parents'")
    return list(parents) + rest


def _comparison(parent: Path, rest: list[Path] | None, appendix: bool | None, all_records: bool, corpus: Path, ocr: str):
    from ..align import compare

    rest = list(rest or [])
    if len(rest) != 1:
        raise typer.BadParameter("give PARENT and CHILD (or CHILD --parents P1 P2 ...)", param_hint="CHILD")
    with ocr_reading(ocr):
        pdoc, cdoc = load_named([parent, rest[0]], corpus)
    note_conversions(pdoc)
    note_conversions(cdoc)
    return compare(pdoc, cdoc, scope=TaskScope.of(appendix), other_records=all_records)


def _attribution(child: Path, parents: list[Path], appendix: bool | None, corpus: Path, ocr: str):
    from ..lineage import attribute

    with ocr_reading(ocr):
        docs = load_named([child, *parents], corpus)
    return attribute(docs[0], docs[1:], include_appendix=appendix)
