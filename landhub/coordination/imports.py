"""CSV and XLSX import of offerings, so partners can bring the lists they keep today.

A kind of the directory's import (``directory.imports``): same upload page, background task,
progress bar, row-level report and all-or-nothing write. This module says which columns an
offering has, checks each row against the same rules as the offering form, and writes the
rows through ``services.offering_create``.

Partner staff import offerings of organizations they belong to; hub staff import for anyone
and may publish on import. Imported offerings are drafts unless the ``status`` column says
``in_review`` (submitted for review) or, for hub staff, ``published``. One notification tells
the hub staff how many offerings arrived for review, not one per row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from landhub.directory.imports import ImportKind, _split
from landhub.directory.models import Country, Organization, Term, Vocabulary

from .models import (
    LANGUAGE_CODES,
    AccessMode,
    Cost,
    DeliveryFormat,
    Offering,
    OfferingStatus,
    OfferingType,
)
from .rules import can, member_organization_ids

TERM_COLUMNS = {
    "capabilities": Vocabulary.CAPABILITY,
    "themes": Vocabulary.THEME,
    "ilm_elements": Vocabulary.ILM_ELEMENT,
}
IMPORT_STATUSES = ("draft", "in_review", "published")


@dataclass
class _Lookups:
    """Everything rows refer to, loaded once: a 5,000-row file costs a handful of queries."""

    actor: object
    is_hub_staff: bool
    mine: set
    organizations: dict
    terms: dict
    regions: dict
    countries: set
    titles: set


def prepare(actor) -> _Lookups:
    organizations = {}
    for organization in Organization.objects.active().only("pk", "name", "slug"):
        organizations[organization.name.lower()] = organization
        organizations[organization.slug] = organization
    regions = Country.objects.exclude(region__in=["", "Antarctica"]).values_list(
        "region", flat=True
    )
    return _Lookups(
        actor=actor,
        is_hub_staff=can(actor, "coordination.review_offering"),
        mine=member_organization_ids(actor),
        organizations=organizations,
        terms={
            (t.vocabulary, t.slug): t
            for t in Term.objects.filter(is_active=True, vocabulary__in=TERM_COLUMNS.values())
        },
        regions={r.lower(): r for r in regions},
        countries=set(Country.objects.values_list("code", flat=True)),
        titles={t.lower() for t in Offering.objects.values_list("title", flat=True)},
    )


def _choice(report, line, row, column, choices, default: str) -> str:
    value = (row.get(column) or default).strip().lower()
    if value not in choices:
        report.add(line, column, _("Use one of: %(values)s.") % {"values": ", ".join(choices)})
    return value


def _where(report, line, row, lookups) -> dict:
    """``available_in``: ``global``, UN M49 regions and ISO country codes, mixed; empty means
    available everywhere."""
    is_global, regions, countries = False, [], []
    for item in _split(row.get("available_in", "")):
        if item.lower() == "global":
            is_global = True
        elif item.lower() in lookups.regions:
            regions.append(lookups.regions[item.lower()])
        elif item.upper() in lookups.countries:
            countries.append(item.upper())
        else:
            known = ", ".join(sorted(lookups.regions.values()))
            message = _("Not a region or country code: “%(v)s”. Use global, a region "
                        "(%(regions)s) or an ISO code such as KE.")  # fmt: skip
            report.add(line, "available_in", message % {"v": item, "regions": known})
    if not (regions or countries):
        is_global = True
    return {"is_global": is_global, "regions": regions, "countries": countries}


def _providers(report, line, row, lookups) -> list:
    found = []
    # Only ";" separates providers: organization names may contain commas.
    for name in [n.strip() for n in row.get("providers", "").split(";") if n.strip()]:
        organization = lookups.organizations.get(name.lower())
        if organization is None:
            report.add(
                line, "providers", _("No organization “%(n)s” in the directory.") % {"n": name}
            )
        else:
            found.append(organization)
    if not found and not row.get("providers", "").strip():
        report.add(line, "providers", _("Name at least one provider (the first one leads)."))
    if found and not lookups.is_hub_staff:
        foreign = [o.name for o in found if o.pk not in lookups.mine]
        if foreign:
            message = _("You can only name organizations you belong to: %(names)s.")
            report.add(line, "providers", message % {"names": ", ".join(foreign)})
    return list(dict.fromkeys(found))


def check_row(report, line: int, row: dict, lookups: _Lookups, seen: dict) -> dict | None:
    errors_before = len(report.errors)
    title = row.get("title", "").strip()
    if not title:
        report.add(line, "title", _("A title is required."))
    elif len(title) > 200:
        report.add(line, "title", _("At most 200 characters (this has %(n)d).") % {"n": len(title)})
    elif title.lower() in seen:
        report.add(
            line, "title", _("Duplicate of line %(n)d in this file.") % {"n": seen[title.lower()]}
        )
    elif title.lower() in lookups.titles:
        report.add(line, "title", _("An offering with this title already exists."))
    seen.setdefault(title.lower(), line)
    summary = row.get("summary", "").strip()
    if not summary:
        report.add(line, "summary", _("A one-line summary is required."))
    elif len(summary) > 300:
        report.add(
            line, "summary", _("At most 300 characters (this has %(n)d).") % {"n": len(summary)}
        )
    data = {
        "title": title, "summary": summary, "description": row.get("description", ""),
        "eligibility": row.get("eligibility", ""),
        "type": _choice(report, line, row, "type", OfferingType.values, ""),
        "delivery_format": _choice(report, line, row, "format", DeliveryFormat.values, "online"),
        "cost": _choice(report, line, row, "cost", Cost.values, "free"),
        "access_mode": _choice(report, line, row, "access", AccessMode.values, "hub"),
        "visibility": _choice(report, line, row, "visibility",
                              ["public", "network", "core", "restricted"], "public"),
        "access_url": row.get("access_url", "").strip(),
        "access_contact": row.get("access_contact", "").strip(),
        **_where(report, line, row, lookups),
    }  # fmt: skip
    for column, vocabulary in TERM_COLUMNS.items():
        data[column] = []
        for slug in _split(row.get(column, "")):
            term = lookups.terms.get((vocabulary, slug.lower()))
            if term is None:
                report.add(line, column, _("Not in the list: “%(s)s”.") % {"s": slug})
            else:
                data[column].append(term)
    languages = [code.lower() for code in _split(row.get("languages", ""))]
    if unknown := [c for c in languages if c not in LANGUAGE_CODES]:
        message = _("Unknown language code: %(codes)s. Use %(known)s.")
        known = ", ".join(sorted(LANGUAGE_CODES))
        report.add(line, "languages", message % {"codes": ", ".join(unknown), "known": known})
    data["languages"] = languages
    for column, validator in (("access_url", URLValidator(schemes=["http", "https"])),
                              ("access_contact", EmailValidator())):  # fmt: skip
        if data[column]:
            try:
                validator(data[column])
            except ValidationError:
                report.add(line, column, _("Not a valid web address.") if column == "access_url"
                           else _("Not a valid e-mail address."))  # fmt: skip
    if data["access_mode"] == AccessMode.LINK and not data["access_url"]:
        report.add(line, "access_url", _("Give the link where the offering is found."))
    if data["access_mode"] == AccessMode.CONTACT and not data["access_contact"]:
        report.add(line, "access_contact", _("Give the e-mail address to contact."))
    status = _choice(report, line, row, "status", IMPORT_STATUSES, "draft")
    if status == "published" and not lookups.is_hub_staff:
        report.add(line, "status", _("Only hub staff publish; use draft or in_review."))
    data["_status"] = status
    data["providers"] = _providers(report, line, row, lookups)
    if len(report.errors) > errors_before:
        return None
    return data


def write_row(actor, data: dict) -> None:
    """One offering through the service (which checks every rule again), then its status."""
    from . import services

    status = data.pop("_status")
    providers = data.pop("providers")
    offering = services.offering_create(
        actor=actor, providers=providers, lead_provider=providers[0], **data
    )
    if status in ("in_review", "published"):
        services.offering_transition(actor=actor, offering=offering, action="submit",
                                     version=offering.version, notify_reviewers=False)  # fmt: skip
    if status == "published":
        services.offering_transition(actor=actor, offering=offering, action="publish",
                                     version=offering.version)  # fmt: skip


def after_write(actor, count: int) -> None:
    """Tell the hub staff once that imported offerings wait for review."""
    from landhub.core.services import notify

    from .services import _hub_staff

    waiting = Offering.objects.filter(status=OfferingStatus.IN_REVIEW).count()
    if count and waiting and not can(actor, "coordination.review_offering"):
        from django.urls import reverse

        notify(recipients=[u for u in _hub_staff() if u.pk != actor.pk],
               kind="coordination.offering_submitted",
               title=_("%(who)s imported %(n)d offerings; some wait for review.")
               % {"who": actor, "n": count},
               url=reverse("coordination:offering_list") + "?status=in_review")  # fmt: skip


OFFERINGS = ImportKind(
    "offerings",
    gettext_lazy("Offerings"),
    required=("title", "providers", "type", "summary"),
    optional=(
        "description",
        "capabilities",
        "themes",
        "ilm_elements",
        "available_in",
        "languages",
        "format",
        "cost",
        "eligibility",
        "access",
        "access_url",
        "access_contact",
        "visibility",
        "status",
    ),  # fmt: skip
    example={
        "title": "Watershed restoration clinic",
        "providers": "Highlands Water Trust",
        "type": "service",
        "summary": "Two days with our hydrologists to plan the restoration of a watershed.",
        "description": "We visit, map the springs with you and leave a **phased plan**.",
        "capabilities": "water-management;restoration-practice",
        "themes": "water;restoration",
        "ilm_elements": "vision-and-planning",
        "available_in": "Africa;BR",
        "languages": "en;fr;pt",
        "format": "hybrid",
        "cost": "subsidised",
        "eligibility": "Landscape partnerships with a water committee.",
        "access": "contact",
        "access_url": "",
        "access_contact": "clinic@example.org",
        "visibility": "public",
        "status": "draft",
    },
    permission="coordination.add_offering",
    prepare=prepare,
    check_row=check_row,
    write_row=write_row,
    after_write=after_write,
)
