"""Writes to the catalog of offerings: draft, edit, submit, review (publish or return), retire.

Each function checks the actor's permission, validates, runs in one transaction, keeps the
history with the actor as author, and tells the people concerned: hub staff when an offering
is submitted, the providers' staff when it is published, returned or retired.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from landhub.core.access import HUB_STAFF_GROUP
from landhub.core.services import notify
from landhub.core.versioning import save_versioned
from landhub.directory.models import Country, Organization, Term, Vocabulary

from .models import LANGUAGE_CODES, Offering, OfferingProvider, OfferingStatus
from .rules import can, member_organization_ids

SIMPLE_FIELDS = {
    "title", "summary", "description", "type", "is_global", "delivery_format", "cost",
    "eligibility", "access_mode", "access_url", "access_contact", "visibility",
}  # fmt: skip
TERM_FIELDS = {
    "capabilities": Vocabulary.CAPABILITY,
    "themes": Vocabulary.THEME,
    "ilm_elements": Vocabulary.ILM_ELEMENT,
}
# Who may move an offering from one status to another, and how.
TRANSITIONS = {
    "submit": ({OfferingStatus.DRAFT}, OfferingStatus.IN_REVIEW, "coordination.change_offering"),
    "publish": ({OfferingStatus.IN_REVIEW, OfferingStatus.DRAFT}, OfferingStatus.PUBLISHED,
                "coordination.review_offering"),
    "return": ({OfferingStatus.IN_REVIEW}, OfferingStatus.DRAFT, "coordination.review_offering"),
    "retire": ({OfferingStatus.PUBLISHED}, OfferingStatus.RETIRED, "coordination.review_offering"),
    "reopen": ({OfferingStatus.RETIRED}, OfferingStatus.PUBLISHED, "coordination.review_offering"),
}  # fmt: skip


def _terms(field: str, values) -> list[Term]:
    vocabulary = TERM_FIELDS[field]
    wanted = [v for v in values or [] if not isinstance(v, Term)]
    objects = [v for v in values or [] if isinstance(v, Term)]
    slugs = [str(v) for v in wanted if not str(v).isdigit()]
    ids = [int(v) for v in wanted if str(v).isdigit()]
    found = list(Term.objects.filter(vocabulary=vocabulary, slug__in=slugs)) if slugs else []
    found += list(Term.objects.filter(vocabulary=vocabulary, pk__in=ids)) if ids else []
    if len(found) != len(set(slugs)) + len(set(ids)) or any(
        t.vocabulary != vocabulary for t in objects
    ):
        known = {t.slug for t in found} | {str(t.pk) for t in found}
        unknown = [str(v) for v in wanted if str(v) not in known]
        raise ValidationError(
            {field: _("Not in the list: %(values)s.") % {"values": ", ".join(unknown) or "?"}}
        )
    return objects + found


def _countries(values) -> list[Country]:
    codes = [v.code if isinstance(v, Country) else str(v).strip().upper() for v in values or []]
    found = {c.code: c for c in Country.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError(
            {"countries": _("Unknown country code: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    return [found[c] for c in dict.fromkeys(codes)]


def _regions(values) -> str:
    if isinstance(values, str):
        values = values.split(",")
    names = [str(v).strip() for v in values or [] if str(v).strip()]
    known = set(Country.objects.exclude(region="").values_list("region", flat=True).distinct())
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValidationError(
            {"regions": _("Unknown region: %(names)s. Use one of: %(known)s.")
             % {"names": ", ".join(unknown), "known": ", ".join(sorted(known))}}
        )  # fmt: skip
    return ",".join(dict.fromkeys(names))


def _languages(values) -> str:
    if isinstance(values, str):
        values = values.split(",")
    codes = [str(v).strip().lower() for v in values or [] if str(v).strip()]
    unknown = [c for c in codes if c not in LANGUAGE_CODES]
    if unknown:
        raise ValidationError(
            {"languages": _("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    return ("," + ",".join(dict.fromkeys(codes)) + ",") if codes else ""


def _organizations(values, field: str = "providers") -> list[Organization]:
    result = []
    for value in values or []:
        if isinstance(value, Organization):
            result.append(value)
            continue
        lookup = {"pk": int(value)} if str(value).isdigit() else {"slug": str(value)}
        organization = Organization.objects.active().filter(**lookup).first()
        if organization is None:
            raise ValidationError({field: _("Unknown organization: %(v)s.") % {"v": value}})
        result.append(organization)
    return list(dict.fromkeys(result))


def _apply(offering: Offering, fields: dict) -> dict:
    """Set simple fields on ``offering``; return the many-valued ones to save after it.

    Every field is checked before anything is refused, so the person sees all their
    mistakes at once, each next to its field.
    """
    later, errors = {}, {}
    for key, value in fields.items():
        try:
            if key in TERM_FIELDS:
                later[key] = _terms(key, value)
            elif key == "countries":
                later[key] = _countries(value)
            elif key == "regions":
                offering.regions = _regions(value)
            elif key == "languages":
                offering.languages = _languages(value)
            elif key in ("providers", "lead_provider"):
                later[key] = value
            elif key in SIMPLE_FIELDS:
                setattr(offering, key, "" if value is None and key != "is_global" else value)
            else:
                raise ValidationError({key: _("This field cannot be changed here.")})
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return later


def _check_access(offering: Offering) -> None:
    from landhub.coordination.models import AccessMode

    if offering.access_mode == AccessMode.LINK and not offering.access_url:
        raise ValidationError({"access_url": _("Give the link where the offering is found.")})
    if offering.access_mode == AccessMode.CONTACT and not offering.access_contact:
        raise ValidationError({"access_contact": _("Give the e-mail address to contact.")})


def _set_providers(actor, offering: Offering, providers, lead) -> None:
    """Replace the providers; the lead must be one of them (the first one by default).

    A provider's staff may only name organizations they belong to as providers, besides the
    ones already there; hub staff may name any organization.
    """
    providers = _organizations(providers)
    lead_org = _organizations([lead], "lead_provider")[0] if lead else None
    if lead_org and lead_org not in providers:
        providers.insert(0, lead_org)
    if not providers:
        raise ValidationError({"providers": _("Name at least one provider.")})
    if not can(actor, "coordination.review_offering"):
        current = set(offering.provider_links.values_list("organization_id", flat=True))
        mine = member_organization_ids(actor)
        foreign = [o.name for o in providers if o.pk not in mine | current]
        if foreign:
            raise ValidationError(
                {"providers": _("You can only add organizations you belong to: %(names)s.")
                 % {"names": ", ".join(foreign)}}
            )  # fmt: skip
        if not {o.pk for o in providers} & mine:
            raise ValidationError(
                {"providers": _("Keep at least one organization you belong to as a provider.")}
            )
    lead_org = lead_org or providers[0]
    offering.provider_links.exclude(organization__in=providers).delete()
    existing = {link.organization_id: link for link in offering.provider_links.all()}
    for organization in providers:
        link = existing.get(organization.pk) or OfferingProvider(
            offering=offering, organization=organization
        )
        link.is_lead = False
        link.save()
    offering.provider_links.filter(organization=lead_org).update(is_lead=True)


def _save_later(actor, offering: Offering, later: dict) -> None:
    if "providers" in later or "lead_provider" in later:
        providers = later.get("providers")
        if providers is None:
            providers = [link.organization for link in offering.provider_links.all()]
        _set_providers(actor, offering, providers, later.get("lead_provider"))
    for key in (*TERM_FIELDS, "countries"):
        if key in later:
            getattr(offering, key).set(later[key])


def _unique_slug(title: str, exclude_pk=None) -> str:
    base = slugify(title)[:200] or "offering"
    slug, n = base, 2
    while Offering.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def provider_staff(offering: Offering) -> list:
    """Active users who belong to one of the offering's providers."""
    return list(
        get_user_model()
        .objects.filter(
            person__org_memberships__organization__offering_links__offering=offering,
            person__org_memberships__end_date__isnull=True,
            is_active=True,
        )
        .distinct()
    )


