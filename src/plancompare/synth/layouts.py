"""Rendering a planned draft in the layouts of the corpus (:func:`render`).

The same draft (same ``seed``) renders in five layouts that imitate the corpus: ``plain``
(one paragraph per line, like 283-KH/TU), ``pdf_text`` (hard-wrapped at ~80 characters, a
blank line after every physical line, ragged indentation, document numbers split as '57-' /
'NQ/TW', like the Tân Lập ward plan), ``web_scrape`` (metadata pipe table, the opening repeated
and truncated, the part headings and most section headings lost, site text at the end, like
146/KH-UBND), ``markdown`` (``#`` headings, bold labels, like 03/NQ-CP) and ``site_markdown``
(a legal-document website's markdown). The first line of every draft is
:data:`~.elements.SYNTHETIC_MARKER`.

The truth must stay exact after parsing, so the renderers avoid what the parser cannot undo
(see the notes in tests/pairs/README.md): a wrapped line never starts with something that
reads as a list marker ('4.0 ...', '- xã hội'); re-wrapped task lines break only before
lower-case words; ``web_scrape`` keeps the headings of section 3 and of the last task section
(all of them for dash items).
"""

from __future__ import annotations

import re
from random import Random

from .elements import SYNTHETIC_MARKER, Element, elements, item_head
from .model import ChildPlan
from .wrap import bold_wrapped, pdf_wrap, rewrap_lines, site_wrap

__all__ = ["LAYOUTS", "DETECTED_LAYOUT", "render"]

LAYOUTS = ("plain", "pdf_text", "web_scrape", "markdown", "site_markdown")
#: the layout the parser detects for each: a legal-document site's markdown is markdown
DETECTED_LAYOUT = {"site_markdown": "markdown"}


class _Lines(list[str]):
    """The lines of a rendered text; :meth:`para` adds a paragraph (and a blank line after it)."""

    def __init__(self, blank: bool = True) -> None:
        super().__init__()
        self.blank = blank

    def para(self, *lines: str) -> None:
        self.extend(lines)
        if self.blank:
            self.append("")

    def text(self) -> str:
        return "\n".join(self).rstrip() + "\n"


def _first_lines(el: Element, first: str, rng: Random) -> list[str]:
    """An item's first paragraph, re-wrapped when the plan marked it so."""
    return rewrap_lines(first, rng) if el.rewrap else [first]


# ------------------------------------------------------------------ plain


def _render_plain(els: list[Element], plan: ChildPlan, rng: Random) -> str:
    sep = plan.roman_sep
    out = _Lines(blank=rng.random() < 0.5)
    for el in els:
        if el.kind == "marker":
            out += [el.text, ""]
        elif el.kind in ("letterhead", "recipients", "signature"):
            out.para(*el.subs)
        elif el.kind in ("kind", "title", "para", "obj", "closing"):
            out.para(el.text)
        elif el.kind == "part":
            out.para(f"{el.label}{sep} {el.text}")
        elif el.kind in ("sub", "section"):
            out.para(f"{el.label}. {el.text}")
        elif el.kind == "item":
            out.para(*_first_lines(el, item_head(el) + el.text, rng), *el.subs)
        elif el.kind == "num_item":
            out.para(f"{el.label}. {el.text}", *el.subs)
    return out.text()


# ------------------------------------------------------------------ pdf_text


def _pdf_logical(els: list[Element], sep: str) -> list[tuple[str, bool]]:
    """The logical lines of the PDF text: (text, wrap?)."""
    logical: list[tuple[str, bool]] = []
    for el in els:
        if el.kind in ("marker", "kind"):
            logical.append((el.text, False))
        elif el.kind == "letterhead":
            # the two letterhead columns come out of a PDF as short lines, one after the other
            unit, ward = el.subs[0].split(" PHƯỜNG ", 1)
            logical += [(unit, False), (f"PHƯỜNG {ward}", False)] + [(s, False) for s in el.subs[1:5]]
        elif el.kind in ("recipients", "signature"):
            logical += [(s, False) for s in el.subs]
        elif el.kind in ("title", "para", "obj", "closing"):
            logical.append((el.text, True))
        elif el.kind == "part":
            logical.append((f"{el.label}{sep} {el.text}", True))
        elif el.kind in ("sub", "section"):
            logical.append((f"{el.label}. {el.text}", True))
        elif el.kind in ("item", "num_item"):
            head = item_head(el) if el.kind == "item" else f"{el.label}. "
            logical.append((head + el.text, True))
            logical += [(s, True) for s in el.subs]
    return logical


def _line_key(ln: str) -> str:
    return re.sub(r"\s+", " ", ln.strip())


