"""Reads of evidence files: those of a grid's rows, and one file for who may see its value."""

from __future__ import annotations

from collections import defaultdict

from django.http import Http404

from ..models import ObservationEvidence
from ..rules import can


def may_see_value(user, observation) -> bool:
    """A value is seen by who reports it and by the reviewers (as on the data entry grid)."""
    return can(user, "mel.report", observation.assignment) or can(user, "mel.review")


def attach_evidence(rows: list[dict]) -> None:
    """Give each grid row its value's files (``row["evidence"]``) in one query."""
    ids = [row["observation"].pk for row in rows if row.get("observation") is not None]
    files = defaultdict(list)
    if ids:
        for evidence in ObservationEvidence.objects.filter(observation_id__in=ids):
            files[evidence.observation_id].append(evidence)
    for row in rows:
        observation = row.get("observation")
        row["evidence"] = files.get(observation.pk, []) if observation is not None else []


def evidence_detail(*, user, pk: int, observation_id: int | None = None) -> ObservationEvidence:
    """One file, if ``user`` may see its value; else 404 (a denied read is a 404)."""
    qs = ObservationEvidence.objects.select_related(
        "observation__assignment__reporter", "observation__assignment__landscape",
        "observation__period",
    )  # fmt: skip
    if observation_id is not None:
        qs = qs.filter(observation_id=observation_id)
    evidence = qs.filter(pk=pk).first()
    if evidence is None or not user.is_authenticated or not may_see_value(
            user, evidence.observation):  # fmt: skip
        raise Http404
    return evidence
