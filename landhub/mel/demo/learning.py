"""Demo data of the learning loop (issue 6). Idempotent: run again, it adds nothing.

On the initiative's demo framework: learning questions on a few nodes, two pause-and-reflect
sessions — the initiative's annual one (hub, reviewers, a landscape leader) and one of Lena's
landscape — reviewing demo indicators and, when the other demo parts have made them, outcome
statements and stories (looked up by model, never by title), and their adaptation decisions.
One decision has already revised the framework: node O2 was reworded "because of" it, through
``node_save(adaptation=…)``, so the framework page shows which reflection caused which change.
Everything is written through the services, as a person would.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from .. import services
from ..models import (
    Framework,
    Indicator,
    LearningQuestion,
    OutcomeStatement,
    ReflectionSession,
    Story,
)

INITIATIVE_SESSION = "Annual pause and reflect: what the 2025 results tell us"
LANDSCAPE_SESSION = "Mount Kenya partnership reflection: finance and farmers"

QUESTIONS = [
    ("O2", "Do landscape finance criteria change bank lending?"),
    ("O2", "Which investors come back after funding a first landscape investment plan?"),
    ("O1", "Which partnership governance arrangements last after project funding ends?"),
    ("O3", "Does a ministry's ILM policy change what district officers do?"),
    ("O4", "Do landscape leaders apply what peers share in the learning network?"),
    ("P1", "Which partner tools are still used a year after a landscape receives them?"),
]

INITIATIVE_REFLECTIONS = """\
**What the numbers say.** Finance mobilised (OUT-5) grew in most landscapes, but almost all of
it came from grants and development funds; private investment (OUT-6) is flat outside two
landscapes.

**What the stories add.** Where a regional bank adopted landscape-finance criteria, lending to
cooperatives followed within a year. Elsewhere, banks asked for track records the
partnerships could not show.

**What we conclude.**

- Our framework treats "finance" as one outcome; banks and funds move for different reasons.
- We count money mobilised, not whether lending practice changed.
"""

LANDSCAPE_REFLECTIONS = """\
The partnership met with the county and two cooperatives to look at last year's figures.

- Farmer training (PRD-1) is on track, but the share of farms applying regenerative practices
  (OUT-11) moves slowly: training alone does not change practice where credit is missing.
- The cooperative loan pilot shows what works: small loans tied to a farm plan.

