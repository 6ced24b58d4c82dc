"""OCR for scanned plans: image-only PDF pages and images (.png, .jpg, .tif) -> text.

Tesseract with its Vietnamese model (Debian ``tesseract-ocr`` + ``tesseract-ocr-vie``)
through ``pytesseract``: its ``image_to_data`` gives every word with its confidence
and its block/paragraph/line, which is what the per-page mean confidence and the
low-confidence lines (reported as ``problems`` with page and line) need. Pages are
rendered with pypdfium2 (already installed with pdfplumber), converted to grayscale,
cleaned of speckle noise with a 3x3 median filter when they are noisy, and deskewed
(the angle that makes the text rows sharpest, searched within ±3°) before Tesseract
reads them.

Per PDF page, with ``mode``:

* ``never``: the text layer only (a scan then fails with NoTextLayerError, as before);
* ``auto``: pages with no text layer are OCR'd; pages with a text layer and images
  covering much of the page ("mixed") are read both ways: the text layer plus the
  OCR lines that the text layer does not contain, in page order;
* ``always``: every page is OCR'd and its text layer ignored.

The text produced follows the PDF reader's conventions (one line per printed line,
pages in order), so the hard wraps, page numbers and running headers of a scan go
through the same ``clean`` stage as any PDF text.

Words Tesseract was unsure of are then checked from context (parse/ocr_correct.py:
a misread tone mark gives way to the variant that makes a compound word of the
dictionary with its neighbours); each change is an ``ocr_word_corrected`` problem.
This runs on every read, after the cache.

The result (an :class:`OcrResult`) is cached by the file's SHA-256 and the OCR
settings in ``<cache>/ocr/``: a second run reads the JSON instead of OCR'ing again.
Settings and progress reach the reader through :func:`use_ocr` (a context
variable), so ``parse_file``, ``load``, ``Corpus.scan`` need no new argument chains.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import io
import json
import os
import re
import shutil
import time
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Literal

from ..modelbase import base

from ..errors import InputError, MissingToolError, NoTextLayerError
from ..models import Problem
from .hocr import word_choices
from .ocr_layout import fix_letter_labels, fix_page_numbers, fix_part_numerals

if TYPE_CHECKING:
    from pydantic import BaseModel, ConfigDict, Field
else:  # pydantic's, or the light base in the fast diff's process (see plancompare.modelbase)
    BaseModel, ConfigDict, Field, _ = base()

__all__ = [
    "IMAGE_SUFFIXES",
    "OcrSettings",
    "OcrPage",
    "OcrResult",
    "use_ocr",
    "current_settings",
    "check_tesseract",
    "ocr_file",
    "result_text",
    "default_cache_dir",
]

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
CACHE_VERSION = 3  # 2: per-word confidences kept; 3: Tesseract's second readings of each word kept
OcrMode = Literal["auto", "always", "never"]
Progress = Callable[[str, int, int], None]  # (file name, pages done, pages total)

INSTALL = "apt-get install tesseract-ocr tesseract-ocr-vie"


class OcrSettings(BaseModel):
    """How scans are read. Frozen; the fields that change the text are part of the cache key."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mode: OcrMode = Field("auto", description="auto: OCR pages without a text layer (mixed pages both ways); always: OCR every page; never: no OCR.")
    lang: str = Field("vie", description="Tesseract language model(s), e.g. 'vie' or 'vie+eng'.")
    dpi: int = Field(300, ge=72, le=600, description="Resolution PDF pages are rendered at for OCR.")
    deskew: bool = Field(True, description="Straighten pages rotated by up to 3 degrees before OCR.")
    denoise: bool = Field(True, description="Median-filter pages that carry speckle noise before OCR.")
    low_confidence: float = Field(60.0, ge=0, le=100, description="A line whose mean word confidence is below this becomes an ocr_low_confidence problem.")
    correct_words: bool = Field(True, description="Correct misread words (parse/ocr_correct.py): tone marks and diacritics from context with the underthesea dictionary, 'l' before a capital as 'I'; each change is an ocr_word_corrected problem.")
    correct_below: float = Field(93.0, ge=0, le=100, description="Only words Tesseract read with a confidence below this are reconsidered by the tone-mark correction.")
    rarer_veto: float = Field(1000.0, ge=0, description="The tone-mark correction keeps a word when the variant its compounds call for is this many times rarer in running Vietnamese text (wordfreq syllable frequencies; 0: no veto).")
    runner_up_min: float = Field(50.0, ge=0, le=100, description="A doubted word's second reading (Tesseract's runner-up for one of its characters, kept from the OCR) is weighed by the tone-mark correction only when Tesseract gave it at least this confidence.")
    runner_up_ratio: float = Field(10.0, ge=0, description="A doubted word that no compound and no document pair decides takes Tesseract's second reading when running Vietnamese text uses that syllable at least this many times as often as the one read (wordfreq; 0: off).")
    runner_up_usual: int = Field(3, ge=0, description="A doubted word also takes Tesseract's second reading when the same document reads the word as read with confidence at least this many times elsewhere (needs document_pairs; 0: off).")
    runner_up_confident: bool = Field(True, description="Also reconsider a word read at or above correct_below when Tesseract offered a second reading of it: that reading is its only candidate, and only a dictionary compound it makes (two more words than as read) can take it.")
    document_pairs: bool = Field(True, description="The tone-mark correction also weighs the word pairs the same document reads with confidence (at or above correct_below): a doubted word takes the variant that stands with the same neighbour elsewhere in the document, and a compound does not override the word as read where those pairs clearly keep it.")
    mixed_image_share: float = Field(0.25, ge=0, le=1, description="A text page whose images cover at least this share of the page is also OCR'd.")
    max_pages: int = Field(500, ge=1, description="Refuse to OCR files with more pages than this.")
    max_bytes: int = Field(300 * 1024 * 1024, ge=1, description="Refuse to OCR files larger than this.")
    max_page_pixels: int = Field(60_000_000, ge=1_000_000, description="A page is rendered at a lower resolution if it would exceed this many pixels.")
    page_timeout: float = Field(300.0, gt=0, description="Seconds Tesseract may spend on one page.")
    cache: bool = Field(True, description="Keep OCR results by file content hash and reuse them.")
    cache_dir: str | None = Field(None, description="Cache folder (default: $PLANCOMPARE_CACHE, else $XDG_CACHE_HOME/plancompare, else ~/.cache/plancompare).")

    def fingerprint(self, engine: str) -> str:
        keyed = {k: getattr(self, k) for k in ("mode", "lang", "dpi", "deskew", "denoise", "mixed_image_share")}
        keyed.update(engine=engine, version=CACHE_VERSION)
        return hashlib.sha256(json.dumps(keyed, sort_keys=True).encode()).hexdigest()[:16]


