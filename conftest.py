"""Test fixtures shared by every app: the personas of DESIGN.md §1 and their world.

``world`` is built once per test session's database (``django_db_setup``) and each test
runs in a transaction that is rolled back, so personas cost nothing per test.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group


@dataclass
class World:
    hana: object  # hub staff
    pablo: object  # core partner staff (admin of his core partner organization)
    sofia: object  # body member (seat holder; bodies arrive with governance)
    lena: object  # landscape leader of `landscape`
    nora: object  # network member, no role
    oscar: object  # signed in, belongs to nothing relevant
    core_org: object
    other_org: object
    landscape: object  # public landscape led by lena
    restricted_landscape: object  # restricted landscape, lena is not a member
    people: dict
    offering: object = None  # published offering of core_org (global, en+es, landscape finance)
    draft_offering: object = None  # draft offering of core_org


PASSWORD = "correct-horse-battery"


def build_world() -> World:
    from allauth.mfa.totp.internal.auth import TOTP

    from landhub.directory import factories as f
    from landhub.directory.models import Vocabulary

    users = {
        name: f.UserFactory(email=f"{name}@example.org", name=name.capitalize())
        for name in ["hana", "pablo", "sofia", "lena", "nora", "oscar"]
    }
    Group.objects.get(name="hub-staff").user_set.add(users["hana"])
    # Hub staff must have TOTP; the tests' hana has it, with a known secret.
    TOTP.activate(users["hana"], "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    people = {name: f.PersonFactory(name=user.name, email=user.email, user=user)
              for name, user in users.items()}  # fmt: skip
    core_org = f.OrganizationFactory(
        name="Commonland Test", kind=f.term(Vocabulary.ORGANIZATION_KIND, "core-partner")
    )
    other_org = f.OrganizationFactory(name="River Friends")
    f.OrganizationMembershipFactory(person=people["pablo"], organization=core_org, role="admin")
    f.OrganizationMembershipFactory(person=people["nora"], organization=other_org, role="member")
    landscape = f.LandscapeFactory(name="Kenya Highlands")
    restricted = f.LandscapeFactory(name="Hidden Valley", visibility="restricted")
    f.LandscapeMembershipFactory(person=people["lena"], landscape=landscape, role="leader",
                                 is_contact=True)  # fmt: skip
    f.LandscapeNeedFactory(landscape=landscape)
    from landhub.coordination.factories import OfferingFactory

    OfferingFactory(
        title="Landscape Finance Clinic", providers=[core_org], type="service", languages=",en,es,",
        capabilities=[f.term(Vocabulary.CAPABILITY, "landscape-finance")], is_global=True,
    )  # fmt: skip
    OfferingFactory(title="Soil Carbon Toolkit", providers=[core_org], status="draft",
                    type="tool")  # fmt: skip
    return World(
        hana=users["hana"], pablo=users["pablo"], sofia=users["sofia"], lena=users["lena"],
        nora=users["nora"], oscar=users["oscar"], core_org=core_org, other_org=other_org,
        landscape=landscape, restricted_landscape=restricted, people=people,
    )  # fmt: skip


@pytest.fixture(scope="session", autouse=True)
def immediate_tasks():
    """Run background tasks (search indexing, imports) at once, inside the test.

    In production a worker runs them; here the test must see their effect (a new
    organization is searchable) without one.
    """
    from django.test import override_settings

    override = override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    )
    override.enable()
    yield
    override.disable()


@pytest.fixture(scope="session", autouse=True)
def media_in_a_temporary_folder(tmp_path_factory):
    """Uploads made by tests (logos, import files) never land in the developer's var/."""
    from django.conf import settings
    from django.test import override_settings

    media = tmp_path_factory.mktemp("media")
    attachments = {**settings.STORAGES["attachments"]}
    attachments["OPTIONS"] = {**attachments["OPTIONS"], "location": str(media / "attachments")}
    override = override_settings(
        MEDIA_ROOT=str(media), STORAGES={**settings.STORAGES, "attachments": attachments}
    )
    override.enable()
    yield
    override.disable()


@pytest.fixture(scope="session")
def django_db_setup(immediate_tasks, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_world()


@pytest.fixture
def world(db) -> World:
    from django.contrib.auth import get_user_model

    from landhub.coordination.models import Offering
    from landhub.directory.models import Landscape, Organization

    User = get_user_model()
    users = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@example.org")}
    from landhub.directory.models import Person

    return World(
        hana=users["hana"], pablo=users["pablo"], sofia=users["sofia"], lena=users["lena"],
        nora=users["nora"], oscar=users["oscar"],
        core_org=Organization.objects.get(name="Commonland Test"),
        other_org=Organization.objects.get(name="River Friends"),
        landscape=Landscape.objects.get(name="Kenya Highlands"),
        restricted_landscape=Landscape.objects.get(name="Hidden Valley"),
        people={p.user.email.split("@")[0]: p for p in Person.objects.filter(
            user__email__endswith="@example.org").select_related("user")},
        offering=Offering.objects.get(title="Landscape Finance Clinic"),
        draft_offering=Offering.objects.get(title="Soil Carbon Toolkit"),
    )  # fmt: skip


PERSONAS = ["anonymous", "hana", "pablo", "sofia", "lena", "nora", "oscar"]


@pytest.fixture
def client_for(client, world):
    """``client_for("lena")`` → a test client signed in as that persona (or anonymous)."""
    from django.test import Client

    def make(persona: str) -> Client:
        c = Client()
        if persona != "anonymous":
            c.force_login(getattr(world, persona))
        return c

    return make


@pytest.fixture(autouse=True)
def english_between_tests():
    """Each request activates its user's language for the thread; start every test in English
    so a test that switched to Spanish does not change the messages the next one reads."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached filter options, list counts (a test's rolled-back writes) and failed token
    attempts from one test must not leak into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
