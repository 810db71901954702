"""Every interface string has a Spanish, French and Portuguese translation, and each compiled
catalogue is current."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

import landhub

LOCALE = Path(landhub.__file__).parent / "locale"
# A word each catalogue must translate, to show the .mo is the language's own.
LANGUAGES = {"es": ("Landscapes", "Paisajes"), "fr": ("Landscapes", "Paysages"),
             "pt": ("Landscapes", "Paisagens")}  # fmt: skip


def _entries(po: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of each entry; an entry with a context (``pgettext``) has the
    msgid ``context\x04msgid``, the key gettext itself looks it up by."""
    entries = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        body = "\n".join(ln for ln in block.splitlines() if not ln.startswith("#"))
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', body, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', body, re.M)
        if not msgid or not msgstr:
            continue
        join = lambda m: "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1)))  # noqa: E731
        context = re.search(r'^msgctxt ((?:".*"\n?)+)', body, re.M)
        if join(msgid):
            key = f"{join(context)}\x04{join(msgid)}" if context else join(msgid)
            entries.append((key, join(msgstr), "#, fuzzy" in block))
    return entries


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_string_is_translated(language):
    entries = _entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(entries) > 500
    untranslated = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert not untranslated, f"{language}: translation missing or guessed for: {untranslated[:10]}"


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_compiled_catalogue_matches_the_po_file(language):
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    english, translated = LANGUAGES[language]
    assert catalogue.gettext(english) == translated
    # Each singular entry must come out of the .mo as the .po says (a word that is the same
    # in both languages, such as "Hindi", included).
    missing = [
        msgid for msgid, msgstr, _fuzzy in _entries(LOCALE / language / "LC_MESSAGES" / "django.po")
        if "\\" not in msgid + msgstr
        and catalogue.gettext(msgid) != msgstr
    ]  # fmt: skip
    assert not missing, f"run `make messages`: {language} not compiled yet: {missing[:10]}"
