"""The HTML report rendered in a real browser: headless Chromium (Debian's
`chromium` package; `.ci/run` installs it when missing).

* ``--dump-dom`` gives the DOM after the page's script ran: the counts are
  there, the filter script marked ``<body data-filter-ready="yes">``, and the
  URL fragment ``#only=dropped`` leaves exactly the dropped rows visible.
* ``--screenshot`` gives a PNG that is large and not one flat colour.
* ``--print-to-pdf`` applies the print stylesheet: A4 pages, each parent section
  on a page of its own, the filter bar hidden.

Both languages (Vietnamese, the default, and English) are rendered.
Set PLANCOMPARE_UPDATE_SCREENSHOT=1 to refresh docs/report-vi.png and docs/report-en.png.
The test is skipped only when no Chromium binary is found.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest

from _corpus import FILES, RAW, ROOT
from plancompare.align import compare
from plancompare.parse import parse_file
from plancompare.views.report import write_html

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM = next((p for p in (shutil.which(b) for b in BROWSERS) if p), None)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium binary found (install Debian's package: apt-get install -y chromium)")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


@lru_cache(maxsize=None)
def comparison():
    return compare(parse_file(RAW / FILES["146"]), parse_file(RAW / FILES["tanlap"]))


@pytest.fixture(scope="module", params=["vi", "en"])
def report(request, tmp_path_factory) -> Path:
    return write_html(comparison(), tmp_path_factory.mktemp("report") / f"báo cáo 146 {request.param}.html", lang=request.param)


def lang_of(report: Path) -> str:
    return report.stem.rsplit(" ", 1)[1]


def chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(tmp)})


def dump_dom(tmp: Path, url: str) -> str:
    r = chromium(tmp, "--dump-dom", url)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "<body" in r.stdout, r.stderr[-2000:]
    return r.stdout


def body_attrs(dom: str) -> dict[str, str]:
    tag = re.search(r"<body([^>]*)>", dom).group(1)
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))


def test_rendered_dom_shows_the_counts_and_the_script_ran(report, tmp_path):
    c = comparison()
    s = c.summary
    dom = dump_dom(tmp_path, report.as_uri())
    attrs = body_attrs(dom)
    assert attrs["data-filter-ready"] == "yes"  # set by the inline script after it ran
    assert attrs["data-visible"] == str(len(c.pairs)) == attrs["data-pairs"]
    assert attrs["data-filter"] == "copied,changed,dropped,added,related"
    vi = lang_of(report) == "vi"
    pct = f"{s.coverage:.1%}"
    assert f'<b id="coverage">{pct.replace(".", ",") if vi else pct}</b>' in dom
    for k in ("copied", "changed", "dropped", "added"):
        assert f'<b data-count="{k}">{s.statuses[k]}</b>' in dom
    shown = f"hiển thị {len(c.pairs)}/{len(c.pairs)}" if vi else f"{len(c.pairs)} of {len(c.pairs)} shown"
    assert re.search(f'<span id="shown" data-template="[^"]+">{shown}</span>', dom)  # written by the script
    assert ('<html lang="vi">' in dom) is vi and ("Tỷ lệ kế thừa theo mục" in dom) is vi
    # Vietnamese survives the browser round trip
    assert "Phấn đấu đến hết năm 2030 tỷ lệ chi cho khoa học" in dom
    assert "UBND phường Tân Lập" in dom


def test_filter_by_status_in_the_browser(report, tmp_path):
    c = comparison()
    dom = dump_dom(tmp_path, report.as_uri() + "#only=dropped")
    attrs = body_attrs(dom)
    n_dropped = sum(1 for p in c.pairs if p.status.value == "dropped")
    assert attrs["data-filter-ready"] == "yes" and attrs["data-filter"] == "dropped"
    assert attrs["data-visible"] == str(n_dropped) == "4"
    rows = re.findall(r'<tr class="(\w+)" data-status="\w+"[^>]*?( hidden="")?>', dom)
    assert len(rows) == len(c.pairs)
    assert sorted(st for st, hidden in rows if not hidden) == ["dropped"] * n_dropped
    shown = f"hiển thị {n_dropped}/{len(c.pairs)}" if lang_of(report) == "vi" else f"{n_dropped} of {len(c.pairs)} shown"
    assert re.search(f'<span id="shown" data-template="[^"]+">{shown}</span>', dom)


def test_screenshot_is_produced_and_not_blank(report, tmp_path):
    png = tmp_path / "report.png"
    r = chromium(tmp_path, f"--screenshot={png}", "--window-size=1280,2000", report.as_uri())
    assert r.returncode == 0 and png.exists(), r.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000
    try:
        from PIL import Image
    except ImportError:  # PIL is optional: the byte size above must do
        Image = None
    if Image is not None:
        with Image.open(png) as im:
            assert im.size == (1280, 2000)
            rgb = im.convert("RGB")
            colours = rgb.getcolors(maxcolors=1 << 16)
            assert colours is None or len(colours) > 50  # text, bars, badges: many colours
            # the coverage chart's green, amber and red bars are drawn
            small = rgb.resize((320, 500))
            px = {c for _, c in small.getcolors(maxcolors=1 << 20)}
            assert any(g > 100 and r < 80 and b < 80 for r, g, b in px)  # copied (green)
            assert any(r > 170 and g < 80 and b < 80 for r, g, b in px)  # dropped (red)
    if os.environ.get("PLANCOMPARE_UPDATE_SCREENSHOT"):
        _save_docs_screenshot(png, lang_of(report))


def test_print_to_pdf_is_a4_with_a_page_per_section(tmp_path):
    """The print stylesheet does not depend on the language: printed once, in Vietnamese (the default)."""
    report = write_html(comparison(), tmp_path / "báo cáo.html")
    pdf = tmp_path / "report.pdf"
    r = chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", report.as_uri())
    assert r.returncode == 0 and pdf.exists(), r.stderr[-2000:]
    import pdfplumber

    c = comparison()
    with pdfplumber.open(pdf) as doc:
        pages = doc.pages
        assert all((round(p.width), round(p.height)) == (595, 842) for p in pages)  # A4 in points
        texts = [p.extract_text() or "" for p in pages]
    # each parent section starts a new page: its heading is at the top of a page
    starts = []
    for s in c.summary.sections:
        head = f"{s.section_path}"
        hit = [i for i, t in enumerate(texts) if t.lstrip().startswith(head + " ") or t.lstrip().startswith(head + "\n")]
        assert hit, (s.section_path, [t[:60] for t in texts])
        starts.append(hit[0])
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert len(pages) > len(c.summary.sections)
    assert not any("Phấn đấu" in t and ("Hiển thị:" in t or "Show:" in t) for t in texts)  # the filter bar is not printed


def _save_docs_screenshot(png: Path, lang: str) -> None:
    """docs/report-LANG.png: the top 1280x1500 of the page, palette PNG (< 400 KB)."""
    from PIL import Image

    dest = ROOT / "docs" / f"report-{lang}.png"
    dest.parent.mkdir(exist_ok=True)
    with Image.open(png) as im:
        top = im.convert("RGB").crop((0, 0, 1280, 1500))
        top.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(dest, optimize=True)
    assert dest.stat().st_size < 400_000


def test_filter_related_in_the_browser(tmp_path):
    # 03/NQ-CP restructures 57-NQ/TW: some tasks are shown with a weak (related) counterpart
    c = compare(parse_file(RAW / FILES["57"]), parse_file(RAW / FILES["03"]))
    n_related = sum(1 for p in c.pairs if p.related)
    assert n_related
    page = write_html(c, tmp_path / "57-03.html", lang="en")
    dom = dump_dom(tmp_path, page.as_uri() + "#only=related")
    attrs = body_attrs(dom)
    assert attrs["data-filter-ready"] == "yes" and attrs["data-filter"] == "related"
    assert attrs["data-visible"] == str(n_related)
    visible = re.findall(r'<tr class="(\w+)" data-status="(\w+)"( data-related="yes")?[^>]*?( hidden="")?>', dom)
    assert sorted(st for st, _, rel, hidden in visible if not hidden) == sorted(p.status.value for p in c.pairs if p.related)
    assert all(rel for _, _, rel, hidden in visible if not hidden)
    assert "not counted as carried" in dom and "confidence" in dom
