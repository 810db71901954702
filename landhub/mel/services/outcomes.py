"""Writes of outcome harvesting: outcome statements and their substantiation (issue 6).

An outcome statement goes draft → under review → substantiated → published:

- its author (whoever may ``mel.record_outcome``) writes a draft and submits it;
- a reviewer (``mel.review_outcome``: hub staff and the ``mel-reviewers`` group) returns it to
  draft with a comment, or asks independent people to substantiate it;
- each substantiator answers through an e-mailed link, without an account: do they agree with
  the statement, and with the contribution claimed (fully, partly, disagree), and why;
- once at least one answer is in, a reviewer marks it substantiated, then publishes it.

A published statement is changed by a reviewer only, with a reason kept in the history (as
approved values are). Every transition is a saved version with its history row, so the history
tab tells who moved it when.

The substantiation link carries a random secret (``secrets.token_urlsafe(32)``); only its
SHA-256 is stored, so a copy of the database does not let anyone answer. The link expires
after ``LANDHUB_MEL_SUBSTANTIATION_DAYS`` days (30 unless set) and takes one answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from landhub.core.access import HUB_STAFF_GROUP
from landhub.core.models import Visibility
from landhub.core.services import notify
from landhub.core.versioning import check_version, save_versioned

from ..models.outcomes import (
    TAG_VOCABULARIES,
    ActorType,
    Agreement,
    ChangeType,
    Domain,
    Effect,
    OutcomeStatement,
    OutcomeStatus,
    Significance,
    Substantiation,
)
from ..rules import REVIEWERS_GROUP, can

__all__ = [
    "OUTCOME_FIELDS",
    "OUTCOME_RELATIONS",
    "SubstantiationLinkError",
    "outcome_archive",
    "outcome_create",
    "outcome_publish",
    "outcome_return",
    "outcome_submit",
    "outcome_substantiate",
    "outcome_update",
    "substantiation_answer",
    "substantiation_by_token",
    "substantiation_request",
    "token_hash",
]

# What a form or the API may set; status, author and dates are the services' own.
OUTCOME_FIELDS = (
    "title", "description", "actor_organization", "actor_name", "actor_type", "change_type",
    "domain", "occurred_on", "is_global", "intended", "effect", "significance_level",
    "significance", "contribution", "visibility",
)  # fmt: skip
OUTCOME_RELATIONS = (
    "landscapes", "countries", "contributing_partners", "offerings", "activities", "tags",
)  # fmt: skip

MAX_TEXT = 20_000  # a statement is a page or two, not a book
SUBSTANTIATION_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


# --- checks ----------------------------------------------------------------------------------


def _may_record(actor) -> None:
    if not can(actor, "mel.record_outcome"):
        raise PermissionDenied(
            _("Hub staff, MEL reviewers, core partners' staff and landscape leaders record "
              "outcomes.")
        )  # fmt: skip


def _may_review(actor) -> None:
    if not can(actor, "mel.review_outcome"):
        raise PermissionDenied(_("Only MEL reviewers and hub staff review outcome statements."))


def _locked(outcome_id: int) -> OutcomeStatement:
    """The stored row, locked for the rest of the transaction (two reviewers at once)."""
    return OutcomeStatement.objects.select_for_update().get(pk=outcome_id)


def _not_archived(outcome: OutcomeStatement) -> None:
    if outcome.archived_at is not None:
        raise ValidationError({"status": _("This outcome statement is archived.")})


def _status(outcome: OutcomeStatement, *allowed: object, message: str) -> None:
    _not_archived(outcome)
    if outcome.status not in allowed:
        raise ValidationError({"status": message})


def _text(value, limit: int = MAX_TEXT) -> str:
    return ("" if value is None else str(value)).strip()[:limit]


def _date(value, errors: dict):
    if value in (None, ""):
        errors["occurred_on"] = [_("Say when it happened.")]
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            errors["occurred_on"] = [_("Enter a date as YYYY-MM-DD.")]
            return None
    if value > timezone.localdate():
        errors["occurred_on"] = [_("An outcome is a change that happened: the date cannot be "
                                   "in the future.")]  # fmt: skip
    return value


def _choice(data: dict, key: str, choices, errors: dict, *, default=None):
    value = data.get(key, default)
    if value not in choices.values:
        errors[key] = [_("Choose one of the options.")]
    return value


def _check(data: dict, relations: dict) -> dict:
    """Every rule of a statement, with each message keyed by its field."""
    errors: dict = {}
    clean = {
        "title": _text(data.get("title"), 200),
        "description": _text(data.get("description")),
        "actor_organization": data.get("actor_organization"),
        "actor_name": _text(data.get("actor_name"), 200),
        "is_global": bool(data.get("is_global")),
        "intended": bool(data.get("intended", True)),
        "significance": _text(data.get("significance")),
        "contribution": _text(data.get("contribution")),
    }
    for key in ("title", "description", "contribution"):
        if not clean[key]:
            errors[key] = [_("This field is required.")]
    clean["actor_type"] = _choice(data, "actor_type", ActorType, errors)
    clean["change_type"] = _choice(data, "change_type", ChangeType, errors)
    clean["domain"] = _choice(data, "domain", Domain, errors)
    clean["effect"] = _choice(data, "effect", Effect, errors, default=Effect.POSITIVE)
    clean["significance_level"] = _choice(data, "significance_level", Significance, errors,
                                          default=Significance.MEDIUM)  # fmt: skip
    clean["visibility"] = _choice(data, "visibility", Visibility, errors,
                                  default=Visibility.NETWORK)  # fmt: skip
    clean["occurred_on"] = _date(data.get("occurred_on"), errors)
    # The social actor: one of the directory, or named — not neither, not both.
    if clean["actor_organization"] is None and not clean["actor_name"]:
        errors["actor_name"] = [_("Name the social actor: choose an organization of the "
                                  "directory, or type its name.")]  # fmt: skip
    elif clean["actor_organization"] is not None and clean["actor_name"]:
        errors["actor_name"] = [_("Choose an organization of the directory or type a name, "
                                  "not both.")]  # fmt: skip
    # Where: global, or at least one landscape or country.
    if not (clean["is_global"] or relations.get("landscapes") or relations.get("countries")):
        errors["landscapes"] = [_("Say where it happened: at least one landscape or country, "
                                  "or mark it global.")]  # fmt: skip
    bad_tags = [str(t) for t in relations.get("tags") or []
                if t.vocabulary not in TAG_VOCABULARIES or not t.is_active]  # fmt: skip
    if bad_tags:
        message = _("Tags come from the themes, capabilities, SDGs and ILM elements: %(tags)s "
                    "cannot be used.")  # fmt: skip
        errors["tags"] = [message % {"tags": ", ".join(bad_tags)}]
    if errors:
        raise ValidationError(errors)
    return clean


def _split(fields: dict) -> tuple[dict, dict]:
    unknown = set(fields) - set(OUTCOME_FIELDS) - set(OUTCOME_RELATIONS)
    if unknown:
        raise TypeError(f"Unknown outcome fields: {sorted(unknown)}")
    data = {k: v for k, v in fields.items() if k in OUTCOME_FIELDS}
    relations = {k: list(v or []) for k, v in fields.items() if k in OUTCOME_RELATIONS}
    return data, relations


def _set_relations(outcome: OutcomeStatement, relations: dict) -> None:
    for key, values in relations.items():
        getattr(outcome, key).set(values)


def _reviewers():
    """Everyone who reviews outcomes: hub staff and the designated MEL reviewers."""
    return (
        get_user_model().objects.filter(
            Q(groups__name=HUB_STAFF_GROUP) | Q(groups__name=REVIEWERS_GROUP), is_active=True
        ).distinct()
    )  # fmt: skip


def _transition(outcome: OutcomeStatement, *, actor, version, reason: str) -> None:
    """Save a status change as a new version with its history row and reason."""
    outcome._history_user = actor
    outcome._change_reason = _text(reason, 100) or None
    save_versioned(outcome, expected_version=version)


# --- outcome statements ----------------------------------------------------------------------


@transaction.atomic
def outcome_create(*, actor, **fields) -> OutcomeStatement:
    """Record a draft outcome statement. ``fields``: ``OUTCOME_FIELDS`` (the actor
    organization as an ``Organization`` or None) and ``OUTCOME_RELATIONS`` (lists of records:
    landscapes, countries, contributing partners, offerings, activities, tags)."""
    _may_record(actor)
    data, relations = _split(fields)
    clean = _check(data, relations)
    outcome = OutcomeStatement(**clean, recorded_by=actor, status=OutcomeStatus.DRAFT)
    outcome._history_user = actor
    outcome._change_reason = _("Recorded")
    outcome.save()
    _set_relations(outcome, relations)
    return outcome


@transaction.atomic
def outcome_update(
    *, actor, outcome: OutcomeStatement, version: int | None, reason: str = "", **fields
) -> OutcomeStatement:
    """Change a statement. Fields left out keep their value. Its author changes a draft;
    reviewers change it at any stage — a published one only with a ``reason``, kept in the
    history. A stale ``version`` raises ``ConflictError``."""
    outcome = _locked(outcome.pk)
    if not can(actor, "mel.change_outcome", outcome):
        raise PermissionDenied(
            _("Its author changes a draft; reviewers change an outcome at any stage.")
        )
    _not_archived(outcome)
    check_version(outcome, version)
    reason = _text(reason, 100)
    if outcome.status == OutcomeStatus.PUBLISHED:
        if not can(actor, "mel.review_outcome"):
            raise PermissionDenied(_("A published outcome is changed by the reviewers only."))
        if not reason:
            raise ValidationError({"reason": _("Say why a published outcome changes.")})
    data, relations = _split(fields)
    current = {key: getattr(outcome, key) for key in OUTCOME_FIELDS}
    current_relations = {key: list(getattr(outcome, key).all()) for key in OUTCOME_RELATIONS}
    clean = _check({**current, **data}, {**current_relations, **relations})
    for key, value in clean.items():
        setattr(outcome, key, value)
    outcome._history_user = actor
    outcome._change_reason = reason or None
    save_versioned(outcome, expected_version=version)
    _set_relations(outcome, relations)
    return outcome


@transaction.atomic
def outcome_submit(*, actor, outcome: OutcomeStatement, version: int | None) -> OutcomeStatement:
    """Draft → under review: its author, or a reviewer. The reviewers are told."""
    outcome = _locked(outcome.pk)
    if outcome.recorded_by_id != actor.pk and not can(actor, "mel.review_outcome"):
        raise PermissionDenied(_("Its author or a reviewer submits an outcome for review."))
    _status(outcome, OutcomeStatus.DRAFT, message=_("Only a draft is submitted for review."))
    outcome.status = OutcomeStatus.UNDER_REVIEW
    _transition(outcome, actor=actor, version=version, reason=_("Submitted for review"))
    notify(
        recipients=[u for u in _reviewers() if u.pk != actor.pk],
        kind="mel.outcome_submitted",
        title=_("Outcome to review: %(title)s") % {"title": outcome.title},
        url=outcome.get_absolute_url(),
    )  # fmt: skip
    return outcome


@transaction.atomic
def outcome_return(
    *, actor, outcome: OutcomeStatement, version: int | None, comment: str
) -> OutcomeStatement:
    """Under review → draft, with the reviewer's comment for the author."""
    outcome = _locked(outcome.pk)
    _may_review(actor)
    _status(outcome, OutcomeStatus.UNDER_REVIEW,
            message=_("Only an outcome under review is returned to its author."))  # fmt: skip
    comment = _text(comment, 5000)
    if not comment:
        raise ValidationError({"comment": _("Say what needs to change.")})
    outcome.status = OutcomeStatus.DRAFT
    outcome.review_comment = comment
    _transition(outcome, actor=actor, version=version, reason=_("Returned to draft"))
    if outcome.recorded_by is not None and outcome.recorded_by_id != actor.pk:
        notify(recipients=[outcome.recorded_by], kind="mel.outcome_returned",
               title=_("Outcome returned: %(title)s") % {"title": outcome.title},
               body=comment, url=outcome.get_absolute_url())  # fmt: skip
    return outcome


