"""The learning loop's demo: questions, two sessions, decisions, and one node of the demo
framework revised because of a decision — once, however often ``seed-demo`` runs."""

from __future__ import annotations

import pytest

from landhub.directory import factories as f
from landhub.mel import services
from landhub.mel.demo import learning
from landhub.mel.models import (
    AdaptationDecision,
    AdaptationRevision,
    LearningQuestion,
    ReflectionSession,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(world):
    """The demo users, Lena leading a landscape, the demo framework (published) and two of
    the demo indicators — what the directory's and the quantitative demo leave behind."""
    from django.contrib.auth.models import Group

    users = {}
    for key in ("hana", "lena", "sofia"):
        user = f.UserFactory(email=f"{key}@demo.landhub.org", name=f"{key.title()} Demo")
        f.PersonFactory(name=user.name, email=user.email, user=user)
        users[key] = user
    Group.objects.get(name="hub-staff").user_set.add(users["hana"])
    landscape = f.LandscapeFactory(name="Mount Kenya Forest and Farms")
    f.LandscapeMembershipFactory(person=users["lena"].person, landscape=landscape, role="leader")
    framework = services.framework_create(actor=users["hana"],
                                          title="The initiative's theory of change",
                                          template="initiative", visibility="public")  # fmt: skip
    services.framework_publish(actor=users["hana"], framework=framework,
                               version=framework.version)  # fmt: skip
    for code in ("OUT-5", "OUT-10"):
        services.indicator_create(actor=users["hana"], code=code, name=f"Demo {code}",
                                  definition="Demo.", measure="count")  # fmt: skip
    return framework, landscape


def test_the_demo_reflects_decides_and_revises_a_node_once(demo_world):
    framework, landscape = demo_world
    counts = learning.seed()
    assert counts == {"learning_questions": 6, "reflection_sessions": 2,
                      "adaptation_decisions": 4}  # fmt: skip
    initiative = ReflectionSession.objects.get(title=learning.INITIATIVE_SESSION)
    assert initiative.landscape is None and initiative.indicators.count() == 2
    local = ReflectionSession.objects.get(title=learning.LANDSCAPE_SESSION)
    assert local.landscape == landscape
    revision = AdaptationRevision.objects.get()
    assert revision.framework == framework and revision.node.code == "O2"
    assert revision.decision.status == "in_progress"
    assert LearningQuestion.objects.filter(
        question="Do landscape finance criteria change bank lending?").exists()  # fmt: skip
    assert learning.seed() == {"reflection_sessions": 0}
    assert ReflectionSession.objects.count() == 2 and AdaptationDecision.objects.count() == 4
