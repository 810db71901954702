"""Worked examples of every aggregation rule and cumulative mode (numbers checked by hand)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from landhub.mel.aggregation import (
    EMPTY,
    Mode,
    Rule,
    Value,
    combine,
    in_period,
    target_progress,
    to_date,
)

V = Value.of


def test_sum_average_min_max_skip_scopes_that_did_not_report():
    values = [V(10), V(20), V(None), V(45)]
    assert combine(values, Rule.SUM) == Value(D("75.000000"), scopes=3)
    assert combine(values, Rule.AVERAGE).value == D("25.000000")
    assert combine(values, Rule.MIN).value == D("10.000000")
    assert combine(values, Rule.MAX).value == D("45.000000")
    assert combine([V(None)], Rule.SUM) is EMPTY


def test_percentages_sum_numerators_and_denominators_never_average_percentages():
    big = V(numerator=900, denominator=1000, scale=100)  # 90 %
    small = V(numerator=1, denominator=10, scale=100)  # 10 %
    assert big.value == D("90.000000") and small.value == D("10.000000")
    total = combine([big, small], Rule.WEIGHTED_AVERAGE, scale=100)
    assert (total.numerator, total.denominator) == (D(901), D(1010))
    assert total.value == D("89.207921")  # 901 / 1010, not (90 + 10) / 2 = 50
    assert total.scopes == 2


def test_disaggregated_percentages_add_up_to_the_total():
    """Women 30 of 40, men 10 of 60: the total is 40 of 100 = 40 %, and the landscapes'
    women roll up as 30 + 5 of 40 + 10 = 70 %."""
    women, men = V(numerator=30, denominator=40, scale=100), V(numerator=10, denominator=60,
                                                                scale=100)  # fmt: skip
    total = combine([women, men], Rule.WEIGHTED_AVERAGE, scale=100)
    assert total.value == D("40.000000")
    other_women = V(numerator=5, denominator=10, scale=100)
    assert combine([women, other_women], Rule.WEIGHTED_AVERAGE, scale=100).value == D("70.000000")


def test_a_zero_denominator_gives_no_percentage_rather_than_an_error():
    assert V(numerator=0, denominator=0, scale=100).value is None
    assert combine([V(numerator=0, denominator=0)], Rule.WEIGHTED_AVERAGE).value is None


def test_latest_adds_up_the_scopes_latest_figures():
    assert combine([V(120), V(80)], Rule.LATEST).value == D("200.000000")


@pytest.mark.parametrize(
    ("lower_is_better", "met"),
    [(False, 2), (True, 2)],  # ≥ 50: 60 and 70 (and 50); ≤ 50: 40 and 50
)
def test_count_of_scopes_meeting_a_threshold(lower_is_better, met):
    values = [V(40), V(60), V(70)] if not lower_is_better else [V(40), V(50), V(70)]
    result = combine(values, Rule.COUNT_MEETING, threshold=D(50),
                     lower_is_better=lower_is_better)  # fmt: skip
    assert result.value == D(met) and result.scopes == 3


def test_count_meeting_needs_its_threshold():
    with pytest.raises(ValueError, match="threshold"):
        combine([V(1)], Rule.COUNT_MEETING)


# --- Over time: a landscape that missed period 3 -----------------------------------------------

INCREMENTS = {1: V(5), 2: V(7), 4: V(3)}  # people trained in each quarter; none reported in Q3


def test_cumulative_running_total_and_a_missing_period_adds_nothing():
    assert to_date(INCREMENTS, 2, Mode.CUMULATIVE, Rule.SUM).value == D("12.000000")
    assert to_date(INCREMENTS, 3, Mode.CUMULATIVE, Rule.SUM).value == D("12.000000")
    assert to_date(INCREMENTS, 4, Mode.CUMULATIVE, Rule.SUM).value == D("15.000000")
    assert in_period(INCREMENTS, 3, Mode.CUMULATIVE) is EMPTY


def test_non_cumulative_periods_stand_alone_and_the_life_figure_follows_the_rule():
    assert in_period(INCREMENTS, 2, Mode.NON_CUMULATIVE).value == D(7)
    assert in_period(INCREMENTS, 3, Mode.NON_CUMULATIVE) is EMPTY
    assert to_date(INCREMENTS, 4, Mode.NON_CUMULATIVE, Rule.SUM).value == D("15.000000")
    assert to_date(INCREMENTS, 4, Mode.NON_CUMULATIVE, Rule.AVERAGE).value == D("5.000000")
    assert to_date(INCREMENTS, 4, Mode.NON_CUMULATIVE, Rule.MAX).value == D("7.000000")
    assert to_date(INCREMENTS, 4, Mode.NON_CUMULATIVE, Rule.LATEST).value == D(3)
    shares = {1: V(numerator=9, denominator=10, scale=100),
              2: V(numerator=1, denominator=10, scale=100)}  # fmt: skip
    life = to_date(shares, 2, Mode.NON_CUMULATIVE, Rule.WEIGHTED_AVERAGE, scale=100)
    assert life.value == D("50.000000") and life.scopes == 1  # 10 of 20


def test_stocks_carry_the_latest_figure_forward_and_are_never_summed_over_periods():
    """Hectares under restoration to date: landscape A reports 100, 150, –, 180; B 50, 60, 70,
    80. In period 3 the initiative has 150 (A, carried forward) + 70 (B) = 220 ha."""
    a = {1: V(100), 2: V(150), 4: V(180)}
    b = {1: V(50), 2: V(60), 3: V(70), 4: V(80)}
    mode = Mode.CUMULATIVE_NOT_SUMMED
    assert in_period(a, 3, mode).value == D(150)
    assert to_date(a, 4, mode, Rule.LATEST).value == D(180)  # not 430
    period_3 = combine([in_period(a, 3, mode), in_period(b, 3, mode)], Rule.LATEST)
    assert period_3.value == D("220.000000")
    assert in_period(a, 0, mode) is EMPTY  # nothing before the first report


# --- Progress against targets --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "target", "baseline", "lower", "expected"),
    [
        (D(50), D(60), D(40), False, D("50.000000")),  # halfway from 40 % to 60 %
        (D(60), D(60), None, False, D("100.000000")),
        (D(20), D(10), D(30), True, D("50.000000")),  # from 30 down to 10: at 20 is halfway
        (D(35), D(10), D(30), True, D("-25.000000")),  # worse than the baseline
        (None, D(10), D(30), True, None),
        (D(5), D(30), D(30), False, None),  # target equals baseline: no distance to measure
    ],
)
def test_progress_is_measured_from_the_baseline(actual, target, baseline, lower, expected):
    assert target_progress(actual, target, baseline, lower_is_better=lower) == expected
