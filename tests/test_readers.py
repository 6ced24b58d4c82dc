"""The .docx, .pdf and .html readers: a plan in any of these formats parses into
the same records as its plain-text version.

Every document is built here, in tmp_path, from a corpus text in data/raw/:
real .docx files written with python-docx (typed list labels, Word automatic
numbering, tables with merged header cells, letterhead/signature tables), a
real .pdf written with fpdf2 and an embedded TrueType font with Vietnamese
glyphs, and .html pages with navigation, scripts and tables.
"""

from __future__ import annotations

import glob
import html
import random
import re
from pathlib import Path

import pytest

docx = pytest.importorskip("docx")
pytest.importorskip("pdfplumber")
pytest.importorskip("lxml")

from docx.oxml import parse_xml  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402

from plancompare.errors import CorruptFileError, InputError, NoTextLayerError, UnsupportedFormatError  # noqa: E402
from plancompare.parse import parse_file, run_stages  # noqa: E402
from plancompare.parse.patterns import match_marker  # noqa: E402
from plancompare.parse.readers import docx_text, format_number, html_text  # noqa: E402

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
TAN_LAP = RAW / "dak-lak_tan-lap_KH-UBND_2025.txt"
HAI_DUONG = RAW / "hai-duong_CTr-TU_2025.txt"
DAK_LAK_283 = RAW / "dak-lak_283-KH-TU_2025-05-22.txt"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# ------------------------------------------------------------------ helpers


def logical_lines(txt: Path) -> list[str]:
    """The logical paragraphs of a corpus text (wrapped lines rejoined, page furniture dropped)."""
    return [ln.text for ln in run_stages(txt, "clean").lines]


def assert_same_records(built: Path, txt: Path, *, paths: bool = True, indicators: bool = False):
    """Parse both files; the built one must give the same tasks (and indicators). Returns its parse."""
    a, b = parse_file(built), parse_file(txt)
    assert a.tasks, f"{built.name}: no tasks parsed"
    assert [t.key for t in a.tasks] == [t.key for t in b.tasks]
    if paths:
        assert [(t.path, t.key) for t in a.tasks] == [(t.path, t.key) for t in b.tasks]
    if indicators:
        assert b.indicators, "the text version has indicators to compare"
        assert [(i.key, [t.raw for t in i.targets]) for i in a.indicators] == [(i.key, [t.raw for t in i.targets]) for i in b.indicators]
    return a


def tsv_blocks(lines: list[str]) -> list[str | list[list[str]]]:
    """Lines, with runs of tab-separated rows grouped into tables (lists of rows of cells)."""
    out: list[str | list[list[str]]] = []
    for ln in lines:
        if "\t" in ln:
            row = [c.strip() for c in ln.split("\t")]
            if out and isinstance(out[-1], list):
                out[-1].append(row)
            else:
                out.append([row])
        else:
            out.append(ln)
    return out


def header_spans(rows: list[list[str]]) -> tuple[dict[tuple[int, int], int], dict[tuple[int, int], int]]:
    """Merged header cells of a two-row header, as Word and HTML write them.

    When the second row starts empty, a first-row cell above an empty cell spans
    two rows, and a first-row cell followed by empty cells spans those columns."""
    colspan: dict[tuple[int, int], int] = {}
    rowspan: dict[tuple[int, int], int] = {}
    if len(rows) < 2 or rows[1][0] != "" or len(rows[0]) != len(rows[1]):
        return colspan, rowspan
    top, second = rows[0], rows[1]
    c = 0
    while c < len(top):
        if top[c] and c + 1 < len(top) and top[c + 1] == "" and second[c] and second[c + 1]:
            span = 1
            while c + span < len(top) and top[c + span] == "" and second[c + span]:
                span += 1
            colspan[(0, c)] = span
            c += span
            continue
        if top[c] and second[c] == "":
            rowspan[(0, c)] = 2
        c += 1
    return colspan, rowspan


# ------------------------------------------------------------------ .docx builder

# One multi-level list: I. / 1. / 1.1. / a) / - / (1). Level 0's separator follows the text.
LEVELS = {"roman": 0, "arabic": 1, "decimal": 2, "letter": 3, "dash": 4, "paren": 5}
LEVEL_DEFS = [("upperRoman", "%1{sep}"), ("decimal", "%2."), ("decimal", "%2.%3."), ("lowerLetter", "%4)"), ("bullet", "-"), ("decimal", "(%6)")]