*Next:* ask the partners' finance clinic for help with a cooperative lending window.
"""


def _person(user):
    return getattr(user, "person", None)


def seed(*, stdout=None) -> dict:
    """Questions, two sessions and their decisions, once (the initiative's session is the
    marker). Needs the quantitative demo (its framework); without it, adds nothing."""
    say = stdout.write if stdout else (lambda _msg: None)
    if ReflectionSession.objects.filter(title=INITIATIVE_SESSION).exists():
        say("MEL learning loop: already there\n")
        return {"reflection_sessions": 0}
    framework = Framework.objects.filter(slug="the-initiatives-theory-of-change").first()
    users = get_user_model().objects
    hana = users.filter(email="hana@demo.landhub.org").first()
    lena = users.filter(email="lena@demo.landhub.org").first()
    sofia = users.filter(email="sofia@demo.landhub.org").first()
    if framework is None or hana is None or lena is None or sofia is None:
        say("MEL learning loop: no demo framework or users; skipped\n")
        return {"reflection_sessions": 0}
    with transaction.atomic():
        counts = _seed(framework, hana, lena, sofia)
    say(f"MEL learning loop: {counts['learning_questions']} questions, "
        f"{counts['reflection_sessions']} sessions, "
        f"{counts['adaptation_decisions']} decisions\n")  # fmt: skip
    return counts


def _seed(framework, hana, lena, sofia) -> dict:
    from landhub.directory.models import LandscapeMembership, Term

    nodes = {node.code: node for node in framework.nodes.all()}
    questions = {}
    for code, text in QUESTIONS:
        node = nodes.get(code)
        if node is None:
            continue
        existing = LearningQuestion.objects.filter(node=node, question=text).first()
        questions[text] = existing or services.question_create(actor=hana, node=node,
                                                               question=text)  # fmt: skip
    indicators = {i.code: i for i in Indicator.objects.filter(
        code__in=["OUT-5", "OUT-6", "OUT-10", "OUT-11", "OUT-13", "PRD-1", "OUT-1"])}  # fmt: skip
    # Outcome statements and stories come from the other demo parts, when they ran first.
    outcomes = list(OutcomeStatement.objects.filter(archived_at__isnull=True).order_by("pk")[:3])
    tags = list(Term.objects.filter(vocabulary="theme", slug__in=["finance", "governance"]))
    people = [p for p in (_person(hana), _person(sofia), _person(lena)) if p is not None]

    session = services.session_create(
        actor=hana, title=INITIATIVE_SESSION, held_on=dt.date(2026, 2, 18),
        reflections=INITIATIVE_REFLECTIONS, participants=people,
        other_participants="Two members of the Landscape Leaders Advisory Group; the finance "
                           "design team's chair.",
        questions=[q for t, q in questions.items() if "finance" in t or "investors" in t],
        indicators=[indicators[c] for c in ("OUT-5", "OUT-6", "OUT-10") if c in indicators],
        outcomes=outcomes, stories=list(Story.objects.filter(archived_at__isnull=True)
                                        .order_by("pk")[:2]),
        tags=tags, visibility="network",
    )  # fmt: skip
    split = services.decision_create(
        actor=hana, session=session,
        what_changes="Split outcome O2: finance from public funds and lending by banks",
        why="Banks and funds move for different reasons; one outcome hides that lending is not "
            "changing.",
        owner=_person(hana), due_on=dt.date(2026, 4, 30),
        nodes=[nodes["O2"]] if "O2" in nodes else [],
    )  # fmt: skip
    services.decision_create(
        actor=hana, session=session,
        what_changes="Add an indicator of lending practice: banks applying landscape-finance "
                     "criteria",
        why="We count money mobilised, not whether lending practice changed.",
        owner=_person(sofia), due_on=dt.date(2026, 6, 30),
        indicators=[indicators["OUT-10"]] if "OUT-10" in indicators else [],
    )  # fmt: skip
    # The framework was revised because of the first decision: the reason is the decision.
    if "O2" in nodes:
        o2 = nodes["O2"]
        services.node_save(
            actor=hana, framework=framework, node=o2, kind=o2.kind, code=o2.code,
            title="Public funds and bank lending flow to landscape partnerships at scale",
            description=o2.description, feeds=o2.feeds, adaptation=split,
        )  # fmt: skip
        split = services.decision_update(actor=hana, decision=split, version=split.version,
                                         status="in_progress")  # fmt: skip
    made = 2

    membership = (LandscapeMembership.objects.filter(person__user=lena, role="leader")
                  .select_related("landscape").first())  # fmt: skip
    sessions = 1
    if membership is not None:
        landscape = membership.landscape
        local = services.session_create(
            actor=lena, title=LANDSCAPE_SESSION, held_on=dt.date(2026, 3, 12),
            landscape=landscape, reflections=LANDSCAPE_REFLECTIONS,
            participants=[p for p in (_person(lena),) if p is not None],
            other_participants="County agriculture officer; chairs of two coffee cooperatives.",
            questions=[q for t, q in questions.items() if "governance" in t or "tools" in t],
            indicators=[indicators[c] for c in ("PRD-1", "OUT-11", "OUT-1") if c in indicators],
            stories=list(Story.objects.filter(landscape=landscape, archived_at__isnull=True)
                         .order_by("pk")[:2]),
            tags=tags[:1], visibility="network",
        )  # fmt: skip
        services.decision_create(
            actor=lena, session=local,
            what_changes="Ask the finance clinic to design a cooperative lending window",
            why="Training alone does not change practice where credit is missing.",
            owner=_person(lena), due_on=dt.date(2026, 5, 31),
        )  # fmt: skip
        services.decision_create(
            actor=lena, session=local,
            what_changes="Hold the partnership's reflection every quarter, not once a year",
            why="The loan pilot moved faster than our yearly look at the figures.",
            owner=_person(lena), due_on=dt.date(2026, 1, 31),  # overdue: shows the flag
        )  # fmt: skip
        sessions, made = 2, made + 2
    return {"learning_questions": len(questions), "reflection_sessions": sessions,
            "adaptation_decisions": made}  # fmt: skip
