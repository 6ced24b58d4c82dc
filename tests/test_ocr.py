"""OCR of scans and images, and LibreOffice conversion of old Word files.

The scans are made here from corpus plans (tests/_scans.py: text drawn with DejaVu
Sans on image-only pages); a short excerpt is OCR'd for real with Tesseract's
Vietnamese model and must parse into the same tasks as the excerpt's text. The
whole corpus is OCR'd by benchmarks/ocr.py. Tests needing Tesseract or LibreOffice
skip with the reason when they are not installed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from _corpus import RAW
from _scans import degrade, font_path, plan_paragraphs, render_pages, write_pdf

from plancompare.errors import MissingToolError, NoTextLayerError
from plancompare.parse import parse_file, parse_text
from plancompare.parse import ocr

pytest.importorskip("PIL")
pytest.importorskip("pypdfium2")

TAN_LAP = RAW / "dak-lak_tan-lap_KH-UBND_2025.txt"
HAI_DUONG = RAW / "hai-duong_CTr-TU_2025.txt"


def _tesseract_reason() -> str | None:
    try:
        ocr.check_tesseract("vie")
    except MissingToolError as e:
        return str(e)
    if font_path() is None:
        return "no DejaVu Sans font to draw the test scans (apt-get install fonts-dejavu-core)"
    return None


needs_tesseract = pytest.mark.skipif(bool(_tesseract_reason()), reason=_tesseract_reason() or "")
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")


def norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def body_tasks(doc) -> list[tuple[str, str]]:
    return [(t.path, norm(t.text)) for t in doc.tasks if t.source == "body"]


def excerpt(txt: Path, start: str, n_paras: int) -> list[str]:
    """``n_paras`` printed paragraphs of a corpus plan from the first one starting with ``start``."""
    paras = plan_paragraphs(txt)
    i = next(k for k, p in enumerate(paras) if p.startswith(start))
    return paras[:3] + paras[i : i + n_paras]  # the title lines, then the tasks


@pytest.fixture()
def cache(tmp_path):
    with ocr.use_ocr(cache_dir=str(tmp_path / "cache")) as s:
        yield s


@needs_tesseract
def test_scanned_pdf_same_tasks_as_text(tmp_path, cache, monkeypatch):
    """A rotated, speckled, image-only scan of a plan excerpt: the same tasks, pages kept, then cached."""
    paras = excerpt(HAI_DUONG, "1. Nâng cao nhận thức", 9)
    text_doc = parse_text("\n".join(paras), "excerpt.txt")
    assert len(body_tasks(text_doc)) >= 4
    pages, _ = render_pages(paras, dpi=300)
    pdf = write_pdf([degrade(p, skew=0.7, seed=i) for i, p in enumerate(pages)], tmp_path / "scan.pdf", 300)
    assert len(pages) >= 1
    seen: list[tuple[int, int]] = []
    with ocr.use_ocr(progress=lambda name, done, total: seen.append((done, total))):
        doc = parse_file(pdf)
    assert body_tasks(doc) == body_tasks(text_doc)
    assert doc.document.layout == "pdf"
    assert seen[0] == (0, len(pages)) and seen[-1] == (len(pages), len(pages))
    page_notes = [p for p in doc.problems if p.code == "ocr_page"]
    assert [int(re.match(r"page (\d+):", p.message).group(1)) for p in page_notes] == list(range(1, len(pages) + 1))
    first = page_notes[0].message
    assert "mean confidence" in first and "deskewed -0.7" in first and "speckles removed" in first
    # every OCR'd word carries Tesseract's second readings (most none), aligned with its confidence
    result = ocr.ocr_file(pdf)
    for page in result.pages:
        assert [len(c) for c in page.word_choices] == [len(w) for w in page.word_confidence] == [len(line.split(" ")) for line in page.lines]
    doubted = [alts for page in result.pages for line_confs, line_alts in zip(page.word_confidence, page.word_choices) for c, alts in zip(line_confs, line_alts) if c < 93]
    assert any(doubted) and all(0 < conf <= 100 for alts in doubted for _, conf in alts)
    # the second read comes from the cache: Tesseract is not run again
    import pytesseract.pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "run_tesseract", lambda *a, **k: pytest.fail("OCR ran again despite the cache"))
    again = ocr.ocr_file(pdf)
    assert again.cached and again.ocr_pages == len(pages)
    assert body_tasks(parse_file(pdf)) == body_tasks(text_doc)


def _task_excerpt(plan: Path, n_paras: int = 10) -> list[str]:
    """The title lines of a corpus plan, the part heading over its first body task (when there is one)
    and ``n_paras`` printed paragraphs from that task on."""
    paras = plan_paragraphs(plan)
    first = norm(next(t.text for t in parse_file(plan).tasks if t.source == "body"))[:24]
    i = next(k for k, para in enumerate(paras) if first in norm(para))
    start = max((k for k in range(3, i) if re.match(r"^[IVX]+\s*[.\-–]\s", paras[k])), default=i)
    return paras[:3] + paras[start : i + n_paras]


@needs_tesseract
@pytest.mark.parametrize("variant", ["clean", "scanned"])
def test_every_corpus_plan_printed_and_scanned_reads_back_its_tasks(tmp_path, cache, variant):
    """Each of the seven corpus plans, an excerpt of its tasks printed on image-only pages (the scanned
    variant rotated and speckled), OCR'd and parsed: the same body tasks as the text, task by task, for at
    least 6 of the 7 (benchmarks/ocr.py reads the whole plans)."""
    plans = sorted(p for p in RAW.iterdir() if p.is_file())
    assert len(plans) == 7
    agree = []
    for n, plan in enumerate(plans):
        paras = _task_excerpt(plan)
        want = body_tasks(parse_text("\n".join(paras), plan.stem + ".txt"))
        pages, _ = render_pages(paras, dpi=300)
        if variant == "scanned":
            pages = [degrade(page, skew=0.6, seed=n * 10 + k) for k, page in enumerate(pages)]
        pdf = write_pdf(pages, tmp_path / f"{plan.stem}.{variant}.pdf", 300)
        got = body_tasks(parse_file(pdf))
        assert len(want) >= 3, plan.name
        agree.append(got == want)
    assert sum(agree) >= 6, [p.name for p, ok in zip(plans, agree) if not ok]


@needs_tesseract
def test_png_image_and_low_confidence_lines(tmp_path, cache):
    """An image file is OCR'd; lines below the confidence threshold are problems with page and line."""
    paras = excerpt(TAN_LAP, "a)", 4)
    pages, drawn = render_pages(paras, dpi=300, max_pages=1)
    png = tmp_path / "page.png"
    pages[0].save(png)
    with ocr.use_ocr(low_confidence=99.5):  # not part of the cache key: the same OCR, stricter report
        doc = parse_file(png)
    text_doc = parse_text("\n".join(paras), "excerpt.txt")
    assert body_tasks(doc) == body_tasks(text_doc)
    low = [p for p in doc.problems if p.code == "ocr_low_confidence"]
    assert low, "some line is below 99.5"
    result = ocr.ocr_file(png)
    page = result.pages[0]
    assert result.cached and page.source == "ocr" and page.confidence and page.confidence > 85
    m = re.match(r"page 1, line (\d+): OCR confidence (\d+) < 100; check by eye: '(.*)'$", low[0].message)
    assert m, low[0].message
    k = int(m.group(1))
    assert page.lines[k - 1].startswith(m.group(3)[:40])
    assert low[0].line == k  # one page: the raw line is the page line


