"""API of evidence files (``/api/v1/mel/observations/{id}/evidence…``).

Attach a file to a value (multipart ``file``), download one, remove one; the same checks as the
data entry grid (``services.evidence``): who reports the value, while it is a draft or
returned, in an open period. Whoever may not see the value gets 404.
"""

from __future__ import annotations

from datetime import datetime

from django.http import Http404
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from landhub.directory.api.common import require_user

from .. import services
from ..models import Observation
from ..selectors import evidence_detail
from ..selectors.evidence import may_see_value

router = Router(tags=["mel"])


class EvidenceOut(Schema):
    id: int
    observation: int
    file_name: str
    content_type: str
    size: int
    uploaded_at: datetime
    url: str

    @staticmethod
    def resolve_observation(obj):
        return obj.observation_id

    @staticmethod
    def resolve_file_name(obj):
        return obj.original_name

    @staticmethod
    def resolve_uploaded_at(obj):
        return obj.created_at

    @staticmethod
    def resolve_url(obj):
        return f"/api/v1/mel/observations/{obj.observation_id}/evidence/{obj.pk}"


def _visible_observation(user, observation_id: int) -> Observation:
    observation = (
        Observation.objects.select_related("assignment__reporter", "period")
        .filter(pk=observation_id).first()
    )  # fmt: skip
    if observation is None or not may_see_value(user, observation):
        raise Http404
    return observation


@router.post("/observations/{observation_id}/evidence", response={201: EvidenceOut},
             summary="Attach an evidence file to a value (multipart: file)")  # fmt: skip
def add_evidence(request, observation_id: int, file: File[UploadedFile]):
    actor = require_user(request)
    observation = _visible_observation(actor, observation_id)
    return Status(201, services.evidence_add(actor=actor, observation=observation, upload=file))


@router.get("/observations/{observation_id}/evidence/{evidence_id}", response={200: None},
            summary="Download an evidence file")  # fmt: skip
def download_evidence(request, observation_id: int, evidence_id: int):
    from ..views.evidence import evidence_download

    require_user(request)
    return evidence_download(request, evidence_id, observation_id=observation_id)


@router.delete("/observations/{observation_id}/evidence/{evidence_id}", response={204: None},
               summary="Remove an evidence file (while the value is editable)")  # fmt: skip
def remove_evidence(request, observation_id: int, evidence_id: int):
    actor = require_user(request)
    evidence = evidence_detail(user=actor, pk=evidence_id, observation_id=observation_id)
    services.evidence_remove(actor=actor, evidence=evidence)
    return Status(204, None)
