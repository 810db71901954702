"""Permission matrix of meetings.

The steering committee's records are open to the network: every signed-in persona reads its
meetings, papers, minutes and calendars; the public is sent to sign in (401 in the API). Only
hub staff among the personas manage them (its officers, Chidi and Sam, are not personas):
everybody else who can read gets a 403. Members declare conflicts for their own seat: sofia
on hers; pablo (her alternate) may not declare on her seat, nor withdraw her declaration. A
confidential meeting is read by the committee's members (sofia, pablo) and hub staff only: a
404 for the others.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from landhub.core.matrix import NOT_FOUND, REDIRECT, UNAUTH, Case, only, signed_in

STAFF = {"hana"}
MEMBERS = {"hana", "sofia", "pablo"}


def _gov(w):
    from landhub.governance.testing import governance_world

    return governance_world(w)


def _at(days: int, hour: int = 10) -> dt.datetime:
    now = timezone.now().astimezone(dt.UTC)
    return (now + dt.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def _upcoming(w):
    """A scheduled meeting next month with two items."""
    from landhub.governance import services
    from landhub.governance.models import Meeting

    found = Meeting.objects.filter(title="Matrix upcoming").first()
    if found is not None:
        return found
    gov = _gov(w)
    meeting = services.meeting_create(actor=gov.chidi, body=gov.sc, title="Matrix upcoming",
                                      starts_at=_at(30), ends_at=_at(30, 12))  # fmt: skip
    for title in ("Welcome", "Budget"):
        services.agenda_item_add(actor=gov.chidi, meeting=meeting, title=title)
    return meeting


def _held(w):
    """A meeting held last week: one item, a paper, attendance, sofia's declared conflict and
    circulated minutes."""
    from landhub.governance import services
    from landhub.governance.models import Meeting

    found = Meeting.objects.filter(title="Matrix held").first()
    if found is not None:
        return found
    gov = _gov(w)
    meeting = services.meeting_create(actor=gov.chidi, body=gov.sc, title="Matrix held",
                                      starts_at=_at(-7), ends_at=_at(-7, 12))  # fmt: skip
    item = services.agenda_item_add(actor=gov.chidi, meeting=meeting, title="Grant")
    services.agenda_item_add(actor=gov.chidi, meeting=meeting, title="Other business")
    paper = SimpleUploadedFile("paper.pdf", b"%PDF-1.4 x")
    services.meeting_document_add(actor=gov.chidi, meeting=meeting, title="Paper", upload=paper)
    meeting.refresh_from_db()
    services.meeting_mark_held(actor=gov.chidi, meeting=meeting, version=meeting.version)
    services.attendance_record(actor=gov.sam, meeting=meeting, entries=[
        {"seat": gov.seats.sofia.pk, "status": "present"}])  # fmt: skip
    services.conflict_declare(actor=w.sofia, agenda_item=item, seat=gov.seats.sofia,
                              nature="Commonland applies.")  # fmt: skip
    minutes = services.minutes_save(actor=gov.sam, meeting=meeting, text="Agreed.", version=None)
    services.minutes_circulate(actor=gov.sam, minutes=minutes, version=minutes.version)
    return meeting


def _confidential(w):
    from landhub.governance import services
    from landhub.governance.models import Meeting

    found = Meeting.objects.filter(title="Matrix confidential").first()
    if found is not None:
        return found
    gov = _gov(w)
    return services.meeting_create(actor=gov.chidi, body=gov.sc, title="Matrix confidential",
                                   starts_at=_at(10), ends_at=_at(10, 12),
                                   confidential=True)  # fmt: skip


def UP(w):  # noqa: N802 - reads like the other matrices' constants
    return _upcoming(w).pk


def HELD(w):  # noqa: N802
    return _held(w).pk


def CONF(w):  # noqa: N802
    return _confidential(w).pk


def ITEM(w):  # noqa: N802
    return _upcoming(w).agenda.order_by("position").last().pk


def HELD_ITEM(w):  # noqa: N802
    return _held(w).agenda.order_by("position").first().pk


def OTHER_ITEM(w):  # noqa: N802
    return _held(w).agenda.order_by("position").last().pk


def _item_version(w):
    from landhub.governance.models import AgendaItem

    return AgendaItem.objects.get(pk=ITEM(w)).version


def DOC(w):  # noqa: N802
    return _held(w).documents.first().pk


def CONFLICT(w):  # noqa: N802
    from landhub.governance.models import ConflictDeclaration

    return ConflictDeclaration.objects.get(agenda_item_id=HELD_ITEM(w)).pk


def url(name, *args):
    """The URL, with the governance world built first (scheduling needs a body to manage)."""

    def build(w):
        _gov(w)
        return reverse(f"governance:{name}", args=[a(w) if callable(a) else a for a in args])

    return build


def _manage(*, yes=REDIRECT, anonymous=REDIRECT) -> dict:
    """Hub staff may; every other signed-in persona reads the meeting but may not (403)."""
    return only(STAFF, yes=yes, anonymous=anonymous)


def _meeting_form(w):
    return {"body": _gov(w).sc.pk, "title": "Matrix new meeting", "day": "2030-03-04",
            "start_time": "14:00", "end_time": "16:00", "time_zone": "Africa/Nairobi"}  # fmt: skip


def _item_form(w):
    return {"title": "Any other business", "kind": "information"}


def _paper(w):
    return {"title": "Budget", "file": SimpleUploadedFile("budget.pdf", b"%PDF-1.4 budget")}


def _attendance_form(w):
    gov = _gov(w)
    return {f"status_{gov.seats.sofia.pk}": "absent",
            f"alternate_{gov.seats.sofia.pk}": str(gov.seats.pablo.pk),
            f"status_{gov.seats.chair.pk}": "present"}  # fmt: skip


def _conflict_form(w):
    return {"agenda_item": str(OTHER_ITEM(w)), "seat": str(_gov(w).seats.sofia.pk),
            "nature": "A second interest."}  # fmt: skip


# Sofia declares on her own seat; pablo may not choose her seat (400: not a choice for him).
DECLARE = {**only({"hana", "sofia"}, yes=REDIRECT), "pablo": 400}
DECLARE_PAGE = only(MEMBERS)
CONFIDENTIAL_READERS = {**dict.fromkeys(("lena", "nora", "oscar"), NOT_FOUND),
                        **dict.fromkeys(MEMBERS, 200), "anonymous": REDIRECT}  # fmt: skip

PAGES = [
    Case("governance:meeting_list", url("meeting_list"), expect=signed_in()),
    Case("governance:meeting_export", url("meeting_export", "csv"), expect=signed_in()),
    Case("governance:meeting_export", url("meeting_export", "xlsx"), expect=signed_in(),
         label="xlsx"),
    Case("governance:meeting_create", url("meeting_create"), expect=only(STAFF)),
    Case("governance:meeting_create", url("meeting_create"), method="post", data=_meeting_form,
         expect=only(STAFF, yes=REDIRECT)),
    Case("governance:meeting_detail", url("meeting_detail", HELD), expect=signed_in()),
    Case("governance:meeting_detail", url("meeting_detail", CONF), expect=CONFIDENTIAL_READERS,
         label="confidential"),
    Case("governance:meeting_ics", url("meeting_ics", UP), expect=signed_in()),
    Case("governance:meeting_ics", url("meeting_ics", CONF), expect=CONFIDENTIAL_READERS,
         label="confidential"),
    Case("governance:meeting_edit", url("meeting_edit", UP), expect=_manage(yes=200)),
    Case("governance:meeting_edit", url("meeting_edit", UP), method="post",
         data=lambda w: {**_meeting_form(w), "version": _upcoming(w).version},
         expect=_manage()),
    Case("governance:meeting_publish", url("meeting_publish", UP), method="post",
         data=lambda w: {"version": _upcoming(w).version}, expect=_manage()),
    Case("governance:meeting_held", url("meeting_held", UP), method="post", expect=_manage()),
    Case("governance:meeting_cancel", url("meeting_cancel", UP), method="post",
         data=lambda w: {"version": _upcoming(w).version}, expect=_manage()),
    Case("governance:meeting_archive", url("meeting_archive", UP), method="post",
         data=lambda w: {"version": _upcoming(w).version}, expect=_manage()),
    Case("governance:meeting_history", url("meeting_history", HELD), expect=signed_in()),
    Case("governance:agenda_item_create", url("agenda_item_create", UP), expect=_manage(yes=200)),
    Case("governance:agenda_item_create", url("agenda_item_create", UP), method="post",
         data=_item_form, expect=_manage()),
    Case("governance:agenda_item_edit", url("agenda_item_edit", UP, ITEM),
         expect=_manage(yes=200)),
    Case("governance:agenda_item_edit", url("agenda_item_edit", UP, ITEM), method="post",
         data=lambda w: {**_item_form(w), "version": _item_version(w)}, expect=_manage()),
    Case("governance:agenda_item_move", url("agenda_item_move", UP, ITEM), method="post",
         data={"direction": "up"}, expect=_manage()),
    Case("governance:agenda_item_remove", url("agenda_item_remove", UP, ITEM), method="post",
         expect=_manage()),
    Case("governance:meeting_document_add", url("meeting_document_add", UP), method="post",
         data=_paper, expect=_manage()),
    Case("governance:meeting_document", url("meeting_document", DOC), expect=signed_in()),
    Case("governance:meeting_document_remove", url("meeting_document_remove", DOC),
         method="post", expect=_manage()),
    Case("governance:meeting_attendance", url("meeting_attendance", HELD),
         expect=_manage(yes=200)),
    Case("governance:meeting_attendance", url("meeting_attendance", HELD), method="post",
         data=_attendance_form, expect=_manage()),
    Case("governance:conflict_declare", url("conflict_declare", HELD), expect=DECLARE_PAGE),
    Case("governance:conflict_declare", url("conflict_declare", HELD), method="post",
         data=_conflict_form, expect=DECLARE),
    Case("governance:conflict_withdraw", url("conflict_withdraw", HELD, CONFLICT),
         method="post", expect=only({"hana", "sofia"}, yes=REDIRECT)),
    Case("governance:minutes_edit", url("minutes_edit", HELD), expect=_manage(yes=200)),
    Case("governance:minutes_edit", url("minutes_edit", HELD), method="post",
         data=lambda w: {"text": "Agreed, amended.", "version": _held(w).minutes.version},
         expect=_manage()),
    Case("governance:minutes_circulate", url("minutes_circulate", HELD), method="post",
         data=lambda w: {"version": _held(w).minutes.version}, expect=_manage()),
    Case("governance:minutes_approve", url("minutes_approve", HELD), method="post",
         data=lambda w: {"approved_at_meeting": UP(w), "version": _held(w).minutes.version},
         expect=_manage()),
    Case("governance:minutes_history", url("minutes_history", HELD), expect=signed_in()),
    Case("governance:body_feed", lambda w: reverse("governance:body_feed",
                                                   args=[_gov(w).sc.slug]), expect=signed_in()),
]  # fmt: skip

API = "/api/v1/governance"
API_USERS = signed_in(anonymous=UNAUTH)


def _api(*, yes=200) -> dict:
    return only(STAFF, yes=yes, anonymous=UNAUTH)


API_CASES = [
    Case(f"GET {API}/meetings", lambda w: f"{API}/meetings", expect=API_USERS),
    # The body must exist before the request names it: the URL builds the governance world.
    Case(f"POST {API}/meetings", lambda w: f"{API}/meetings?_={_gov(w).sc.pk}", method="post",
         json=True,
         data={"body": "steering-committee", "title": "API meeting",
               "starts_at": "2030-03-04T12:00:00Z", "ends_at": "2030-03-04T14:00:00Z"},
         expect=_api(yes=201)),
    Case(f"GET {API}/meetings/{{meeting_id}}.ics", lambda w: f"{API}/meetings/{UP(w)}.ics",
         expect=API_USERS),
    Case(f"GET {API}/meetings/{{meeting_id}}", lambda w: f"{API}/meetings/{HELD(w)}",
         expect=API_USERS),
    Case(f"GET {API}/meetings/{{meeting_id}}", lambda w: f"{API}/meetings/{CONF(w)}",
         expect={**CONFIDENTIAL_READERS, "anonymous": UNAUTH}, label="confidential"),
    Case(f"PATCH {API}/meetings/{{meeting_id}}", lambda w: f"{API}/meetings/{UP(w)}",
         method="patch", json=True,
         data=lambda w: {"version": _upcoming(w).version, "place": "Nairobi"}, expect=_api()),
    Case(f"POST {API}/meetings/{{meeting_id}}/agenda",
         lambda w: f"{API}/meetings/{UP(w)}/agenda", method="post", json=True,
         data={"title": "API item"}, expect=_api(yes=201)),
    Case(f"PATCH {API}/meetings/{{meeting_id}}/agenda/{{item_id}}",
         lambda w: f"{API}/meetings/{UP(w)}/agenda/{ITEM(w)}", method="patch", json=True,
         data=lambda w: {"version": _item_version(w), "title": "Budget 2027"}, expect=_api()),
    Case(f"DELETE {API}/meetings/{{meeting_id}}/agenda/{{item_id}}",
         lambda w: f"{API}/meetings/{UP(w)}/agenda/{ITEM(w)}", method="delete",
         expect=_api(yes=204)),
    Case(f"PUT {API}/meetings/{{meeting_id}}/attendance",
         lambda w: f"{API}/meetings/{HELD(w)}/attendance", method="put", json=True,
         data=lambda w: {"entries": [{"seat": _gov(w).seats.sofia.pk, "status": "apologies"}]},
         expect=_api()),
    Case(f"POST {API}/meetings/{{meeting_id}}/conflicts",
         lambda w: f"{API}/meetings/{HELD(w)}/conflicts", method="post", json=True,
         data=lambda w: {"agenda_item": HELD_ITEM(w), "seat": _gov(w).seats.pablo.pk,
                         "nature": "Advises the applicant."},
         expect={**only({"hana", "pablo"}, yes=201, anonymous=UNAUTH)}),
    Case(f"GET {API}/meetings/{{meeting_id}}/minutes",
         lambda w: f"{API}/meetings/{HELD(w)}/minutes", expect=API_USERS),
    Case(f"PUT {API}/meetings/{{meeting_id}}/minutes",
         lambda w: f"{API}/meetings/{HELD(w)}/minutes", method="put", json=True,
         data=lambda w: {"text": "Agreed (API).", "version": _held(w).minutes.version},
         expect=_api()),
    Case(f"POST {API}/meetings/{{meeting_id}}/minutes/circulate",
         lambda w: f"{API}/meetings/{HELD(w)}/minutes/circulate", method="post", json=True,
         data=lambda w: {"version": _held(w).minutes.version}, expect=_api()),
    Case(f"POST {API}/meetings/{{meeting_id}}/minutes/approve",
         lambda w: f"{API}/meetings/{HELD(w)}/minutes/approve", method="post", json=True,
         data=lambda w: {"version": _held(w).minutes.version, "approved_at_meeting": UP(w)},
         expect=_api()),
]  # fmt: skip

CASES = [*PAGES, *API_CASES]