@needs_tesseract
def test_mixed_page_is_read_both_ways(tmp_path, cache):
    """A page with a text layer and a pasted image of more text: both parts are read, in page order."""
    fpdf = pytest.importorskip("fpdf")
    img_paras = ["3. Tổ chức hội nghị quán triệt Nghị quyết đến toàn thể cán bộ, đảng viên.", "4. Xây dựng cơ sở dữ liệu số về khoa học, công nghệ của phường."]
    pages, _ = render_pages(img_paras, dpi=300)
    strip = pages[0].crop((0, 0, pages[0].width, round(pages[0].height * 0.3)))
    pdf = fpdf.FPDF()
    pdf.add_font("dejavu", "", str(font_path()))
    pdf.set_font("dejavu", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 7, "KẾ HOẠCH\n1. Tuyên truyền, phổ biến Nghị quyết số 57-NQ/TW.\n2. Rà soát các văn bản của phường.")
    pdf.image(strip, x=0, y=50, w=210)  # 30% of the page
    pdf.set_xy(10, 50 + 297 * 0.3 + 5)
    pdf.multi_cell(0, 7, "5. Báo cáo kết quả thực hiện hằng năm.")
    path = tmp_path / "mixed.pdf"
    pdf.output(str(path))
    result = ocr.ocr_file(path)
    assert [p.source for p in result.pages] == ["text+ocr"]
    tasks = [norm(t.text) for t in parse_file(path).tasks]
    starts = [norm(s) for s in ("Tuyên truyền, phổ", "Rà soát các văn", "Tổ chức hội nghị", "Xây dựng cơ sở", "Báo cáo kết quả")]
    assert len(tasks) == len(starts) and all(t.startswith(s) for t, s in zip(tasks, starts)), tasks
    with ocr.use_ocr(mode="never"):
        assert len(parse_file(path).tasks) == 3  # the text layer only


def test_scan_with_ocr_never_needs_ocr(tmp_path):
    pytest.importorskip("fpdf")
    from test_readers import _image_only_pdf

    path = _image_only_pdf(tmp_path / "scan.pdf")
    with pytest.raises(NoTextLayerError, match=r"scan\.pdf: a scan without a text layer \(2 pages, no text\); it needs OCR"):
        parse_file(path, ocr="never")
    png = tmp_path / "page.png"
    from PIL import Image

    Image.new("L", (50, 50), 255).save(png)
    with pytest.raises(NoTextLayerError, match=r"^page\.png: an image of a document; it needs OCR \(--ocr auto or always\) before it can be parsed$"):
        parse_file(png, ocr="never")


@needs_tesseract
def test_scan_without_any_text(tmp_path, cache):
    pytest.importorskip("fpdf")
    from test_readers import _image_only_pdf

    path = _image_only_pdf(tmp_path / "scan.pdf")
    with pytest.raises(NoTextLayerError, match=r"^scan\.pdf: a scan without a text layer \(2 pages\), and OCR found no text on it$"):
        parse_file(path)


def test_missing_tesseract_is_one_line_with_the_install_command(tmp_path, monkeypatch):
    pytest.importorskip("pytesseract")
    from PIL import Image

    png = tmp_path / "page.png"
    Image.new("L", (50, 50), 255).save(png)
    monkeypatch.setattr(ocr, "_ENGINE", {})
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    with pytest.raises(MissingToolError) as err:
        parse_file(png, ocr=ocr.OcrSettings(cache=False))
    assert str(err.value) == "OCR needs Tesseract, which is not installed: apt-get install tesseract-ocr tesseract-ocr-vie"
    assert err.value.exit_code == 2


@needs_tesseract
def test_missing_language_data_names_the_package(monkeypatch):
    monkeypatch.setattr(ocr, "_ENGINE", {})
    with pytest.raises(MissingToolError, match=r"^OCR needs Tesseract's xyz language data, which is not installed: apt-get install tesseract-ocr-xyz$"):
        ocr.check_tesseract("vie+xyz")


def test_bounds(tmp_path):
    from plancompare.errors import InputError
    from PIL import Image

    png = tmp_path / "big.png"
    Image.new("L", (2000, 1000), 255).save(png)
    with pytest.raises(InputError, match=r"big\.png: page 1 is 2000x1000 pixels; OCR reads at most 1,000,000 pixels per page"):
        ocr.ocr_file(png, settings=ocr.OcrSettings(max_page_pixels=1_000_000, cache=False))
    with pytest.raises(InputError, match=r"OCR reads files up to 100 bytes"):
        ocr.ocr_file(png, settings=ocr.OcrSettings(max_bytes=100, cache=False))


