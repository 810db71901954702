"""Writes to the controlled vocabularies: hub staff add, rename and (de)activate terms.

Terms are never deleted: needs, offerings and strengths point at them, and history must
keep its meaning.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..models import Term
from ..rules import can

TERM_FIELDS = {"name_en", "name_es", "name_fr", "name_pt", "description", "sort_order", "parent"}


def _require(actor) -> None:
    if not can(actor, "directory.change_term"):
        raise PermissionDenied(_("Only hub staff manage vocabularies."))


@transaction.atomic
def term_create(*, actor, vocabulary: str, name_en: str, slug: str = "", **fields) -> Term:
    _require(actor)
    slug = slugify(slug or name_en)
    if Term.objects.filter(vocabulary=vocabulary, slug=slug).exists():
        raise ValidationError(
            {"slug": _("This vocabulary already has a term “%(s)s”.") % {"s": slug}}
        )
    term = Term(vocabulary=vocabulary, slug=slug, name_en=(name_en or "").strip())
    for key, value in fields.items():
        if key not in TERM_FIELDS:
            raise ValidationError({key: _("This field cannot be changed here.")})
        setattr(term, key, value)
    term.full_clean()
    term._history_user = actor
    term.save()
    return term


@transaction.atomic
def term_update(*, actor, term, **fields) -> Term:
    _require(actor)
    for key, value in fields.items():
        if key not in TERM_FIELDS:
            raise ValidationError({key: _("This field cannot be changed here.")})
        setattr(term, key, value)
    term.full_clean()
    term._history_user = actor
    term.save()
    return term


@transaction.atomic
def term_set_active(*, actor, term, active: bool) -> Term:
    _require(actor)
    term.is_active = active
    term._history_user = actor
    term.save(update_fields=["is_active", "updated_at"])
    return term