def _pdf_physical(logical: list[tuple[str, bool]], width: int, rng: Random) -> list[list[str]]:
    """Wrap; re-wrap paragraphs whose physical lines would repeat >= 3 times (short lines repeated
    on many pages are what running headers look like; keep the drafts clear of that)."""
    widths = [width] * len(logical)
    for _ in range(6):
        phys = [pdf_wrap(text, wd, rng) if wrap else [text] for (text, wrap), wd in zip(logical, widths)]
        counts: dict[str, int] = {}
        for lines in phys:
            for ln in lines:
                counts[_line_key(ln)] = counts.get(_line_key(ln), 0) + 1
        bad = [i for i, lines in enumerate(phys) if logical[i][1] and any(counts[_line_key(ln)] >= 3 and 3 <= len(ln.strip()) <= 100 for ln in lines)]
        if not bad:
            break
        for i in bad:
            widths[i] = widths[i] + rng.choice([-7, -5, 5, 7])
    return phys


def _render_pdf(els: list[Element], plan: ChildPlan, rng: Random) -> str:
    width = rng.choice([78, 80, 82, 84])
    phys = _pdf_physical(_pdf_logical(els, plan.roman_sep), width, rng)
    out: list[str] = []
    for lines in phys:
        for ln in lines:
            ind = rng.choice(["", "", "", " ", "  "])
            trail = rng.choice(["", " ", " "])
            out.append(ind + ln + trail if out else ln)  # the marker line stays exact
            out.append(rng.choice(["", "", " "]))
    return "\n".join(out).rstrip() + "\n"


# ------------------------------------------------------------------ web_scrape


def _web_header(p: ChildPlan) -> tuple[list[str], list[str]]:
    """(the page's opening: marker, title line, metadata table; the scraped letterhead cells)."""
    name = p.place
    dstr = f"{p.date.day:02d}/{p.date.month:02d}/{p.date.year}"
    opening = [SYNTHETIC_MARKER.format(seed=p.seed),
               f"Kế hoạch {p.number} năm {p.date.year} triển khai {p.subject} trên địa bàn phường {name} theo {p.parent_ref}",
               f"| Số hiệu | {p.number} |", f"| Ngày ban hành | {dstr} |", f"| Ngày có hiệu lực | {dstr} |", "| Loại văn bản | Kế hoạch |",
               f"| Cơ quan ban hành | Phường {name} |", f"| Người ký | {p.signer} |", "| Lĩnh vực | Công nghệ thông tin |"]
    letterhead = ["|", "ỦY BAN NHÂN DÂN |", f"PHƯỜNG {name.upper()} |", "CỘNG HÒA XÃ HỘI", "CHỦ NGHĨA VIỆT NAM |", "|", f"Số: {p.number} |",
                  f"{name}, ngày {p.date.day:02d} tháng {p.date.month:02d} năm {p.date.year} |"]
    return opening, letterhead


def _web_kept_headings(els: list[Element], p: ChildPlan, rng: Random) -> tuple[set[int], bool]:
    """(the section numbers whose headings survive the scrape, whether the part headings do).

    Letter/decimal items reveal lost headings by their restarts; dash items do not."""
    sections = [e for e in els if e.kind == "section"]
    keep_sections: set[int] = set()
    if p.style == "dash":
        keep_sections = {e.index for e in sections}
    elif len(sections) >= 3:
        # like 146/KH-UBND: section 3 and the last section keep their headings (see the
        # module notes on what the parser cannot recover without them)
        keep_sections = {3, sections[-1].index} | {e.index for e in sections[3:-1] if rng.random() < 0.25}
    return keep_sections, p.style == "dash" or len(sections) < 3


def _web_body(els: list[Element], keep_sections: set[int], keep_parts: bool, rng: Random) -> list[str]:
    """The page's text of the plan: no letterhead, title or recipients; lost headings left out."""
    body: list[str] = []
    for el in els:
        lost = (el.kind == "part" and not keep_parts) or (el.kind == "section" and el.index not in keep_sections)
        if lost or el.kind in ("marker", "letterhead", "kind", "title", "recipients"):
            continue
        if el.kind == "signature":
            body += ["|", "|", el.subs[1] + " |"]
        elif el.kind in ("part", "sub", "section", "num_item"):
            body += [f"{el.label}. {el.text}"] + el.subs
        elif el.kind in ("para", "obj", "closing"):
            body.append(el.text)
        elif el.kind == "item":
            body += _first_lines(el, item_head(el) + el.text, rng) + el.subs
    return body


def _web_truncated_opening(body: list[str], rng: Random) -> list[str]:
    """The opening repeated and truncated: the body up to some task lines, the last one cut."""
    first_items = [i for i, ln in enumerate(body) if re.match(r"^([a-zđ]\)|\d+\.\d+\.|- )", ln)]
    cut = first_items[min(len(first_items) - 1, rng.randint(6, 16))] if first_items else min(len(body), 8)
    partial = body[:cut]
    trunc = body[cut]
    partial.append(trunc[: max(30, int(len(trunc) * rng.uniform(0.3, 0.7)))])
    return partial