# ------------------------------------------------------------ old Word files


@needs_soffice
def test_doc_converted_by_libreoffice_same_tasks(tmp_path):
    """A .doc saved by LibreOffice from a .docx built like tests/test_readers.py's (Word numbering, tables)."""
    import subprocess

    from test_readers import DAK_LAK_283, assert_same_records, build_docx

    docx_path, numbered = build_docx(DAK_LAK_283, tmp_path / "283.docx", autonumber=True)
    assert numbered >= 20
    out = tmp_path / "doc"
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    # through .odt: LibreOffice 7.4 drops the tables of a .docx it saves straight to .doc
    for target, src in (("odt", docx_path), ("doc:MS Word 97", out / "283.odt")):
        subprocess.run(["soffice", profile, "--headless", "--convert-to", target, "--outdir", str(out), str(src)], check=True, capture_output=True, timeout=180)
    doc_path = out / "283.doc"
    assert doc_path.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a real Word 97 binary file
    with ocr.use_ocr(cache_dir=str(tmp_path / "cache")):
        parsed = assert_same_records(doc_path, DAK_LAK_283, indicators=True)
        assert parsed.document.layout == "docx"
        assert [p.code for p in parsed.problems if p.code == "converted_to_docx"] == ["converted_to_docx"]
        cached = list((tmp_path / "cache" / "convert").rglob("*.docx"))
        assert len(cached) == 1
        assert_same_records(doc_path, DAK_LAK_283)  # from the cache


def test_missing_libreoffice_is_one_line(tmp_path, monkeypatch):
    from plancompare.parse import convert

    doc = tmp_path / "old.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    monkeypatch.setattr(convert.shutil, "which", lambda name: None)
    with pytest.raises(MissingToolError) as err:
        parse_file(doc)
    assert str(err.value) == "reading .doc, .rtf and .odt files needs LibreOffice, which is not installed: apt-get install libreoffice-writer-nogui"


def test_mislabelled_doc_is_a_clear_error(tmp_path):
    from plancompare.errors import CorruptFileError

    doc = tmp_path / "notes.doc"
    doc.write_text("just text", encoding="utf-8")
    with pytest.raises(CorruptFileError, match=r"^notes\.doc: not a \.doc file \(its first bytes are not those of one\); it is damaged or mislabelled$"):
        parse_file(doc)


# ---------------------------------------------------------------------- CLI


def _cli(*args: str, env: dict | None = None):
    from typer.testing import CliRunner

    from plancompare.cli import app

    return CliRunner().invoke(app, list(args), env=env)


def test_cli_ocr_never_and_bad_mode(tmp_path):
    pytest.importorskip("fpdf")
    from test_readers import _image_only_pdf

    path = _image_only_pdf(tmp_path / "scan.pdf")
    r = _cli("parse", str(path), "--ocr", "never")
    assert r.exit_code == 2
    assert r.stderr == "plancompare: error: scan.pdf: a scan without a text layer (2 pages, no text); it needs OCR before it can be parsed\n"
    r = _cli("parse", str(path), "--ocr", "sometimes")
    assert r.exit_code == 2 and "Invalid value for '--ocr': 'sometimes' is not one of: auto, always, never" in r.stderr


def test_cli_missing_tesseract_exit_2(tmp_path, monkeypatch):
    pytest.importorskip("pytesseract")
    from PIL import Image

    png = tmp_path / "page.png"
    Image.new("L", (50, 50), 255).save(png)
    monkeypatch.setattr(ocr, "_ENGINE", {})
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    r = _cli("diff", str(png), str(TAN_LAP), env={"PLANCOMPARE_CACHE": str(tmp_path / "cache")})
    assert r.exit_code == 2
    assert r.stderr == "plancompare: error: OCR needs Tesseract, which is not installed: apt-get install tesseract-ocr tesseract-ocr-vie\n"


