"""Make scans of corpus plans: text drawn on image-only pages, as a scanner would deliver them.

Used by tests/test_ocr.py (a page or two) and benchmarks/ocr.py (every plan). Each
logical paragraph of a corpus text (the 'clean' stage's lines, markdown markup
removed) is wrapped to the page width and drawn with DejaVu Sans (Vietnamese
glyphs) at 12 pt on A4 pages at ``dpi``; each page gets a centred page number at
the foot, like a printed plan. ``skew``/``noise`` make the scanned variant: the
page rotated by a few tenths of a degree and speckled with salt-and-pepper noise.
The pages are written to a PDF with Pillow, which embeds the images only (no text
layer).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts")
_MD = re.compile(r"^#{1,6}\s+")
_EMPH = re.compile(r"\*\*|__|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w)")


def font_path() -> Path | None:
    for d in FONT_DIRS:
        p = Path(d) / "DejaVuSans.ttf"
        if p.exists():
            return p
    return None


def plan_paragraphs(txt: Path) -> list[str]:
    """The paragraphs a printed version of ``txt`` shows: logical lines without markdown markup.

    A table row ('| a | b |') is drawn as its cells separated by wide gaps."""
    from plancompare.parse import run_stages

    out: list[str] = []
    for ln in run_stages(txt, "clean").lines:
        t = _EMPH.sub("", _MD.sub("", ln.text.strip()))
        if re.match(r"^\|?\s*:?-{3,}", t):  # a markdown table rule
            continue
        if t.startswith("|") or "\t" in t:
            cells = [c.strip() for c in re.split(r"\t|\|", t) if c.strip()]
            t = "    ".join(cells)
        if t.strip():
            out.append(t.strip())
    return out


def _wrap(text: str, font, width: float) -> list[str]:
    words, lines, cur = text.split(), [], ""
    for w in words:
        trial = f"{cur} {w}" if cur else w
        if cur and font.getlength(trial) > width:
            lines.append(cur)
            cur = w
        else:
            cur = trial
    if cur:
        lines.append(cur)
    return lines


def render_pages(paragraphs: list[str], *, dpi: int = 300, max_pages: int | None = None, size_pt: float = 12.0):
    """Grayscale A4 page images with ``paragraphs`` drawn on them, and the lines drawn (the reference text)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(font_path()), size=round(size_pt * dpi / 72))
    w, h = round(8.27 * dpi), round(11.69 * dpi)
    margin_l, margin_r, margin_t, margin_b = round(1.1 * dpi), round(0.8 * dpi), round(0.8 * dpi), round(0.9 * dpi)
    step = round(size_pt * 1.45 * dpi / 72)
    pages, drawn, page_lines = [], [], []
    img = draw = None
    y = 0

    def new_page():
        nonlocal img, draw, y
        if img is not None:
            _footer(draw, len(pages) + 1)
            pages.append(img)
        img = Image.new("L", (w, h), 255)
        draw = ImageDraw.Draw(img)
        y = margin_t

    def _footer(d, n):
        label = str(n)
        d.text(((w - font.getlength(label)) / 2, h - margin_b + step), label, font=font, fill=0)

    new_page()
    for para in paragraphs:
        for line in _wrap(para, font, w - margin_l - margin_r):
            if y + step > h - margin_b:
                drawn.append(page_lines)
                page_lines = []
                if max_pages and len(pages) + 1 >= max_pages:
                    _footer(draw, len(pages) + 1)
                    pages.append(img)
                    return pages, drawn
                new_page()
            draw.text((margin_l, y), line, font=font, fill=0)
            page_lines.append(line)
            y += step
    _footer(draw, len(pages) + 1)
    pages.append(img)
    drawn.append(page_lines)
    return pages, drawn


def degrade(img, *, skew: float = 0.6, noise: float = 0.004, seed: int = 7):
    """The page as a cheap scanner delivers it: slightly rotated, speckled with black and white dots."""
    from PIL import Image

    rng = random.Random(seed)
    out = img.rotate(skew, resample=Image.BICUBIC, expand=False, fillcolor=255)
    px = out.load()
    n = int(out.width * out.height * noise)
    for _ in range(n):
        x, y = rng.randrange(out.width), rng.randrange(out.height)
        px[x, y] = 0 if rng.random() < 0.5 else 255
    return out


def write_pdf(pages, out: Path, dpi: int = 300) -> Path:
    """An image-only PDF (no text layer), one page per image."""
    first, rest = pages[0], pages[1:]
    first.save(out, "PDF", save_all=True, append_images=rest, resolution=float(dpi))
    return out


def scan_pdf(txt: Path, out: Path, *, dpi: int = 300, max_pages: int | None = None, scanned: bool = False) -> tuple[Path, list[list[str]]]:
    """Render ``txt`` to an image-only PDF; returns the path and the lines drawn on each page."""
    pages, drawn = render_pages(plan_paragraphs(txt), dpi=dpi, max_pages=max_pages)
    if scanned:
        pages = [degrade(p, seed=i) for i, p in enumerate(pages)]
    return write_pdf(pages, out, dpi), drawn
