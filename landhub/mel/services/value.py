"""Writes of system change trails and contribution claims (issue 6, area "value").

- A **change trail** follows one social actor (an organization of the directory, or a name)
  in one domain of the enabling environment; there is one trail per actor and domain, so a
  second one is refused with a pointer to the first (``TrailExists``). Its **steps** record the
  stages reached, each backed by outcome statements or other evidence — a step with neither is
  refused: the trail is only as good as what backs it. ``current_stage`` is kept here (the
  stage of the latest step by date) so lists and the system change summary need no subquery.
- A **contribution claim** says an offering *or* a partner contributed to an outcome; it must
  weigh at least one alternative explanation. Contribution analysis (Mayne) is about ruling
  other explanations in or out: a claim that considered none cannot carry a confidence level.

Trails and claims are archived, never deleted (``trail_archive`` / ``trail_restore``,
``claim_archive``); an archived trail takes no change until it is restored.

Trails and claims are the hub's analysis: hub staff and MEL reviewers record them
(``mel.record_trail``, ``mel.record_claim``). Every change is kept by django-simple-history
with who made it; edits carry ``version`` (a stale one raises ``ConflictError``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from landhub.core.versioning import save_versioned

from ..models import (
    ActorType,
    AlternativeExplanation,
    ChangeStep,
    ChangeTrail,
    Confidence,
    ContributionClaim,
    Domain,
    Plausibility,
    Stage,
)
from ..rules import can

__all__ = [
    "TrailExists",
    "claim_archive",
    "claim_create",
    "claim_update",
    "step_add",
    "step_remove",
    "trail_archive",
    "trail_create",
    "trail_restore",
    "trail_update",
]

TRAIL_FIELDS = ("actor_organization", "actor_name", "actor_type", "domain", "summary",
                "visibility")  # fmt: skip
# ``text`` is the claim's own words (the model's ``claim`` field: the name is taken by the
# record itself in ``claim_update``).
CLAIM_FIELDS = ("text", "evidence", "evidence_url", "confidence", "confidence_reason")
MAX_ALTERNATIVES = 20


class TrailExists(ValidationError):
    """The actor already has a trail in this domain; ``existing`` is that trail, so the page
    can link to it instead of making a second one."""

    def __init__(self, existing: ChangeTrail):
        self.existing = existing
        values = {"actor": existing.actor_label, "domain": existing.get_domain_display(),
                  "pk": existing.pk}  # fmt: skip
        if existing.archived_at is not None:
            message = _("%(actor)s already has a trail in %(domain)s (trail %(pk)s, archived): "
                        "restore it and add steps to it instead.") % values  # fmt: skip
        else:
            message = _("%(actor)s already has a trail in %(domain)s (trail %(pk)s): add steps "
                        "to it instead.") % values  # fmt: skip
        super().__init__({"actor_name": [message]})


# --- checks ----------------------------------------------------------------------------------


def _may_record_trail(actor) -> None:
    if not can(actor, "mel.record_trail"):
        raise PermissionDenied(_("Hub staff and MEL reviewers record system change trails."))


def _may_record_claim(actor) -> None:
    if not can(actor, "mel.record_claim"):
        raise PermissionDenied(_("Hub staff and MEL reviewers record contribution claims."))


def _text(value, limit: int | None = None) -> str:
    text = "" if value is None else str(value).strip()
    return text[:limit] if limit else text


def _existing_trail(trail: ChangeTrail) -> ChangeTrail | None:
    qs = ChangeTrail.objects.filter(domain=trail.domain)
    if trail.actor_organization_id:
        qs = qs.filter(actor_organization_id=trail.actor_organization_id)
    else:
        qs = qs.filter(actor_organization__isnull=True, actor_name__iexact=trail.actor_name)
    if trail.pk:
        qs = qs.exclude(pk=trail.pk)
    return qs.first()


def _check_trail(trail: ChangeTrail) -> None:
    """One actor (directory or name), known choices, one trail per actor and domain."""
    errors: dict[str, list] = {}
    if trail.actor_organization_id:
        trail.actor_name = ""  # the directory's name is the actor's name
    elif not trail.actor_name:
        errors["actor_name"] = [_("Choose the actor in the directory or type its name.")]
    if trail.actor_type not in ActorType.values:
        errors["actor_type"] = [_("Choose the type of actor.")]
    if trail.domain not in Domain.values:
        errors["domain"] = [_("Choose the domain.")]
    if errors:
        raise ValidationError(errors)
    existing = _existing_trail(trail)
    if existing is not None:
        raise TrailExists(existing)
    trail.full_clean(exclude=["current_stage", "recorded_by", "actor_organization"],
                     validate_constraints=False)  # fmt: skip


def _save_trail(trail: ChangeTrail, save) -> ChangeTrail:
    """Save, turning a race on the unique constraint into the same clear refusal."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        existing = _existing_trail(trail)
        if existing is None:
            raise
        raise TrailExists(existing) from None
    return trail


