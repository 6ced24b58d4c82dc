"""Vietnamese and English for the artefacts people forward: the HTML report, the
gap lists (CSV, XLSX, terminal table) and the check summary (text, JUnit, GitHub).

One gettext catalogue, domain ``plancompare``:
``src/plancompare/locale/vi/LC_MESSAGES/plancompare.po`` (English message ids,
Vietnamese translations), compiled to the ``.mo`` beside it, which the runtime
reads with the standard library's :mod:`gettext` (Babel is only needed to
extract, update and compile the catalogue: see docs/check.md, "Translations").
A test checks that every message in the code has a translation and that the
committed ``.mo`` is the compiled ``.po``.

The language is chosen by :func:`resolve_lang`: an explicit ``--lang``, else
the environment variable ``PLANCOMPARE_LANG``, else the command's default
(Vietnamese for the report and the gap lists, English for the check).

Statuses and kinds have one wording per language (:data:`STATUS_VI`,
:data:`KIND_VI`, the glossary in docs/check.md); dates are dd/mm/yyyy in
Vietnamese and ISO (yyyy-mm-dd) in English.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
import os
from functools import lru_cache
from pathlib import Path
from typing import Callable

from .errors import UsageError

DOMAIN = "plancompare"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGS = ("vi", "en")
ENV = "PLANCOMPARE_LANG"


def N_(message: str) -> str:
    """Mark a message for extraction without translating it here (translated where shown)."""
    return message


def resolve_lang(lang: str | None, default: str = "vi") -> str:
    """``lang``, else ``$PLANCOMPARE_LANG``, else ``default``; 'vi' or 'en' (case and region ignored: 'vi_VN', 'EN')."""
    for value, where in ((lang, "--lang"), (os.environ.get(ENV), ENV)):
        if value is None or not value.strip():
            continue
        v = value.strip().lower().replace("-", "_").split("_")[0].split(".")[0]
        if v not in LANGS:
            raise UsageError(f"{where}: '{value}' is not one of: {', '.join(LANGS)}")
        return v
    return default


@lru_cache(maxsize=None)
def translations(lang: str) -> _gettext.NullTranslations:
    """The catalogue for a language (English: the message ids themselves)."""
    if lang == "en":
        return _gettext.NullTranslations()
    if lang not in LANGS:
        raise UsageError(f"language '{lang}' is not one of: {', '.join(LANGS)}")
    try:
        return _gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[lang])
    except OSError as e:  # pragma: no cover - the .mo ships with the package
        raise RuntimeError(f"the {lang} catalogue is missing from {LOCALE_DIR} ({e})") from None


def gettext_for(lang: str) -> Callable[[str], str]:
    return translations(lang).gettext


def ngettext_for(lang: str) -> Callable[[str, str, int], str]:
    return translations(lang).ngettext


def pgettext_for(lang: str) -> Callable[[str, str], str]:
    return translations(lang).pgettext


# statuses and kinds: one wording each (context 'status' / 'kind' in the catalogue)
STATUSES = ("copied", "changed", "dropped", "added", "related", "waived")
KINDS = ("localized", "softened", "narrowed", "extended", "retargeted", "reworded", "merged", "split", "typo")

def _markers(pgettext: Callable[[str, str], str]) -> None:  # pragma: no cover - never called
    """Extraction markers: the statuses and kinds, each with its context."""
    pgettext("status", "copied"), pgettext("status", "changed"), pgettext("status", "dropped"), pgettext("status", "added")
    pgettext("status", "related"), pgettext("status", "waived")
    pgettext("kind", "localized"), pgettext("kind", "softened"), pgettext("kind", "narrowed"), pgettext("kind", "extended")
    pgettext("kind", "retargeted"), pgettext("kind", "reworded"), pgettext("kind", "merged"), pgettext("kind", "split"), pgettext("kind", "typo")


def status_label(status: object, lang: str) -> str:
    """'dropped' -> 'bỏ' (vi) / 'dropped' (en); unknown statuses are shown as they are."""
    v = getattr(status, "value", status)
    return pgettext_for(lang)("status", str(v))


def kind_label(kind: object, lang: str) -> str:
    v = getattr(kind, "value", kind)
    return pgettext_for(lang)("kind", str(v))


def fmt_date(d: dt.date | dt.datetime | None, lang: str) -> str:
    """dd/mm/yyyy in Vietnamese, yyyy-mm-dd in English; '' for None."""
    if d is None:
        return ""
    if isinstance(d, dt.datetime):
        return d.strftime("%d/%m/%Y %H:%M") if lang == "vi" else d.strftime("%Y-%m-%d %H:%M")
    return d.strftime("%d/%m/%Y") if lang == "vi" else d.isoformat()


def fmt_pct(x: float, lang: str, digits: int = 0) -> str:
    """93% / 92.7% (en) and 93% / 92,7% (vi: decimal comma)."""
    s = f"{x:.{digits}%}"
    return s.replace(".", ",") if lang == "vi" else s


__all__ = ["LANGS", "ENV", "N_", "resolve_lang", "translations", "gettext_for", "ngettext_for", "pgettext_for", "status_label", "kind_label", "fmt_date", "fmt_pct", "STATUSES", "KINDS"]
