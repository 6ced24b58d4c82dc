"""`plancompare parse FILE...`"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import FormatOpt, OcrOpt, check_format, emit, err, handle_errors, note_conversions, ocr_reading

STAGE_HELP = "Show the output of one parsing stage instead of the records: read, decode, clean, segment, structure, records."


def register(app: typer.Typer) -> None:
    @app.command("parse")
    @handle_errors
    def parse(
        files: Annotated[list[Path], typer.Argument(help="Plan files (.txt, .md, .docx, .pdf, .html; scans .pdf .png .jpg .tif by OCR; .doc .rtf .odt through LibreOffice).", show_default=False)],
        format: FormatOpt = None,
        out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Folder: write one <name>.json per document (data/parsed/ for the corpus).")] = None,
        stage: Annotated[Optional[str], typer.Option("--stage", help=STAGE_HELP)] = None,
        ocr: OcrOpt = "auto",
    ) -> None:
        """Parse plans into typed records: document, tasks, indicators, objectives, assignments, references, problems."""
        with ocr_reading(ocr):
            _parse(files, format, out, stage)

    def _parse(files: list[Path], format: str | None, out: Path | None, stage: str | None) -> None:
        from ..parse import STAGES, parse_file, run_stages, stage_json

        fmt = check_format(format, ("table", "json", "yaml"), "table")
        if stage is not None:
            if stage not in STAGES:
                raise typer.BadParameter(f"'{stage}' is not one of: {', '.join(STAGES)}", param_hint="'--stage'")
            # one file: indented JSON; several: JSON lines, one document per line
            indent = 2 if len(files) == 1 else None
            for f in files:
                emit(stage_json(run_stages(f, stage), indent=indent))
            return
        docs = []
        for f in files:
            doc = parse_file(f, strict=True)  # no recognisable structure: one line, exit 2
            note_conversions(doc)
            docs.append(doc)
            if out is not None:
                from ..io import atomic_write

                target = out / (Path(f).stem + ".json")
                atomic_write(target, doc.model_dump_json(indent=2) + "\n")
                err(f"wrote {target}")
        if out is not None:
            return
        if fmt == "json":
            if len(docs) == 1:
                emit(docs[0].model_dump_json(indent=2))
            else:
                emit("\n".join(d.model_dump_json() for d in docs))
        elif fmt == "yaml":
            import yaml

            emit("---\n".join(yaml.safe_dump(json.loads(d.model_dump_json()), allow_unicode=True, sort_keys=False) for d in docs))
        else:
            from .render import render_parsed

            for d in docs:
                render_parsed(d)