def _hub_staff() -> list:
    return list(get_user_model().objects.filter(groups__name=HUB_STAFF_GROUP, is_active=True))


@transaction.atomic
def offering_create(*, actor, title: str, providers, **fields) -> Offering:
    """A new draft. Its providers' staff (and hub staff) go on editing it until it is submitted."""
    if not can(actor, "coordination.add_offering"):
        raise PermissionDenied(_("Only staff of a partner organization add offerings."))
    title = (title or "").strip()
    offering = Offering(title=title, slug=_unique_slug(title), status=OfferingStatus.DRAFT)
    later = _apply(offering, fields)
    later["providers"] = providers
    later.setdefault("lead_provider", fields.get("lead_provider"))
    _check_access(offering)
    offering.full_clean()
    offering._history_user = actor
    offering.save()
    _save_later(actor, offering, later)
    return offering


@transaction.atomic
def offering_update(*, actor, offering: Offering, version: int | None, **fields) -> Offering:
    if not can(actor, "coordination.change_offering", offering):
        raise PermissionDenied(_("You may not change this offering."))
    changes_visibility = fields.get("visibility", offering.visibility) != offering.visibility
    if (
        changes_visibility
        and offering.is_published
        and not can(actor, "coordination.review_offering")
    ):
        raise PermissionDenied(_("Only hub staff change who sees a published offering."))
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
    later = _apply(offering, fields)
    _check_access(offering)
    offering.full_clean(exclude=["slug"])
    offering._history_user = actor
    save_versioned(offering, expected_version=version)
    _save_later(actor, offering, later)
    if offering.status == OfferingStatus.PUBLISHED and not can(
        actor, "coordination.review_offering"
    ):
        notify(recipients=[u for u in _hub_staff() if u.pk != actor.pk],
               kind="coordination.offering_changed",
               title=_("Published offering changed: %(t)s") % {"t": offering.title},
               url=offering.get_absolute_url())  # fmt: skip
    return offering


