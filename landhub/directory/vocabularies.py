"""Load the controlled vocabularies and the country list from the data files in ``data/``.

Used by the data migration (with historical models) and by ``landhub load-vocabularies``
(with the live ones), so a new or existing hub gets the same terms. Loading is idempotent:
existing terms are updated by (vocabulary, slug), none are deleted.
"""

from __future__ import annotations

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(filename: str) -> list[dict[str, str]]:
    with open(DATA_DIR / filename, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_countries(Country) -> int:
    rows = _rows("countries.csv")
    for row in rows:
        Country.objects.update_or_create(
            code=row["code"].strip().upper(),
            defaults={
                "name": row["name"].strip(),
                "region": row["region"].strip(),
                "subregion": row.get("subregion", "").strip(),
            },
        )
    return len(rows)


def load_vocabularies(Term) -> int:
    rows = _rows("vocabularies.csv")
    by_key = {}
    for row in rows:
        parent = None
        if row.get("parent"):
            parent = by_key.get((row["vocabulary"], row["parent"]))
        term, _created = Term.objects.update_or_create(
            vocabulary=row["vocabulary"].strip(),
            slug=row["slug"].strip(),
            defaults={
                "name_en": row["name_en"].strip(),
                "name_es": row["name_es"].strip(),
                "name_fr": row["name_fr"].strip(),
                "name_pt": row["name_pt"].strip(),
                "parent": parent,
                "sort_order": int(row.get("sort_order") or 0),
            },
        )
        by_key[(term.vocabulary, term.slug)] = term
    return len(rows)
