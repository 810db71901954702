"""Measure server time per page in one process, through the full middleware stack.

Run by ``bench/run.py`` against a database already filled by ``landhub generate-scale``:

    python bench/measure.py --scale 1 --db sqlite --out bench/results/x.json

Each URL is requested after a warm-up, ``--repeat`` times, with Django's test client (the
same middleware, templates and database as production; no network). Reported per URL: p50
and p95 in milliseconds, the number of queries, and the ratio of p95 to the p95 of a trivial
view (``/healthz/``) measured the same way — the framework floor.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "landhub.settings")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def pages(
    landscape, organization, person, offering=None, activity=None, service_request=None
) -> list[tuple[str, str, str]]:
    """(label, who, url) — who is anonymous, member, staff (hub staff) or partner (staff of a
    synthetic organization whose offerings were requested, leader of a synthetic landscape
    that made requests)."""
    result = [
        ("floor: /healthz/", "anonymous", "/healthz/"),
        ("home", "anonymous", "/"),
        ("landscape list", "anonymous", "/landscapes/"),
        ("landscape list, filtered", "member", "/landscapes/?status=member&ecosystem=mountain"),
        ("landscape list, search", "member", "/landscapes/?q=synthetic"),
        ("landscape list, page 20", "member", "/landscapes/?page=20"),
        ("landscape profile", "member", f"/landscapes/{landscape.slug}/"),
        ("organization list", "anonymous", "/organizations/"),
        ("organization list, capability", "member", "/organizations/?capability=facilitation"),
        ("organization profile", "member", f"/organizations/{organization.slug}/"),
        ("people list", "member", "/people/"),
        ("person page", "member", f"/people/{person.pk}/"),
        ("vocabularies", "anonymous", "/vocabularies/"),
        ("search", "member", "/search/?q=synthetic"),
        ("my hub", "member", "/my/"),
        ("landscape list (staff)", "staff", "/landscapes/"),
        ("API landscapes", "member", "/api/v1/landscapes?limit=50"),
        ("API landscapes, filtered", "member", "/api/v1/landscapes?status=engaged&limit=50"),
        ("API landscape detail", "member", f"/api/v1/landscapes/{landscape.slug}"),
        ("API organizations", "member", "/api/v1/organizations?limit=50"),
        ("API organization detail", "member", f"/api/v1/organizations/{organization.slug}"),
        ("API people", "member", "/api/v1/people?limit=50"),
        ("API terms", "anonymous", "/api/v1/terms?limit=50"),
        ("API search", "member", "/api/v1/search?q=synthetic"),
    ]
    if offering is not None:
        result += [
            ("catalog", "anonymous", "/offerings/"),
            ("catalog, filtered", "member", "/offerings/?type=tool&language=es&region=Africa"),
            ("catalog, search", "member", "/offerings/?q=water"),
            ("offering page", "member", f"/offerings/{offering.slug}/"),
            ("API offerings", "member", "/api/v1/offerings?limit=50"),
            ("API offering detail", "member", f"/api/v1/offerings/{offering.slug}"),
        ]
    if activity is not None and service_request is not None:
        result += [
            ("calendar", "member", "/activities/"),
            ("calendar, month", "member", "/activities/?view=month"),
            ("calendar, filtered", "member", "/activities/?type=workshop&theme=water"),
            ("calendar iCal feed", "member", "/activities/calendar.ics"),
            ("activity page", "member", f"/activities/{activity.pk}/"),
            ("coverage matrix (staff)", "staff", "/coverage/"),
            ("recommendations", "member", f"/landscapes/{landscape.slug}/recommendations/"),
            ("my requests", "partner", "/requests/?scope=mine"),
            ("requests to us", "partner", "/requests/?scope=to_us"),
            ("all requests (staff)", "staff", "/requests/?scope=all"),
            ("request page", "partner", f"/requests/{service_request.pk}/"),
            ("API activities", "member", "/api/v1/activities?limit=50"),
            ("API requests", "partner", "/api/v1/requests?scope=to_us&limit=50"),
        ]
    return result


def mel_method_pages(records: dict) -> list[tuple[str, str, str]]:
    """The mixed-methods pages of MEL (issue 6) over ``generate-scale``'s synthetic outcome
    statements, stories, trails, claims and reflections (``mel/scale_methods.py``)."""
    if not records:
        return []
    outcome, story, offering = records["outcome"], records["story"], records["offering"]
    return [
        ("outcome register", "member", "/mel/outcomes/"),
        ("outcome register, filtered", "member",
         "/mel/outcomes/?domain=financial_sector&actor_type=financial_institution"),
        ("outcome register, search", "member", "/mel/outcomes/?q=bank"),
        ("outcome register (staff)", "staff", "/mel/outcomes/"),
        ("outcome page", "member", f"/mel/outcomes/{outcome.pk}/"),
        ("outcomes in figures", "member", "/mel/outcomes/dashboard/"),
        ("system change summary", "member", "/mel/system-change/?year=2024"),
        ("change trails", "member", "/mel/trails/"),
        ("contribution claims", "member", "/mel/claims/"),
        ("stories of change", "member", "/mel/stories/"),
        ("stories, filtered", "member", "/mel/stories/?domain=peoples_lives&selected=yes"),
        ("story page", "member", f"/mel/stories/{story.pk}/"),
        ("stories for communications", "member", "/mel/stories/for-communications/"),
        ("selection rounds", "staff", "/mel/rounds/"),
        ("value overview", "member", "/mel/value/"),
        ("value overview, partners", "member", "/mel/value/?tab=partners"),
        ("value report, offering", "member", f"/mel/value/offerings/{offering.slug}/"),
        ("people reached", "member", "/mel/reach/"),
        ("reflection sessions", "member", "/mel/learning/sessions/"),
        ("adaptation decisions", "member", "/mel/learning/decisions/"),
        ("learning questions", "member", "/mel/learning/questions/"),
        ("API outcomes", "member", "/api/v1/mel/outcomes?limit=50"),
        ("API stories", "member", "/api/v1/mel/stories?limit=50"),
    ]  # fmt: skip


def governance_pages(records: dict) -> list[tuple[str, str, str]]:
    """The governance pages (issue 7) over ``generate-scale``'s synthetic bodies, issues,
    meetings, decisions, actions and plans (``governance/scale.py``). The member holds seats
    on the synthetic steering committee and on some teams, so members-only records count."""
    if not records:
        return []
    body, meeting, decision, plan = (records["body"], records["meeting"], records["decision"],
                                     records["plan"])  # fmt: skip
    return [
        ("governance home", "member", "/governance/"),
        ("bodies", "member", "/governance/bodies/"),
        ("body page", "member", f"/governance/bodies/{body.slug}/"),
        ("key issues", "member", "/governance/issues/"),
        ("key issues, filtered", "member", "/governance/issues/?status=raised&urgency=high"),
        ("key issues, search", "member", "/governance/issues/?q=scale"),
        ("meetings", "member", "/governance/meetings/"),
        ("meeting page", "member", f"/governance/meetings/{meeting.pk}/"),
        ("decision register", "member", "/governance/decisions/"),
        ("decision register, search", "member", "/governance/decisions/?q=scale"),
        ("decision register (staff)", "staff", "/governance/decisions/"),
        ("decision page", "member", f"/governance/decisions/{decision.pk}/"),
        ("public decision summaries", "anonymous", "/governance/decisions/public/"),
        ("action items", "member", "/governance/actions/"),
        ("strategic plans", "member", "/governance/plans/"),
        ("plan page", "member", f"/governance/plans/{plan.pk}/"),
        ("plan timeline", "member", f"/governance/plans/{plan.pk}/timeline/"),
        ("API decisions", "member", "/api/v1/governance/decisions?limit=50"),
        ("API key issues", "member", "/api/v1/governance/issues?limit=50"),
    ]  # fmt: skip


def governance_records() -> dict:
    """The synthetic steering committee, its latest held meeting, a closed vote on it and the
    adopted plan with the most items (the heaviest page of each kind)."""
    from django.db.models import Count

    from landhub.governance.models import Body, Decision, Meeting, Plan

    body = Body.objects.filter(slug="scale-steering-committee").first()
    if body is None:
        return {}
    meeting = (Meeting.objects.filter(body=body).annotate(n=Count("agenda"))
               .order_by("-n", "-starts_at").first())  # fmt: skip
    closed = Decision.objects.filter(body=body, method="vote", status__in=["adopted", "rejected"])
    decision = closed.annotate(n=Count("votes")).order_by("-n").first()
    plan = Plan.objects.annotate(n=Count("items")).order_by("-n").first()
    return {"body": body, "meeting": meeting, "decision": decision, "plan": plan}


def mel_method_records() -> dict:
    """A published synthetic outcome, a story and the offering with most outcomes."""
    from django.db.models import Count

    from landhub.coordination.models import Offering
    from landhub.mel.models import OutcomeStatement, Story

    outcome = OutcomeStatement.objects.filter(title__startswith="Scale ", status="published",
                                              visibility="network").first()  # fmt: skip
    story = Story.objects.filter(title__startswith="Scale ", visibility="network").first()
    public = Offering.objects.filter(slug__startswith="scale-offering-", status="published",
                                     visibility="public")  # fmt: skip
    busiest = (
        OutcomeStatement.offerings.through.objects.filter(offering__in=public)
        .values("offering_id").annotate(n=Count("pk")).order_by("-n", "offering_id").first()
    )  # fmt: skip
    offering = public.filter(pk=busiest["offering_id"]).first() if busiest else None
    if outcome is None or story is None or offering is None:
        return {}
    return {"outcome": outcome, "story": story, "offering": offering}


def coordination_records(bench_user):
    """A public synthetic activity (one with an overlap alert if there is one), and a partner
    account: leader of the public synthetic landscape with the most service requests and staff
    of the organization whose offerings were requested most; one of those requests."""
    from django.db.models import Count

    from landhub.coordination.models import (
        Activity,
        ActivityOverlap,
        OfferingProvider,
        ServiceRequest,
    )
    from landhub.directory.models import LandscapeMembership, OrganizationMembership, Person

    overlap = ActivityOverlap.objects.filter(
        first__title__startswith="Scale activity", first__visibility="public"
    ).first()
    activity = overlap.first if overlap else Activity.objects.filter(
        title__startswith="Scale activity", visibility="public"
    ).first()  # fmt: skip
    busiest = (
        ServiceRequest.objects.filter(landscape__name__startswith="Scale",
                                      landscape__visibility="public")
        .values("landscape_id").annotate(n=Count("pk")).order_by("-n", "landscape_id").first()
    )  # fmt: skip
    provider = (
        OfferingProvider.objects.filter(organization__name__startswith="Scale",
                                        offering__requests__isnull=False)
        .values("organization_id").annotate(n=Count("offering__requests"))
        .order_by("-n", "organization_id").first()
    )  # fmt: skip
    partner = bench_user("bench-partner@scale.example")
    if busiest is None or provider is None:
        return activity, None, partner
    person, _ = Person.objects.get_or_create(user=partner, defaults={"name": "Bench Partner"})
    LandscapeMembership.objects.get_or_create(
        person=person, landscape_id=busiest["landscape_id"], end_date=None,
        defaults={"role": "leader"},
    )  # fmt: skip
    OrganizationMembership.objects.get_or_create(
        person=person, organization_id=provider["organization_id"], end_date=None,
        defaults={"role": "member"},
    )  # fmt: skip
    service_request = ServiceRequest.objects.filter(landscape_id=busiest["landscape_id"]).first()
    return activity, service_request, partner


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--out", required=True)
    parser.add_argument("--pages", nargs="*", default=[],
                        help="Only pages whose label contains one of these words.")  # fmt: skip
    args = parser.parse_args()

    import django

    django.setup()
    from allauth.mfa.totp.internal.auth import TOTP
    from django.db import connection
    from django.test import Client, override_settings

    import landhub.wsgi  # noqa: F401 - start up exactly as a gunicorn worker does
    from landhub.directory.models import Landscape, LandscapeMembership, Organization, Person
    from landhub.directory.scale import bench_user

    member = bench_user("bench-member@scale.example")
    staff = bench_user("bench-staff@scale.example", staff=True)
    if not staff.authenticator_set.exists():
        TOTP.activate(staff, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    person, _ = Person.objects.get_or_create(user=member, defaults={"name": "Bench Member"})
    landscape = Landscape.objects.filter(name__startswith="Scale", visibility="public").first()
    LandscapeMembership.objects.get_or_create(person=person, landscape=landscape, end_date=None)
    organization = Organization.objects.filter(
        name__startswith="Scale", visibility="public"
    ).first()
    other = Person.objects.filter(name__startswith="Scale").first()
    from landhub.coordination.models import Offering

    offering = Offering.objects.filter(
        slug__startswith="scale-offering-", status="published", visibility="public"
    ).first()
    activity, service_request, partner = coordination_records(bench_user)

    clients = {"anonymous": Client(), "member": Client(), "staff": Client(), "partner": Client()}
    clients["member"].force_login(member)
    clients["staff"].force_login(staff)
    clients["partner"].force_login(partner)

    import gc

    for client in clients.values():  # warm the sessions, then freeze like the WSGI start-up
        client.get("/healthz/")
    gc.freeze()

    results = []
    # Static files from the app directories (no collectstatic); no HTTPS redirect on loopback.
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, SECURE_SSL_REDIRECT=False):
        every_page = [*pages(landscape, organization, other, offering, activity,
                             service_request), *mel_method_pages(mel_method_records()),
                      *governance_pages(governance_records())]  # fmt: skip
        if args.pages:  # a targeted re-measure (the floor is always measured)
            every_page = [p for p in every_page if p[0].startswith("floor")
                          or any(w.lower() in p[0].lower() for w in args.pages)]  # fmt: skip
        for label, who, url in every_page:
            client = clients[who]
            for _ in range(3):  # warm-up: caches, prepared plans, lazy imports
                response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{label}: {url} answered {response.status_code}")
            executed = []

            def count(execute, sql, params, many, context, executed=executed):
                executed.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                client.get(url)
            timings = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            results.append({
                "page": label, "who": who, "url": url, "queries": len(executed),
                "p50_ms": round(statistics.median(timings), 2),
                "p95_ms": round(percentile(timings, 0.95), 2),
            })  # fmt: skip
            row = results[-1]
            print(f"  {label:<34} p50 {row['p50_ms']:>7.1f} ms  p95 {row['p95_ms']:>7.1f} ms  "
                  f"{row['queries']:>3} queries")  # fmt: skip
    floor = results[0]["p95_ms"] or 0.01
    for row in results:
        row["ratio_to_floor"] = round(row["p95_ms"] / floor, 1)
    Path(args.out).write_text(json.dumps({"scale": args.scale, "db": args.db, "pages": results},
                                         indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