def add_numbering(document, roman_sep: str = ".", abstract_id: int = 90, num_id: int = 90) -> str:
    lvls = []
    for i, (fmt, text) in enumerate(LEVEL_DEFS):
        text = text.format(sep=roman_sep)
        lvls.append(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{html.escape(text, quote=True)}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{360 * (i + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
        )
    numbering = document.part.numbering_part.element
    abstract = parse_xml(f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="multilevel"/>{"".join(lvls)}</w:abstractNum>')
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)  # the schema puts every abstractNum before the nums
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'))
    return str(num_id)


def set_numbering(paragraph, num_id: str, ilvl: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))


class NumberingSim:
    """What Word will show for the next item at a level (counters per list, deeper levels restart)."""

    def __init__(self, roman_sep: str) -> None:
        self.counters: dict[int, int] = {}
        self.roman_sep = roman_sep

    def next_label(self, level: int) -> tuple[str, dict[int, int]]:
        counters = {k: v for k, v in self.counters.items() if k <= level}
        counters[level] = self.counters.get(level, 0) + 1
        fmt, text = LEVEL_DEFS[level]
        if fmt == "bullet":
            return "-", counters
        text = text.format(sep=self.roman_sep)
        label = re.sub(r"%(\d)", lambda m: format_number(counters.get(int(m.group(1)) - 1, 1), LEVEL_DEFS[int(m.group(1)) - 1][0]), text)
        return label, counters


def write_docx_table(document, rows: list[list[str]]) -> None:
    ncols = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=ncols)
    table.style = "Table Grid"
    for row, row_obj in zip(rows, table.rows):  # table.cell(r, c) is slow on big tables
        for text, cell in zip(row, row_obj.cells):
            cell.text = text
    colspan, rowspan = header_spans(rows)
    for (r, c), span in colspan.items():
        table.cell(r, c).merge(table.cell(r, c + span - 1))
    for (r, c), span in rowspan.items():
        table.cell(r, c).merge(table.cell(r + span - 1, c))


def build_docx(txt: Path, out: Path, *, autonumber: bool) -> tuple[Path, int]:
    """A .docx with one Word paragraph per logical paragraph of ``txt``, tables as Word tables.

    With ``autonumber`` list labels are produced by Word numbering wherever
    Word would show the same label as the text (typed otherwise, e.g. 'đ)').
    Returns the path and the number of automatically numbered paragraphs."""
    document = docx.Document()
    lines = logical_lines(txt)
    romans = [m[0] for m in (re.match(r"^[IVX]+\s*([.\-–])", t) for t in lines) if m]
    sep = romans[0][-1] if romans else "."
    num_id = add_numbering(document, sep) if autonumber else None
    sim = NumberingSim(sep)
    numbered = 0
    for block in tsv_blocks(lines):
        if isinstance(block, list):
            write_docx_table(document, block)
            continue
        text = block
        mk = match_marker(text)
        if autonumber and mk and mk[0] in LEVELS:
            kind, _label, rest = mk
            typed = text[: len(text) - len(rest)].strip()
            level = LEVELS[kind]
            label, counters = sim.next_label(level)
            if label == typed:
                sim.counters = counters
                p = document.add_paragraph(rest)
                set_numbering(p, num_id, level)
                numbered += 1
                continue
        document.add_paragraph(text)
    document.save(out)
    return out, numbered


# ------------------------------------------------------------------ .docx tests


def test_docx_typed_labels_same_tasks_as_text(tmp_path):
    path, _ = build_docx(TAN_LAP, tmp_path / "tan-lap.docx", autonumber=False)
    assert_same_records(path, TAN_LAP)
    assert parse_file(path).document.layout == "docx"


def test_docx_word_numbering_same_tasks_as_text(tmp_path):
    path, numbered = build_docx(HAI_DUONG, tmp_path / "hai-duong.docx", autonumber=True)
    assert numbered >= 40  # the labels really come from numbering.xml
    body = docx.Document(path).paragraphs
    assert not any(p.text.startswith(("I- ", "1. ", "2.1. ", "- ")) for p in body if p._p.pPr is not None and p._p.pPr.numPr is not None)
    assert_same_records(path, HAI_DUONG)