@transaction.atomic
def outcome_substantiate(
    *, actor, outcome: OutcomeStatement, version: int | None
) -> OutcomeStatement:
    """Under review → substantiated (a reviewer), once at least one answer is in."""
    outcome = _locked(outcome.pk)
    _may_review(actor)
    _status(outcome, OutcomeStatus.UNDER_REVIEW,
            message=_("Only an outcome under review is marked substantiated."))  # fmt: skip
    if not outcome.substantiations.filter(answered_at__isnull=False).exists():
        raise ValidationError({"status": _(
            "No substantiator has answered yet: ask someone independent, and mark it "
            "substantiated once an answer is in.")})  # fmt: skip
    outcome.status = OutcomeStatus.SUBSTANTIATED
    outcome.substantiated_at = timezone.now()
    _transition(outcome, actor=actor, version=version, reason=_("Substantiated"))
    return outcome


@transaction.atomic
def outcome_publish(*, actor, outcome: OutcomeStatement, version: int | None) -> OutcomeStatement:
    """Substantiated → published (a reviewer); readers then see it by its visibility."""
    outcome = _locked(outcome.pk)
    _may_review(actor)
    _status(outcome, OutcomeStatus.SUBSTANTIATED,
            message=_("Only a substantiated outcome is published."))  # fmt: skip
    outcome.status = OutcomeStatus.PUBLISHED
    outcome.published_at = timezone.now()
    _transition(outcome, actor=actor, version=version, reason=_("Published"))
    if outcome.recorded_by is not None and outcome.recorded_by_id != actor.pk:
        notify(recipients=[outcome.recorded_by], kind="mel.outcome_published",
               title=_("Outcome published: %(title)s") % {"title": outcome.title},
               url=outcome.get_absolute_url())  # fmt: skip
    return outcome