class OcrPage(BaseModel):
    page: int = Field(description="1-based page number in the file.")
    source: Literal["text", "ocr", "text+ocr", "empty"] = Field(description="text: text layer only; ocr: OCR only; text+ocr: a mixed page read both ways.")
    lines: list[str] = Field(default_factory=list, description="The page's lines in reading order.")
    line_confidence: list[float | None] = Field(default_factory=list, description="Per line: the mean confidence of its OCR'd words; None for a text-layer line.")
    word_confidence: list[list[float]] = Field(default_factory=list, description="Per OCR'd line: the confidence of each of its words (space-separated, in order); empty for a text-layer page.")
    word_choices: list[list[list[tuple[str, float]]]] = Field(default_factory=list, description="Per OCR'd line and word (as word_confidence): Tesseract's second readings of the word, (the word with one character replaced by Tesseract's runner-up for it, that runner-up's confidence), strongest first; empty when Tesseract had no runner-up of at least 10.")
    confidence: float | None = Field(None, description="Mean word confidence of the OCR'd words (None when not OCR'd or no words).")
    words: int = 0
    skew: float = Field(0.0, description="Degrees the page was rotated back by the deskew step.")
    denoised: bool = False
    seconds: float = 0.0


class OcrResult(BaseModel):
    """The text of a scanned file, page by page."""

    name: str
    sha256: str
    kind: Literal["pdf", "image"]
    engine: str = Field(description="'tesseract 5.3.0' (and the language), or 'none' when no page was OCR'd.")
    settings: OcrSettings
    pages: list[OcrPage]
    skipped: list[int] = Field(default_factory=list, description="Pages with a text layer and images that were not OCR'd because Tesseract is missing.")
    seconds: float = Field(0.0, description="Time spent producing this result (OCR and rendering).")
    cached: bool = Field(False, description="True when read from the cache.")

    @property
    def ocr_pages(self) -> int:
        return sum(1 for p in self.pages if p.source in ("ocr", "text+ocr"))

    @property
    def mean_confidence(self) -> float | None:
        conf = [(p.confidence, p.words) for p in self.pages if p.confidence is not None and p.words]
        total = sum(w for _, w in conf)
        return round(sum(c * w for c, w in conf) / total, 2) if total else None


# ----------------------------------------------------------- settings context

_CURRENT: contextvars.ContextVar[tuple[OcrSettings, Progress | None]] = contextvars.ContextVar("plancompare_ocr", default=(OcrSettings(), None))