@needs_tesseract
def test_cli_parse_image_progress_on_stderr_data_on_stdout(tmp_path):
    import json

    paras = ["KẾ HOẠCH", "1. Tuyên truyền, phổ biến Nghị quyết số 57-NQ/TW.", "2. Rà soát các văn bản của phường."]
    pages, _ = render_pages(paras, dpi=300)
    png = tmp_path / "plan.png"
    pages[0].crop((0, 0, pages[0].width, pages[0].height // 5)).save(png)
    r = _cli("parse", str(png), "--format", "json", env={"PLANCOMPARE_CACHE": str(tmp_path / "cache")})
    assert r.exit_code == 0, r.stderr
    assert r.stderr == "OCR plan.png: page 1/1\n"
    doc = json.loads(r.stdout)
    assert [norm(t["text"]) for t in doc["tasks"]] == [norm(p[3:]) for p in paras[1:]]
    assert list((tmp_path / "cache" / "ocr").rglob("*.json"))
    r = _cli("parse", str(png), "--format", "json", "--ocr", "always", env={"PLANCOMPARE_CACHE": str(tmp_path / "cache")})
    assert r.exit_code == 0 and json.loads(r.stdout)["tasks"] == doc["tasks"]


@pytest.mark.skipif(font_path() is None, reason="no DejaVu Sans font to draw the test pages (apt-get install fonts-dejavu-core)")
def test_deskew_angle_and_speckle_detection():
    """The clean-up steps on their own (no Tesseract needed): the angle is found, speckles are told from ink."""
    pages, _ = render_pages(plan_paragraphs(TAN_LAP), dpi=200, max_pages=1)
    page = pages[0]
    assert abs(ocr._skew_angle(page)) <= 0.1
    assert abs(ocr._skew_angle(degrade(page, skew=1.2, noise=0)) + 1.2) <= 0.15
    assert abs(ocr._skew_angle(degrade(page, skew=-2.0, noise=0)) - 2.0) <= 0.15
    assert ocr._despeckle(page) is None
    assert ocr._despeckle(degrade(page, skew=0, noise=0.004)) is not None
    _, skew, denoised = ocr.prepare(degrade(page, skew=0.8), ocr.OcrSettings())
    assert denoised and abs(skew + 0.8) <= 0.15


def test_misread_part_numerals_are_repaired():
    page = ocr.OcrPage(page=1, source="ocr", lines=["I- MỤC ĐÍCH, YÊU CẦU", "1- Mục đích", "I- MỤC TIÊU", "IIl- NHIỆM VỤ VÀ GIẢI PHÁP", "I- Một việc viết thường", "1. Nội dung", "IV- TỔ CHỨC THỰC HIỆN"])
    assert ocr.fix_part_numerals([page]) == [(1, 3, "I", "II"), (1, 4, "IIl", "III")]
    assert page.lines == ["I- MỤC ĐÍCH, YÊU CẦU", "1- Mục đích", "II- MỤC TIÊU", "III- NHIỆM VỤ VÀ GIẢI PHÁP", "I- Một việc viết thường", "1. Nội dung", "IV- TỔ CHỨC THỰC HIỆN"]


def test_misread_list_letters_are_repaired_only_where_the_sequence_expects_them():
    pages = [ocr.OcrPage(page=1, source="ocr", lines=["k) Một việc.", "I) Hai việc.", "m) Ba việc."]), ocr.OcrPage(page=2, source="ocr", lines=["d) Bốn việc.", "d) Năm việc.", "I) Sáu việc.", "I. PHẦN HAI"])]
    fixes = ocr.fix_letter_labels(pages)
    assert fixes == [(1, 2, "I", "l"), (2, 2, "d", "đ")]
    assert pages[0].lines[1] == "l) Hai việc." and pages[1].lines[1] == "đ) Năm việc."
    assert pages[1].lines[2:] == ["I) Sáu việc.", "I. PHẦN HAI"]  # after 'đ)' comes 'e)': left as read
    raw = [ocr.OcrPage(page=1, source="ocr", lines=["k) Một việc.", "I) Hai việc."], line_confidence=[96.0, 91.0])]
    result = ocr.OcrResult(name="x.pdf", sha256="0" * 64, kind="pdf", engine="tesseract 5 vie", settings=ocr.OcrSettings(), pages=raw)
    text, problems = ocr.result_text(result)
    assert text == "k) Một việc.\nl) Hai việc.\n" and raw[0].lines[1] == "I) Hai việc."  # the cached result is not changed
    assert [(p.message, p.line) for p in problems if p.code == "ocr_label_fixed"] == [("page 1, line 2: label 'I' read by OCR taken as 'l', the one the sequence expects", 2)]


def test_ocr_time_does_not_count_against_the_parse_time_limit(tmp_path, monkeypatch):
    """corpus scan gives each file a parse time limit; OCR has its own bounds and pauses it."""
    import time

    from PIL import Image

    from plancompare.parse.limits import time_limit

    png = tmp_path / "page.png"
    Image.new("L", (50, 50), 255).save(png)

    def slow_ocr(data, name, sha, settings, engine):
        time.sleep(0.6)
        return ocr.OcrResult(name=name, sha256=sha, kind="image", engine="tesseract test", settings=settings, pages=[ocr.OcrPage(page=1, source="ocr", lines=["KẾ HOẠCH", "1. Một việc cần làm."], line_confidence=[95.0, 95.0])])

    monkeypatch.setattr(ocr, "_ocr_image_file", slow_ocr)
    with time_limit(0.3, "page.png"):
        result = ocr.ocr_file(png, settings=ocr.OcrSettings(cache=False))
    assert result.pages[0].lines[1] == "1. Một việc cần làm."


# ------------------------------------------------------------ word correction

needs_lexicon = pytest.mark.skipif(
    __import__("importlib.util").util.find_spec("underthesea") is None,
    reason="the tone-mark correction needs the underthesea package (pip install underthesea)",
)


def _confs(line: str, low: dict[str, float]) -> list[float]:
    return [low.get(w.strip(".,;:()"), 97.0) for w in line.split(" ")]


@needs_lexicon
def test_misread_tone_marks_are_corrected_from_their_neighbours():
    """A low-confidence word that makes no dictionary word with its neighbours takes the variant that does."""
    from plancompare.parse.ocr_correct import correct_line, load_lexicon

    lex = load_lexicon()
    line = "Phát triển hạ tâng số, khơi dậy tỉnh thần đổi mới."
    fixed, changes = correct_line(line, _confs(line, {"tâng": 85.0, "tỉnh": 72.0}), lex, 93.0)
    assert fixed == "Phát triển hạ tầng số, khơi dậy tinh thần đổi mới."
    assert [(c[1], c[2], c[3], c[4]) for c in changes] == [(3, "tâng", "tầng", 85.0), (7, "tỉnh", "tinh", 72.0)]
    assert "hạ tầng" in changes[0][5]
    # a word Tesseract is sure of is left as read, whatever its neighbours
    assert correct_line(line, _confs(line, {}), lex, 93.0) == (line, [])
    # capitals are kept; a line in capitals is corrected like any other
    assert correct_line("2. Tâm nhìn đến năm 2030", None, lex)[0] == "2. Tầm nhìn đến năm 2030"
    assert correct_line("PHÁT TRIỂN HẠ TÂNG", None, lex)[0] == "PHÁT TRIỂN HẠ TẦNG"


@needs_lexicon
def test_correct_words_are_left_alone():
    """Words that already make a dictionary word, names, and neighbours already taken by another compound."""
    from plancompare.parse.ocr_correct import correct_line, correct_lines, load_lexicon

    lex = load_lexicon()
    for line in ("Đầu tư hạ tầng số và đổi mới sáng tạo.", "Giao các cơ quan trong huyện thực hiện."):
        assert correct_line(line, None, lex) == (line, [])  # 'cơ quan trong' is not 'quan trọng'
    assert correct_line("Đồng chí Tâm nhìn nhận", None, lex)[0] == "Đồng chí Tâm nhìn nhận"  # a name inside a sentence
    # a compound runs on to the next line
    lines, changes = correct_lines(["đầu tư phát triển hạ", "tâng số của tỉnh"], None, lex)
    assert lines[1] == "tầng số của tỉnh" and changes[0][:4] == (1, 0, "tâng", "tầng")
    # ... but not into a compound its neighbour already makes on that line ('quan trọng', not 'tam quan')
    assert correct_lines(["nhận thức đầy đủ tâm", "quan trọng của chuyển đổi số"], None, lex)[1] == []


@needs_lexicon
@pytest.mark.skipif(__import__("importlib.util").util.find_spec("wordfreq") is None, reason="the frequency veto needs the wordfreq package")
def test_a_compound_does_not_turn_a_common_word_into_a_practically_unused_one():
    """'vào tròng' and 'dể người' are dictionary words, but 'trong' and 'để' are over a thousand times as
    frequent as 'tròng' and 'dể' in running text: the frequency veto keeps them; 0 turns the veto off."""
    from plancompare.parse.ocr_correct import canonical, correct_line, load_lexicon

    lex = load_lexicon()
    assert lex.freq(canonical("để")) > 1000 * lex.freq(canonical("dể")) > 0 and lex.freq(canonical("trong")) > 1000 * lex.freq(canonical("tròng"))
    for line in ("nhập từ nước ngoài vào trong nước.", "mở dữ liệu để người dân tra cứu"):
        assert correct_line(line, None, lex) == (line, [])
        assert correct_line(line, None, lex, min_ratio=0)[1]  # without the veto the compound would win
    # a rarer variant is still taken when it is not practically unused ('tham nhũng': 'những' is 186x as frequent)
    assert correct_line("phòng chống tham những, tiêu cực", None, lex)[0] == "phòng chống tham nhũng, tiêu cực"


def test_l_before_a_capital_is_a_misread_capital_i():
    from plancompare.parse.ocr_correct import fix_l_for_i

    lines, changes = fix_l_for_i(["Hạ tầng 5G/loT và tài khoản VNelD.", "lớp học, HOlD, Iot"])
    assert lines == ["Hạ tầng 5G/IoT và tài khoản VNeID.", "lớp học, HOlD, Iot"]
    assert [(c[0], c[1], c[2], c[3]) for c in changes] == [(0, 2, "5G/loT", "5G/IoT"), (0, 6, "VNelD.", "VNeID.")]
    assert fix_l_for_i(["5G/loT"], only=set()) == (["5G/loT"], [])
    # in a code, an 'l' beside an 'I' is the I's one stroke read twice; not in a capitalised word
    lines, changes = fix_l_for_i(["kết nối IloT; tài khoản (VNelID). và VNeIlD", "Illinois, Ilan"])
    assert lines == ["kết nối IoT; tài khoản (VNeID). và VNeID", "Illinois, Ilan"]
    assert [c[5] for c in changes[:2]] == ["an 'l' beside an 'I' inside a code is the I's stroke read twice"] * 2
    # a letter 'o' among digits is a zero; not in a word or a formula
    lines, changes = fix_l_for_i(["lấy mẫu o1 vị trí, năm 2o25; (o3) 1O. và o, Oanh, H2O, CO2"])
    assert lines == ["lấy mẫu 01 vị trí, năm 2025; (03) 10. và o, Oanh, H2O, CO2"]
    assert [c[2] for c in changes] == ["o1", "2o25;", "(o3)", "1O."] and changes[0][5] == "a letter 'o' among digits is a zero"


@needs_lexicon
def test_corrections_are_problems_and_can_be_turned_off():
    lines = ["Triển khai hạ tâng số trên nền tảng loT."]
    raw = [ocr.OcrPage(page=1, source="ocr", lines=lines, line_confidence=[90.0], word_confidence=[_confs(lines[0], {"tâng": 88.0})])]
    result = ocr.OcrResult(name="x.pdf", sha256="0" * 64, kind="pdf", engine="tesseract 5 vie", settings=ocr.OcrSettings(), pages=raw)
    text, problems = ocr.result_text(result)
    assert text == "Triển khai hạ tầng số trên nền tảng IoT.\n" and raw[0].lines == lines  # the cached result is not changed
    notes = [p for p in problems if p.code == "ocr_word_corrected"]
    assert [p.message for p in notes] == [
        "page 1, line 1, word 4: 'tâng' (OCR confidence 88) taken as 'tầng': it makes the dictionary word 'hạ tầng'",
        "page 1, line 1, word 9: 'loT.' taken as 'IoT.': a lower-case 'l' before a capital inside a word is a misread 'I'",
    ]
    assert all(p.line == 1 for p in notes)
    off = ocr.OcrSettings(correct_words=False)
    assert ocr.result_text(result, settings=off)[0] == lines[0] + "\n"


def test_without_the_dictionary_tone_marks_are_left_as_read(monkeypatch):
    from plancompare.parse import ocr_correct

    monkeypatch.setattr(ocr_correct, "load_lexicon", lambda: None)
    lines = ["Triển khai hạ tâng số."]
    raw = [ocr.OcrPage(page=1, source="ocr", lines=lines, line_confidence=[90.0], word_confidence=[[97.0, 97.0, 97.0, 80.0, 97.0]])]
    result = ocr.OcrResult(name="x.pdf", sha256="0" * 64, kind="pdf", engine="tesseract 5 vie", settings=ocr.OcrSettings(), pages=raw)
    text, problems = ocr.result_text(result)
    assert text == lines[0] + "\n"
    assert [p.code for p in problems if p.code.startswith("ocr_") and p.code != "ocr_page"] == ["ocr_not_corrected"]


@needs_lexicon
def test_corrector_rarely_changes_correct_text():
    """On the corpus texts (correct text), with every word reconsidered as if Tesseract had doubted it,
    the corrector changes few words; the confidence gate keeps most of those from ever being looked at."""
    from plancompare.parse.ocr_correct import correct_lines, document_pairs, fix_l_for_i, load_lexicon

    lex = load_lexicon()
    words = changed = with_pairs = 0
    for plan in sorted(RAW.iterdir()):
        paras = plan_paragraphs(plan)
        words += sum(len(p.split()) for p in paras)
        fixed, letters = fix_l_for_i(paras)
        changed += len(letters) + len(correct_lines(fixed, None, lex)[1])
        with_pairs += len(letters) + len(correct_lines(fixed, None, lex, evidence=document_pairs([(fixed, None)], None))[1])
    assert words > 50_000 and changed / words < 0.004, (changed, words)
    # the plan's own word pairs keep most of what the compounds alone would change
    assert with_pairs < changed and with_pairs / words < 0.002, (with_pairs, changed, words)


@needs_lexicon
def test_the_documents_own_confident_pairs_decide_where_no_compound_does():
    """'cân' (weigh) and 'cần' (need) make no compound with 'ta' or 'làm': the dictionary cannot choose, but
    the document itself reads 'ta cần' with confidence elsewhere, and never 'ta cân'."""
    from plancompare.parse.ocr_correct import correct_lines, document_pairs, load_lexicon

    lex = load_lexicon()
    doubted = "vì vậy chúng ta cân làm ngay"
    page = ["chúng ta cần nhận rõ trách nhiệm", "chúng ta cần quyết tâm thực hiện", doubted]
    confs = [_confs(page[0], {}), _confs(page[1], {}), _confs(doubted, {"cân": 80.0})]
    assert correct_lines(page, confs, lex, 93.0)[1] == []  # no compound, no change
    evidence = document_pairs([(page, confs)], 93.0)
    lines, changes = correct_lines(page, confs, lex, 93.0, evidence=evidence)
    assert lines[2] == "vì vậy chúng ta cần làm ngay"
    assert [(c[0], c[2], c[3]) for c in changes] == [(2, "cân", "cần")] and "2 times" in changes[0][5]
    # the evidence may come from another page of the document
    evidence = document_pairs([(page[:2], confs[:2]), ([doubted], confs[2:])], 93.0)
    assert correct_lines([doubted], confs[2:], lex, 93.0, evidence=evidence)[0] == ["vì vậy chúng ta cần làm ngay"]
    # one pair is not enough; pairs Tesseract doubted are no evidence; the word as read next to the same neighbour keeps it
    for other, other_confs in (
        (["chúng ta cần nhận rõ trách nhiệm"], [confs[0]]),
        (page[:2], [_confs(page[0], {"cần": 80.0}), _confs(page[1], {"ta": 85.0})]),
        (page[:2] + ["chúng ta cân nhắc kỹ"], confs[:2] + [_confs("chúng ta cân nhắc kỹ", {})]),
    ):
        evidence = document_pairs([(other, other_confs), ([doubted], confs[2:])], 93.0)
        assert correct_lines([doubted], confs[2:], lex, 93.0, evidence=evidence)[1] == [], other


@needs_lexicon
def test_the_documents_own_pairs_keep_a_word_a_compound_would_change():
    """'hằng năm' is written so throughout this document; the dictionary only knows 'hàng năm'.
    With every word reconsidered (no gate), the compound would change it; the document's pairs keep it."""
    from plancompare.parse.ocr_correct import correct_lines, document_pairs, load_lexicon

    lex = load_lexicon()
    page = ["báo cáo kết quả hằng năm", "kế hoạch hằng năm của tỉnh", "tổng kết hằng năm"]
    assert [c[3] for c in correct_lines(page, None, lex)[1]] == ["hàng"] * 3
    assert correct_lines(page, None, lex, evidence=document_pairs([(page, None)], None)) == (page, [])
    # a word's own pairs are no evidence for it: written once, the compound still wins
    once = ["báo cáo kết quả hằng năm"]
    assert [c[3] for c in correct_lines(once, None, lex, evidence=document_pairs([(once, None)], None))[1]] == ["hàng"]


@needs_lexicon
def test_document_pairs_across_pages_and_can_be_turned_off():
    page1, page2 = ["chúng ta cần nhận rõ trách nhiệm", "chúng ta cần quyết tâm thực hiện"], ["vì vậy chúng ta cân làm ngay"]
    raw = [
        ocr.OcrPage(page=1, source="ocr", lines=page1, line_confidence=[97.0, 97.0], word_confidence=[_confs(x, {}) for x in page1]),
        ocr.OcrPage(page=2, source="ocr", lines=page2, line_confidence=[90.0], word_confidence=[_confs(page2[0], {"cân": 80.0})]),
    ]
    result = ocr.OcrResult(name="x.pdf", sha256="0" * 64, kind="pdf", engine="tesseract 5 vie", settings=ocr.OcrSettings(), pages=raw)
    text, problems = ocr.result_text(result)
    assert text.endswith("vì vậy chúng ta cần làm ngay\n")
    assert [p.message for p in problems if p.code == "ocr_word_corrected"] == [
        "page 2, line 1, word 5: 'cân' (OCR confidence 80) taken as 'cần': the document reads it this way with the same neighbour 2 times, and never as read"
    ]
    off = ocr.OcrSettings(document_pairs=False)
    assert ocr.result_text(result, settings=off)[0].endswith("chúng ta cân làm ngay\n")


_HOCR = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><body><div class='ocr_page'><span class='ocr_line'>
<span class='ocrx_word' id='word_1_1' title='bbox 1 1 9 9; x_wconf 96'>
 <span class='ocrx_cinfo' title='x_bboxes 1 1 3 9; x_conf 99.5'>c</span>
 <span class='ocrx_cinfo' id='lstm_choices_1_1_1'><span class='ocrx_cinfo' id='choice_1' title='x_confs 95.1'>c</span></span>
 <span class='ocrx_cinfo' title='x_bboxes 3 1 6 9; x_conf 87.6'>\u00e2</span>
 <span class='ocrx_cinfo' id='lstm_choices_1_1_2'><span class='ocrx_cinfo' title='x_confs 87.6'>\u00e2</span><span class='ocrx_cinfo' title='x_confs 67.8'>\u1ea7</span><span class='ocrx_cinfo' title='x_confs 4.2'>a</span></span>
 <span class='ocrx_cinfo' title='x_bboxes 6 1 9 9; x_conf 99.1'>n</span>
</span>
<span class='ocrx_word' id='word_1_2' title='bbox 11 1 19 9; x_wconf 96'>
 <span class='ocrx_cinfo' title='x_bboxes 11 1 19 9; x_conf 99.5'>,</span>
</span></span></div></body></html>"""


def test_word_choices_from_hocr():
    """Tesseract's runner-up for a character makes a second reading of its word; weak runner-ups are dropped."""
    assert ocr.word_choices(_HOCR.encode()) == [[("cần", 67.8)], []]
    assert ocr.word_choices(_HOCR.encode(), expected=3) is None  # not the words of the TSV: none kept
    assert ocr.word_choices(b"<html") is None


@needs_lexicon
@pytest.mark.skipif(__import__("importlib.util").util.find_spec("wordfreq") is None, reason="the second reading's frequency rule needs the wordfreq package")
def test_tesseracts_second_reading_decides_where_no_compound_does():
    """'cân' (weigh) and 'cần' (need) make no compound with 'viên' or 'nhận': the dictionary cannot choose,
    but Tesseract itself hesitated ('cần' as its runner-up, 68) and running text uses 'cần' far more often."""
    from plancompare.parse.ocr_correct import RunnerUp, canonical, correct_lines, document_pairs, load_lexicon

    lex = load_lexicon()
    assert lex.freq(canonical("cần")) >= 10 * lex.freq(canonical("cân"))
    line = "cán bộ, đảng viên cân nhận thức đầy đủ"
    confs = [_confs(line, {"cân": 83.0})]
    alts = [[[("cần", 67.8)] if w == "cân" else [] for w in line.split(" ")]]
    assert correct_lines([line], confs, lex, 93.0)[1] == []  # without its second reading: no change
    lines, changes = correct_lines([line], confs, lex, 93.0, choices=alts)
    assert lines == ["cán bộ, đảng viên cần nhận thức đầy đủ"]
    assert [(c[2], c[3]) for c in changes] == [("cân", "cần")] and changes[0][5].startswith("Tesseract's second reading (confidence 68); running Vietnamese text uses it ")
    # a weak runner-up, the rule turned off, a confident word, or the document reading 'viên cân' with confidence: no change
    assert correct_lines([line], confs, lex, 93.0, choices=[[[("cần", 40.0)] if a else [] for a in alts[0]]])[1] == []
    assert correct_lines([line], confs, lex, 93.0, choices=alts, runner_up=RunnerUp(ratio=0))[1] == []
    assert correct_lines([line], [_confs(line, {})], lex, 93.0, choices=alts)[1] == []
    page = ["đảng viên cân nhắc kỹ", "đảng viên cân đối thu chi", line]
    page_confs = [_confs(page[0], {}), _confs(page[1], {}), confs[0]]
    evidence = document_pairs([(page, page_confs)], 93.0)
    assert correct_lines(page, page_confs, lex, 93.0, evidence=evidence, choices=[[], [], alts[0]])[1] == []
    # the rarer reading is never taken by frequency ('cần' read, 'cân' the runner-up)
    back = line.replace("cân", "cần")
    assert correct_lines([back], [_confs(back, {"cần": 83.0})], lex, 93.0, choices=[[[("cân", 80.0)] if w == "cần" else [] for w in back.split(" ")]])[1] == []


@needs_lexicon
def test_tesseracts_second_reading_breaks_a_tie_between_compounds():
    from plancompare.parse.ocr_correct import correct_lines, load_lexicon

    lex = load_lexicon()
    # a syllable whose two one-mark variants both make a compound with the same neighbour
    from plancompare.parse.ocr_correct import diacritic_edits, fold

    by_shape: dict[tuple[str, str], list[str]] = {}
    for k in sorted(lex.compounds):
        if len(k) == 2 and all(len(x) > 1 for x in k):
            by_shape.setdefault((fold(k[0]), k[1]), []).append(k[0])
    found = None
    for (shape, b), firsts in by_shape.items():
        for a, c in ((a, c) for i, a in enumerate(firsts) for c in firsts[i + 1 :] if diacritic_edits(a, c) == 2):
            mid = next((m for m in lex.variants.get(shape, ()) if diacritic_edits(m, a) == 1 and diacritic_edits(m, c) == 1 and (m, b) not in lex.compounds), None)
            if mid:
                found = (mid, a, c, b)
                break
        if found:
            break
    if found is None:
        pytest.skip("no such tie in this dictionary")
    mid, a, c, b = found
    line = f"{lex.spell(mid, mid)} {lex.spell(b, b)}"
    confs = [[80.0, 97.0]]
    assert correct_lines([line], confs, lex, 93.0)[1] == []  # a tie: no change
    for pick in (a, c):
        alts = [[[(lex.spell(pick, pick), 60.0)], []]]
        assert [ch[3] for ch in correct_lines([line], confs, lex, 93.0, choices=alts)[1]] == [lex.spell(pick, mid)]


def _page(n: int, lines: list[str], last_conf: float = 95.0):
    return ocr.OcrPage(page=n, source="ocr", lines=lines, line_confidence=[95.0] * (len(lines) - 1) + [last_conf], word_confidence=[[95.0] * len(x.split(" ")) for x in lines])


def test_a_misread_page_number_at_the_foot_follows_the_page_sequence():
    """Pages numbered from 2 on the second page (offset 0): page 3's foot read 'Ni' with low confidence is '3';
    a short low-confidence last line is left alone where the pages around it do not read their numbers."""
    pages = [_page(1, ["KẾ HOẠCH", "nội dung"]), _page(2, ["- Tuyên truyền", "2"]), _page(3, ["- Rà soát", "Ni"], 16.0), _page(4, ["- Báo cáo", "4"])]
    assert ocr.fix_page_numbers(pages) == [(3, 2, "Ni", "3")]
    assert pages[2].lines == ["- Rà soát", "3"]
    # a confident last line, a long one, or neighbours that do not read their numbers: no change
    for last, conf in (("Ni", 95.0), ("nhiệm vụ", 16.0)):
        pages = [_page(2, ["a", "2"]), _page(3, ["b", last], conf), _page(4, ["c", "4"])]
        assert ocr.fix_page_numbers(pages) == []
    pages = [_page(2, ["a", "2"]), _page(3, ["b", "Ni"], 16.0), _page(4, ["c", "Mi"], 16.0), _page(5, ["d", "5"])]
    assert ocr.fix_page_numbers(pages) == []  # each misread foot has a neighbour that does not read its number
    assert ocr.fix_page_numbers([_page(3, ["b", "Ni"], 16.0), _page(4, ["c", "4"])]) == []  # one page number is no sequence
    # reported as a problem of the read
    pages = [_page(1, ["- Tuyên truyền", "1"]), _page(2, ["- Rà soát", "Ni"], 16.0), _page(3, ["- Báo cáo", "3"])]
    result = ocr.OcrResult(name="x.pdf", sha256="0" * 64, kind="pdf", engine="tesseract 5 vie", settings=ocr.OcrSettings(correct_words=False), pages=pages)
    text, problems = ocr.result_text(result)
    assert text.splitlines()[3] == "2"
    assert [p.message for p in problems if p.code == "ocr_page_number_fixed"] == ["page 2, line 2: 'Ni' at the foot of the page taken as its page number 2, the one the pages around it call for"]


@needs_lexicon
@pytest.mark.skipif(__import__("importlib.util").util.find_spec("wordfreq") is None, reason="the usual-reading rule's frequency guard needs the wordfreq package")
def test_a_doubted_reading_of_a_print_the_document_reads_with_confidence_is_its_runner_up():
    """The document reads 'chỉ' with confidence three times ('chỉ đạo', 'chỉ số'); here Tesseract doubts its
    'chỉ' (85) and offers 'chi' (72): the printed word is 'chi' ('kinh phí chi cho nghiên cứu')."""
    from plancompare.parse.ocr_correct import RunnerUp, correct_lines, document_pairs, load_lexicon

    lex = load_lexicon()
    known = ["Ban chỉ đạo của tỉnh", "lãnh đạo, chỉ đạo thực hiện", "nâng cao chỉ số đổi mới"]
    doubted = "bảo đảm kinh phí chỉ cho nghiên cứu"

    def run(page, doubted_line, alts, word="chỉ", **rule):
        k_doubted = doubted_line.split(" ").index(word)
        confs = [_confs(x, {}) for x in page] + [_confs(doubted_line, {word: 85.0})]
        lines = page + [doubted_line]
        choices = [[] for _ in page] + [[alts if k == k_doubted else [] for k in range(len(doubted_line.split(" ")))]]
        evidence = document_pairs([(lines, confs)], 93.0)
        return correct_lines(lines, confs, lex, 93.0, evidence=evidence, choices=choices, runner_up=RunnerUp(**rule))

    lines, changes = run(known, doubted, [("chi", 72.0)])
    assert lines[-1] == "bảo đảm kinh phí chi cho nghiên cứu"
    assert [(c[2], c[3]) for c in changes] == [("chỉ", "chi")]
    assert changes[0][5] == "the document reads 'chỉ' with confidence 3 times, here only 85: Tesseract's second reading (confidence 72)"
    # fewer confident readings, the rule off, a weak runner-up, a runner-up the document also reads with confidence: no change
    assert run(known[:2], doubted, [("chi", 72.0)])[1] == []
    assert run(known, doubted, [("chi", 72.0)], usual=0)[1] == []
    assert run(known, doubted, [("chi", 40.0)])[1] == []
    also = known + ["khoản chi thường xuyên", "tổng chi ngân sách", "mức chi hỗ trợ"]
    assert run(also, doubted, [("chi", 72.0)])[1] == []
    # a runner-up ten times rarer than the word as read is not taken ('cần' read, 'cân' offered)
    need = ["chúng ta cần làm", "rất cần thiết", "cần quan tâm"]
    assert run(need, "các cơ quan đơn vị cần nhận thức", [("cân", 72.0)], word="cần")[1] == []
    assert run(need, "các cơ quan đơn vị cần nhận thức", [("cân", 72.0)], word="cần", ratio=0)[1] != []  # the guard is what keeps it


@needs_lexicon
def test_a_confident_word_takes_its_second_reading_only_for_a_compound():
    """'đây đủ' read at 94: above the gate, but Tesseract's own runner-up 'đầy' makes 'đầy đủ'; a confident word
    is reconsidered with that reading as its only candidate, and only a compound can take it."""
    from plancompare.parse.ocr_correct import RunnerUp, correct_lines, load_lexicon

    lex = load_lexicon()
    line = "thực hiện kịp thời, đây đủ cơ chế"
    confs = [_confs(line, {"đây": 94.0})]
    alts = [[[("đầy", 17.2)] if w == "đây" else [] for w in line.split(" ")]]
    assert correct_lines([line], confs, lex, 93.0)[1] == []  # without its second reading: read with confidence, left alone
    lines, changes = correct_lines([line], confs, lex, 93.0, choices=alts)
    assert lines == ["thực hiện kịp thời, đầy đủ cơ chế"]
    assert changes[0][5] == "it makes the dictionary word 'đầy đủ', and Tesseract read it so second"
    assert correct_lines([line], confs, lex, 93.0, choices=alts, runner_up=RunnerUp(confident=False))[1] == []
    # a second reading that makes no compound, or a variant Tesseract did not offer, does not move a confident word
    assert correct_lines([line], confs, lex, 93.0, choices=[[[("đấy", 60.0)] if w == "đây" else [] for w in line.split(" ")]])[1] == []
    other = "các cơ quan, đây là nhiệm vụ"
    assert correct_lines([other], [_confs(other, {"đây": 94.0})], lex, 93.0, choices=[[[("đầy", 40.0)] if w == "đây" else [] for w in other.split(" ")]])[1] == []