@transaction.atomic
def outcome_archive(
    *, actor, outcome: OutcomeStatement, version: int | None, reason: str = ""
) -> OutcomeStatement:
    """Archive (never delete): its author a draft, reviewers any. It leaves the register,
    the dashboard and the search; its page and history stay for those who saw it."""
    outcome = _locked(outcome.pk)
    if not can(actor, "mel.change_outcome", outcome):
        raise PermissionDenied(_("Its author archives a draft; reviewers archive any outcome."))
    _not_archived(outcome)
    outcome.archived_at = timezone.now()
    _transition(outcome, actor=actor, version=version, reason=_text(reason, 100) or _("Archived"))
    return outcome


# --- substantiation --------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def _days() -> int:
    return int(getattr(settings, "LANDHUB_MEL_SUBSTANTIATION_DAYS", 30))


def _send_request(substantiation: Substantiation, token: str, asker: str) -> None:
    """The e-mail to the substantiator, in their language, with the link."""
    outcome = substantiation.outcome
    link = settings.SITE_URL + reverse("mel:substantiation_answer", args=[token])
    context = {"substantiation": substantiation, "outcome": outcome, "asker": asker,
               "link": link, "expires_at": substantiation.expires_at}  # fmt: skip
    with translation.override(substantiation.language):
        subject = render_to_string("mel/email/substantiation_request_subject.txt", context)
        body = render_to_string("mel/email/substantiation_request.txt", context)
    send_mail(
        subject=" ".join(subject.split())[:200], message=body,
        from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[substantiation.email],
        fail_silently=True,
    )  # fmt: skip