@transaction.atomic
def offering_transition(
    *,
    actor,
    offering: Offering,
    action: str,
    version: int | None,
    comment: str = "",
    notify_reviewers: bool = True,
) -> Offering:
    """Move an offering through its workflow: submit, publish, return (with a comment),
    retire, reopen. Refused with a message when the action does not apply to its status.

    An import submits many at once and tells the reviewers once (``notify_reviewers=False``).
    """
    if action not in TRANSITIONS:
        raise ValidationError({"action": _("Unknown action: %(a)s.") % {"a": action}})
    sources, target, permission = TRANSITIONS[action]
    if not can(actor, permission, offering):
        raise PermissionDenied(_("You may not %(action)s this offering.") % {"action": action})
    if offering.status not in sources:
        raise ValidationError(
            {"status": _("A %(status)s offering cannot be sent to %(target)s.")
             % {"status": offering.get_status_display().lower(),
                "target": OfferingStatus(target).label.lower()}}
        )  # fmt: skip
    comment = (comment or "").strip()
    if action == "return" and not comment:
        raise ValidationError({"comment": _("Say what needs to change before it is published.")})
    now = timezone.now()
    offering.status = target
    if action == "submit":
        offering.submitted_at = now
    elif action in ("publish", "reopen"):
        offering.published_at = offering.published_at or now
        offering.retired_at = None
        offering.review_comment = ""
    elif action == "return":
        offering.review_comment = comment
    elif action == "retire":
        offering.retired_at = now
    offering._history_user = actor
    offering._change_reason = comment[:100] or action
    save_versioned(offering, expected_version=version)
    if action == "submit" and notify_reviewers:
        notify(recipients=[u for u in _hub_staff() if u.pk != actor.pk],
               kind="coordination.offering_submitted",
               title=_("Offering to review: %(t)s") % {"t": offering.title},
               url=offering.get_absolute_url())  # fmt: skip
    elif action != "submit":
        titles = {
            "publish": _("Your offering is published: %(t)s"),
            "return": _("Your offering needs changes: %(t)s"),
            "retire": _("Your offering was retired: %(t)s"),
            "reopen": _("Your offering is published again: %(t)s"),
        }
        notify(recipients=[u for u in provider_staff(offering) if u.pk != actor.pk],
               kind=f"coordination.offering_{action}", title=titles[action] % {"t": offering.title},
               body=comment, url=offering.get_absolute_url())  # fmt: skip
    return offering


