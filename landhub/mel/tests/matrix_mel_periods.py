"""Permission matrix of reporting periods, the completeness view and evidence files.

Periods and completeness are for hub staff (and, completeness, the designated reviewers —
none in the matrix world). Evidence files follow the value: lena reports the public
landscape's values, so she and hub staff attach, download and remove; everyone else is told
the file does not exist (404).
"""

from __future__ import annotations

from django.urls import reverse

from landhub.core.matrix import NOT_FOUND, REDIRECT, UNAUTH, Case, only

STAFF = {"hana"}
REPORTERS = {"hana", "lena"}  # report the world's public landscape
PDF = b"%PDF-1.4\n%%EOF\n"


def _pdf(name="evidence.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _period(w, label="2033"):
    import datetime as dt

    from landhub.mel.models import ReportingPeriod

    year = int(label)
    period, _created = ReportingPeriod.objects.get_or_create(
        label=label, defaults={"kind": "year", "start": dt.date(year, 1, 1),
                               "end": dt.date(year, 12, 31), "due": dt.date(year + 1, 2, 1)},
    )  # fmt: skip
    return period


def _draft(w):
    """A draft value lena saved for the public landscape (period 2032), editable."""
    from landhub.mel import services
    from landhub.mel.models import Indicator, IndicatorAssignment, Observation

    indicator = Indicator.objects.filter(code="MXP").first() or services.indicator_create(
        actor=w.hana, code="MXP", name="Matrix people", definition="People.", measure="count"
    )
    assignment, _created = IndicatorAssignment.objects.get_or_create(
        indicator=indicator, scope_kind="landscape", landscape=w.landscape
    )
    period = _period(w, "2032")
    observation = Observation.objects.filter(assignment=assignment, period=period).first()
    return observation or services.observation_save(actor=w.lena, assignment=assignment,
                                                    period=period, value=3)  # fmt: skip


def _evidence(w):
    from landhub.mel import services

    observation = _draft(w)
    return observation.evidence_files.first() or services.evidence_add(
        actor=w.lena, observation=observation, upload=_pdf()
    )


PAGES = [
    Case("mel:period_list", lambda w: reverse("mel:period_list"), expect=only(STAFF)),
    Case("mel:period_create", lambda w: reverse("mel:period_create"), expect=only(STAFF)),
    Case(
        "mel:period_create",
        lambda w: reverse("mel:period_create"),
        method="post",
        data={"kind": "quarter", "year": "2034", "number": "", "due_after_days": "30"},
        expect=only(STAFF, yes=REDIRECT),
        label="(the four quarters)",
    ),  # fmt: skip
    Case(
        "mel:period_edit",
        lambda w: reverse("mel:period_edit", args=[_period(w).label]),
        expect=only(STAFF),
    ),  # fmt: skip
    Case(
        "mel:period_lock",
        lambda w: reverse("mel:period_lock", args=[_period(w).label]),
        method="post",
        data={"action": "lock"},
        expect=only(STAFF, yes=REDIRECT),
    ),  # fmt: skip
    Case("mel:completeness", lambda w: reverse("mel:completeness"), expect=only(STAFF)),
    Case(
        "mel:completeness_export_csv",
        lambda w: reverse("mel:completeness_export_csv") + f"?period={_period(w).label}",
        expect=only(STAFF),
    ),  # fmt: skip
    Case(
        "mel:evidence_add",
        lambda w: reverse(
            "mel:evidence_add",
            args=[w.landscape.slug, _draft(w).period.label, _draft(w).assignment_id],
        ),
        method="post",
        data=lambda w: {"file": _pdf()},
        expect=only(REPORTERS, yes=REDIRECT),
    ),  # fmt: skip
    Case(
        "mel:evidence_download",
        lambda w: reverse("mel:evidence_download", args=[_evidence(w).pk]),
        expect=only(REPORTERS, no=NOT_FOUND),
    ),  # fmt: skip
    Case(
        "mel:evidence_remove",
        lambda w: reverse("mel:evidence_remove", args=[_evidence(w).pk]),
        method="post",
        expect=only(REPORTERS, yes=REDIRECT, no=NOT_FOUND),
    ),  # fmt: skip
]

API = [
    Case(
        "POST /api/v1/mel/observations/{observation_id}/evidence",
        lambda w: f"/api/v1/mel/observations/{_draft(w).pk}/evidence",
        method="post",
        data=lambda w: {"file": _pdf()},
        expect=only(REPORTERS, yes=201, no=NOT_FOUND, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        "GET /api/v1/mel/observations/{observation_id}/evidence/{evidence_id}",
        lambda w: f"/api/v1/mel/observations/{_draft(w).pk}/evidence/{_evidence(w).pk}",
        expect=only(REPORTERS, no=NOT_FOUND, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        "DELETE /api/v1/mel/observations/{observation_id}/evidence/{evidence_id}",
        lambda w: f"/api/v1/mel/observations/{_draft(w).pk}/evidence/{_evidence(w).pk}",
        method="delete",
        expect=only(REPORTERS, yes=204, no=NOT_FOUND, anonymous=UNAUTH),
    ),  # fmt: skip
]

CASES = [*PAGES, *API]