@transaction.atomic
def substantiation_request(
    *, actor, outcome: OutcomeStatement, name: str, email: str, affiliation: str = "",
    language: str = "en",
) -> tuple[Substantiation, str]:  # fmt: skip
    """A reviewer asks an independent person to substantiate an outcome under review.

    Returns the record and the secret token of its link (the e-mail carries it; only its hash
    is stored). The e-mail goes after the transaction commits, in ``language``.
    """
    outcome = _locked(outcome.pk)
    _may_review(actor)
    _status(outcome, OutcomeStatus.UNDER_REVIEW,
            message=_("Substantiation is asked for while an outcome is under review."))  # fmt: skip
    errors: dict = {}
    name, email, affiliation = _text(name, 200), _text(email, 254), _text(affiliation, 200)
    if not name:
        errors["name"] = [_("Give the substantiator's name.")]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid e-mail address.")]
    if language not in SUBSTANTIATION_LANGUAGES:
        errors["language"] = [_("Choose English, Spanish, French or Portuguese.")]
    if (
        not errors
        and outcome.substantiations.filter(
            email__iexact=email, answered_at__isnull=True, expires_at__gt=timezone.now()
        ).exists()
    ):
        errors["email"] = [_("This person was already asked and has not answered yet.")]
    if errors:
        raise ValidationError(errors)
    token = secrets.token_urlsafe(32)
    substantiation = Substantiation(
        outcome=outcome, name=name, email=email, affiliation=affiliation, language=language,
        token_hash=token_hash(token), requested_by=actor,
        expires_at=timezone.now() + dt.timedelta(days=_days()),
    )  # fmt: skip
    substantiation._history_user = actor
    substantiation.save()
    # History of the statement too, so its page tells who was asked when.
    outcome._history_user = actor
    outcome._change_reason = _text(_("Substantiation asked of %(name)s") % {"name": name}, 100)
    outcome.save(update_fields=["updated_at"])  # no new version: the statement is unchanged
    asker = getattr(actor, "name", "") or actor.email
    transaction.on_commit(lambda: _send_request(substantiation, token, asker))
    return substantiation, token


