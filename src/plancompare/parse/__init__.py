"""Parse plan documents into typed records.

The parser is a chain of small pure stages, each inspectable::

    read -> decode -> clean -> segment -> structure -> records

>>> from plancompare.parse import parse_file
>>> doc = parse_file("data/raw/dak-lak_146-KH-UBND_2025-06-25.txt")
>>> len(doc.tasks), doc.document.number
(55, '146/KH-UBND')

The package owns turning one file into a :class:`~plancompare.models.ParsedDocument` (and the
problems met doing so). It may import :mod:`plancompare.models` (and its base, :mod:`plancompare.modelbase`), :mod:`plancompare.normalize`,
:mod:`plancompare.io` and :mod:`plancompare.errors`; nothing above it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import NotAPlanError
from ..models import ParsedDocument
from .clean import clean
from .decode import decode
from .read import from_text, read
from .records import records
from .segment import segment
from .structure import structure

STAGES = ("read", "decode", "clean", "segment", "structure", "records")

PROBLEM_CODES = {
    "legacy_encoding_converted": "the file was in TCVN3/VNI/VISCII and was converted",
    "format_chars_removed": "invisible format characters (zero-width spaces, soft hyphens, bidi marks) were removed",
    "repeated_block_removed": "a block of lines occurred twice (web scrape); the first copy was dropped",
    "site_text_removed": "web-site text after the document was dropped",
    "page_numbers_removed": "page-number lines were dropped",
    "running_headers_removed": "lines repeated on every page were dropped",
    "heading_inferred": "a section heading is missing and was inferred",
    "part_inferred": "a part heading (I., II., ...) is missing and was inferred",
    "heading_missing": "a numbered heading is missing and its items are counted under the previous one",
    "duplicate_task": "a task repeats an earlier one word for word (both kept)",
    "repeated_header_removed": "a table header repeated on every page",
    "unreadable_row": "a table row could not be read",
    "unreadable_table": "a table without a recognisable header",
    "no_structure": "no records were found",
    "no_tasks": "the document has no task list; the message names the parts found and why none held tasks",
    "inline_items": "an item that numbers its tasks inline, (1) ... (2) ..., was split into one task each",
    "part_by_content": "a part whose heading names no kind was read as tasks because its items are actions",
    "normative_text": "a text made of articles (decree, circular, regulation): its clauses are not tasks",
    "agency_list": "a task list arranged by agency after the general task list was read as assignments",
    "number_missing": "the document's number is not in its text (or left blank); not guessed",
    "date_missing": "the document's date of issue is not in its text; not guessed",
    "ocr_page": "a page was read by OCR (its mean confidence, deskew angle)",
    "ocr_low_confidence": "an OCR line with low confidence: check it by eye (page and line given)",
    "ocr_label_fixed": "a list letter or part numeral misread by OCR ('I)' after 'k)', 'IIl-') was taken as the one the sequence expects",
    "ocr_page_number_fixed": "a page number misread by OCR at the foot of a page ('Ni' for 11) was taken as the one the page sequence calls for",
    "ocr_word_corrected": "a word OCR read with a misplaced tone mark or diacritic ('hạ tâng') was corrected from its neighbours and the dictionary ('hạ tầng')",
    "ocr_not_corrected": "OCR tone marks were not checked from context because the dictionary package (underthesea) is not installed",
    "ocr_skipped": "a page with images was not OCR'd (Tesseract is not installed); its text layer was read",
    "converted_to_docx": "an old Word, RTF or OpenDocument file was converted to .docx with LibreOffice",
}


def parse_file(path: str | Path, *, strict: bool = False, ocr: Any = None) -> ParsedDocument:
    """Parse one plan file (.txt, .md, .docx, .pdf, .html; scans and images by OCR; .doc, .rtf, .odt
    through LibreOffice) into a :class:`ParsedDocument`.

    With ``strict=True`` a document with no recognisable structure raises
    :class:`~plancompare.errors.NotAPlanError` instead of returning a record
    with a ``no_structure`` problem. ``ocr``: an :class:`~plancompare.parse.ocr.OcrSettings`
    or a mode ('auto', 'always', 'never'); by default the settings of the enclosing
    :func:`~plancompare.parse.ocr.use_ocr` block (mode 'auto')."""
    if ocr is not None:
        from .ocr import with_ocr

        with with_ocr(ocr):
            return parse_file(path, strict=strict)
    raw = read(path)
    doc = _finish(raw)
    if strict:
        _check_structure(doc, str(path))
    return doc


def parse_text(text: str, name: str = "<text>", *, strict: bool = False) -> ParsedDocument:
    """Parse plan text given as a string."""
    doc = _finish(from_text(text, name))
    if strict:
        _check_structure(doc, name)
    return doc


def _finish(raw: Any) -> ParsedDocument:
    return _through(raw)


#: the stages after 'read', each a function of the previous stage's value
_CHAIN: tuple[tuple[str, Any], ...] = (("decode", decode), ("clean", clean), ("segment", segment), ("structure", structure))


def _through(raw: Any, until: str = "records") -> Any:
    """The value of stage ``until`` for a read file (its records by default)."""
    if until == "read":
        return raw
    value = raw
    for name, stage in _CHAIN:
        value = stage(value)
        if name == until:
            return value
    return records(value, name=raw.name, sha256=raw.sha256)


def _check_structure(doc: ParsedDocument, name: str) -> None:
    if any(p.code == "no_structure" for p in doc.problems):
        msg = next(p.message for p in doc.problems if p.code == "no_structure")
        raise NotAPlanError(f"{name}: not a plan: {msg}", path=name)


def load(path: str | Path, *, strict: bool = False) -> ParsedDocument:
    """Load a plan: parsed JSON (from ``plancompare parse --format json`` or data/parsed/) or any raw file
    (``strict``: a file with no recognisable structure raises NotAPlanError, as :func:`parse_file`)."""
    p = Path(path)
    if p.suffix.lower() == ".json":
        from ..errors import InputError, MissingFileError

        if not p.exists():
            raise MissingFileError(f"{p}: no such file", path=str(p))
        try:
            return ParsedDocument.model_validate_json(p.read_bytes())
        except Exception as e:  # pydantic.ValidationError or JSON error
            raise InputError(f"{p}: not a parsed plan JSON ({type(e).__name__}: {str(e).splitlines()[0][:120]})", path=str(p)) from e
    return parse_file(p, strict=strict)


def run_stages(path: str | Path, until: str) -> Any:
    """Run the chain up to and including stage ``until``; return that stage's value.

    The value has ``to_dict()`` and ``to_json()``."""
    if until not in STAGES:
        raise ValueError(f"unknown stage {until!r}; one of {', '.join(STAGES)}")
    return _through(read(path), until)


def stage_json(value: Any, indent: int | None = 2) -> str:
    """A stage's value as JSON (``indent=None``: one line, for JSON lines of several files)."""
    if hasattr(value, "model_dump_json"):  # the records stage: a ParsedDocument
        return value.model_dump_json(indent=indent)
    return json.dumps(value.to_dict(), ensure_ascii=False, indent=indent)


__all__ = ["STAGES", "PROBLEM_CODES", "parse_file", "parse_text", "load", "run_stages", "stage_json"]
