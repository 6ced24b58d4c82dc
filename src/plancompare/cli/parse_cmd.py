"""`plancompare parse FILE...`"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import OcrOpt, err, handle_errors, note_conversions, ocr_reading
from .output import choose_format, emit, format_option, write

STAGE_HELP = "Show the output of one parsing stage instead of the records: read, decode, clean, segment, structure, records."
FORMATS = ("table", "json", "yaml")  # = views.documents.ParsedDocuments.FORMATS (tests/test_output.py)


@handle_errors
def parse(
    files: Annotated[list[Path], typer.Argument(help="Plan files (.txt, .md, .docx, .pdf, .html; scans .pdf .png .jpg .tif by OCR; .doc .rtf .odt through LibreOffice).", show_default=False)],
    format: format_option(FORMATS, "table") = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Folder: write one <name>.json per document (data/parsed/ for the corpus).")] = None,
    stage: Annotated[Optional[str], typer.Option("--stage", help=STAGE_HELP)] = None,
    ocr: OcrOpt = "auto",
) -> None:
    """Parse plans into typed records: document, tasks, indicators, objectives, assignments, references, problems."""
    fmt = choose_format(format, FORMATS, "table")
    with ocr_reading(ocr):
        if stage is not None:
            _stages(files, stage)
        else:
            _parse(files, fmt, out)


def register(app: typer.Typer) -> None:
    """Add parse to ``app`` (the command functions above, in the order `--help` lists them)."""
    app.command("parse")(parse)


def _stages(files: list[Path], stage: str) -> None:
    """One stage's output: indented JSON for one file, JSON lines (one document per line) for several."""
    from ..parse import STAGES, run_stages, stage_json

    if stage not in STAGES:
        raise typer.BadParameter(f"'{stage}' is not one of: {', '.join(STAGES)}", param_hint="'--stage'")
    indent = 2 if len(files) == 1 else None
    write("\n".join(stage_json(run_stages(f, stage), indent=indent) for f in files))


def _parse(files: list[Path], fmt: str, out: Path | None) -> None:
    from ..parse import parse_file
    from ..views.documents import ParsedDocuments

    docs = []
    for f in files:
        doc = parse_file(f, strict=True)  # no recognisable structure: one line, exit 2
        note_conversions(doc)
        docs.append(doc)
    if out is None:
        emit(ParsedDocuments(docs), fmt)
        return
    from ..io import atomic_write_many

    if not out.exists():
        from ..errors import OutputError

        raise OutputError(f"{out}: no such folder (--out takes an existing folder)", path=str(out))
    targets = atomic_write_many([(out / (Path(f).stem + ".json"), d.model_dump_json(indent=2) + "\n") for f, d in zip(files, docs)])
    for t in targets:
        err(f"wrote {t}")
