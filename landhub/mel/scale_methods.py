"""Synthetic mixed-methods data for the benchmark (issue 6), added by ``generate-scale`` after
the quantitative set (``scale.py``).

Per scale unit (1,000 landscapes): 5,000 outcome statements (a fifth of them substantiated
with an answer, two fifths published), 10,000 stories of change (the budget's 10,000 stories)
with 20 selection rounds, 1,000 system change trails of three steps, 2,000 contribution claims
with two alternative explanations each, 300 learning questions, 500 reflection sessions with
two adaptation decisions each. Each record is linked as the pages expect (landscapes, tags,
offerings, partners), so filters and value reports have rows to find.

Written with ``bulk_create``: no history rows, no notifications (load, not an audit trail).
The search index is rebuilt once by ``generate-scale`` at the end.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from .models import (
    ActorType,
    AdaptationDecision,
    Agreement,
    AlternativeExplanation,
    ChangeDomain,
    ChangeStep,
    ChangeTrail,
    ChangeType,
    Confidence,
    Consent,
    ContributionClaim,
    Domain,
    FrameworkNode,
    LearningQuestion,
    OutcomeStatement,
    OutcomeStatus,
    Plausibility,
    ReflectionSession,
    RoundStory,
    SelectionRound,
    Significance,
    Stage,
    Story,
    Substantiation,
)
from .models.outcomes import TAG_VOCABULARIES, trail_sort_key

PER_SCALE = {
    "outcomes": 5000,
    "stories": 10_000,
    "rounds": 20,
    "trails": 1000,
    "claims": 2000,
    "questions": 300,
    "sessions": 500,
}
FIRST_DAY = dt.date(2019, 1, 1)
DAYS = 7 * 365
BATCH = 2000
TITLE_PREFIX = "Scale "

ACTOR_WORDS = {
    ActorType.BUSINESS: ("buyer", "trader", "processor"),
    ActorType.FINANCIAL_INSTITUTION: ("bank", "microfinance fund", "insurer"),
    ActorType.GOVERNMENT: ("ministry", "district council", "water authority"),
    ActorType.CIVIL_SOCIETY: ("farmers' union", "conservation trust"),
    ActorType.COMMUNITY: ("village association", "women's group"),
    ActorType.LANDSCAPE_PARTNERSHIP: ("landscape partnership",),
}


WHAT = ("lending", "sourcing", "policy", "planning", "practice")


def counts(scale: float) -> dict[str, int]:
    # At least two selection rounds: one closed with its selections, one open.
    return {key: max(2, round(value * scale)) for key, value in PER_SCALE.items()}


def _date(rng: random.Random) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))


def generate(scale: float, *, seed: int = 1000, report: Callable[[str], None] = print) -> dict:
    """Add the synthetic mixed-methods records; returns the counts written."""
    from landhub.coordination.models import Offering
    from landhub.directory.models import Landscape, Organization, Term
    from landhub.directory.scale import PREFIX

    landscapes = list(
        Landscape.objects.filter(name__startswith=PREFIX).values_list("pk", flat=True)
    )
    if not landscapes:
        return {}
    if OutcomeStatement.objects.filter(title__startswith=TITLE_PREFIX).exists():
        raise ValueError("This database already has synthetic outcome statements.")
    rng = random.Random(seed + 6)
    n = counts(scale)
    organizations = list(Organization.objects.filter(name__startswith=PREFIX)
                         .values_list("pk", flat=True)[:5000])  # fmt: skip
    offerings = list(Offering.objects.filter(title__startswith=PREFIX)
                     .values_list("pk", flat=True)[:5000])  # fmt: skip
    tags = list(Term.objects.filter(vocabulary__in=TAG_VOCABULARIES).values_list("pk", flat=True))
    nodes = list(FrameworkNode.objects.filter(framework__landscape__isnull=True)
                 .values_list("pk", flat=True))  # fmt: skip
    now = timezone.now()
    with transaction.atomic():
        outcome_ids = _outcomes(rng, n["outcomes"], landscapes, organizations, offerings, tags,
                                now)  # fmt: skip
        report(f"  MEL outcome statements: {len(outcome_ids):,}")
        story_ids = _stories(rng, n["stories"], n["rounds"], landscapes, offerings, tags,
                             outcome_ids, now)  # fmt: skip
        report(f"  MEL stories of change: {len(story_ids):,}; rounds: {n['rounds']:,}")
        _trails(rng, n["trails"], organizations, outcome_ids)
        _claims(rng, n["claims"], outcome_ids, offerings, organizations)
        report(f"  MEL change trails: {n['trails']:,}; contribution claims: {n['claims']:,}")
        if nodes:
            _learning(rng, n["questions"], n["sessions"], nodes, landscapes, tags, outcome_ids,
                      story_ids)  # fmt: skip
            report(f"  MEL reflection sessions: {n['sessions']:,}")
    return {"outcomes": len(outcome_ids), "stories": len(story_ids), **{
        key: n[key] for key in ("rounds", "trails", "claims", "sessions")}}  # fmt: skip


def _outcomes(rng, count, landscapes, organizations, offerings, tags, now) -> list[int]:
    statuses = [OutcomeStatus.PUBLISHED] * 2 + [OutcomeStatus.SUBSTANTIATED] + [
        OutcomeStatus.UNDER_REVIEW, OutcomeStatus.DRAFT]  # fmt: skip
    rows = []
    for i in range(count):
        actor_type = rng.choice(ActorType.values)
        word = rng.choice(ACTOR_WORDS[actor_type])
        status = statuses[i % len(statuses)]
        on_org = organizations and rng.random() < 0.3
        rows.append(OutcomeStatement(
            title=f"{TITLE_PREFIX}outcome {i:06d}: a {word} changes its {rng.choice(WHAT)}",
            description=f"Synthetic outcome statement {i} about a {word}.",
            actor_organization_id=rng.choice(organizations) if on_org else None,
            actor_name="" if on_org else f"{TITLE_PREFIX}{word} {i % 700:03d}",
            actor_type=actor_type, change_type=rng.choice(ChangeType.values),
            domain=rng.choice(Domain.values), occurred_on=_date(rng),
            intended=rng.random() < 0.85,
            effect="negative" if rng.random() < 0.08 else "positive",
            significance_level=rng.choice(Significance.values),
            significance="Synthetic significance.",
            contribution="Synthetic contribution narrative.",
            status=status, visibility="network",
            substantiated_at=now if status in (OutcomeStatus.SUBSTANTIATED,
                                               OutcomeStatus.PUBLISHED) else None,
            published_at=now if status == OutcomeStatus.PUBLISHED else None,
        ))  # fmt: skip
    created = OutcomeStatement.objects.bulk_create(rows, batch_size=BATCH)
    ids = [row.pk for row in created]
    through = OutcomeStatement.landscapes.through
    through.objects.bulk_create([
        through(outcomestatement_id=pk, landscape_id=landscape)
        for pk in ids for landscape in set(rng.sample(landscapes, k=min(2, len(landscapes))))
    ], batch_size=BATCH)  # fmt: skip
    if tags:
        through = OutcomeStatement.tags.through
        through.objects.bulk_create([
            through(outcomestatement_id=pk, term_id=term)
            for pk in ids for term in set(rng.sample(tags, k=min(2, len(tags))))
        ], batch_size=BATCH)  # fmt: skip
    if offerings:
        through = OutcomeStatement.offerings.through
        through.objects.bulk_create([
            through(outcomestatement_id=pk, offering_id=rng.choice(offerings))
            for pk in ids if rng.random() < 0.6
        ], batch_size=BATCH)  # fmt: skip
    if organizations:
        through = OutcomeStatement.contributing_partners.through
        through.objects.bulk_create([
            through(outcomestatement_id=pk, organization_id=rng.choice(organizations))
            for pk in ids
        ], batch_size=BATCH)  # fmt: skip
    answered = [pk for pk, row in zip(ids, created, strict=True) if row.substantiated_at]
    Substantiation.objects.bulk_create([
        Substantiation(
            outcome_id=pk, name=f"Independent reviewer {pk}", email=f"reviewer{pk}@example.org",
            token_hash=f"{rng.getrandbits(256):064x}", expires_at=now,
            statement_agreement=rng.choice([Agreement.FULLY, Agreement.FULLY, Agreement.PARTLY]),
            contribution_agreement=rng.choice(Agreement.values), comment="Synthetic answer.",
            answered_at=now,
        ) for pk in answered
    ], batch_size=BATCH)  # fmt: skip
    return ids


def _stories(rng, count, rounds, landscapes, offerings, tags, outcome_ids, now) -> list[int]:
    consents = Consent.values
    rows = [Story(
        title=f"{TITLE_PREFIX}story {i:06d}", landscape_id=rng.choice(landscapes),
        storyteller=f"Storyteller {i}", storyteller_role="farmer",
        domain=rng.choice(ChangeDomain.values), told_on=_date(rng), language="en",
        story=f"Synthetic story of change {i}.", why_significant="Synthetic reason.",
        consent=consents[i % len(consents)],
        consent_recorded_on=None if consents[i % len(consents)] == Consent.NOT_ASKED
        else FIRST_DAY,
        visibility="network",
    ) for i in range(count)]  # fmt: skip
    ids = [row.pk for row in Story.objects.bulk_create(rows, batch_size=BATCH)]
    if tags:
        through = Story.tags.through
        through.objects.bulk_create([
            through(story_id=pk, term_id=rng.choice(tags)) for pk in ids
        ], batch_size=BATCH)  # fmt: skip
    if offerings:
        through = Story.offerings.through
        through.objects.bulk_create([
            through(story_id=pk, offering_id=rng.choice(offerings))
            for pk in ids if rng.random() < 0.3
        ], batch_size=BATCH)  # fmt: skip
    through = Story.outcomes.through
    through.objects.bulk_create([
        through(story_id=pk, outcomestatement_id=rng.choice(outcome_ids))
        for pk in ids if rng.random() < 0.2
    ], batch_size=BATCH)  # fmt: skip
    # Rounds: each over a year and one domain, 25 stories, two selected; all closed but one.
    entries, selected = [], []
    for r in range(rounds):
        year = FIRST_DAY.year + r % 7
        domain = ChangeDomain.values[r % len(ChangeDomain.values)]
        closed = r < rounds - 1
        selection_round = SelectionRound.objects.create(
            title=f"{TITLE_PREFIX}selection round {r + 1}", panel_name="Synthetic panel",
            domain=domain, period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31),
            status="closed" if closed else "open", closed_at=now if closed else None,
        )  # fmt: skip
        for index, pk in enumerate(rng.sample(ids, k=min(25, len(ids)))):
            chosen = closed and index < 2
            entries.append(RoundStory(round=selection_round, story_id=pk, selected=chosen,
                                      reason="Synthetic reason." if chosen else ""))  # fmt: skip
            if chosen:
                selected.append(pk)
    RoundStory.objects.bulk_create(entries, batch_size=BATCH, ignore_conflicts=True)
    Story.objects.filter(pk__in=selected).update(selected_at=now)
    return ids


def _trails(rng, count, organizations, outcome_ids) -> None:
    trails = []
    for i in range(count):
        actor_type = rng.choice(ActorType.values)
        name = f"{TITLE_PREFIX}{rng.choice(ACTOR_WORDS[actor_type])} {i:05d}"
        trails.append(ChangeTrail(  # bulk_create skips ``save``: the sort key is set here
            actor_organization_id=None, actor_name=name, actor_sort=trail_sort_key(name),
            actor_type=actor_type, domain=rng.choice(Domain.values),
            summary="Synthetic trail.", visibility="network",
        ))  # fmt: skip
    created = ChangeTrail.objects.bulk_create(trails, batch_size=BATCH)
    steps, current = [], {}
    for trail in created:
        reached = rng.randint(1, len(Stage.values))
        day = _date(rng)
        for stage in Stage.values[:reached]:
            steps.append(ChangeStep(trail_id=trail.pk, stage=stage, reached_on=day,
                                    evidence="Synthetic evidence."))  # fmt: skip
            day = day + dt.timedelta(days=rng.randint(60, 400))
        current[trail.pk] = Stage.values[reached - 1]
    created_steps = ChangeStep.objects.bulk_create(steps, batch_size=BATCH)
    through = ChangeStep.outcomes.through
    through.objects.bulk_create([
        through(changestep_id=step.pk, outcomestatement_id=rng.choice(outcome_ids))
        for step in created_steps if rng.random() < 0.5
    ], batch_size=BATCH)  # fmt: skip
    for stage in Stage.values:
        ChangeTrail.objects.filter(pk__in=[pk for pk, s in current.items() if s == stage]
                                   ).update(current_stage=stage)  # fmt: skip


def _claims(rng, count, outcome_ids, offerings, organizations) -> None:
    if not offerings and not organizations:
        return
    claims = []
    for i in range(count):
        on_offering = offerings and (not organizations or i % 3)
        claims.append(ContributionClaim(
            outcome_id=rng.choice(outcome_ids),
            offering_id=rng.choice(offerings) if on_offering else None,
            partner_id=None if on_offering else rng.choice(organizations),
            claim="Synthetic claim.", evidence="Synthetic evidence.",
            confidence=rng.choice(Confidence.values), confidence_reason="Synthetic.",
        ))  # fmt: skip
    created = ContributionClaim.objects.bulk_create(claims, batch_size=BATCH)
    AlternativeExplanation.objects.bulk_create([
        AlternativeExplanation(claim_id=claim.pk, explanation=f"Alternative {k + 1}.",
                               plausibility=rng.choice(Plausibility.values))  # fmt: skip
        for claim in created for k in range(2)
    ], batch_size=BATCH)  # fmt: skip


def _learning(rng, questions, sessions, nodes, landscapes, tags, outcome_ids, story_ids) -> None:
    created_questions = LearningQuestion.objects.bulk_create([
        LearningQuestion(node_id=nodes[i % len(nodes)],
                         question=f"{TITLE_PREFIX}learning question {i}?")
        for i in range(questions)
    ], batch_size=BATCH)  # fmt: skip
    created = ReflectionSession.objects.bulk_create([
        ReflectionSession(
            title=f"{TITLE_PREFIX}reflection session {i:05d}", held_on=_date(rng),
            landscape_id=rng.choice(landscapes) if i % 2 else None,
            reflections="Synthetic reflections.", visibility="network",
        ) for i in range(sessions)
    ], batch_size=BATCH)  # fmt: skip
    for field, ids, column in (("questions", [q.pk for q in created_questions],
                                "learningquestion_id"),
                               ("outcomes", outcome_ids, "outcomestatement_id"),
                               ("stories", story_ids, "story_id")):  # fmt: skip
        through = getattr(ReflectionSession, field).through
        through.objects.bulk_create([
            through(reflectionsession_id=session.pk, **{column: rng.choice(ids)})
            for session in created
        ], batch_size=BATCH, ignore_conflicts=True)  # fmt: skip
    if tags:
        through = ReflectionSession.tags.through
        through.objects.bulk_create([
            through(reflectionsession_id=session.pk, term_id=rng.choice(tags))
            for session in created
        ], batch_size=BATCH)  # fmt: skip
    AdaptationDecision.objects.bulk_create([
        AdaptationDecision(session_id=session.pk, what_changes=f"Synthetic change {k + 1}.",
                           why="Synthetic reason.",
                           due_on=session.held_on + dt.timedelta(days=90))
        for session in created for k in range(2)
    ], batch_size=BATCH)  # fmt: skip