def test_docx_numbering_and_tables_same_tasks_and_indicators(tmp_path):
    path, numbered = build_docx(DAK_LAK_283, tmp_path / "283.docx", autonumber=True)
    assert numbered >= 20
    assert len(docx.Document(path).tables) >= 1
    assert_same_records(path, DAK_LAK_283, indicators=True)
    text, _ = _extract(path)
    # the merged header: 'Mục tiêu theo từng giai đoạn' spans 5 columns, STT spans 2 rows
    assert "| STT | Chỉ tiêu | Mục tiêu theo từng giai đoạn | | | | | Cơ quan chủ trì |" in text
    assert "| | | Đến hết năm 2025 | Đến hết năm 2030 |" in text


def _extract(path: Path) -> tuple[str, str]:
    from plancompare.parse.readers import extract_text

    return extract_text(path, path.read_bytes())


def test_docx_numbering_labels(tmp_path):
    """Each numbering format, restarts under a new parent, a second list instance restarted by startOverride."""
    document = docx.Document()
    num = add_numbering(document)
    items = [
        (0, "MỤC TIÊU"), (1, "Mục tiêu chung"), (1, "Mục tiêu cụ thể"), (2, "Đến năm 2030"), (2, "Đến năm 2045"),
        (0, "NHIỆM VỤ"), (1, "Tuyên truyền"), (3, "Tổ chức hội nghị"), (3, "Xây dựng chuyên mục"), (4, "Ban hành kế hoạch"), (5, "Điểm một"),
    ]
    for level, text in items:
        set_numbering(document.add_paragraph(text), num, level)
    document.add_paragraph("Đoạn không đánh số.")
    # a second instance of the same list continues it; one with startOverride restarts it
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="91"><w:abstractNumId w:val="90"/></w:num>'))
    numbering.append(parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="92"><w:abstractNumId w:val="90"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
    set_numbering(document.add_paragraph("TỔ CHỨC THỰC HIỆN"), "91", 0)
    set_numbering(document.add_paragraph("Mục mới"), "92", 0)
    document.save(tmp_path / "labels.docx")
    lines = [ln for ln in docx_text((tmp_path / "labels.docx").read_bytes()).split("\n") if ln]
    assert lines == [
        "I. MỤC TIÊU", "1. Mục tiêu chung", "2. Mục tiêu cụ thể", "2.1. Đến năm 2030", "2.2. Đến năm 2045",
        "II. NHIỆM VỤ", "1. Tuyên truyền", "a) Tổ chức hội nghị", "b) Xây dựng chuyên mục", "- Ban hành kế hoạch", "(1) Điểm một",
        "Đoạn không đánh số.", "III. TỔ CHỨC THỰC HIỆN", "I. Mục mới",
    ]


def test_docx_numbering_from_paragraph_style(tmp_path):
    """Numbering set on a paragraph style (Word's 'List Number'), not on the paragraph."""
    document = docx.Document()
    num = add_numbering(document)
    style = document.styles.add_style("Muc La Ma", 1)
    style.element.get_or_add_pPr().append(parse_xml(f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>'))
    document.add_paragraph("MỤC ĐÍCH, YÊU CẦU", style="Muc La Ma")
    document.add_paragraph("NHIỆM VỤ, GIẢI PHÁP", style="Muc La Ma")
    document.save(tmp_path / "style.docx")
    assert docx_text((tmp_path / "style.docx").read_bytes()).split("\n") == ["I. MỤC ĐÍCH, YÊU CẦU", "II. NHIỆM VỤ, GIẢI PHÁP"]


def test_docx_runs_breaks_tabs_tables_in_order(tmp_path):
    document = docx.Document()
    p = document.add_paragraph("Căn cứ ")
    p.add_run("Luật Khoa học").bold = True
    p.add_run(" và Công nghệ;")
    p.add_run().add_break()
    p.add_run("dòng sau")
    document.add_paragraph("Cơ quan\tchủ trì")
    t = document.add_table(rows=2, cols=3)
    for c, v in enumerate(["STT", "Nội dung", "Chủ trì | phối hợp"]):
        t.cell(0, c).text = v
    for c, v in enumerate(["1", "Xây dựng cơ sở dữ liệu", "Sở Khoa học và Công nghệ"]):
        t.cell(1, c).text = v
    document.add_paragraph("Sau bảng.")
    document.save(tmp_path / "mix.docx")
    assert docx_text((tmp_path / "mix.docx").read_bytes()).split("\n") == [
        "Căn cứ Luật Khoa học và Công nghệ;",
        "dòng sau",
        "Cơ quan chủ trì",
        "| STT | Nội dung | Chủ trì / phối hợp |",
        "| 1 | Xây dựng cơ sở dữ liệu | Sở Khoa học và Công nghệ |",
        "Sau bảng.",
    ]


SMALL_PLAN_HEAD = ["ỦY BAN NHÂN DÂN", "PHƯỜNG TÂN LẬP", "Số: 15/KH-UBND"]
SMALL_PLAN_HEAD_RIGHT = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Tân Lập, ngày 10 tháng 7 năm 2025"]
SMALL_PLAN_BODY = [
    "KẾ HOẠCH",
    "Triển khai các nhiệm vụ phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số năm 2025",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Mục đích",
    "Tổ chức thực hiện có hiệu quả Nghị quyết số 57-NQ/TW của Bộ Chính trị.",
    "II. NHIỆM VỤ, GIẢI PHÁP",
    "1. Nâng cao nhận thức",
    "a) Tổ chức tuyên truyền sâu rộng về nội dung Nghị quyết số 57-NQ/TW trên địa bàn phường.",
    "b) Xây dựng chuyên mục về chuyển đổi số trên trang thông tin điện tử của phường.",
    "2. Hoàn thiện thể chế",
    "- Rà soát, đề xuất sửa đổi các quy định không còn phù hợp.",
    "- Ban hành quy chế quản lý, khai thác dữ liệu dùng chung của phường.",
    "III. TỔ CHỨC THỰC HIỆN",
    "Văn phòng HĐND và UBND phường chủ trì, theo dõi, đôn đốc việc thực hiện Kế hoạch này.",
]
SMALL_PLAN_SIGN_LEFT = ["Nơi nhận:", "- UBND tỉnh (b/c);", "- Lưu: VT."]
SMALL_PLAN_SIGN_RIGHT = ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An"]


def test_docx_letterhead_and_signature_tables_read_as_text(tmp_path):
    txt = tmp_path / "small.txt"
    txt.write_text("\n".join(SMALL_PLAN_HEAD + SMALL_PLAN_HEAD_RIGHT + SMALL_PLAN_BODY + SMALL_PLAN_SIGN_LEFT + SMALL_PLAN_SIGN_RIGHT) + "\n", encoding="utf-8")
    document = docx.Document()
    head = document.add_table(rows=1, cols=2)
    for cell, paras in zip(head.rows[0].cells, (SMALL_PLAN_HEAD, SMALL_PLAN_HEAD_RIGHT)):
        cell.text = paras[0]
        for t in paras[1:]:
            cell.add_paragraph(t)
    for t in SMALL_PLAN_BODY:
        document.add_paragraph(t)
    sign = document.add_table(rows=1, cols=2)
    for cell, paras in zip(sign.rows[0].cells, (SMALL_PLAN_SIGN_LEFT, SMALL_PLAN_SIGN_RIGHT)):
        cell.text = paras[0]
        for t in paras[1:]:
            cell.add_paragraph(t)
    document.save(tmp_path / "small.docx")
    a, b = parse_file(tmp_path / "small.docx"), parse_file(txt)
    assert [t.key for t in a.tasks] == [t.key for t in b.tasks] and len(a.tasks) == 4
    assert a.document.number == b.document.number == "15/KH-UBND"
    assert a.document.issue_date == b.document.issue_date
    assert a.document.signer == b.document.signer


def test_corrupt_docx_is_a_clear_input_error(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(random.Random(7).randbytes(4096))
    with pytest.raises(InputError) as err:
        parse_file(bad)
    assert isinstance(err.value, CorruptFileError)
    msg = str(err.value)
    assert "\n" not in msg and "bad.docx" in msg and "not a .docx" in msg


def test_truncated_docx_is_a_clear_input_error(tmp_path):
    good, _ = build_docx(HAI_DUONG, tmp_path / "good.docx", autonumber=False)
    bad = tmp_path / "truncated.docx"
    bad.write_bytes(good.read_bytes()[:3000])
    with pytest.raises(CorruptFileError) as err:
        parse_file(bad)
    assert "\n" not in str(err.value) and "damaged" in str(err.value)


def test_legacy_doc_renamed_docx_is_unsupported(tmp_path):
    bad = tmp_path / "old.docx"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048))
    with pytest.raises(UnsupportedFormatError, match="old Word .doc"):
        parse_file(bad)


# ------------------------------------------------------------------ .pdf


def vietnamese_ttf() -> Path | None:
    """A TrueType font on this machine with the Vietnamese letters, or None."""
    from fontTools.ttLib import TTFont

    candidates = [
        "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    ]
    try:
        import matplotlib

        candidates.append(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"))
    except ImportError:
        pass
    candidates += sorted(glob.glob("/usr/share/fonts/**/*.ttf", recursive=True))
    need = {ord(c) for c in "ĐđƠơƯưẠặẫễệộợữỹ"}
    for c in candidates:
        try:
            cmap = TTFont(c, lazy=True).getBestCmap()
        except Exception:
            continue
        if need <= set(cmap):
            return Path(c)
    return None


@pytest.fixture(scope="module")
def ttf() -> Path:
    pytest.importorskip("fpdf")
    font = vietnamese_ttf()
    if font is None:
        pytest.skip("no TrueType font with Vietnamese glyphs on this machine (install fonts-dejavu-core)")
    return font


def build_pdf(txt: Path, out: Path, font: Path) -> Path:
    """A PDF that lays the text out line by line, as the text was extracted (page numbers in the footer)."""
    from fpdf import FPDF

    class Plan(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.cell(0, 6, str(self.page_no()), align="C")

    pdf = Plan(format="A4")
    pdf.set_margins(15, 15, 10)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font("Viet", "", str(font))
    pdf.set_font("Viet", size=10)
    pdf.add_page()
    for line in txt.read_text(encoding="utf-8").split("\n"):
        if line.strip():
            pdf.cell(0, 5.5, line.strip(), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(out))
    return out


def test_pdf_same_tasks_as_text(tmp_path, ttf):
    path = build_pdf(TAN_LAP, tmp_path / "tan-lap.pdf", ttf)
    text, layout = _extract(path)
    assert layout == "pdf"
    assert "Tổ chức triển khai tuyên truyền thường xuyên" in text  # Vietnamese intact, NFC
    assert "Đắk Lắk" in text
    doc = assert_same_records(path, TAN_LAP)
    assert any(p.code == "page_numbers_removed" for p in doc.problems)


def test_pdf_fake_bold_characters_are_read_once(tmp_path, ttf):
    """Some PDF makers fake bold type by drawing each line twice, slightly shifted."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("Viet", "", str(ttf))
    pdf.set_font("Viet", size=13)
    pdf.add_page()
    for dx in (0, 0.3):
        pdf.set_xy(20 + dx, 20)
        pdf.cell(0, 8, "KẾ HOẠCH HÀNH ĐỘNG")
    pdf.set_xy(20, 30)
    pdf.cell(0, 8, "Thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị")
    pdf.output(str(tmp_path / "bold.pdf"))
    text, _ = _extract(tmp_path / "bold.pdf")
    assert text.split("\n")[:2] == ["KẾ HOẠCH HÀNH ĐỘNG", "Thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị"]


def _image_only_pdf(out: Path) -> Path:
    from fpdf import FPDF
    from PIL import Image

    img = Image.new("RGB", (200, 280), "white")
    for x in range(20, 180):
        for y in range(40, 44):
            img.putpixel((x, y), (0, 0, 0))
    pdf = FPDF()
    pdf.add_page()
    pdf.image(img, x=10, y=10, w=150)
    pdf.add_page()  # and a blank page
    pdf.output(str(out))
    return out


def test_pdf_without_text_layer_needs_ocr(tmp_path):
    pytest.importorskip("fpdf")
    path = _image_only_pdf(tmp_path / "scan.pdf")
    with pytest.raises(NoTextLayerError) as err:
        parse_file(path, ocr="never")  # tests/test_ocr.py reads scans
    msg = str(err.value)
    assert "\n" not in msg and "scan" in msg and "text layer" in msg and "OCR" in msg
    assert err.value.code == "no_text_layer"


def test_corrupt_pdf_is_a_clear_input_error(tmp_path):
    for name, data in (("junk.pdf", random.Random(3).randbytes(3000)), ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n" + random.Random(4).randbytes(500))):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(InputError) as err:
            parse_file(path)
        assert isinstance(err.value, CorruptFileError), (name, err.value)
        assert "\n" not in str(err.value) and name in str(err.value)


# ------------------------------------------------------------------ .html

NAV_JUNK = """<nav><ul><li><a href="/">Trang chủ</a></li><li>1. Giới thiệu cổng thông tin</li><li>2. Tin tức sự kiện</li></ul></nav>"""


def build_html(txt: Path, out: Path) -> Path:
    parts = [
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Văn bản - Cổng thông tin</title>',
        "<style>p { margin: 0 } .x::before { content: '1. Không phải nhiệm vụ' }</style>",
        "<script>var menu = ['1. Đây là menu'];</script></head><body>",
        NAV_JUNK,
        '<div class="noi-dung">',
    ]
    for block in tsv_blocks(logical_lines(txt)):
        if isinstance(block, list):
            colspan, rowspan = header_spans(block)
            covered = {(r + k, c) for (r, c), s in rowspan.items() for k in range(1, s)} | {(r, c + k) for (r, c), s in colspan.items() for k in range(1, s)}
            rows = []
            for r, row in enumerate(block):
                cells = []
                for c, v in enumerate(row):
                    if (r, c) in covered:
                        continue
                    attrs = (f' colspan="{colspan[(r, c)]}"' if (r, c) in colspan else "") + (f' rowspan="{rowspan[(r, c)]}"' if (r, c) in rowspan else "")
                    tag = "th" if r < 2 and (colspan or rowspan) else "td"
                    cells.append(f"<{tag}{attrs}>{html.escape(v)}</{tag}>")
                rows.append("<tr>" + "".join(cells) + "</tr>")
            parts.append('<table border="1"><tbody>\n' + "\n".join(rows) + "\n</tbody></table>")
            continue
        text = html.escape(block)
        mk = match_marker(block)
        if mk and mk[0] == "roman":
            parts.append(f"<h2>{text}</h2>")
        elif mk and mk[0] in ("arabic", "decimal"):
            parts.append(f"<h3><strong>{text}</strong></h3>")
        else:
            # source-code line breaks inside the paragraph are just spaces
            words = text.split(" ")
            parts.append("<p>" + " ".join(words[:3]) + "\n   " + " ".join(words[3:]) + "</p>")
    parts.append('</div><footer><script>track();</script></footer></body></html>')
    out.write_text("\n".join(parts), encoding="utf-8")
    return out


def test_html_same_tasks_as_text(tmp_path):
    path = build_html(HAI_DUONG, tmp_path / "hai-duong.html")
    text, layout = _extract(path)
    assert layout == "html"
    assert "Đây là menu" not in text and "Giới thiệu cổng thông tin" not in text and "margin" not in text
    assert "Cổng thông tin" not in text  # <title> dropped
    assert_same_records(path, HAI_DUONG)


def test_html_tables_same_indicators_as_text(tmp_path):
    path = build_html(DAK_LAK_283, tmp_path / "283.htm")
    assert_same_records(path, DAK_LAK_283, indicators=True)


def test_html_blocks_br_lists_and_spans():
    page = """<html><body>
    <p>Dòng một<br>dòng hai<br/>Dòng ba</p><div>Khối <b>in đậm</b> và <i>nghiêng</i></div>
    <ol><li>Mục tiêu chung</li><li>Mục tiêu cụ thể</li></ol>
    <ol type="a"><li>Tuyên truyền</li><li>b) Đã gõ sẵn nhãn</li></ol>
    <ul><li>Gạch đầu dòng</li><li><p>Đoạn trong mục</p></li></ul>
    <table><tr><th rowspan="2">TT</th><th colspan="2">Mục tiêu</th></tr><tr><td>2025</td><td>2030</td></tr>
    <tr><td>1</td><td>≥ 60%</td><td>100%</td></tr></table>
    <p>Kết thúc.</p></body></html>"""
    assert html_text(page.encode("utf-8")).split("\n") == [
        "Dòng một", "dòng hai", "Dòng ba", "Khối in đậm và nghiêng",
        "1. Mục tiêu chung", "2. Mục tiêu cụ thể", "a) Tuyên truyền", "b) Đã gõ sẵn nhãn", "- Gạch đầu dòng", "- Đoạn trong mục",
        "| TT | Mục tiêu |  |", "|  | 2025 | 2030 |", "| 1 | ≥ 60% | 100% |",
        "Kết thúc.",
    ]


def test_html_declared_legacy_charset_and_nfc(tmp_path):
    nfd = "Kế hoạch phát triển khoa học"
    import unicodedata

    page = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258"></head><body><p>{unicodedata.normalize("NFD", nfd)}</p></body></html>'
    path = tmp_path / "cp.html"
    path.write_bytes(page.encode("utf-8"))  # declared cp1258 but really UTF-8 NFD: still read right
    text, _ = _extract(path)
    assert text.strip() == unicodedata.normalize("NFC", nfd)
