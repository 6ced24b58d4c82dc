"""Stage 'segment': classify each logical line (heading, list item, paragraph, table row, ...)."""

from __future__ import annotations

from .clean import is_table_line
from .patterns import CLOSING_CUE, PIPE_SEP, RE_APPENDIX, SIGNATURE_CUE, match_marker, strip_md
from .stages import Block, Cleaned, Line, Segmented

_HEADER_WORDS = ("số hiệu", "ngày ban hành", "ngày có hiệu lực", "loại văn bản", "cơ quan ban hành", "người ký", "lĩnh vực", "tình trạng")


def _cells(text: str) -> tuple[list[str], str]:
    t = text.strip()
    if set(t) <= {"|", " "}:
        return [""] * max(1, t.count("|")), "cell"
    if "\t" in text:
        return [c.strip() for c in text.split("\t")], "tsv"
    if t.startswith("|") and t.count("|") >= 3:
        inner = t[1:-1] if t.endswith("|") and len(t) > 1 else t[1:]
        return [c.strip() for c in inner.split("|")], "pipe"
    # one cell per line, ending with '|' ('8.1 |', '|', '|||'); 'A | B |' is two cells
    body = t[:-1] if t.endswith("|") else t
    if body.strip() == "" or set(body.strip()) <= {"|"}:
        return [""] * (t.count("|")), "cell"
    return [c.strip() for c in body.split("|")], "cell"


def _table_block(raw: str, ln: Line, in_appendix: bool, in_signature: bool) -> Block | str:
    """A table line as a block (a metadata row, a signature cell, a table row), or, for a letterhead
    fragment such as 'ỦY BAN NHÂN DÂN |' outside a table, its text ('' when it has none)."""
    cells, table = _cells(raw)
    if table in ("pipe", "cell") and len(cells) >= 2 and cells[0].lower() in _HEADER_WORDS:
        return Block(kind="meta", text=raw.strip(), line=ln.no, end=ln.end, cells=cells, table=table)
    if table == "cell" and not in_appendix:
        return " ".join(c for c in cells if c)
    if in_signature and table == "cell":
        return Block(kind="signature", text=" ".join(cells), line=ln.no, end=ln.end)
    return Block(kind="row", text=raw.strip(), line=ln.no, end=ln.end, cells=cells, table=table)


def _text_block(text: str, md_level: int | None, bold: bool, ln: Line) -> Block:
    """A line of text outside the signature zone: a heading or item by its marker, a markdown or bold
    heading, a closing formula or a paragraph."""
    mk = match_marker(text)
    if mk:
        kind, label, rest = mk
        depth = label.count(".") + 1 if kind == "decimal" else md_level
        bkind = "heading" if kind in ("roman", "chapter") or md_level else "item"
        return Block(kind=bkind, marker=kind, label=label, text=rest.strip(), line=ln.no, end=ln.end, depth=depth, bold=bold)
    if md_level:
        return Block(kind="heading", marker="markdown", text=text, line=ln.no, end=ln.end, depth=md_level, bold=bold)
    if bold and len(text) < 200:
        return Block(kind="heading", marker="bold", text=text, line=ln.no, end=ln.end, bold=True)
    if CLOSING_CUE.match(text):
        return Block(kind="para", marker="closing", text=text, line=ln.no, end=ln.end)
    return Block(kind="para", text=text, line=ln.no, end=ln.end)


def segment(cl: Cleaned) -> Segmented:
    blocks: list[Block] = []
    in_signature = False
    in_appendix = False
    for ln in cl.lines:
        raw = ln.text
        if PIPE_SEP.match(raw.strip()):
            continue
        if is_table_line(raw):
            got = _table_block(raw, ln, in_appendix, in_signature)
            if isinstance(got, Block):
                blocks.append(got)
                continue
            if not got:
                continue
            raw = got
        text, md_level, bold = strip_md(raw.strip())
        if not text:
            continue
        if RE_APPENDIX.match(text) and (md_level or bold or text.upper() == text or len(text) < 40):
            in_signature = False
            in_appendix = True
            blocks.append(Block(kind="caption", marker="appendix", text=text, line=ln.no, end=ln.end, depth=md_level, bold=bold))
            continue
        if SIGNATURE_CUE.match(text):
            in_signature = True
            blocks.append(Block(kind="signature", text=text, line=ln.no, end=ln.end))
            continue
        if in_signature:
            # the signature zone ends at the next heading (03/NQ-CP continues with its programme)
            if md_level or (text.isupper() and len(text.split()) >= 3 and not text.startswith("-")):
                in_signature = False
            else:
                blocks.append(Block(kind="signature", text=text, line=ln.no, end=ln.end))
                continue
        blocks.append(_text_block(text, md_level, bold, ln))
    return Segmented(layout=cl.layout, encoding=cl.encoding, blocks=blocks, problems=list(cl.problems))
