"""Evidence files of reported values.

A value may carry files that back it (a training register, a survey report, a map) beside
its evidence link. They are checked by ``core.uploads.clean_document`` (kind by extension
*and* content, size up to ``LANDHUB_MAX_ATTACHMENT_BYTES``), stored under a random name in the
private ``attachments`` storage, and downloaded only by who may see the value. Files are
added and removed while the value is editable (a draft or a returned value of an open
period), by whoever reports it; the history keeps who added or removed what.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Observation, ObservationEvidence, ObservationStatus
from ..rules import can

MAX_EVIDENCE_FILES = 10
EDITABLE = (ObservationStatus.DRAFT, ObservationStatus.RETURNED)


def evidence_editable(user, observation: Observation) -> bool:
    """Whether ``user`` may add or remove files of ``observation`` now."""
    return (
        observation.status in EDITABLE
        and not observation.period.is_locked
        and can(user, "mel.report", observation.assignment)
    )


def _check_editable(actor, observation: Observation) -> None:
    if not can(actor, "mel.report", observation.assignment):
        raise PermissionDenied(_("You do not report this indicator."))
    if observation.period.is_locked:
        raise ValidationError({"file": [_("%(period)s is locked; no values can change.")
                                        % {"period": observation.period.label}]})  # fmt: skip
    if observation.status not in EDITABLE:
        raise ValidationError(
            {"file": [_("Files change only while the value is a draft or returned.")]}
        )


@transaction.atomic
def evidence_add(*, actor, observation: Observation, upload) -> ObservationEvidence:
    """Attach a file to a value after checking its kind, content and size."""
    from landhub.core.uploads import clean_document

    # Lock the value's row only (PostgreSQL refuses FOR UPDATE across an outer join).
    observation = Observation.objects.select_for_update().get(pk=observation.pk)
    _check_editable(actor, observation)
    if upload is None:
        raise ValidationError({"file": [_("Choose a file to attach.")]})
    if observation.evidence_files.count() >= MAX_EVIDENCE_FILES:
        raise ValidationError({"file": [_("A value has at most %(n)d files.")
                                        % {"n": MAX_EVIDENCE_FILES}]})  # fmt: skip
    try:
        document = clean_document(upload, max_bytes=settings.LANDHUB_MAX_ATTACHMENT_BYTES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    evidence = ObservationEvidence(
        observation=observation, original_name=document.original_name,
        content_type=document.content_type, size=document.size, uploaded_by=actor,
    )  # fmt: skip
    evidence.file.save(document.file.name, document.file, save=False)
    evidence._history_user = actor
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def evidence_remove(*, actor, evidence: ObservationEvidence) -> None:
    observation = Observation.objects.select_for_update().get(pk=evidence.observation_id)
    _check_editable(actor, observation)
    stored = evidence.file.name
    storage = evidence.file.storage
    evidence._history_user = actor
    evidence.delete()
    # The file goes once the removal is committed (the history keeps who removed what).
    transaction.on_commit(lambda: storage.delete(stored))
