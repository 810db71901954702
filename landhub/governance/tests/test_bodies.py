"""Bodies and seats through the pages: the governance home, the list, a body's page with its
seats and missing core partners, the seat history, and hub staff setting bodies and seats
up — one voting seat per core partner refused with the message on the form."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from landhub.governance.models import Body, Seat

pytestmark = pytest.mark.django_db


def test_home_lists_the_bodies_a_member_may_see(gov, client_for):
    page = client_for("nora").get(reverse("governance:home"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Steering Committee" in text
    assert "Landscape Leaders Advisory Group" in text
    assert "Key issues" in text  # the way into the register
    assert "8 members" in text  # chair, five members, secretary and pablo, sofia's alternate


def test_home_shows_a_dozen_bodies_the_reader_s_own_first_and_links_to_all(gov, client_for):
    for n in range(14):
        Body.objects.create(name=f"Alpha Working Group {n:02}", slug=f"alpha-{n}",
                            kind="working_group", mandate="Works.")  # fmt: skip
    text = client_for("lena").get(reverse("governance:home")).content.decode()
    cards = re.findall(r'<h3 class="h6 card-title"[^>]*><a [^>]*>([^<]+)</a>', text)
    # lena sits on the LLAG; the steering committee stands before the teams, a design team
    # before the working groups, whatever their names.
    assert cards[:4] == ["Landscape Leaders Advisory Group", "Steering Committee",
                         "Finance Design Team", "Alpha Working Group 00"]  # fmt: skip
    assert len(cards) == 12
    assert "See all 17 bodies" in text


def test_home_without_more_bodies_than_cards_has_no_see_all_link(gov, client_for):
    text = client_for("lena").get(reverse("governance:home")).content.decode()
    assert "See all" not in text


def test_body_page_shows_mandate_rules_seats_and_alternates(gov, client_for):
    page = client_for("nora").get(reverse("governance:body_detail", args=["steering-committee"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Guides the initiative." in text
    assert "Strategy, budget, membership." in text
    assert "Simple majority (more than half), of the votes cast (yes and no)" in text
    assert "A tie fails" in text
    assert "Exactly one voting seat per core partner" in text
    seats = text[text.index('id="seat-table"') :]
    # pablo is listed as sofia's alternate, right under her seat
    assert seats.index("Sofia") < seats.index("Pablo")
    assert f'id="seat-{gov.seats.pablo.pk}" class="table-light"' in seats
    assert "Commonland Test" in seats
    assert 'id="missing-partners"' not in text  # all six partners hold their seat
    # the LLAG advises the committee
    assert "Landscape Leaders Advisory Group" in text


def test_missing_core_partner_is_warned(gov, client_for, world):
    from landhub.governance import services

    services.seat_end(actor=world.hana, seat=gov.seats.members[0], version=None,
                      term_end=dt.date.today() - dt.timedelta(days=1))  # fmt: skip
    page = client_for("hana").get(reverse("governance:body_detail", args=["steering-committee"]))
    text = page.content.decode()
    assert 'id="missing-partners"' in text
    warning = text[text.index('id="missing-partners"') :].split("</div>")[0]
    assert "Rainforest Test" in warning  # Member2 represented it
    assert "UNDP Test" not in warning


def test_anonymous_sees_public_body_without_names(gov, client):
    page = client.get(reverse("governance:body_detail", args=["steering-committee"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Commonland Test" in text
    assert "Chidi Chair" not in text  # people are never public


def test_members_only_body_hidden_from_others(gov, client_for):
    gov.team.visibility = "restricted"
    gov.team.save()
    url = reverse("governance:body_detail", args=["finance-team"])
    assert client_for("nora").get(url).status_code == 404
    assert client_for("sofia").get(url).status_code == 200
    assert client_for("hana").get(url).status_code == 200
    assert "Finance Design Team" not in client_for("nora").get(
        reverse("governance:body_list")).content.decode()  # fmt: skip


def test_body_list_filters_sorts_and_exports(gov, client_for):
    client = client_for("nora")
    page = client.get(reverse("governance:body_list"), {"kind": "advisory"})
    text = page.content.decode()
    assert "Landscape Leaders Advisory Group" in text
    assert "Finance Design Team" not in text
    page = client.get(reverse("governance:body_list"), {"q": "finance", "sort": "-members"})
    assert "Finance Design Team" in page.content.decode()
    assert "Steering Committee" not in page.content.decode().split('id="body-table"')[1]
    csv = client.get(reverse("governance:body_export_csv"), {"kind": "steering"})
    body = b"".join(csv.streaming_content).decode() if csv.streaming else csv.content.decode()
    assert "Steering Committee" in body and "Finance Design Team" not in body
    partial = client.get(reverse("governance:body_list"), HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()


def test_body_pages_bounded_queries(gov, client_for, django_assert_max_num_queries):
    client = client_for("sofia")
    client.get(reverse("governance:home"))  # warm the session and caches
    with django_assert_max_num_queries(20):
        assert client.get(reverse("governance:body_list")).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("governance:body_detail",
                                  args=["steering-committee"])).status_code == 200  # fmt: skip
    with django_assert_max_num_queries(20):
        assert client.get(reverse("governance:body_seats",
                                  args=["steering-committee"])).status_code == 200  # fmt: skip
    with django_assert_max_num_queries(20):
        assert client.get(reverse("governance:home")).status_code == 200


def test_staff_create_a_body_and_field_errors(gov, client_for):
    client = client_for("hana")
    url = reverse("governance:body_create")
    bad = client.post(url, {"name": "", "kind": "design_team", "mandate": "",
                            "time_zone": "Mars/Olympus", "quorum": "majority",
                            "threshold": "majority", "threshold_base": "cast",
                            "tie_rule": "fails", "visibility": "network",
                            "records_access": "members",
                            "advises": "99999999999999999999"})  # fmt: skip
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "This field is required." in text
    assert "Select a valid choice" in text
    ok = client.post(url, {"name": "Scaling Design Team", "kind": "design_team",
                           "mandate": "Designs the scaling strategy.", "time_zone": "UTC",
                           "quorum": "majority", "threshold": "majority",
                           "threshold_base": "cast", "tie_rule": "fails",
                           "visibility": "network", "records_access": "members"})  # fmt: skip
    assert ok.status_code == 302
    body = Body.objects.get(name="Scaling Design Team")
    assert body.slug == "scaling-design-team"
    bad_zone = client.post(reverse("governance:body_edit", args=[body.slug]), {
        "name": body.name, "kind": body.kind, "mandate": body.mandate, "time_zone": "Nowhere",
        "quorum": "majority", "threshold": "majority", "threshold_base": "cast",
        "tie_rule": "fails", "visibility": "network", "records_access": "members",
        "version": body.version})  # fmt: skip
    assert bad_zone.status_code == 400
    assert "is not a time zone" in bad_zone.content.decode()


def test_stale_body_edit_shows_conflict(gov, client_for, world):
    from landhub.governance import services

    body = gov.llag
    old = body.version
    services.body_update(actor=world.hana, body=body, version=old,
                         changes={"mandate": "Changed meanwhile."})  # fmt: skip
    page = client_for("hana").post(reverse("governance:body_edit", args=["llag"]), {
        "name": body.name, "kind": body.kind, "mandate": "Mine.", "time_zone": "UTC",
        "quorum": "majority", "threshold": "majority", "threshold_base": "cast",
        "tie_rule": "fails", "visibility": "public", "records_access": "network",
        "version": old})  # fmt: skip
    assert page.status_code == 409
    assert "Someone else saved this body" in page.content.decode()
    body.refresh_from_db()
    assert body.mandate == "Changed meanwhile."


def test_archive_and_restore_a_body(gov, client_for):
    client = client_for("hana")
    url = reverse("governance:body_archive", args=["finance-team"])
    assert client.post(url, {"version": gov.team.version}).status_code == 302
    gov.team.refresh_from_db()
    assert gov.team.archived_at is not None
    assert "Finance Design Team" not in client.get(reverse("governance:home")).content.decode()
    client.post(url, {"version": gov.team.version, "restore": "1"})
    gov.team.refresh_from_db()
    assert gov.team.archived_at is None


def _seat_form(**extra):
    data = {"role": "voting", "term_start": "2026-01-01"}
    data.update(extra)
    return data


def test_second_voting_seat_for_a_core_partner_refused_on_the_form(gov, client_for, world):
    client = client_for("hana")
    url = reverse("governance:seat_create", args=["steering-committee"])
    page = client.post(url, _seat_form(person="Nora Test" if False else world.nora.email,
                                       organization="Commonland Test"))  # fmt: skip
    assert page.status_code == 400
    text = page.content.decode()
    assert "Commonland Test already holds a voting seat on Steering Committee" in text
    assert "one voting seat per core partner" in text
    assert not Seat.objects.filter(body=gov.sc, person__user=world.nora).exists()


def test_seventh_seat_for_a_non_core_organization_refused(gov, client_for, world):
    client = client_for("hana")
    page = client.post(reverse("governance:seat_create", args=["steering-committee"]),
                       _seat_form(person=world.nora.email,
                                  organization=world.other_org.name))  # fmt: skip
    assert page.status_code == 400
    assert "Each voting seat of Steering Committee represents a core partner." in (
        page.content.decode()
    )


def test_staff_add_an_alternate_by_typing_names(gov, client_for, world):
    client = client_for("hana")
    url = reverse("governance:seat_create", args=["steering-committee"])
    page = client.get(url, {"role": "alternate", "principal": gov.seats.chair.pk})
    assert page.status_code == 200
    assert 'data-autocomplete-url="/search/autocomplete/?type=person"' in page.content.decode()
    unknown = client.post(url, _seat_form(person="Nobody Atall", role="alternate",
                                          principal=gov.seats.chair.pk))  # fmt: skip
    assert unknown.status_code == 400
    assert "No person called “Nobody Atall”" in unknown.content.decode()
    no_principal = client.post(url, _seat_form(person=world.nora.email, role="alternate"))
    assert "Name the voting member this alternate stands in for." in (no_principal.content.decode())
    ok = client.post(url, _seat_form(person=world.nora.email, role="alternate",
                                     organization=gov.orgs[1].name,
                                     principal=gov.seats.chair.pk))  # fmt: skip
    assert ok.status_code == 302
    seat = Seat.objects.get(body=gov.sc, person__user=world.nora)
    assert seat.principal == gov.seats.chair
    page = client.get(reverse("governance:body_detail", args=["steering-committee"]))
    assert f'id="seat-{seat.pk}" class="table-light"' in page.content.decode()


def test_edit_and_end_a_seat_then_history(gov, client_for):
    client = client_for("hana")
    seat = gov.seats.members[0]
    edit = client.post(reverse("governance:seat_edit", args=[seat.pk]), {
        "organization": seat.organization.name, "role": "voting", "term_start": "2025-01-01",
        "term_end": "2024-01-01", "version": seat.version})  # fmt: skip
    assert edit.status_code == 400
    assert "A term cannot end before it starts." in edit.content.decode()
    end = client.post(reverse("governance:seat_end", args=[seat.pk]),
                      {"term_end": "2025-06-30", "version": seat.version})  # fmt: skip
    assert end.status_code == 302
    seat.refresh_from_db()
    assert seat.term_end == dt.date(2025, 6, 30)
    history = client.get(reverse("governance:body_seats", args=["steering-committee"]))
    text = history.content.decode()
    ended = text[text.index('id="ended-seats"') :]
    assert "Member2 Test" in ended.split("</table>")[0]
    assert "Who changed which seat, when" in text
    assert "changed the seat of" in text


def test_seat_pages_refused_to_non_staff(gov, client_for):
    seat = gov.seats.sofia
    for persona in ("sofia", "pablo", "nora"):
        client = client_for(persona)
        assert client.get(reverse("governance:seat_edit", args=[seat.pk])).status_code == 403
        assert client.post(reverse("governance:seat_create", args=["steering-committee"]),
                           _seat_form(person="x")).status_code == 403  # fmt: skip