class SubstantiationLinkError(Exception):
    """A substantiation link that takes no answer: ``kind`` is unknown, expired or answered."""

    def __init__(self, kind: str, substantiation: Substantiation | None = None):
        self.kind = kind
        self.substantiation = substantiation
        super().__init__(kind)


def substantiation_by_token(token: str, *, for_update: bool = False) -> Substantiation:
    """The open substantiation of a link, or ``SubstantiationLinkError``. An unknown token,
    a malformed one and one of an archived statement all read as "unknown"."""
    token = (token or "")[:200]
    qs = Substantiation.objects.select_related("outcome", "outcome__actor_organization",
                                               "requested_by")  # fmt: skip
    if for_update:
        # Only the substantiation's row: PostgreSQL locks no nullable side of an outer join.
        qs = qs.select_for_update(of=("self",))
    substantiation = qs.filter(token_hash=token_hash(token)).first() if token else None
    if substantiation is None or substantiation.outcome.archived_at is not None:
        raise SubstantiationLinkError("unknown")
    if substantiation.answered_at is not None:
        raise SubstantiationLinkError("answered", substantiation)
    if substantiation.expires_at <= timezone.now():
        raise SubstantiationLinkError("expired", substantiation)
    return substantiation


@dataclass
class _Answer:
    statement_agreement: str
    contribution_agreement: str
    comment: str


def _check_answer(statement_agreement, contribution_agreement, comment) -> _Answer:
    errors: dict = {}
    if statement_agreement not in Agreement.values:
        errors["statement_agreement"] = [_("Say whether you agree with the statement.")]
    if contribution_agreement not in Agreement.values:
        errors["contribution_agreement"] = [_("Say whether you agree with the contribution.")]
    comment = _text(comment, 5000)
    if errors:
        raise ValidationError(errors)
    return _Answer(statement_agreement, contribution_agreement, comment)


@transaction.atomic
def substantiation_answer(
    *, token: str, statement_agreement: str, contribution_agreement: str, comment: str = ""
) -> Substantiation:
    """Record the answer given through a link (no account). Refuses an unknown, expired or
    used link (``SubstantiationLinkError``); tells the reviewers and the author."""
    substantiation = substantiation_by_token(token, for_update=True)
    answer = _check_answer(statement_agreement, contribution_agreement, comment)
    substantiation.statement_agreement = answer.statement_agreement
    substantiation.contribution_agreement = answer.contribution_agreement
    substantiation.comment = answer.comment
    substantiation.answered_at = timezone.now()
    substantiation.save()
    outcome = substantiation.outcome
    recipients = [*_reviewers(), outcome.recorded_by]
    notify(
        recipients=[u for u in recipients if u is not None],
        kind="mel.substantiation_answered",
        title=_("%(name)s answered on “%(title)s”") % {"name": substantiation.name,
                                                       "title": outcome.title},
        body=_("Statement: %(statement)s. Contribution: %(contribution)s.") % {
            "statement": substantiation.get_statement_agreement_display(),
            "contribution": substantiation.get_contribution_agreement_display()},
        url=outcome.get_absolute_url(),
    )  # fmt: skip
    return substantiation