@transaction.atomic
def recommendation_dismiss(*, actor, landscape, offering: Offering, reason: str, note: str = ""):
    """A landscape's leaders set a recommendation aside, with a reason (undone by
    ``recommendation_restore``)."""
    from .models import Dismissal, DismissalReason

    if not can(actor, "directory.change_landscape", landscape):
        raise PermissionDenied(_("Only the landscape's leaders and managers dismiss offerings."))
    if reason not in DismissalReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    dismissal, _created = Dismissal.objects.update_or_create(
        landscape=landscape, offering=offering,
        defaults={"reason": reason, "note": (note or "").strip()[:300], "dismissed_by": actor},
    )  # fmt: skip
    return dismissal


@transaction.atomic
def recommendation_restore(*, actor, landscape, offering: Offering) -> None:
    from .models import Dismissal

    if not can(actor, "directory.change_landscape", landscape):
        raise PermissionDenied(_("Only the landscape's leaders and managers restore offerings."))
    for dismissal in Dismissal.objects.filter(landscape=landscape, offering=offering):
        dismissal.delete()


# --- Service requests ------------------------------------------------------------------------

# action: (statuses it applies to, the new status, who may do it)
REQUEST_TRANSITIONS = {
    "accept": ({"requested"}, "accepted", "provider"),
    "start": ({"accepted"}, "in_progress", "provider"),
    "deliver": ({"accepted", "in_progress"}, "delivered", "provider"),
    "decline": ({"requested", "accepted"}, "declined", "provider"),
    "withdraw": ({"requested", "accepted", "in_progress"}, "withdrawn", "landscape"),
}


def _landscape_managers(landscape) -> list:
    from landhub.directory.selectors.landscapes import landscape_managers

    return landscape_managers(landscape)


def may_answer_request(user, request) -> bool:
    """Staff of one of the offering's providers, or hub staff."""
    from landhub.core.access import is_hub_staff

    if is_hub_staff(user):
        return True
    providers = set(request.offering.provider_links.values_list("organization_id", flat=True))
    return bool(providers & member_organization_ids(user))


def may_act_for_landscape(user, landscape) -> bool:
    return can(user, "directory.change_landscape", landscape)


@transaction.atomic
def request_create(*, actor, landscape, offering: Offering, message: str, need=None):
    """A landscape's leader asks for an offering (optionally for one of its needs)."""
    from .models import OPEN_REQUEST_STATUSES, ServiceRequest

    if not may_act_for_landscape(actor, landscape):
        raise PermissionDenied(_("Only the landscape's leaders and managers request offerings."))
    errors = {}
    if offering.status != OfferingStatus.PUBLISHED:
        errors["offering"] = _("Only published offerings can be requested.")
    if need is not None and need.landscape_id != landscape.pk:
        errors["need"] = _("Choose one of this landscape's needs.")
    message = (message or "").strip()
    if len(message) < 10:
        errors["message"] = _("Say in a sentence or two what you hope to get from it.")
    if ServiceRequest.objects.filter(
        landscape=landscape, offering=offering, status__in=OPEN_REQUEST_STATUSES
    ).exists():
        errors["offering"] = _("This landscape already has an open request for this offering.")
    if errors:
        raise ValidationError(errors)
    request = ServiceRequest(landscape=landscape, offering=offering, need=need, message=message,
                             requested_by=actor)  # fmt: skip
    request.full_clean()
    request._history_user = actor
    request.save()
    notify(recipients=[u for u in provider_staff(offering) if u.pk != actor.pk],
           kind="coordination.request_created",
           title=_("%(landscape)s requests %(offering)s")
           % {"landscape": landscape.name, "offering": offering.title},
           body=message, url=request.get_absolute_url())  # fmt: skip
    return request


