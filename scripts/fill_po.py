"""Fill empty msgstr entries of a .po file from a tab-separated list of translations.

    python scripts/fill_po.py landhub/locale/es/LC_MESSAGES/django.po translations.tsv

Each line of the TSV is ``msgid<TAB>msgstr``; plural entries are ``P:msgid<TAB>one|many``.
Only empty translations are filled, so translators' own work is never overwritten. Used
when a batch of new strings arrives; day-to-day translation happens in any .po editor.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


def _quote(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


# A msgstr (or msgstr[n]) with its continuation lines.
GUESSED_MSGSTR = r'(msgstr(?:\[\d\])? )"(?:[^"\\]|\\.)*"(\n"(?:[^"\\]|\\.)*")*'


def key_of(msgid: str, plural: bool) -> str:
    return ("P:" if plural else "") + msgid.replace('\\"', '"')


def fill(po_path: str, tsv_path: str) -> tuple[int, int]:
    table = {}
    for line in Path(tsv_path).read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            key, value = line.split("\t", 1)
            table[key] = value
    blocks = Path(po_path).read_text(encoding="utf-8").split("\n\n")
    filled = missing = 0
    for i, block in enumerate(blocks):
        body = "\n".join(ln for ln in block.splitlines() if not ln.startswith("#"))
        match = re.search(r'^msgid ((?:".*"\n?)+)', body, re.M)
        if not match or match.group(1).strip() == '""':
            continue
        msgid = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1)))
        plural = "msgid_plural" in block
        if "#, fuzzy" in block and key_of(msgid, plural) in table:
            # makemessages guessed from a similar string: drop the guess and translate anew.
            block = "\n".join(
                ln for ln in block.splitlines() if not ln.startswith(("#, fuzzy", "#|"))
            )
            block = re.sub(GUESSED_MSGSTR, r'\1""', block)
        key = key_of(msgid, plural)
        if key not in table:
            missing += 1
            continue
        if plural:
            if 'msgstr[0] ""' not in block:
                continue
            one, _sep, many = table[key].partition("|")
            # Form 0 is the singular; every other form (Spanish has three) takes the plural.
            block = re.sub(
                r'msgstr\[(\d)\] ""',
                lambda m, one=one, many=many: (
                    f"msgstr[{m.group(1)}] " + _quote(one if m.group(1) == "0" else many)
                ),
                block,
            )
        else:
            if not re.search(r'msgstr ""\s*$', block):
                continue
            text = table[key]
            block = re.sub(r'msgstr ""\s*$', lambda _m, text=text: "msgstr " + _quote(text), block)
        block = block.replace("#, fuzzy\n", "")  # filled by a person: no longer a guess
        blocks[i] = block
        filled += 1
    Path(po_path).write_text("\n\n".join(blocks), encoding="utf-8")
    return filled, missing


if __name__ == "__main__":
    done, left = fill(sys.argv[1], sys.argv[2])
    print(f"{done} filled, {left} without a translation")
