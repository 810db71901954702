"""Demo offerings for newcomers and synthetic offerings for the benchmark."""

import pytest
from django.core.management import call_command

from landhub.coordination.models import Offering, OfferingStatus
from landhub.coordination.selectors import offering_facets, offering_list
from landhub.core.search import search_pks

pytestmark = pytest.mark.django_db


def test_the_demo_catalog_has_offerings_of_all_six_core_partners(capsys):
    call_command("seed_demo", "--if-empty")
    demo = Offering.objects.exclude(title__in=["Landscape Finance Clinic", "Soil Carbon Toolkit"])
    providers = set(demo.values_list("provider_links__organization__short_name", flat=True))
    assert {"EP", "RA", "UNDP", "CI", "TM", "CL"} <= providers
    assert demo.filter(status=OfferingStatus.PUBLISHED).count() >= 10
    assert demo.filter(status=OfferingStatus.IN_REVIEW).exists()  # something for hana to review
    assert "Offerings:" in capsys.readouterr().out


def test_generate_scale_adds_offerings_in_proportion(world):
    from django.contrib.auth.models import AnonymousUser

    call_command("generate_scale", "--scale", "0.01")
    synthetic = Offering.objects.filter(slug__startswith="scale-offering-")
    assert synthetic.count() == 200
    assert all(o.provider_links.filter(is_lead=True).count() == 1 for o in synthetic[:20])
    assert search_pks(Offering, "synthetic")
    anonymous = AnonymousUser()
    published = offering_list(user=anonymous).count()
    assert 0 < published < 200
    facets = offering_facets(user=anonymous)
    assert sum(n for _v, _l, n in facets["type"]) == published


def test_the_demo_calendar_and_requests_show_every_state_once(capsys):
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    from landhub.coordination import services
    from landhub.coordination.models import (
        Activity,
        ActivityOverlap,
        RequestStatus,
        ServiceRequest,
        ValueFeedback,
    )
    from landhub.coordination.selectors import activity_list
    from landhub.core.models import Notification
    from landhub.directory.models import Landscape

    call_command("seed_demo", "--if-empty")
    activities = Activity.objects.filter(landscapes__is_demo=True).distinct()
    partners = set(activities.values_list("organizations__short_name", flat=True))
    assert {"EP", "RA", "UNDP", "CI", "TM", "CL"} <= partners
    assert {"planned", "confirmed", "done"} <= set(activities.values_list("status", flat=True))
    assert {"workshop", "training", "mission", "convening"} <= set(
        activities.values_list("type", flat=True)
    )
    today = timezone.localdate()
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).strftime("%Y-%m")
    for month in (today.strftime("%Y-%m"), next_month):  # the calendar is never empty
        assert activity_list(user=AnonymousUser(), filters={"month": month}).count() >= 2

    # Overlap alerts were recorded by the service: each pair of two organizations, in a shared
    # landscape, period and topic; one left open (Pablo was told), one coordinated.
    overlaps = list(ActivityOverlap.objects.select_related("first", "second"))
    assert len(overlaps) == 2
    for overlap in overlaps:
        a, b = overlap.first, overlap.second
        assert not set(a.organizations.all()) & set(b.organizations.all())
        assert set(a.landscapes.all()) & set(b.landscapes.all())
        assert a.starts_on <= b.ends_on and b.starts_on <= a.ends_on
    assert {o.coordinated_at is None for o in overlaps} == {True, False}
    pablo = get_user_model().objects.get(email="pablo@demo.landhub.org")
    assert Notification.objects.filter(recipient=pablo, kind="coordination.activity_overlap",
                                       title__contains="AlVelAl").exists()  # fmt: skip

    requests = ServiceRequest.objects.filter(landscape__is_demo=True)
    assert {"requested", "accepted", "in_progress", "delivered", "declined"} <= set(
        requests.values_list("status", flat=True)
    )
    delivered = requests.filter(status=RequestStatus.DELIVERED)
    assert delivered.exists() and all(hasattr(r, "feedback") for r in delivered)
    assert requests.get(status=RequestStatus.DECLINED).answer
    assert requests.filter(requested_by__email="lena@demo.landhub.org").count() >= 2
    out = capsys.readouterr().out
    assert "Activities:" in out and "Service requests:" in out

    # Lena's browser journey stays open: Mount Kenya has not asked Commonland for anything.
    lena = get_user_model().objects.get(email="lena@demo.landhub.org")
    mount_kenya = Landscape.objects.get(name="Mount Kenya Forest and Farms")
    assert not requests.filter(
        landscape=mount_kenya, offering__provider_links__organization__short_name="CL"
    ).exists()
    coaching = Offering.objects.get(title="4 Returns business case coaching")

    def counts():
        models = [Offering, Activity, ActivityOverlap, ServiceRequest, ValueFeedback]
        told = Notification.objects.filter(kind__startswith="coordination.").count()
        return [model.objects.count() for model in models] + [told]

    before = counts()
    call_command("seed_demo")  # again: nothing new
    assert counts() == before
    services.request_create(actor=lena, landscape=mount_kenya, offering=coaching,
                            message="We want a business case for our water programme.")  # fmt: skip


def test_generate_scale_adds_activities_with_overlaps_and_requests_with_feedback(world):
    import datetime as dt

    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    from landhub.coordination import services
    from landhub.coordination.models import (
        Activity,
        ActivityOverlap,
        RequestStatus,
        ServiceRequest,
        ValueFeedback,
    )
    from landhub.coordination.selectors import activity_list, offering_value, request_list

    call_command("generate_scale", "--scale", "0.01", "--no-index")
    synthetic = Activity.objects.filter(title__startswith="Scale activity ")
    assert synthetic.count() == 200
    today = timezone.localdate()
    first, last = synthetic.order_by("starts_on").first(), synthetic.order_by("ends_on").last()
    assert today - dt.timedelta(days=366) <= first.starts_on < today < last.ends_on
    assert last.ends_on <= today + dt.timedelta(days=400)
    for activity in synthetic[:20]:
        assert activity.organizations.exists() and activity.landscapes.exists()
        assert activity.capabilities.count() == 1 and activity.themes.count() == 1
    # The overlap rows are exactly the ones the service would find.
    recorded = {(o.first_id, o.second_id) for o in ActivityOverlap.objects.all()}
    expected = {
        tuple(sorted((activity.pk, other.pk)))
        for activity in synthetic
        for other in services.find_overlaps(activity)
    }
    assert recorded == expected
    assert 0 < activity_list(user=AnonymousUser()).count() < 200

    requests = ServiceRequest.objects.filter(landscape__name__startswith="Scale")
    assert requests.count() == 50
    assert len(set(requests.values_list("landscape_id", "offering_id"))) == 50
    assert requests.filter(status=RequestStatus.DELIVERED).exists()
    assert ValueFeedback.objects.filter(request__in=requests).exists()
    assert not ValueFeedback.objects.exclude(request__status=RequestStatus.DELIVERED).exists()
    assert len(set(requests.values_list("created_at__date", flat=True))) > 10  # spread in time
    assert request_list(user=world.hana, scope="all").count() == 50
    assert offering_value(offering_ids=list(requests.values_list("offering_id", flat=True)))