@transaction.atomic
def request_transition(*, actor, request, action: str, version: int | None, answer: str = "",
                       expected_by=None):  # fmt: skip
    """Move a request on: accept (with an expected date), start, deliver, decline (with a
    reason) — the providers; withdraw — the landscape."""
    if action not in REQUEST_TRANSITIONS:
        raise ValidationError({"action": _("Unknown action: %(a)s.") % {"a": action}})
    sources, target, side = REQUEST_TRANSITIONS[action]
    allowed = (
        may_answer_request(actor, request)
        if side == "provider"
        else may_act_for_landscape(actor, request.landscape)
    )
    if not allowed:
        raise PermissionDenied(_("You may not %(action)s this request.") % {"action": action})
    if request.status not in sources:
        raise ValidationError(
            {"status": _("A request that is %(status)s cannot be changed that way.")
             % {"status": request.get_status_display().lower()}}
        )  # fmt: skip
    answer = (answer or "").strip()
    if action == "decline" and not answer:
        raise ValidationError({"answer": _("Say why you decline, so the landscape can look "
                                           "elsewhere.")})  # fmt: skip
    if expected_by is not None and expected_by < timezone.localdate():
        raise ValidationError({"expected_by": _("The expected date is in the past.")})
    now = timezone.now()
    request.status = target
    if answer:
        request.answer = answer
    if action == "accept":
        request.accepted_at = now
        request.expected_by = expected_by
    elif action == "deliver":
        request.delivered_at = now
    elif action in ("decline", "withdraw"):
        request.closed_at = now
    request._history_user = actor
    request._change_reason = action
    save_versioned(request, expected_version=version)
    if side == "provider":
        recipients = _landscape_managers(request.landscape)
        if request.requested_by:
            recipients.append(request.requested_by)
    else:
        recipients = provider_staff(request.offering)
    notify(recipients=[u for u in recipients if u.pk != actor.pk],
           kind=f"coordination.request_{action}",
           title=_("Request for %(offering)s: %(status)s")
           % {"offering": request.offering.title, "status": request.get_status_display()},
           body=answer, url=request.get_absolute_url())  # fmt: skip
    return request


@transaction.atomic
def feedback_give(*, actor, request, usefulness: int, what_changed: str, would_recommend: bool,
                  days_saved=None, money_saved_usd=None):  # fmt: skip
    """The landscape says what a delivered offering was worth (can be revised later)."""
    from .models import RequestStatus, ValueFeedback

    if not may_act_for_landscape(actor, request.landscape):
        raise PermissionDenied(_("Only the landscape's leaders and managers give feedback."))
    if request.status != RequestStatus.DELIVERED:
        raise ValidationError({"request": _("Feedback comes after delivery.")})
    feedback = getattr(request, "feedback", None) or ValueFeedback(request=request)
    feedback.usefulness = usefulness
    feedback.what_changed = (what_changed or "").strip()
    feedback.would_recommend = bool(would_recommend)
    feedback.days_saved = days_saved
    feedback.money_saved_usd = money_saved_usd
    feedback.given_by = actor
    feedback.full_clean(exclude=["request"])
    feedback._history_user = actor
    feedback.save()
    notify(recipients=[u for u in provider_staff(request.offering) if u.pk != actor.pk],
           kind="coordination.feedback_given",
           title=_("%(landscape)s rated %(offering)s %(n)s/5")
           % {"landscape": request.landscape.name, "offering": request.offering.title,
              "n": usefulness},
           body=feedback.what_changed, url=request.get_absolute_url())  # fmt: skip
    return feedback


# --- Activities and overlap alerts -------------------------------------------------------------