def _refresh_current_stage(trail: ChangeTrail, actor) -> None:
    """``current_stage`` = the stage of the latest step by date (ties: the later entry)."""
    latest = trail.steps.order_by("-reached_on", "-id").values_list("stage", flat=True).first()
    stage = latest or ""
    if trail.current_stage != stage:
        trail.current_stage = stage
        trail._history_user = actor
        trail.save(update_fields=["current_stage", "updated_at"])


# --- trails ----------------------------------------------------------------------------------


def trail_create(*, actor, actor_type: str, domain: str, actor_organization=None,
                 actor_name: str = "", summary: str = "",
                 visibility: str = "network") -> ChangeTrail:  # fmt: skip
    """Start a trail for an actor in a domain (refused with ``TrailExists`` when there is
    one)."""
    _may_record_trail(actor)
    trail = ChangeTrail(
        actor_organization=actor_organization, actor_name=_text(actor_name, 200),
        actor_type=actor_type or "", domain=domain or "", summary=_text(summary),
        visibility=visibility or "network", recorded_by=actor,
    )  # fmt: skip
    _check_trail(trail)
    trail._history_user = actor
    return _save_trail(trail, trail.save)


def trail_update(*, actor, trail: ChangeTrail, version: int | None, **changes) -> ChangeTrail:
    """Change the actor, type, domain, summary or visibility (``TRAIL_FIELDS``)."""
    _may_record_trail(actor)
    unknown = set(changes) - set(TRAIL_FIELDS)
    if unknown:
        raise ValidationError({key: [_("This field cannot be changed.")] for key in unknown})
    if trail.archived_at is not None:
        raise ValidationError(_("This trail is archived; restore it before changing it."))
    for key, value in changes.items():
        if key in ("actor_name", "summary"):
            value = _text(value, 200 if key == "actor_name" else None)
        setattr(trail, key, "" if value is None and key != "actor_organization" else value)
    _check_trail(trail)
    trail._history_user = actor

    def save():
        save_versioned(trail, expected_version=version)

    return _save_trail(trail, save)


def _set_archived(trail: ChangeTrail, *, actor, version: int | None, archived: bool
                  ) -> ChangeTrail:  # fmt: skip
    _may_record_trail(actor)
    if archived and trail.archived_at is not None:
        raise ValidationError(_("This trail is already archived."))
    if not archived and trail.archived_at is None:
        raise ValidationError(_("This trail is not archived."))
    before = trail.archived_at
    trail.archived_at = timezone.now() if archived else None
    trail._history_user = actor
    try:
        with transaction.atomic():
            save_versioned(trail, expected_version=version, update_fields=["archived_at"])
    except Exception:
        trail.archived_at = before  # the caller's copy stays as stored
        raise
    return trail


def trail_archive(*, actor, trail: ChangeTrail, version: int | None) -> ChangeTrail:
    """Archive a trail recorded by mistake or no longer followed: it leaves the trail list
    and the system change summary, and keeps its steps and history (nothing is deleted).
    Its actor and domain stay taken: a second trail for them is refused with a link to this
    one, which can be restored."""
    return _set_archived(trail, actor=actor, version=version, archived=True)


def trail_restore(*, actor, trail: ChangeTrail, version: int | None) -> ChangeTrail:
    """Bring an archived trail back to the list and the summary, as it was."""
    return _set_archived(trail, actor=actor, version=version, archived=False)


