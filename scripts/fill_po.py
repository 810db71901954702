"""Fill empty and fuzzy msgstr entries of a .po file from a tab-separated list of translations.

    python scripts/fill_po.py landhub/locale/es/LC_MESSAGES/django.po translations.tsv

Each line of the TSV is ``msgid<TAB>msgstr``; plural entries are ``P:msgid<TAB>one|many``;
an entry with a context (``pgettext``) is ``context::msgid<TAB>msgstr``.
Write quotes as they appear in the source (``"``) and other escapes as in the .po (``\\n``).

Empty translations are filled, and so are fuzzy ones (the guesses makemessages copies from
a similar string): for these the guess is replaced, ``fuzzy`` is removed from the ``#,``
flags (other flags, such as ``python-format``, are kept) and the ``#| msgid …`` lines
recording the previous msgid are dropped. Translations that are neither empty nor fuzzy are
never overwritten, so translators' own work is safe. Entries with no line in the TSV are
left as they are; the script prints how many it filled and how many are still empty or
fuzzy for want of a line. Used when a batch of new strings arrives; day-to-day translation
happens in any .po editor.
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


def _flags(line: str) -> list[str]:
    """The flags of a ``#, fuzzy, python-format`` line."""
    return [flag.strip() for flag in line[2:].split(",") if flag.strip()]


def is_fuzzy(block: str) -> bool:
    return any(ln.startswith("#,") and "fuzzy" in _flags(ln) for ln in block.splitlines())


def is_translated(block: str) -> bool:
    """Whether the (first) msgstr has any text."""
    match = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
    return bool(match and "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))))


def unfuzzy(block: str) -> str:
    """Remove ``fuzzy`` from the flags (keeping the others) and the ``#|`` previous-msgid lines."""
    lines = []
    for ln in block.splitlines():
        if ln.startswith("#|"):
            continue
        if ln.startswith("#,"):
            flags = [flag for flag in _flags(ln) if flag != "fuzzy"]
            if not flags:
                continue
            ln = "#, " + ", ".join(flags)
        lines.append(ln)
    return "\n".join(lines)


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
        # Only the live lines count: a ``#| msgid_plural`` note of a fuzzy guess taken from a
        # plural string must not make a singular entry plural.
        plural = "msgid_plural" in body
        key = key_of(msgid, plural)
        context = re.search(r'^msgctxt "((?:[^"\\]|\\.)*)"', body, re.M)
        if context:
            key = f"{context.group(1)}::{key}"
        if key not in table:
            missing += is_fuzzy(block) or not is_translated(block)
            continue
        if is_fuzzy(block):
            # makemessages guessed from a similar string: drop the guess and translate anew.
            block = re.sub(GUESSED_MSGSTR, r'\1""', block)
        if is_translated(block):
            continue  # a translator's own work (perhaps wrapped over lines): never overwritten
        if plural:
            if 'msgstr[0] ""' not in block:
                continue
            one, _sep, many = table[key].partition("|")
            # Form 0 is the singular; every other form takes the plural.
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
            block = re.sub(
                r'msgstr ""(?=\s*$)', lambda _m, text=text: "msgstr " + _quote(text), block
            )
        # Filled by a person: no longer a guess (the trailing newline of the file is kept).
        trailing = block[len(block.rstrip("\n")) :]
        blocks[i] = unfuzzy(block) + trailing
        filled += 1
    Path(po_path).write_text("\n\n".join(blocks), encoding="utf-8")
    return filled, missing


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    done, left = fill(sys.argv[1], sys.argv[2])
    print(f"{done} filled, {left} still empty or fuzzy")
