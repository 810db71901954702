"""The demo's stories and selection rounds: written once, in several consent states, with a
closed round that selected stories for a reason and an open round for lena's panel."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from landhub.directory import factories as f
from landhub.mel.demo import stories as demo
from landhub.mel.models import SelectionRound, Story
from landhub.mel.rules import REVIEWERS_GROUP
from landhub.mel.selectors import stories_for_communications

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_hub(world):
    """The demo's three accounts and landscapes, as ``seed-demo`` leaves them before MEL."""
    users = {k: f.UserFactory(email=f"{k}@demo.landhub.org", name=f"{k.title()} Demo")
             for k in ("hana", "lena", "sofia")}  # fmt: skip
    Group.objects.get(name="hub-staff").user_set.add(users["hana"])
    users["sofia"].groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    lena = f.PersonFactory(name="Lena Demo", email="lena@demo.landhub.org", user=users["lena"])
    for name in {s.landscape for s in demo.STORIES}:
        landscape = f.LandscapeFactory(name=name)
        if name == demo.KENYA:
            f.LandscapeMembershipFactory(person=lena, landscape=landscape, role="leader")
    return users


def test_the_demo_tells_stories_and_runs_two_rounds_once(demo_hub):
    counts = demo.seed()
    assert counts == {"stories": len(demo.STORIES), "selection_rounds": 2}
    assert 8 <= Story.objects.count() <= 12
    assert {"named", "anonymous", "internal", "refused", "not_asked"} <= set(
        Story.objects.values_list("consent", flat=True))  # fmt: skip
    closed = SelectionRound.objects.get(title=demo.CLOSED_ROUND)
    assert closed.status == "closed" and closed.notes
    assert sorted(closed.entries.filter(selected=True).values_list("story__title", flat=True)) \
        == sorted(demo.SELECTED)  # fmt: skip
    assert all(e.reason for e in closed.entries.filter(selected=True))
    open_round = SelectionRound.objects.get(title=demo.OPEN_ROUND)
    assert open_round.status == "open" and open_round.entries.exists()
    assert open_round.panel.filter(email="lena@demo.landhub.org").exists()
    assert {s.title for s in stories_for_communications(demo_hub["lena"])} == set(demo.SELECTED)
    assert demo.seed() == {"stories": 0, "selection_rounds": 0}  # again: nothing new
    assert Story.objects.count() == len(demo.STORIES)
