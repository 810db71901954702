"""Observations from entry to roll-up: checks by measure, the review workflow and its
refusals, approved values changed only with a reason, roll-ups equal to a rebuild."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from landhub.core.exceptions import ConflictError
from landhub.mel import rollups, services
from landhub.mel.models import (
    DisaggregationOption,
    Observation,
    Rollup,
)

pytestmark = pytest.mark.django_db


def _enter(world, mel, code, landscape, period, approve=True, **values):
    assignment = mel.a[(code, landscape.pk)]
    obs = services.observation_save(actor=world.hana, assignment=assignment, period=period,
                                    **values)  # fmt: skip
    obs = services.observation_submit(actor=world.hana, observation=obs, version=obs.version)
    if approve:
        obs = services.observation_approve(actor=mel.reviewer, observation=obs,
                                           version=obs.version)  # fmt: skip
    return obs


def _sex(women, men):
    return {"parts": {"sex:women": {"value": women}, "sex:men": {"value": men}}}


def _roll(indicator, period, level, key, option=None):
    return Rollup.objects.get(indicator=indicator, period=period, level=level, key=key,
                              option=option)  # fmt: skip


def test_the_total_is_derived_from_the_parts_and_rolls_up_by_place(world, mel):
    y25, y26 = mel.periods
    kenya, lake, border = mel.landscapes
    _enter(world, mel, "T1", kenya, y25, **_sex(30, 20))
    obs = Observation.objects.get()
    assert obs.value == D(50) and obs.parts.count() == 2
    _enter(world, mel, "T1", lake, y25, **_sex(10, 5))
    _enter(world, mel, "T1", border, y25, **_sex(1, 2))
    _enter(world, mel, "T1", kenya, y26, **_sex(5, 5))  # Lake Basin misses 2026
    all_ = _roll(mel.trained, y25, "initiative", "all")
    assert (all_.value, all_.scopes) == (D(68), 3)
    assert _roll(mel.trained, y25, "country", "KE").value == D(68)  # Border Hills is in KE too
    assert _roll(mel.trained, y25, "country", "TZ").value == D(3)
    assert _roll(mel.trained, y25, "region", "Africa").value == D(68)  # counted once
    women = DisaggregationOption.objects.get(code="women")
    assert _roll(mel.trained, y25, "initiative", "all", women).value == D(41)
    # Cumulative: 2026 adds 10; the figure to date is 78 although Lake Basin sent nothing.
    y26_all = _roll(mel.trained, y26, "initiative", "all")
    assert (y26_all.value, y26_all.to_date, y26_all.to_date_scopes) == (D(10), D(78), 3)


def test_percentages_roll_up_as_sums_of_numerators_and_denominators(world, mel):
    y25 = mel.periods[0]
    kenya, lake, _border = mel.landscapes
    _enter(world, mel, "W1", kenya, y25, numerator=9, denominator=10)
    _enter(world, mel, "W1", lake, y25, numerator=10, denominator=100)
    assert Observation.objects.get(assignment__landscape=kenya).value == D("90.000000")
    all_ = _roll(mel.share, y25, "initiative", "all")
    assert (all_.numerator, all_.denominator, all_.value) == (D(19), D(110), D("17.272727"))


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"value": "many"}, "sex:women.value", "Enter a number."),
        ({"value": "NaN"}, "sex:women.value", "Enter a number."),
        ({"value": "2.5"}, "sex:women.value", "Enter a whole number."),
        ({"value": "-3"}, "sex:women.value", "Enter 0 or more."),
        ({"value": ""}, "sex:women.value", "Enter a value, or mark it not applicable."),
    ],
)
def test_a_number_where_a_number_is_due(world, mel, values, field, message):
    with pytest.raises(ValidationError) as caught:
        services.observation_save(actor=world.hana, assignment=mel.a[("T1", world.landscape.pk)],
                                  period=mel.periods[0],
                                  parts={"sex:women": values, "sex:men": {"value": 1}})  # fmt: skip
    assert message in caught.value.message_dict[field]


def test_percentages_need_both_numbers_and_not_applicable_needs_a_reason(world, mel):
    assignment, period = mel.a[("W1", world.landscape.pk)], mel.periods[0]
    with pytest.raises(ValidationError) as caught:
        services.observation_save(actor=world.hana, assignment=assignment, period=period,
                                  numerator=12, denominator=10)  # fmt: skip
    assert "cannot be larger" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        services.observation_save(actor=world.hana, assignment=assignment, period=period,
                                  not_applicable=True)  # fmt: skip
    assert "not_applicable_reason" in caught.value.message_dict
    obs = services.observation_save(actor=world.hana, assignment=assignment, period=period,
                                    not_applicable=True, numerator=5, denominator=10,
                                    not_applicable_reason="No committee yet.")  # fmt: skip
    assert obs.value is None and obs.numerator is None  # a flag, never a number


def test_the_review_workflow_and_its_refusals(world, mel):
    y25 = mel.periods[0]
    assignment = mel.a[("W1", world.landscape.pk)]
    # Someone who does not report for the landscape may not enter its values.
    with pytest.raises(PermissionDenied):
        services.observation_save(actor=world.nora, assignment=assignment, period=y25,
                                  numerator=1, denominator=2)  # fmt: skip
    obs = services.observation_save(actor=world.lena, assignment=assignment, period=y25,
                                    numerator=4, denominator=10)  # fmt: skip
    obs = services.observation_submit(actor=world.lena, observation=obs, version=obs.version)
    with pytest.raises(ValidationError, match="with the reviewers"):
        services.observation_save(actor=world.lena, assignment=assignment, period=y25,
                                  numerator=5, denominator=10)  # fmt: skip
    with pytest.raises(PermissionDenied):  # leaders do not review
        services.observation_approve(actor=world.lena, observation=obs, version=obs.version)
    with pytest.raises(ValidationError):
        services.observation_return(actor=world.hana, observation=obs, version=obs.version,
                                    comment="")  # fmt: skip
    obs = services.observation_return(actor=world.hana, observation=obs, version=obs.version,
                                      comment="Count the youth committee too.")  # fmt: skip
    obs = services.observation_save(actor=world.lena, assignment=assignment, period=y25,
                                    version=obs.version, numerator=5, denominator=10)  # fmt: skip
    assert obs.status == "draft"
    obs = services.observation_submit(actor=world.lena, observation=obs, version=obs.version)
    with pytest.raises(ConflictError):  # someone else's stale page
        services.observation_approve(actor=world.hana, observation=obs, version=obs.version - 1)
    obs = services.observation_approve(actor=world.hana, observation=obs, version=obs.version)
    assert _roll(mel.share, y25, "landscape", str(world.landscape.pk)).value == D("50.000000")


def test_nobody_approves_their_own_submission(world, mel):
    obs = _enter(world, mel, "W1", world.landscape, mel.periods[0], approve=False,
                 numerator=1, denominator=4)  # fmt: skip
    with pytest.raises(PermissionDenied, match="Someone else"):
        services.observation_approve(actor=world.hana, observation=obs, version=obs.version)


def test_a_locked_period_takes_no_values(world, mel):
    y25 = mel.periods[0]
    obs = _enter(world, mel, "W1", world.landscape, y25, approve=False, numerator=1,
                 denominator=4)  # fmt: skip
    services.period_lock(actor=world.hana, period=y25)
    with pytest.raises(ValidationError, match="locked"):
        services.observation_save(actor=world.hana, assignment=mel.a[("W1", mel.landscapes[1].pk)],
                                  period=y25, numerator=1, denominator=2)  # fmt: skip
    with pytest.raises(ValidationError, match="locked"):
        services.observation_approve(actor=mel.reviewer, observation=obs, version=obs.version)
    with pytest.raises(PermissionDenied):
        services.period_lock(actor=world.lena, period=y25, locked=False)


def test_changing_an_approved_value_needs_a_reviewer_and_a_reason(world, mel):
    y25 = mel.periods[0]
    obs = _enter(world, mel, "W1", world.landscape, y25, numerator=2, denominator=10)
    assignment = mel.a[("W1", world.landscape.pk)]
    with pytest.raises(PermissionDenied):
        services.observation_save(actor=world.lena, assignment=assignment, period=y25,
                                  version=obs.version, numerator=3, denominator=10,
                                  reason="Typo.")  # fmt: skip
    with pytest.raises(ValidationError, match="Say why"):
        services.observation_save(actor=mel.reviewer, assignment=assignment, period=y25,
                                  version=obs.version, numerator=3, denominator=10)  # fmt: skip
    obs = services.observation_save(actor=mel.reviewer, assignment=assignment, period=y25,
                                    version=obs.version, numerator=3, denominator=10,
                                    reason="The minutes list three women.")  # fmt: skip
    assert obs.status == "approved"
    assert _roll(mel.share, y25, "initiative", "all").value == D("30.000000")
    last, before = obs.history.all()[:2]
    assert (before.value, last.value) == (D("20.000000"), D("30.000000"))
    assert last.history_change_reason == "The minutes list three women."
    assert last.history_user == mel.reviewer


def test_a_rebuild_gives_exactly_the_incremental_numbers(world, mel):
    y25, y26 = mel.periods
    kenya, lake, border = mel.landscapes
    _enter(world, mel, "T1", kenya, y25, **_sex(3, 4))
    _enter(world, mel, "T1", lake, y26, **_sex(7, 1))
    _enter(world, mel, "T1", border, y25, **_sex(2, 2))
    _enter(world, mel, "T1", border, y26, **_sex(0, 9))
    _enter(world, mel, "W1", kenya, y25, numerator=1, denominator=3)
    _enter(world, mel, "W1", lake, y26, numerator=2, denominator=7)

    def snapshot():
        rows = Rollup.objects.values_list(
            "indicator__code", "period__label", "level", "key", "option__code", "value",
            "numerator", "denominator", "scopes", "to_date", "to_date_scopes",
        )  # fmt: skip
        return sorted(rows, key=lambda row: tuple("" if v is None else str(v) for v in row))

    incremental = snapshot()
    assert len(incremental) > 20
    Rollup.objects.all().delete()
    rollups.rebuild()
    assert snapshot() == incremental


def test_deferred_roll_ups_equal_the_ones_computed_at_each_approval(world, mel):
    """An import or the demo approves many values and rolls each indicator up once."""
    y25, y26 = mel.periods
    kenya, lake, _border = mel.landscapes
    with rollups.deferred():
        _enter(world, mel, "W1", kenya, y26, numerator=3, denominator=9)
        _enter(world, mel, "W1", lake, y25, numerator=1, denominator=2)
        assert not Rollup.objects.exists()  # nothing until the block ends
    deferred = sorted(Rollup.objects.values_list("period__label", "level", "key", "value"))
    Rollup.objects.all().delete()
    rollups.rebuild()
    assert sorted(Rollup.objects.values_list("period__label", "level", "key", "value")) == (
        deferred
    )
    assert ("2025", "initiative", "all", D("50.000000")) in deferred