def _date(value, key: str = "reached_on") -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationError({key: [_("Enter a date as YYYY-MM-DD.")]}) from None


def step_add(*, actor, trail: ChangeTrail, stage: str, reached_on, outcomes=(),
             evidence: str = "", evidence_url: str = "") -> ChangeStep:  # fmt: skip
    """Record that the actor reached ``stage`` on ``reached_on``, backed by outcome
    statements and/or other evidence (text or link) — never by nothing."""
    _may_record_trail(actor)
    errors: dict[str, list] = {}
    if stage not in Stage.values:
        errors["stage"] = [_("Choose a stage.")]
    try:
        day = _date(reached_on)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        day = None
    if day is not None and day > timezone.localdate():
        errors["reached_on"] = [_("A stage is recorded once it is reached, not before.")]
    outcomes = list(outcomes or [])
    evidence, evidence_url = _text(evidence), _text(evidence_url, 200)
    if not outcomes and not evidence and not evidence_url:
        message = _("Back the step with outcome statements or other evidence (a text or a "
                    "link): a stage nobody can check does not count.")  # fmt: skip
        errors["evidence"] = [message]
    if errors:
        raise ValidationError(errors)
    if trail.archived_at is not None:
        raise ValidationError(_("This trail is archived; restore it before changing it."))
    if trail.steps.filter(stage=stage, reached_on=day).exists():
        raise ValidationError({"stage": [_("This trail already has this stage on this date.")]})
    step = ChangeStep(trail=trail, stage=stage, reached_on=day, evidence=evidence,
                      evidence_url=evidence_url, recorded_by=actor)  # fmt: skip
    step.full_clean(exclude=["trail", "recorded_by"])
    with transaction.atomic():
        step._history_user = actor
        step.save()
        if outcomes:
            step.outcomes.set(outcomes)
        _refresh_current_stage(trail, actor)
    return step


def step_remove(*, actor, step: ChangeStep) -> None:
    """Remove a step recorded by mistake (its history keeps it); the trail's current stage
    follows."""
    _may_record_trail(actor)
    trail = step.trail
    if trail.archived_at is not None:
        raise ValidationError(_("This trail is archived; restore it before changing it."))
    with transaction.atomic():
        step._history_user = actor
        step.delete()
        _refresh_current_stage(trail, actor)


# --- contribution claims ---------------------------------------------------------------------


def _clean_alternatives(alternatives) -> list[dict]:
    """Each alternative: explanation, plausibility, reasoning. At least one is required."""
    rows, errors = [], []
    for index, raw in enumerate(list(alternatives or [])[: MAX_ALTERNATIVES + 1], start=1):
        raw = raw if isinstance(raw, dict) else {}
        explanation = _text(raw.get("explanation"))
        plausibility = _text(raw.get("plausibility"))
        reasoning = _text(raw.get("reasoning"))
        if not explanation and not reasoning and not plausibility:
            continue  # an empty row of the form
        if not explanation:
            errors.append(_("Alternative %(n)d: say what the other explanation is.") % {"n": index})
        if plausibility not in Plausibility.values:
            errors.append(_("Alternative %(n)d: choose how plausible it is.") % {"n": index})
        rows.append({"explanation": explanation, "plausibility": plausibility,
                     "reasoning": reasoning})  # fmt: skip
    if len(rows) > MAX_ALTERNATIVES:
        errors.append(_("At most %(n)d alternative explanations.") % {"n": MAX_ALTERNATIVES})
    if not rows and not errors:
        errors.append(_("Consider at least one alternative explanation: contribution analysis "
                        "weighs what else could have caused the outcome before it claims a "
                        "contribution."))  # fmt: skip
    if errors:
        raise ValidationError({"alternatives": errors})
    return rows


