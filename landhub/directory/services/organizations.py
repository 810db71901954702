"""Writes to organizations and people, with permission checks, history and notifications."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from landhub.core.services import notify
from landhub.core.uploads import clean_image
from landhub.core.versioning import save_versioned

from ..models import (
    CapabilityLevel,
    Country,
    Organization,
    OrganizationCapability,
    Person,
    Term,
    Vocabulary,
)
from ..rules import can
from ..selectors.organizations import organization_admins

ORGANIZATION_FIELDS = {
    "name", "short_name", "kind", "country", "website", "description", "visibility",
}  # fmt: skip
PERSON_FIELDS = {"name", "email", "phone", "languages", "bio", "contact_consent", "visibility"}


def _term(vocabulary: str, value, field: str) -> Term:
    if isinstance(value, Term):
        term = value if value.vocabulary == vocabulary else None
    else:
        lookup = {"pk": int(value)} if str(value).isdigit() else {"slug": str(value)}
        term = Term.objects.filter(vocabulary=vocabulary, **lookup).first()
    if term is None:
        raise ValidationError({field: _("“%(value)s” is not in the list.") % {"value": value}})
    return term


def _country(value, field: str = "country") -> Country | None:
    if value in (None, ""):
        return None
    if isinstance(value, Country):
        return value
    country = Country.objects.filter(code=str(value).strip().upper()).first()
    if country is None:
        raise ValidationError({field: _("Unknown country code: %(code)s.") % {"code": value}})
    return country


def _unique_slug(name: str, exclude_pk=None) -> str:
    base = slugify(name)[:200] or "organization"
    slug, n = base, 2
    while Organization.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_name(name: str, exclude_pk=None) -> None:
    if Organization.objects.filter(name__iexact=name.strip()).exclude(pk=exclude_pk).exists():
        raise ValidationError({"name": _("An organization with this name already exists.")})


def _apply(organization, fields: dict) -> dict:
    m2m = {}
    for key, value in fields.items():
        if key == "kind":
            value = _term(Vocabulary.ORGANIZATION_KIND, value, "kind")
        elif key == "country":
            value = _country(value)
        elif key == "countries_active":
            m2m[key] = [_country(v, key) for v in value or []]
            continue
        elif key == "themes":
            m2m[key] = [_term(Vocabulary.THEME, v, key) for v in value or []]
            continue
        elif key == "logo":
            value = _logo(value)
            if value is None:
                continue
        elif key not in ORGANIZATION_FIELDS:
            raise ValidationError({key: _("This field cannot be changed here.")})
        setattr(organization, key, value)
    return m2m


def _logo(upload):
    """An uploaded file → a re-encoded PNG; ``False`` or ``""`` → no logo; None → unchanged.

    Only files pass: a string (a path someone would like the logo to point at) is refused.
    """
    if upload is None:
        return None
    if upload is False or upload == "":
        return ""
    if not hasattr(upload, "read"):
        raise ValidationError({"logo": _("Upload an image file.")})
    try:
        return clean_image(upload)
    except ValidationError as exc:
        raise ValidationError({"logo": exc.messages}) from exc


def _tell_admins(actor, organization, title: str) -> None:
    recipients = [u for u in organization_admins(organization) if u.pk != actor.pk]
    if recipients:
        notify(
            recipients=recipients,
            kind="directory.organization_changed",
            title=title,
            url=organization.get_absolute_url(),
        )


@transaction.atomic
def organization_create(*, actor, name: str, kind, **fields) -> Organization:
    if not can(actor, "directory.add_organization"):
        raise PermissionDenied(_("Only hub staff add organizations."))
    name = (name or "").strip()
    _check_name(name)
    organization = Organization(name=name, slug=_unique_slug(name))
    m2m = _apply(organization, {"kind": kind, **fields})
    organization.full_clean()
    organization._history_user = actor
    organization.save()
    for key, values in m2m.items():
        getattr(organization, key).set(values)
    return organization


@transaction.atomic
def organization_update(*, actor, organization, version: int | None, **fields) -> Organization:
    if not can(actor, "directory.change_organization", organization):
        raise PermissionDenied(_("You may not change this organization."))
    if ("kind" in fields or "visibility" in fields) and not can(
        actor, "directory.add_organization"
    ):
        # Whether an organization counts as a core partner is the hub's decision.
        fields.pop("kind", None)
        fields.pop("visibility", None)
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
        _check_name(fields["name"], exclude_pk=organization.pk)
    m2m = _apply(organization, fields)
    organization.full_clean(exclude=["slug"])
    organization._history_user = actor
    save_versioned(organization, expected_version=version)
    for key, values in m2m.items():
        getattr(organization, key).set(values)
    _tell_admins(actor, organization, _("%(name)s was updated") % {"name": organization.name})
    return organization


@transaction.atomic
def organization_capabilities_set(*, actor, organization, capabilities: dict) -> None:
    """Replace the capabilities: ``{capability slug or Term: level}``."""
    if not can(actor, "directory.change_organization", organization):
        raise PermissionDenied(_("You may not change this organization."))
    wanted = {}
    for key, level in capabilities.items():
        term = _term(Vocabulary.CAPABILITY, key, "capabilities")
        if level not in CapabilityLevel.values:
            raise ValidationError(
                {"capabilities": _("Unknown level: %(level)s.") % {"level": level}}
            )
        wanted[term.pk] = (term, level)
    organization.capabilities.exclude(capability_id__in=wanted).delete()
    for term, level in wanted.values():
        OrganizationCapability.objects.update_or_create(
            organization=organization, capability=term, defaults={"level": level}
        )
    Organization.objects.filter(pk=organization.pk).update(updated_at=timezone.now())


@transaction.atomic
def organization_archive(*, actor, organization) -> Organization:
    if not can(actor, "directory.archive_organization", organization):
        raise PermissionDenied(_("Only hub staff archive organizations."))
    if organization.archived_at is None:
        organization.archived_at = timezone.now()
        organization._history_user = actor
        save_versioned(organization, expected_version=None)
    return organization


@transaction.atomic
def organization_restore(*, actor, organization) -> Organization:
    if not can(actor, "directory.archive_organization", organization):
        raise PermissionDenied(_("Only hub staff restore organizations."))
    if organization.archived_at is not None:
        organization.archived_at = None
        organization._history_user = actor
        save_versioned(organization, expected_version=None)
    return organization


def _may_edit_person(actor, person) -> bool:
    return can(actor, "directory.add_organization") or (
        person.user_id is not None and person.user_id == actor.pk
    )


@transaction.atomic
def person_create(*, actor, name: str, **fields) -> Person:
    if not can(actor, "directory.add_organization"):
        raise PermissionDenied(_("Only hub staff add people."))
    person = Person(name=(name or "").strip())
    for key, value in fields.items():
        if key not in PERSON_FIELDS:
            raise ValidationError({key: _("This field cannot be changed here.")})
        setattr(person, key, value)
    person.full_clean()
    person._history_user = actor
    person.save()
    return person


@transaction.atomic
def person_update(*, actor, person, version: int | None, **fields) -> Person:
    if not _may_edit_person(actor, person):
        raise PermissionDenied(_("You may only edit your own profile."))
    for key, value in fields.items():
        if key not in PERSON_FIELDS:
            raise ValidationError({key: _("This field cannot be changed here.")})
        setattr(person, key, value)
    person.full_clean()
    person._history_user = actor
    save_versioned(person, expected_version=version)
    return person