ACTIVITY_FIELDS = {"title", "description", "type", "status", "starts_on", "ends_on",
                   "visibility"}  # fmt: skip


def may_change_activity(user, activity) -> bool:
    from landhub.core.access import is_hub_staff

    if is_hub_staff(user):
        return True
    return bool(
        set(activity.organizations.values_list("pk", flat=True)) & member_organization_ids(user)
    )


def _activity_related(fields: dict) -> dict:
    from landhub.directory.models import Landscape

    later = {}
    if "organizations" in fields:
        later["organizations"] = _organizations(fields.pop("organizations"), "organizations")
        if not later["organizations"]:
            raise ValidationError({"organizations": _("Name at least one organization.")})
    if "landscapes" in fields:
        slugs = [getattr(v, "slug", v) for v in fields.pop("landscapes") or []]
        found = list(Landscape.objects.filter(slug__in=[str(s) for s in slugs]))
        if len(found) != len(set(map(str, slugs))):
            raise ValidationError({"landscapes": _("Unknown landscape.")})
        later["landscapes"] = found
    for key in ("capabilities", "themes"):
        if key in fields:
            later[key] = _terms(key, fields.pop(key))
    return later


def find_overlaps(activity) -> list:
    """Other organizations' activities in one of its landscapes, overlapping in time, on one of
    its capabilities or themes (cancelled ones left out)."""
    from .models import Activity, ActivityStatus

    landscapes = list(activity.landscapes.values_list("pk", flat=True))
    if not landscapes or activity.status == ActivityStatus.CANCELLED:
        return []
    capabilities = list(activity.capabilities.values_list("pk", flat=True))
    themes = list(activity.themes.values_list("pk", flat=True))
    if not capabilities and not themes:
        return []
    organizations = list(activity.organizations.values_list("pk", flat=True))
    topic = Q(capabilities__in=capabilities) | Q(themes__in=themes)
    return list(
        Activity.objects.active()
        .exclude(pk=activity.pk)
        .exclude(status=ActivityStatus.CANCELLED)
        .filter(
            landscapes__in=landscapes,
            starts_on__lte=activity.ends_on,
            ends_on__gte=activity.starts_on,
        )  # fmt: skip
        .filter(topic)
        .exclude(organizations__in=organizations)
        .distinct()
    )


def _record_overlaps(actor, activity) -> list:
    from .models import ActivityOverlap

    found = []
    for other in find_overlaps(activity):
        first, second = sorted([activity, other], key=lambda a: a.pk)
        overlap, created = ActivityOverlap.objects.get_or_create(first=first, second=second)
        found.append(overlap)
        if created:
            staff = set()
            for organization in [*activity.organizations.all(), *other.organizations.all()]:
                staff |= {u for u in _organization_staff(organization) if u.pk != actor.pk}
            notify(recipients=list(staff), kind="coordination.activity_overlap",
                   title=_("Coordinate: %(a)s and %(b)s overlap")
                   % {"a": activity.title, "b": other.title},
                   url=activity.get_absolute_url())  # fmt: skip
    return found


def _organization_staff(organization) -> list:
    return list(
        get_user_model()
        .objects.filter(
            person__org_memberships__organization=organization,
            person__org_memberships__end_date__isnull=True,
            is_active=True,
        )
        .distinct()
    )


@transaction.atomic
def activity_create(*, actor, **fields):
    from .models import Activity

    later = _activity_related(fields)
    organizations = later.get("organizations") or []
    if not organizations:
        raise ValidationError({"organizations": _("Name at least one organization.")})
    if not can(actor, "coordination.review_offering") and not (
        {o.pk for o in organizations} & member_organization_ids(actor)
    ):
        raise PermissionDenied(_("Add activities of an organization you belong to."))
    unknown = set(fields) - ACTIVITY_FIELDS
    if unknown:
        raise ValidationError({k: _("This field cannot be changed here.") for k in unknown})
    activity = Activity(**fields)
    activity.full_clean()
    activity._history_user = actor
    activity.save()
    for key, values in later.items():
        getattr(activity, key).set(values)
    _record_overlaps(actor, activity)
    return activity