def _check_claim(claim: ContributionClaim) -> None:
    errors: dict[str, list] = {}
    if bool(claim.offering_id) == bool(claim.partner_id):
        errors["offering"] = [_("Name either an offering or a partner, not both.")
                              if claim.offering_id else
                              _("Name the offering or the partner that contributed.")]  # fmt: skip
    if claim.outcome_id is None:
        errors["outcome"] = [_("Choose the outcome statement.")]
    elif claim.outcome.archived_at is not None:
        errors["outcome"] = [_("This outcome statement is archived.")]
    if not claim.claim:
        errors["claim"] = [_("Say how it contributed.")]
    if not claim.evidence:
        errors["evidence"] = [_("Give the evidence of the contribution.")]
    if claim.confidence not in Confidence.values:
        errors["confidence"] = [_("Choose a confidence level.")]
    if not claim.confidence_reason:
        errors["confidence_reason"] = [_("Say why you hold this confidence.")]
    if errors:
        raise ValidationError(errors)
    claim.full_clean(exclude=["outcome", "offering", "partner", "recorded_by"],
                     validate_constraints=False)  # fmt: skip


def _set_alternatives(claim: ContributionClaim, rows: list[dict]) -> None:
    claim.alternatives.all().delete()
    AlternativeExplanation.objects.bulk_create(
        [AlternativeExplanation(claim=claim, **row) for row in rows]
    )


def _notify_outcome_recorder(claim: ContributionClaim, actor) -> None:
    """The person who harvested the outcome learns that a contribution was claimed for it."""
    from landhub.core.services import notify

    recorder = claim.outcome.recorded_by
    if recorder is None or recorder.pk == actor.pk:
        return
    notify(recipients=[recorder], kind="mel.claim",
           title=_("A contribution was claimed for “%(outcome)s”") % {"outcome": claim.outcome},
           url=claim.get_absolute_url())  # fmt: skip


def claim_create(*, actor, outcome, text: str, evidence: str, confidence: str,
                 alternatives, offering=None, partner=None, evidence_url: str = "",
                 confidence_reason: str = "") -> ContributionClaim:  # fmt: skip
    """Claim that ``offering`` or ``partner`` (exactly one) contributed to ``outcome``, with
    the evidence, a confidence level and its reason, and the alternative explanations weighed
    (``[{"explanation", "plausibility", "reasoning"}]``, at least one)."""
    _may_record_claim(actor)
    record = ContributionClaim(
        outcome=outcome, offering=offering, partner=partner, claim=_text(text),
        evidence=_text(evidence), evidence_url=_text(evidence_url, 200),
        confidence=confidence or "", confidence_reason=_text(confidence_reason),
        recorded_by=actor,
    )  # fmt: skip
    errors: dict = {}
    try:
        _check_claim(record)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        rows = _clean_alternatives(alternatives)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record._history_user = actor
        record.save()
        _set_alternatives(record, rows)
        _notify_outcome_recorder(record, actor)
    return record


def claim_update(*, actor, claim: ContributionClaim, version: int | None, alternatives=None,
                 **changes) -> ContributionClaim:  # fmt: skip
    """Change the claim's ``text``, evidence, confidence (``CLAIM_FIELDS``), its offering or
    partner, and — when given — replace its alternative explanations (at least one)."""
    _may_record_claim(actor)
    allowed = {*CLAIM_FIELDS, "offering", "partner"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({key: [_("This field cannot be changed.")] for key in unknown})
    if claim.archived_at is not None:
        raise ValidationError(_("This claim is archived."))
    for key, value in changes.items():
        if key in CLAIM_FIELDS:
            value = _text(value, 200 if key == "evidence_url" else None)
        setattr(claim, "claim" if key == "text" else key, value)
    errors: dict = {}
    try:
        _check_claim(claim)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    rows = None
    if alternatives is not None:
        try:
            rows = _clean_alternatives(alternatives)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        claim._history_user = actor
        save_versioned(claim, expected_version=version)
        if rows is not None:
            _set_alternatives(claim, rows)
    return claim


def claim_archive(*, actor, claim: ContributionClaim, version: int | None = None
                  ) -> ContributionClaim:  # fmt: skip
    """Withdraw a claim: archived, not deleted (value reports stop showing it)."""
    _may_record_claim(actor)
    if claim.archived_at is not None:
        return claim
    claim.archived_at = timezone.now()
    with transaction.atomic():
        claim._history_user = actor
        save_versioned(claim, expected_version=version)
    return claim
