"""The one gettext catalogue (src/plancompare/locale/vi/LC_MESSAGES/plancompare.po):
every message in the code has a Vietnamese translation, the committed .mo is the
compiled .po, the statuses and kinds have the glossary's wording, and the language
is chosen by --lang, then PLANCOMPARE_LANG, then the command's default.

Babel (a test dependency) extracts the messages exactly as `pybabel extract -F babel.cfg`
does; the runtime reads the .mo with the standard library's gettext."""

from __future__ import annotations

import datetime as dt
import gettext
import re
from pathlib import Path

import pytest

from _corpus import ROOT
from plancompare.errors import UsageError
from plancompare.i18n import KINDS, LOCALE_DIR, STATUSES, fmt_date, kind_label, resolve_lang, status_label

babel = pytest.importorskip("babel", reason="Babel (a test extra) checks the catalogue: pip install '.[test]'")
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.frontend import parse_mapping_cfg  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

PO = LOCALE_DIR / "vi" / "LC_MESSAGES" / "plancompare.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None, "n_": (1, 2)}


def code_messages() -> set[tuple[str | None, str]]:
    with open(ROOT / "babel.cfg", encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    out = set()
    for _file, _line, msg, _comments, context in extract_from_dir(str(ROOT / "src" / "plancompare"), method_map, options_map, keywords=KEYWORDS):
        out.add((context, msg if isinstance(msg, str) else msg[0]))
    return out


def catalogue():
    with open(PO, "rb") as f:
        return read_po(f, locale="vi", domain="plancompare")


def test_every_message_in_the_code_has_a_translation():
    msgs = code_messages()
    assert len(msgs) > 100
    cat = catalogue()
    missing = [m for m in sorted(msgs, key=str) if cat.get(m[1], context=m[0]) is None]
    assert missing == [], f"not in {PO.name}: {missing} (see docs/check.md, 'Translations')"
    untranslated = [m.id for m in cat if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))]
    assert untranslated == []
    assert [m.id for m in cat if m.id and m.fuzzy] == []
    stale = [m.id for m in cat if m.id and (m.context, m.id if isinstance(m.id, str) else m.id[0]) not in msgs]
    assert stale == [], "messages no longer in the code: update the catalogue"


def test_placeholders_are_kept_in_every_translation():
    for m in catalogue():
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        want = set(re.findall(r"\{\w+\}", ids[-1]))
        for s in strings:
            assert set(re.findall(r"\{\w+\}", s)) == want, (m.id, s)


def test_committed_mo_is_the_compiled_po():
    compiled = {}
    for m in catalogue():
        if not m.id:
            continue
        key = m.id if isinstance(m.id, str) else m.id[0]
        key = f"{m.context}\x04{key}" if m.context else key
        compiled[key] = m.string if isinstance(m.string, str) else m.string[0]
    with open(MO, "rb") as f:
        mo = gettext.GNUTranslations(f)
    shipped = {(k if isinstance(k, str) else k[0]): v for k, v in mo._catalog.items() if k != ""}  # type: ignore[attr-defined]
    assert shipped == compiled, "run: pybabel compile -d src/plancompare/locale -D plancompare"


def test_glossary_in_the_docs_matches_the_catalogue():
    doc = (ROOT / "docs" / "check.md").read_text(encoding="utf-8")
    for s in STATUSES:
        assert f"| `{s}` | {status_label(s, 'vi')} |" in doc, s
    for k in KINDS:
        assert f"| `{k}` | {kind_label(k, 'vi')} |" in doc, k


def test_language_choice_and_dates(monkeypatch):
    monkeypatch.delenv("PLANCOMPARE_LANG", raising=False)
    assert resolve_lang(None, "vi") == "vi" and resolve_lang(None, "en") == "en"
    assert resolve_lang("EN", "vi") == "en" and resolve_lang("vi_VN.UTF-8", "en") == "vi"
    monkeypatch.setenv("PLANCOMPARE_LANG", "en")
    assert resolve_lang(None, "vi") == "en" and resolve_lang("vi", "en") == "vi"
    with pytest.raises(UsageError) as e:
        resolve_lang("fr")
    assert str(e.value) == "--lang: 'fr' is not one of: vi, en"
    assert fmt_date(dt.date(2025, 6, 25), "vi") == "25/06/2025" and fmt_date(dt.date(2025, 6, 25), "en") == "2025-06-25"
    assert status_label("dropped", "vi") == "bỏ" and status_label("dropped", "en") == "dropped"
    assert kind_label("softened", "vi") == "làm nhẹ đi"


def test_the_catalogue_ships_with_the_package():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"locale/*/LC_MESSAGES/*.mo"' in pyproject
    assert Path(MO).is_file() and Path(PO).is_file()