def _render_web(els: list[Element], plan: ChildPlan, rng: Random) -> str:
    opening, letterhead = _web_header(plan)
    keep_sections, keep_parts = _web_kept_headings(els, plan, rng)
    body = _web_body(els, keep_sections, keep_parts, rng)
    partial = _web_truncated_opening(body, rng)
    out = opening + letterhead + partial + letterhead + body + ["Đăng xuất", "Việc làm Hồ Chí Minh"]
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ markdown


def _render_markdown(els: list[Element], plan: ChildPlan, rng: Random) -> str:
    out = _Lines()
    bold_items = rng.random() < 0.5
    bold_sections = rng.random() < 0.3
    for el in els:
        if el.kind == "marker":
            out.para(el.text)
        elif el.kind == "letterhead":
            out.para(f"# {el.subs[0]} {el.subs[1]}  ", el.subs[2])
            out.para(f"{el.subs[3]}  ", el.subs[4])
        elif el.kind == "kind":
            out.append(f"# {el.text}")
        elif el.kind == "title":
            out.para(f"*{el.text}*")
        elif el.kind in ("para", "obj", "closing"):
            out.para(el.text)
        elif el.kind == "part":
            out.para(f"## {el.label}. {el.text}")
        elif el.kind == "sub":
            out.para(f"### {el.label}. {el.text}")
        elif el.kind == "section":
            out.para(f"**{el.label}. {el.text}**" if bold_sections else f"### {el.label}. {el.text}")
        elif el.kind == "item":
            head = item_head(el).strip()
            first = (f"**{head}** " if bold_items and head != "-" else head + " ") + el.text
            out.para(*_first_lines(el, first, rng), *el.subs)
        elif el.kind == "num_item":
            out.para(f"{el.label}. {el.text}", *el.subs)
        elif el.kind == "recipients":
            out.para(f"*{el.subs[0]}*", *el.subs[1:])
        elif el.kind == "signature":
            out.para(*[s + "  " for s in el.subs[:-1]], el.subs[-1])
    return out.text()


# ------------------------------------------------------------------ site_markdown


def _site_letterhead(el: Element) -> list[str]:
    """The letterhead cells between '|' lines, the date in italics over two lines."""
    unit, ward = el.subs[0].split(" PHƯỜNG ", 1)
    date = el.subs[4].split(", ", 1)
    return ["|", f"**{unit}**", f"PHƯỜNG {ward}", "-------", "|", "**CỘNG HÒA XÃ HỘI", "CHỦ NGHĨA VIỆT NAM**", el.subs[2], "---------------", "|", "|", el.subs[3], "|",
            f"*{date[0]}, {date[1].rsplit(' tháng ', 1)[0]}", f"tháng {date[1].rsplit(' tháng ', 1)[1]}*", "|", ""]


def _site_item(el: Element, out: _Lines, width: int, bold_items: bool, rng: Random) -> None:
    if el.kind == "item":
        head = item_head(el).strip()
        if head != "-" and bold_items:
            head = f"**{head.replace('.', chr(92) + '.') if rng.random() < 0.3 else head}**"
    else:
        head = f"{el.label}."
    out.para(*site_wrap(f"{head} {el.text}", width, rng))
    for sub in el.subs:
        out.para(*site_wrap(sub, width, rng))


def _render_site(els: list[Element], plan: ChildPlan, rng: Random) -> str:
    """The markdown of a legal-document website: letterhead cells between '|' lines, bold headings
    wrapped inside their markup, hard-wrapped paragraphs with a blank line between paragraphs, bold or
    escaped numbers ('**1.** ...', '**1\\.** ...'), italic citations."""
    width = rng.choice([60, 66, 72, 80])
    out = _Lines()
    bold_items = rng.random() < 0.5
    for el in els:
        if el.kind == "marker":
            out.para(el.text)
        elif el.kind == "letterhead":
            out += _site_letterhead(el)
        elif el.kind == "kind":
            out.para(f"**{el.text}**")
        elif el.kind in ("title", "para", "obj", "closing"):
            out.para(*site_wrap(el.text.upper() if el.kind == "title" else el.text, width, rng))
        elif el.kind in ("part", "sub", "section"):
            out.para(*bold_wrapped(f"{el.label}. {el.text}", rng))
        elif el.kind in ("item", "num_item"):
            _site_item(el, out, width, bold_items, rng)
        elif el.kind == "recipients":
            out += ["|", f"*{el.subs[0]}*"] + el.subs[1:] + ["|"]
        elif el.kind == "signature":
            out += [f"**{el.subs[0]}**", el.subs[1], el.subs[2], "", f"**{el.subs[3]}**"]
    return out.text()


_RENDERERS = {"plain": _render_plain, "pdf_text": _render_pdf, "web_scrape": _render_web, "markdown": _render_markdown, "site_markdown": _render_site}


def render(plan: ChildPlan, layout: str) -> str:
    """The plan's text in one layout (deterministic for the plan's seed)."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; one of {', '.join(LAYOUTS)}")
    rng = Random(f"plancompare.synth:{plan.seed}:render:{layout}")
    return _RENDERERS[layout](elements(plan), plan, rng)