@contextlib.contextmanager
def use_ocr(settings: OcrSettings | None = None, progress: Progress | None = None, **changes: Any) -> Iterator[OcrSettings]:
    """Read files with these OCR settings (and page progress callback) inside the block.

    ``use_ocr(mode="never")`` changes fields of the current settings."""
    base, prev_progress = _CURRENT.get()
    s = settings or base
    if changes:
        s = s.model_copy(update=changes)
        s = OcrSettings.model_validate(s.model_dump())  # validate the changed fields
    token = _CURRENT.set((s, progress if progress is not None else prev_progress))
    try:
        yield s
    finally:
        _CURRENT.reset(token)


def current_settings() -> OcrSettings:
    return _CURRENT.get()[0]


def _progress() -> Progress | None:
    return _CURRENT.get()[1]


def default_cache_dir() -> Path:
    env = os.environ.get("PLANCOMPARE_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "plancompare"


# ------------------------------------------------------------------- engine

_ENGINE: dict[str, str] = {}


def check_tesseract(lang: str = "vie") -> str:
    """The engine name ('tesseract 5.3.0 vie'); a one-line MissingToolError naming the package when absent."""
    if lang in _ENGINE:
        return _ENGINE[lang]
    try:
        import pytesseract
    except ImportError as e:
        raise MissingToolError("OCR needs the pytesseract package: pip install pytesseract (and " + INSTALL + ")") from e
    exe = shutil.which(pytesseract.pytesseract.tesseract_cmd) or shutil.which("tesseract")
    if exe is None:
        raise MissingToolError(f"OCR needs Tesseract, which is not installed: {INSTALL}")
    try:
        version = str(pytesseract.get_tesseract_version()).split()[0]
        langs = set(pytesseract.get_languages(config=""))
    except Exception as e:  # TesseractNotFoundError, a broken installation
        raise MissingToolError(f"OCR needs Tesseract, which does not run ({type(e).__name__}): {INSTALL}") from e
    missing = [lg for lg in lang.split("+") if lg not in langs]
    if missing:
        pkgs = " ".join(f"tesseract-ocr-{lg.lower().replace('_', '-')}" for lg in missing)
        raise MissingToolError(f"OCR needs Tesseract's {'+'.join(missing)} language data, which is not installed: apt-get install {pkgs}")
    _ENGINE[lang] = f"tesseract {version} {lang}"
    return _ENGINE[lang]


# ------------------------------------------------------------ image clean-up

def _despeckle(gray: Any) -> Any | None:
    """The page median-filtered (3x3) if it carries speckle noise, else None.

    Speckles are the dark pixels the median filter removes far from any remaining
    ink (nothing dark within 3 pixels); on a clean page only stroke edges change."""
    import numpy as np
    from PIL import ImageFilter

    # measured on a band across the middle of the page (a quarter of it): 4x cheaper, same verdict
    band = gray.crop((0, gray.height * 3 // 8, gray.width, gray.height * 5 // 8))
    dark = np.asarray(band) < 128
    if not dark.any():
        return None
    far = np.asarray(band.filter(ImageFilter.MedianFilter(3)).filter(ImageFilter.MinFilter(7))) >= 128
    share = float((dark & far).sum()) / float(dark.sum())
    return gray.filter(ImageFilter.MedianFilter(3)) if share > 0.002 else None


def _skew_angle(gray: Any, limit: float = 3.0) -> float:
    """The rotation (degrees) that makes text rows sharpest: the variance of row sums is largest."""
    import numpy as np
    from PIL import Image

    small = gray.copy()
    small.thumbnail((1000, 1000))
    inv = Image.eval(small, lambda v: 255 - v)

    def score(angle: float) -> float:
        rot = np.asarray(inv.rotate(angle, resample=Image.BILINEAR, fillcolor=0), dtype=np.float32)
        rows = rot.sum(axis=1)
        return float(np.diff(rows).var())

    best = max((a / 4 for a in range(int(-limit * 4), int(limit * 4) + 1)), key=score)
    fine = max((best + d / 20 for d in range(-5, 6)), key=score)
    return round(fine, 2)


def prepare(img: Any, settings: OcrSettings) -> tuple[Any, float, bool]:
    """Grayscale, median-filtered when noisy, deskewed: (image, skew in degrees, denoised)."""
    from PIL import Image, ImageOps

    gray = ImageOps.exif_transpose(img) if hasattr(img, "getexif") else img
    gray = gray.convert("L")
    denoised = False
    if settings.denoise:
        med = _despeckle(gray)
        if med is not None:
            gray, denoised = med, True
    skew = 0.0
    if settings.deskew:
        skew = _skew_angle(gray)
        if abs(skew) >= 0.1:
            gray = gray.rotate(skew, resample=Image.BICUBIC, expand=False, fillcolor=255)
        else:
            skew = 0.0
    return gray, skew, denoised


_WS = re.compile(r"\s+")


@contextlib.contextmanager
def paused_time_limit() -> Iterator[None]:
    """Stop the per-file parse time limit (parse/limits.py) while OCR or a conversion runs:
    those are bounded by their own limits (pages, seconds per page, the converter's timeout)."""
    import signal
    import threading

    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return
    remaining, interval = signal.getitimer(signal.ITIMER_REAL)
    if remaining <= 0:
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, 0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, remaining, interval)


@contextlib.contextmanager
def _single_thread() -> Iterator[None]:
    """Tesseract's OpenMP threads fight over shared cores (4x slower on a busy 2-core machine
    than one thread); run it single-threaded unless OMP_THREAD_LIMIT says otherwise."""
    if "OMP_THREAD_LIMIT" in os.environ:
        yield
        return
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        yield
    finally:
        os.environ.pop("OMP_THREAD_LIMIT", None)


def _clean_line(text: str) -> str:
    return unicodedata.normalize("NFC", _WS.sub(" ", text)).strip()


_TESSERACT_CONFIG = "--psm 3 -c lstm_choice_mode=2 -c hocr_char_boxes=1 -c tessedit_create_tsv=1 -c tessedit_create_hocr=1"


def _tesseract(gray: Any, settings: OcrSettings) -> tuple[dict[str, list[Any]], bytes]:
    """One Tesseract run on a page: its words as TSV (as ``image_to_data`` gives them) and the same
    recognition as hOCR with each character's alternatives (``lstm_choice_mode=2``), which does not
    change the words or their confidences."""
    from pytesseract.pytesseract import file_to_dict, run_tesseract, save

    with save(gray) as (base, image_file):
        run_tesseract(image_file, base, "tsv hocr", settings.lang, config=_TESSERACT_CONFIG, timeout=settings.page_timeout)
        tsv = Path(base + ".tsv").read_text(encoding="utf-8")
        hocr = Path(base + ".hocr").read_bytes()
    return file_to_dict(tsv, "\t", -1), hocr


def _line_groups(data: dict[str, list[Any]], choices: list[list[tuple[str, float]]] | None) -> list[dict[str, Any]]:
    """Tesseract's words (TSV rows) grouped by line, in reading order: each line's words, their
    confidences and second readings (``choices``, one per TSV word; none when None), its top row."""
    groups: dict[tuple[int, int, int], dict[str, Any]] = {}
    n_word = -1
    for i, word in enumerate(data["text"]):
        if int(data["level"][i]) == 5:
            n_word += 1
        w = (word or "").strip()
        conf = float(data["conf"][i])
        if not w or conf < 0:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        g = groups.setdefault(key, {"words": [], "conf": [], "choices": [], "top": data["top"][i]})
        g["words"].append(w)
        g["conf"].append(conf)
        g["choices"].append(choices[n_word] if choices is not None and 0 <= n_word < len(choices) else [])
        g["top"] = min(g["top"], data["top"][i])
    return list(groups.values())


def ocr_image(img: Any, settings: OcrSettings, page: int) -> tuple[OcrPage, list[float]]:
    """OCR one page image: the :class:`OcrPage` and the top pixel row of each of its lines."""
    import pytesseract

    t0 = time.perf_counter()
    gray, skew, denoised = prepare(img, settings)
    try:
        with _single_thread():
            data, hocr = _tesseract(gray, settings)
    except RuntimeError as e:  # pytesseract raises RuntimeError on timeout
        raise InputError(f"page {page}: OCR took longer than {settings.page_timeout:.0f} s and was stopped") from e
    except pytesseract.TesseractError as e:
        raise InputError(f"page {page}: Tesseract failed ({str(e).strip().splitlines()[-1][:160] if str(e).strip() else 'no message'})") from e
    groups = _line_groups(data, word_choices(hocr, sum(1 for level in data["level"] if int(level) == 5)))
    lines: list[str] = []
    tops: list[float] = []
    confs: list[float | None] = []
    word_confs: list[list[float]] = []
    word_alts: list[list[list[tuple[str, float]]]] = []
    all_conf: list[float] = []
    for g in groups:  # Tesseract's reading order
        words = [_clean_line(w) for w in g["words"]]
        kept = [(w, c, alt) for w, c, alt in zip(words, g["conf"], g["choices"]) if w]
        if not kept:
            continue
        conf = sum(g["conf"]) / len(g["conf"])
        all_conf.extend(g["conf"])
        lines.append(" ".join(w for w, _, _ in kept))
        tops.append(g["top"])
        confs.append(round(conf, 1))
        word_confs.append([round(c, 1) for w, c, _ in kept for _ in w.split(" ")])
        word_alts.append([alt if len(w.split(" ")) == 1 else [] for w, _, alt in kept for _ in w.split(" ")])
    out = OcrPage(
        page=page,
        source="ocr" if lines else "empty",
        lines=lines,
        line_confidence=confs,
        word_confidence=word_confs,
        word_choices=word_alts,
        confidence=round(sum(all_conf) / len(all_conf), 2) if all_conf else None,
        words=len(all_conf),
        skew=skew,
        denoised=denoised,
        seconds=round(time.perf_counter() - t0, 3),
    )
    return out, tops


# ---------------------------------------------------------------------- pdf

def _pdf_page_plan(pdf: Any, settings: OcrSettings) -> list[tuple[bool, float]]:
    """Per page: (has a text layer, share of the page covered by images), via pdfium (fast)."""
    import pypdfium2.raw as pdfium_c

    out = []
    for i in range(len(pdf)):
        page = pdf[i]
        w, h = page.get_size()
        tp = page.get_textpage()
        text = tp.get_text_range() or ""
        tp.close()
        has_text = bool(re.sub(r"\s", "", text))
        area = 0.0
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            left, bottom, right, top = obj.get_bounds() if hasattr(obj, "get_bounds") else obj.get_pos()  # pypdfium2 5 / 4
            area += max(0.0, min(right, w) - max(left, 0.0)) * max(0.0, min(top, h) - max(bottom, 0.0))
        out.append((has_text, min(1.0, area / (w * h)) if w * h else 0.0))
        page.close()
    return out


def pdf_needs_ocr(data: bytes, settings: OcrSettings | None = None) -> bool:
    """True when some page of the PDF would be OCR'd under ``settings`` (cheap: no text extraction)."""
    s = settings or current_settings()
    if s.mode == "never":
        return False
    if s.mode == "always":
        return True
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception:
        return False  # let the PDF reader report the damage
    try:
        return any((not has_text) or share >= s.mixed_image_share for has_text, share in _pdf_page_plan(pdf, s))
    finally:
        pdf.close()


def _render(page: Any, settings: OcrSettings) -> tuple[Any, float]:
    w, h = page.get_size()
    scale = settings.dpi / 72
    pixels = w * scale * h * scale
    if pixels > settings.max_page_pixels:  # an oversized page: lower the resolution, never the bound
        scale *= (settings.max_page_pixels / pixels) ** 0.5
    return page.render(scale=scale, grayscale=True).to_pil(), scale


def _text_layer_lines(data: bytes, pages: set[int]) -> dict[int, list[tuple[float, str]]]:
    """(top in points, line) of the text layer of the given 0-based pages, with the PDF reader's rules."""
    import pdfplumber
    from pdfplumber.utils.text import chars_to_textmap

    from .readers import _dedupe_chars

    out: dict[int, list[tuple[float, str]]] = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for i in sorted(pages):
            tm = chars_to_textmap(_dedupe_chars(pdf.pages[i].chars), x_tolerance_ratio=0.15)
            rows = tm.extract_text_lines(return_chars=False)
            out[i] = [(float(r["top"]), _clean_line(r["text"])) for r in rows if _clean_line(r["text"])]
    return out


def _merge(text_lines: list[tuple[float, str]], ocr: OcrPage, tops: list[float], scale: float) -> tuple[list[str], list[float | None], list[list[float]], list[list[list[tuple[str, float]]]]]:
    """A mixed page: the text layer's lines plus the OCR lines it does not contain, in page order."""
    from rapidfuzz import fuzz

    def norm(s: str) -> str:
        return re.sub(r"[\W_]+", "", s.casefold())

    layer = " ".join(norm(t) for _, t in text_lines)
    merged: list[tuple[float, str, float | None, list[float], list[list[tuple[str, float]]]]] = [(top, t, None, [], []) for top, t in text_lines]
    alternatives = ocr.word_choices or [[] for _ in ocr.lines]
    for top, line, conf, words, alts in zip(tops, ocr.lines, ocr.line_confidence, ocr.word_confidence, alternatives):
        n = norm(line)
        if not n:
            continue
        if n in layer or (len(n) >= 8 and fuzz.partial_ratio(n, layer) >= 90):
            continue
        merged.append((top / scale, line, conf, words, alts))
    merged.sort(key=lambda x: x[0])
    return [m[1] for m in merged], [m[2] for m in merged], [m[3] for m in merged], [m[4] for m in merged]


def _ocr_pdf(data: bytes, name: str, sha: str, settings: OcrSettings, engine_check: Callable[[], str]) -> OcrResult:
    import pypdfium2 as pdfium

    t0 = time.perf_counter()
    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as e:
        from ..errors import CorruptFileError

        raise CorruptFileError(f"{name}: the PDF is damaged and cannot be read ({type(e).__name__})", path=name) from e
    try:
        n = len(pdf)
        if n == 0:
            from ..errors import CorruptFileError

            raise CorruptFileError(f"{name}: the PDF has no pages; it is damaged or incomplete", path=name)
        if n > settings.max_pages:
            raise InputError(f"{name}: {n} pages; OCR reads at most {settings.max_pages} pages per file", path=name)
        plan = _pdf_page_plan(pdf, settings)
        todo = [i for i, (has_text, share) in enumerate(plan) if settings.mode == "always" or not has_text or share >= settings.mixed_image_share]
        mixed = {i for i in todo if plan[i][0] and settings.mode == "auto"}
        engine, skipped = "none", []
        if todo:
            try:
                engine = engine_check()
            except MissingToolError:
                if settings.mode != "auto" or not all(plan[i][0] for i in todo):
                    raise
                skipped, todo, mixed = [i + 1 for i in todo], [], set()  # text pages with images: text layer only
        layer = _text_layer_lines(data, {i for i in range(n) if plan[i][0] and (i not in todo or i in mixed)})
        pages: list[OcrPage] = []
        cb = _progress()
        done = 0
        if cb and todo:
            cb(name, 0, len(todo))
        for i in range(n):
            if i not in todo:
                pages.append(OcrPage(page=i + 1, source="text", lines=[t for _, t in layer.get(i, [])]))
                continue
            page = pdf[i]
            try:
                img, scale = _render(page, settings)
            finally:
                page.close()
            op, tops = ocr_image(img, settings, i + 1)
            if i in mixed:
                lines, confs, words, alts = _merge(layer.get(i, []), op, tops, scale)
                op = op.model_copy(update={"source": "text+ocr", "lines": lines, "line_confidence": confs, "word_confidence": words, "word_choices": alts})
            pages.append(op)
            done += 1
            if cb:
                cb(name, done, len(todo))
    finally:
        pdf.close()
    return OcrResult(name=name, sha256=sha, kind="pdf", engine=engine, settings=settings, pages=pages, skipped=skipped, seconds=round(time.perf_counter() - t0, 3))


def _ocr_image_file(data: bytes, name: str, sha: str, settings: OcrSettings, engine_check: Callable[[], str]) -> OcrResult:
    from PIL import Image, UnidentifiedImageError

    from ..errors import CorruptFileError

    t0 = time.perf_counter()
    Image.MAX_IMAGE_PIXELS = max(settings.max_page_pixels, Image.MAX_IMAGE_PIXELS or 0)
    try:
        im = Image.open(io.BytesIO(data))
        frames = getattr(im, "n_frames", 1)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as e:
        raise CorruptFileError(f"{name}: not a readable image ({type(e).__name__}); it is damaged or mislabelled", path=name) from e
    if frames > settings.max_pages:
        raise InputError(f"{name}: {frames} pages; OCR reads at most {settings.max_pages} pages per file", path=name)
    pages: list[OcrPage] = []
    cb = _progress()
    engine = ""
    for i in range(frames):
        try:
            im.seek(i)
            if im.width * im.height > settings.max_page_pixels:
                raise InputError(f"{name}: page {i + 1} is {im.width}x{im.height} pixels; OCR reads at most {settings.max_page_pixels:,} pixels per page", path=name)
            frame = im.copy()
        except InputError:
            raise
        except (OSError, ValueError, EOFError) as e:
            raise CorruptFileError(f"{name}: image page {i + 1} cannot be decoded ({type(e).__name__}); the file is damaged", path=name) from e
        if not engine:
            engine = engine_check()
            if cb:
                cb(name, 0, frames)
        pages.append(ocr_image(frame, settings, i + 1)[0])
        if cb:
            cb(name, i + 1, frames)
    return OcrResult(name=name, sha256=sha, kind="image", engine=engine, settings=settings, pages=pages, seconds=round(time.perf_counter() - t0, 3))


# -------------------------------------------------------------------- cache

def _cache_file(settings: OcrSettings, sha: str, engine: str) -> Path:
    root = Path(settings.cache_dir) if settings.cache_dir else default_cache_dir()
    return root / "ocr" / sha[:2] / f"{sha}-{settings.fingerprint(engine)}.json"


def _cache_engine(settings: OcrSettings) -> str:
    """The engine part of the cache key, without running Tesseract when it is not needed."""
    try:
        return check_tesseract(settings.lang)
    except MissingToolError:
        return "none"


def ocr_file(path: str | Path, data: bytes | None = None, settings: OcrSettings | None = None) -> OcrResult:
    """OCR a scanned PDF or an image file (cached by content hash)."""
    p = Path(path)
    s = settings or current_settings()
    if data is None:
        data = p.read_bytes()
    name = p.name
    if len(data) > s.max_bytes:
        raise InputError(f"{name}: {len(data):,} bytes; OCR reads files up to {s.max_bytes:,} bytes", path=name)
    sha = hashlib.sha256(data).hexdigest()
    kind = "image" if p.suffix.lower() in IMAGE_SUFFIXES else "pdf"
    if kind == "image" and s.mode == "never":
        raise NoTextLayerError(f"{name}: an image of a document; it needs OCR (--ocr auto or always) before it can be parsed", path=name)
    cache = _cache_file(s, sha, _cache_engine(s)) if s.cache else None
    if cache is not None and cache.exists():
        try:
            hit = OcrResult.model_validate_json(cache.read_bytes())
            return hit.model_copy(update={"cached": True, "name": name})
        except (OSError, ValueError):
            pass  # a damaged cache entry: OCR again and overwrite it

    def engine() -> str:
        return check_tesseract(s.lang)

    with paused_time_limit():
        result = _ocr_image_file(data, name, sha, s, engine) if kind == "image" else _ocr_pdf(data, name, sha, s, engine)
    if cache is not None and result.engine != "none":
        from ..io import atomic_write

        try:
            atomic_write(cache, result.model_dump_json() + "\n")
        except InputError:
            pass
        except Exception:  # an unwritable cache never fails the read
            pass
    return result


def _correct_words(pages: list[OcrPage], settings: OcrSettings) -> tuple[list[Any], Problem | None]:
    """Correct misread words on the OCR'd lines of the pages, in place (parse/ocr_correct.py); the
    corrections, and a note when the tone-mark correction's dictionary is not installed."""
    if not settings.correct_words or not pages:
        return [], None
    from .ocr_correct import Correction, RunnerUp, correct_lines, document_pairs, fix_l_for_i, load_lexicon

    lex = load_lexicon()
    note = None
    if lex is None:
        note = Problem(code="ocr_not_corrected", severity="info", message="OCR tone marks were not checked from context: the dictionary package is not installed (pip install underthesea)")
    corrections: list[Correction] = []
    fixed = [fix_l_for_i(pg.lines, {n for n, w in enumerate(pg.word_confidence) if w}) for pg in pages]
    evidence = document_pairs([(lines, pg.word_confidence) for (lines, _), pg in zip(fixed, pages)], settings.correct_below) if lex is not None and settings.document_pairs else None
    for pg, (lines, changes) in zip(pages, fixed):
        pg.lines = lines
        if lex is not None:
            pg.lines, more = correct_lines(pg.lines, pg.word_confidence, lex, settings.correct_below, min_ratio=settings.rarer_veto, evidence=evidence, choices=pg.word_choices or None, runner_up=RunnerUp(settings.runner_up_min, settings.runner_up_ratio, settings.runner_up_usual, settings.runner_up_confident))
            changes = sorted(changes + more, key=lambda c: c[:2])
        corrections.extend(Correction(page=pg.page, line=n + 1, word=k + 1, was=was, now=now, confidence=conf, reason=why) for n, k, was, now, conf, why in changes)
    return corrections, note


def _repair_problems(page: int, first: int, fixes: dict[tuple[int, int], tuple[str, str]], page_numbers: dict[tuple[int, int], tuple[str, str]], corrections: list[Any]) -> list[Problem]:
    """The problems that report the repairs made on one page (its first line is ``first`` in the text)."""
    out = [
        Problem(code="ocr_label_fixed", severity="info", message=f"page {page}, line {k}: label '{was}' read by OCR taken as '{now}', the one the sequence expects", line=first + k - 1)
        for (page_no, k), (was, now) in fixes.items()
        if page_no == page
    ]
    out += [
        Problem(code="ocr_page_number_fixed", severity="info", message=f"page {page}, line {k}: '{was}' at the foot of the page taken as its page number {now}, the one the pages around it call for", line=first + k - 1)
        for (page_no, k), (was, now) in page_numbers.items()
        if page_no == page
    ]
    out += [
        Problem(
            code="ocr_word_corrected",
            severity="info",
            message=f"page {c.page}, line {c.line}, word {c.word}: '{c.was}'{f' (OCR confidence {c.confidence:.0f})' if c.confidence is not None else ''} taken as '{c.now}': {c.reason}",
            line=first + c.line - 1,
        )
        for c in corrections
        if c.page == page
    ]
    return out


def result_text(result: OcrResult, low_confidence: float | None = None, settings: OcrSettings | None = None) -> tuple[str, list[Problem]]:
    """The text (pages in order, one line per printed line) and the problems to report.

    Problems: one ``ocr_page`` (info) per OCR'd page with its mean confidence, and one
    ``ocr_low_confidence`` (warning) per line below the threshold, each with the
    page, the line on the page and the raw line in the text. ``settings``: those of this read
    (the word correction's), by default the ones the OCR ran with."""
    threshold = result.settings.low_confidence if low_confidence is None else low_confidence
    lines: list[str] = []
    problems: list[Problem] = []
    pages = [p.model_copy(update={"lines": list(p.lines)}) for p in result.pages]
    ocr_pages = [p for p in pages if p.source != "text"]
    fixes = {(pg, ln): (a, b) for pg, ln, a, b in fix_letter_labels(ocr_pages) + fix_part_numerals(ocr_pages)}
    page_numbers = {(pg, ln): (a, b) for pg, ln, a, b in fix_page_numbers(ocr_pages, threshold)}
    corrections, correction_note = _correct_words(ocr_pages, settings or result.settings)
    for pg in pages:
        first = len(lines) + 1
        lines.extend(pg.lines)
        if pg.source in ("ocr", "text+ocr", "empty") and result.engine != "none":
            how = "read from its text layer and by OCR" if pg.source == "text+ocr" else "OCR"
            conf = f"mean confidence {pg.confidence:.1f} over {pg.words} words" if pg.confidence is not None else "no text found"
            extra = "".join(
                [f", deskewed {pg.skew:+.2f}°" if pg.skew else "", ", speckles removed" if pg.denoised else ""]
            )
            problems.append(Problem(code="ocr_page", severity="info", message=f"page {pg.page}: {how}, {conf}{extra}", line=first if pg.lines else None, line_end=len(lines) if pg.lines else None))
        problems.extend(_repair_problems(pg.page, first, fixes, page_numbers, corrections))
        for k, (text, conf) in enumerate(zip(pg.lines, pg.line_confidence), start=1):
            if conf is None or conf >= threshold:
                continue
            problems.append(
                Problem(
                    code="ocr_low_confidence",
                    severity="warning",
                    message=f"page {pg.page}, line {k}: OCR confidence {conf:.0f} < {threshold:.0f}; check by eye: '{text[:80]}'",
                    line=first + k - 1,
                )
            )
    if correction_note:
        problems.append(correction_note)
    if result.skipped:
        pages = ", ".join(map(str, result.skipped))
        problems.append(Problem(code="ocr_skipped", severity="warning", message=f"page(s) {pages} also carry images, which were not OCR'd: {INSTALL}"))
    text = "\n".join(lines)
    if not text.strip():
        n = len(result.pages)
        raise NoTextLayerError(f"{result.name}: a scan without a text layer ({n} page{'s' if n != 1 else ''}), and OCR found no text on it", path=result.name)
    return text + "\n", problems


# ------------------------------------------------------------ the read hook

def read_scan_or_old(path: Path, data: bytes, raw: Any, *, limits: Any = None) -> bool:
    """The 'read' stage's hook: fill ``raw`` (text, layout, problems) for a scan or an old Word file.

    Returns False when the file is an ordinary PDF the text-layer reader handles."""
    from .readers import docx_text, finish_text

    suffix = path.suffix.lower()
    s = current_settings()
    if suffix in (".doc", ".rtf", ".odt"):
        from .convert import to_docx

        with paused_time_limit():
            docx = to_docx(data, path.name, suffix, cache_dir=s.cache_dir, use_cache=s.cache)
        raw.text, raw.layout = finish_text(docx_text(docx, path.name, limits=limits)), "docx"
        raw.problems = [Problem(code="converted_to_docx", severity="info", message=f"{suffix} file converted to .docx with LibreOffice and read as .docx")]
        return True
    if suffix == ".pdf" and not pdf_needs_ocr(data, s):
        return False
    result = ocr_file(path, data, s)
    text, problems = result_text(result, s.low_confidence, s)
    raw.text, raw.layout, raw.problems = finish_text(text), "pdf", problems
    return True


def with_ocr(ocr: "OcrSettings | str") -> Any:
    """``use_ocr`` for an OcrSettings or a bare mode name."""
    if isinstance(ocr, OcrSettings):
        return use_ocr(ocr)
    if ocr not in ("auto", "always", "never"):
        raise InputError(f"OCR mode {ocr!r} is not one of: auto, always, never")
    return use_ocr(mode=ocr)
