"""``scripts/fill_po.py``: how a batch of translations reaches a catalogue."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "fill_po.py"
spec = importlib.util.spec_from_file_location("fill_po", SCRIPT)
fill_po = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fill_po)

CATALOGUE = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

#: a.py:1
#, fuzzy
#| msgid "Computed from %(n)s indicator"
#| msgid_plural "Computed from %(n)s indicators"
msgid "Computed from MEL indicators"
msgstr "Calculado a partir de %(n)s indicador"

#: b.py:1
msgctxt "decision"
msgid "Adopted"
msgstr ""

#: c.py:1
msgid "Adopted"
msgstr "Adopción"
"""


def test_a_guess_taken_from_a_plural_string_is_filled_as_the_singular_it_is(tmp_path):
    po, tsv = tmp_path / "django.po", tmp_path / "batch.tsv"
    po.write_text(CATALOGUE, encoding="utf-8")
    tsv.write_text("Computed from MEL indicators\tCalculado a partir de los indicadores MEA\n"
                   "decision::Adopted\tAdoptada\n", encoding="utf-8")  # fmt: skip

    filled, left = fill_po.fill(str(po), str(tsv))

    text = po.read_text(encoding="utf-8")
    assert (filled, left) == (2, 0)
    assert 'msgstr "Calculado a partir de los indicadores MEA"' in text
    assert "fuzzy" not in text and "#| msgid_plural" not in text
    # The context keeps the decision's "Adopted" apart from the stage of change's.
    assert 'msgctxt "decision"\nmsgid "Adopted"\nmsgstr "Adoptada"' in text
    assert 'msgid "Adopted"\nmsgstr "Adopción"' in text
