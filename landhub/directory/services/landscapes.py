"""Writes to landscapes: create, edit, boundary, needs, ILM progress, archive and restore.

Every function checks the actor's permission, validates, runs in one transaction, keeps
history (simple-history, with the actor as the author) and tells the landscape's managers.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from landhub.core.services import notify
from landhub.core.versioning import save_versioned

from .. import geo
from ..models import (
    Country,
    ILMStage,
    Landscape,
    LandscapeILMProgress,
    LandscapeNeed,
    LandscapeOrganization,
    LandscapeOrganizationRole,
    Organization,
    Term,
    Vocabulary,
)
from ..rules import can
from ..selectors.landscapes import landscape_managers

EDITABLE_FIELDS = {
    "name",
    "summary",
    "description",
    "population",
    "partnership_organization",
    "partnership_status",
    "year_formed",
    "agreement_signed",
    "initiative_status",
    "visibility",
    "is_demo",
}
M2M_VOCABULARIES = {
    "area_types": Vocabulary.AREA_TYPE,
    "ecosystems": Vocabulary.ECOSYSTEM,
    "themes": Vocabulary.THEME,
}


def _require(actor, perm: str, obj=None) -> None:
    if not can(actor, perm, obj):
        raise PermissionDenied(_("You may not change this landscape."))


def _countries(values) -> list[Country]:
    codes, objects = [], []
    for value in values or []:
        if isinstance(value, Country):
            objects.append(value)
        else:
            codes.append(str(value).strip().upper())
    if codes:
        found = {c.code: c for c in Country.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise ValidationError(
                {"countries": _("Unknown country code: %(codes)s.") % {"codes": ", ".join(unknown)}}
            )
        objects.extend(found[c] for c in codes)
    return objects


def _terms(field: str, values) -> list[Term]:
    vocabulary = M2M_VOCABULARIES[field]
    ids, slugs, objects = [], [], []
    for value in values or []:
        if isinstance(value, Term):
            objects.append(value)
        elif isinstance(value, int) or str(value).isdigit():
            ids.append(int(value))
        else:
            slugs.append(str(value))
    found = list(Term.objects.filter(vocabulary=vocabulary, pk__in=ids)) if ids else []
    found += list(Term.objects.filter(vocabulary=vocabulary, slug__in=slugs)) if slugs else []
    if len(found) != len(ids) + len(slugs) or any(t.vocabulary != vocabulary for t in objects):
        raise ValidationError({field: _("Choose terms from the %(v)s list.") % {"v": vocabulary}})
    return objects + found


def _derive_region(countries: list[Country]) -> str:
    regions = sorted({c.region for c in countries if c.region})
    return regions[0] if len(regions) == 1 else (", ".join(regions) if regions else "")


def _unique_slug(name: str, exclude_pk=None) -> str:
    base = slugify(name)[:200] or "landscape"
    slug, n = base, 2
    while Landscape.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _tell_managers(actor, landscape, title: str) -> None:
    recipients = [u for u in landscape_managers(landscape) if u.pk != getattr(actor, "pk", None)]
    if recipients:
        notify(
            recipients=recipients,
            kind="directory.landscape_changed",
            title=title,
            url=landscape.get_absolute_url(),
        )


def _organization(value) -> Organization:
    if isinstance(value, Organization):
        return value
    organization = Organization.objects.filter(pk=value).first()
    if organization is None:
        raise ValidationError({"partnership_organization": _("Unknown organization.")})
    return organization


def _apply_fields(landscape, fields: dict) -> dict:
    """Set plain fields; return the many-to-many values to set after saving."""
    m2m = {}
    for key, value in fields.items():
        if key == "countries":
            m2m[key] = _countries(value)
        elif key in M2M_VOCABULARIES:
            m2m[key] = _terms(key, value)
        elif key in EDITABLE_FIELDS:
            if key == "partnership_organization" and value is not None:
                value = _organization(value)
            setattr(landscape, key, value)
        else:
            raise ValidationError({key: _("This field cannot be changed here.")})
    return m2m


def _save_m2m(landscape, m2m: dict) -> None:
    for key, values in m2m.items():
        getattr(landscape, key).set(values)
    if "countries" in m2m:
        region = _derive_region(m2m["countries"])
        if region != landscape.region:
            Landscape.objects.filter(pk=landscape.pk).update(region=region)
            landscape.region = region


@transaction.atomic
def landscape_create(*, actor, name: str, countries, **fields) -> Landscape:
    _require(actor, "directory.add_landscape")
    boundary = fields.pop("boundary", None)
    landscape = Landscape(name=(name or "").strip())
    landscape.slug = _unique_slug(landscape.name)
    m2m = _apply_fields(landscape, {**fields, "countries": countries})
    if not m2m["countries"]:
        raise ValidationError({"countries": _("Name at least one country.")})
    if boundary:
        landscape.boundary = geo.parse_boundary_geojson(boundary)
        for key, value in geo.boundary_facts(landscape.boundary).items():
            setattr(landscape, key, value)
    landscape.full_clean()
    landscape._history_user = actor
    landscape.save()
    _save_m2m(landscape, m2m)
    return landscape


@transaction.atomic
def landscape_update(*, actor, landscape, version: int | None, **fields) -> Landscape:
    _require(actor, "directory.change_landscape", landscape)
    # The landscape's place in the initiative and who sees it are the hub's decisions. A
    # client that sends back the record it read, with those values unchanged, is not refused.
    staff_only = {
        key for key in ("visibility", "is_demo", "initiative_status")
        if key in fields and fields[key] != getattr(landscape, key)
    }  # fmt: skip
    if staff_only and not can(actor, "directory.add_landscape"):
        raise PermissionDenied(_("Only hub staff change status and visibility."))
    m2m = _apply_fields(landscape, fields)
    if "countries" in m2m and not m2m["countries"]:
        raise ValidationError({"countries": _("Name at least one country.")})
    landscape.full_clean(exclude=["slug"])
    landscape._history_user = actor
    save_versioned(landscape, expected_version=version)
    _save_m2m(landscape, m2m)
    _tell_managers(actor, landscape, _("%(name)s was updated") % {"name": landscape.name})
    return landscape


@transaction.atomic
def landscape_set_boundary(
    *, actor, landscape, geometry: dict | None, version: int | None
) -> Landscape:
    """Set (or clear, with ``None``) the boundary; area, centroid and bbox follow from it."""
    _require(actor, "directory.change_landscape", landscape)
    if geometry is not None and geometry.get("type") != "Point":
        geometry = geo.parse_boundary_geojson(geometry)
    landscape.boundary = geometry
    for key, value in geo.boundary_facts(geometry).items():
        setattr(landscape, key, value)
    landscape._history_user = actor
    save_versioned(landscape, expected_version=version)
    _tell_managers(actor, landscape, _("%(name)s has a new boundary") % {"name": landscape.name})
    return landscape


@transaction.atomic
def landscape_archive(*, actor, landscape) -> Landscape:
    _require(actor, "directory.archive_landscape", landscape)
    if landscape.archived_at is None:
        landscape.archived_at = timezone.now()
        landscape._history_user = actor
        save_versioned(landscape, expected_version=None)
        _tell_managers(actor, landscape, _("%(name)s was archived") % {"name": landscape.name})
    return landscape


@transaction.atomic
def landscape_restore(*, actor, landscape) -> Landscape:
    _require(actor, "directory.archive_landscape", landscape)
    if landscape.archived_at is not None:
        landscape.archived_at = None
        landscape._history_user = actor
        save_versioned(landscape, expected_version=None)
        _tell_managers(actor, landscape, _("%(name)s was restored") % {"name": landscape.name})
    return landscape


def _capability(value) -> Term:
    if isinstance(value, Term):
        term = value
    else:
        lookup = {"pk": int(value)} if str(value).isdigit() else {"slug": str(value)}
        term = Term.objects.filter(vocabulary=Vocabulary.CAPABILITY, **lookup).first()
    if term is None or term.vocabulary != Vocabulary.CAPABILITY:
        raise ValidationError({"capability": _("Choose a capability from the list.")})
    return term


@transaction.atomic
def landscape_need_create(
    *, actor, landscape, capability, priority="medium", status="open", description=""
) -> LandscapeNeed:
    _require(actor, "directory.change_landscape", landscape)
    need = LandscapeNeed(
        landscape=landscape,
        capability=_capability(capability),
        priority=priority,
        status=status,
        description=description or "",
    )
    need.full_clean()
    need._history_user = actor
    need.save()
    _tell_managers(
        actor, landscape, _("New need in %(name)s: %(cap)s") % {
            "name": landscape.name, "cap": need.capability.name_en,
        },
    )  # fmt: skip
    return need


@transaction.atomic
def landscape_need_update(*, actor, need, version: int | None, **fields) -> LandscapeNeed:
    _require(actor, "directory.change_landscape", need.landscape)
    for key, value in fields.items():
        if key == "capability":
            value = _capability(value)
        elif key not in {"priority", "status", "description"}:
            raise ValidationError({key: _("This field cannot be changed here.")})
        setattr(need, key, value)
    need.full_clean()
    need._history_user = actor
    save_versioned(need, expected_version=version)
    return need


@transaction.atomic
def landscape_ilm_set(
    *, actor, landscape, element, stage: str, evidence: str = ""
) -> LandscapeILMProgress:
    _require(actor, "directory.change_landscape", landscape)
    if not isinstance(element, Term):
        lookup = {"pk": int(element)} if str(element).isdigit() else {"slug": str(element)}
        element = Term.objects.filter(vocabulary=Vocabulary.ILM_ELEMENT, **lookup).first()
    if element is None or element.vocabulary != Vocabulary.ILM_ELEMENT:
        raise ValidationError({"element": _("Choose one of the five ILM elements.")})
    if stage not in ILMStage.values:
        raise ValidationError({"stage": _("Choose a stage from the list.")})
    progress, _created = LandscapeILMProgress.objects.get_or_create(
        landscape=landscape, element=element
    )
    progress.stage = stage
    progress.evidence = evidence or ""
    progress._history_user = actor
    progress.full_clean()
    progress.save()
    return progress


@transaction.atomic
def landscape_organization_set(
    *, actor, landscape, organization, role=LandscapeOrganizationRole.PARTNER
) -> LandscapeOrganization:
    _require(actor, "directory.change_landscape", landscape)
    if role not in LandscapeOrganizationRole.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    link, _created = LandscapeOrganization.objects.update_or_create(
        landscape=landscape, organization=organization, defaults={"role": role}
    )
    return link


@transaction.atomic
def landscape_organization_remove(*, actor, landscape, organization) -> None:
    _require(actor, "directory.change_landscape", landscape)
    LandscapeOrganization.objects.filter(landscape=landscape, organization=organization).delete()


def landscape_url(landscape) -> str:
    return reverse("directory:landscape_detail", args=[landscape.slug])