@transaction.atomic
def activity_update(*, actor, activity, version: int | None, **fields):
    if not may_change_activity(actor, activity):
        raise PermissionDenied(_("You may not change this activity."))
    later = _activity_related(fields)
    if (
        "organizations" in later
        and not can(actor, "coordination.review_offering")
        and not ({o.pk for o in later["organizations"]} & member_organization_ids(actor))
    ):
        raise ValidationError({"organizations": _("Keep at least one organization you belong to.")})
    for key, value in fields.items():
        if key not in ACTIVITY_FIELDS:
            raise ValidationError({key: _("This field cannot be changed here.")})
        setattr(activity, key, value)
    activity.full_clean()
    activity._history_user = actor
    save_versioned(activity, expected_version=version)
    for key, values in later.items():
        getattr(activity, key).set(values)
    _record_overlaps(actor, activity)
    return activity


@transaction.atomic
def overlap_mark_coordinated(*, actor, overlap, note: str = ""):
    """Either side says the two activities are coordinated (with a note)."""
    if not (
        may_change_activity(actor, overlap.first) or may_change_activity(actor, overlap.second)
    ):
        raise PermissionDenied(_("Only the organizations concerned mark it coordinated."))
    overlap.coordinated_at = timezone.now()
    overlap.coordinated_by = actor
    overlap.note = (note or "").strip()[:500]
    overlap._history_user = actor
    overlap.save()
    return overlap


# --- Links and attachments -------------------------------------------------------------------

MAX_LINKS = 20
MAX_ATTACHMENTS = 20


def _check_materials(actor, offering: Offering) -> None:
    if not can(actor, "coordination.change_offering", offering):
        raise PermissionDenied(_("Only the providers' staff and hub staff change its materials."))


@transaction.atomic
def link_add(*, actor, offering: Offering, title: str, url: str):
    from django.core.validators import URLValidator

    from .models import OfferingLink

    _check_materials(actor, offering)
    title, url = (title or "").strip(), (url or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Give the link a title.")
    elif len(title) > 200:
        errors["title"] = _("At most 200 characters.")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors["url"] = _("Enter a web address starting with https:// or http://.")
    if offering.links.count() >= MAX_LINKS:
        errors["url"] = _("An offering has at most %(n)d links.") % {"n": MAX_LINKS}
    if errors:
        raise ValidationError(errors)
    link = OfferingLink(offering=offering, title=title, url=url,
                        position=offering.links.count())  # fmt: skip
    link._history_user = actor
    link.save()
    return link


@transaction.atomic
def link_remove(*, actor, link) -> None:
    _check_materials(actor, link.offering)
    link._history_user = actor
    link.delete()


@transaction.atomic
def attachment_add(*, actor, offering: Offering, title: str, upload):
    """Attach a file after ``core.uploads.clean_document`` has checked its kind and size."""
    from django.conf import settings

    from landhub.core.uploads import clean_document

    from .models import OfferingAttachment

    _check_materials(actor, offering)
    if upload is None:
        raise ValidationError({"file": _("Choose a file to attach.")})
    if offering.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            {"file": _("An offering has at most %(n)d files.") % {"n": MAX_ATTACHMENTS}}
        )
    try:
        document = clean_document(upload, max_bytes=settings.LANDHUB_MAX_ATTACHMENT_BYTES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    title = (title or "").strip()[:200] or document.original_name
    attachment = OfferingAttachment(
        offering=offering, title=title, original_name=document.original_name,
        content_type=document.content_type, size=document.size, uploaded_by=actor,
    )  # fmt: skip
    attachment.file.save(document.file.name, document.file, save=False)
    attachment._history_user = actor
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, actor, attachment) -> None:
    _check_materials(actor, attachment.offering)
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment._history_user = actor
    attachment.delete()
    # The file goes once the removal is committed (history keeps who removed what).
    transaction.on_commit(lambda: storage.delete(stored))
