"""How indicator values combine: across scopes (landscapes → country → region → initiative)
and over time (periods). Pure functions on ``Decimal``; no database.

The roll-up table, the rebuild command and the worked examples in the tests all go through
these functions, so an incremental roll-up and a rebuild cannot disagree.

**Across scopes** (``combine``), by the indicator's aggregation rule:

- ``sum``, ``average``, ``min``, ``max`` of the scopes' values;
- ``weighted_average``: Σ numerators / Σ denominators. Percentages always combine this way
  (a percentage of 1,000 people and one of 10 people are not averaged as equals), and so do
  their disaggregations;
- ``latest``: for stocks reported as "the figure now"; across scopes the latest figures are
  added up (DHIS2 calls this "last value, sum in hierarchy");
- ``count_meeting``: how many scopes meet the indicator's threshold (at least it when more is
  better, at most it when less is better).

**Over time** (``to_date``), by the indicator's cumulative mode, per scope:

- ``non_cumulative``: each period stands alone; the period's actual is what was reported for
  it. The life-of-initiative figure applies the aggregation rule over the periods (a sum of the
  periods for ``sum``; for a percentage, Σ numerators / Σ denominators of the periods).
- ``cumulative``: reported values are what happened *in* the period; the actual compared with
  a target is the running total to date (a missing period adds nothing).
- ``cumulative_not_summed``: reported values are already the figure to date (hectares under
  restoration so far); the figure to date is the latest report, carried forward over a missing
  period, never summed across periods.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

PLACES = Decimal("0.000001")  # results are kept to six decimal places


class Rule:
    SUM = "sum"
    AVERAGE = "average"
    WEIGHTED_AVERAGE = "weighted_average"
    LATEST = "latest"
    MIN = "min"
    MAX = "max"
    COUNT_MEETING = "count_meeting"


class Mode:
    NON_CUMULATIVE = "non_cumulative"
    CUMULATIVE = "cumulative"
    CUMULATIVE_NOT_SUMMED = "cumulative_not_summed"


@dataclass(frozen=True)
class Value:
    """One figure: a scope's value (for a period, or to date), or an aggregate.

    ``value`` is the number itself; ``numerator``/``denominator`` are kept for ratios and
    percentages so they combine correctly; ``scopes`` is how many scopes stand behind it.
    """

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    scopes: int = 1

    @property
    def is_empty(self) -> bool:
        """Nothing reported (a zero denominator still counts as a report)."""
        return self.value is None and self.denominator is None

    @classmethod
    def of(cls, value=None, numerator=None, denominator=None, *, scale=1) -> Value:
        """A reported value; for a ratio the value is derived from its two parts
        (``scale=100`` for a percentage)."""
        numerator = _dec(numerator)
        denominator = _dec(denominator)
        if numerator is not None and denominator is not None:
            return cls(ratio(numerator, denominator, scale), numerator, denominator)
        return cls(_dec(value))


EMPTY = Value(None, scopes=0)


def _dec(number) -> Decimal | None:
    if number is None:
        return None
    return number if isinstance(number, Decimal) else Decimal(str(number))


def rounded(number: Decimal | None) -> Decimal | None:
    return None if number is None else number.quantize(PLACES, rounding=ROUND_HALF_EVEN)


def ratio(numerator: Decimal, denominator: Decimal, scale=1) -> Decimal | None:
    """numerator / denominator × scale; None when the denominator is zero."""
    if not denominator:
        return None
    return rounded(numerator * Decimal(scale) / denominator)


def combine(
    values: Iterable[Value], rule: str, *, threshold: Decimal | None = None,
    lower_is_better: bool = False, scale=1,
) -> Value:  # fmt: skip
    """Aggregate several scopes' figures into one (see the module's docstring).

    Every level (country, region, initiative) is combined from the landscapes' own figures,
    never from the level below, so an average is never an average of averages and a
    landscape in two countries counts once in its region."""
    present = [v for v in values if not v.is_empty]
    if not present:
        return EMPTY
    scopes = sum(v.scopes for v in present)
    if rule == Rule.WEIGHTED_AVERAGE:
        numerator = sum((v.numerator or Decimal(0) for v in present), Decimal(0))
        denominator = sum((v.denominator or Decimal(0) for v in present), Decimal(0))
        return Value(ratio(numerator, denominator, scale), numerator, denominator, scopes)
    numbers = [v.value for v in present if v.value is not None]
    if not numbers:
        return Value(None, scopes=scopes)
    if rule in (Rule.SUM, Rule.LATEST):
        return Value(rounded(sum(numbers, Decimal(0))), scopes=scopes)
    if rule == Rule.AVERAGE:
        return Value(rounded(sum(numbers, Decimal(0)) / len(numbers)), scopes=scopes)
    if rule == Rule.MIN:
        return Value(rounded(min(numbers)), scopes=scopes)
    if rule == Rule.MAX:
        return Value(rounded(max(numbers)), scopes=scopes)
    if rule == Rule.COUNT_MEETING:
        if threshold is None:
            raise ValueError("count_meeting needs a threshold")
        met = sum(1 for n in numbers if (n <= threshold if lower_is_better else n >= threshold))
        return Value(Decimal(met), scopes=scopes)
    raise ValueError(f"unknown aggregation rule {rule!r}")


def to_date(series: Mapping[int, Value], period: int, mode: str, rule: str, *,
            scale=1) -> Value:  # fmt: skip
    """A scope's figure as of ``period`` from its reports by period (keys sort in time)."""
    upto = [series[p] for p in sorted(series) if p <= period]
    if mode == Mode.CUMULATIVE_NOT_SUMMED:
        return upto[-1] if upto else EMPTY  # the latest report, carried forward
    if rule == Rule.WEIGHTED_AVERAGE:
        return _one_scope(combine(upto, Rule.WEIGHTED_AVERAGE, scale=scale))
    if mode == Mode.CUMULATIVE:
        return _one_scope(combine(upto, Rule.SUM))
    # non-cumulative: the rule over the periods (latest = the last period reported)
    if rule in (Rule.LATEST, Rule.COUNT_MEETING):
        return upto[-1] if upto else EMPTY
    return _one_scope(combine(upto, rule))


def in_period(series: Mapping[int, Value], period: int, mode: str) -> Value:
    """A scope's figure *for* ``period``: what it reported, or for a stock its latest figure
    carried forward (a missing report does not make restored land disappear)."""
    if period in series:
        return series[period]
    if mode == Mode.CUMULATIVE_NOT_SUMMED:
        return to_date(series, period, mode, Rule.LATEST)
    return EMPTY


def _one_scope(value: Value) -> Value:
    """Figures of one scope over several periods still stand for one scope."""
    if value.is_empty:
        return EMPTY
    return Value(value.value, value.numerator, value.denominator, min(value.scopes, 1))


def target_progress(actual: Decimal | None, target: Decimal | None, baseline: Decimal | None,
                    *, lower_is_better: bool = False) -> Decimal | None:  # fmt: skip
    """Share of the way from the baseline to the target, in percent (100 = target met).

    Measured from the baseline when there is one, so "from 40 % to 60 %" at 50 % is halfway,
    not 83 %. Works the same when less is better (from 30 deaths to 10).
    """
    if actual is None or target is None:
        return None
    start = baseline if baseline is not None else Decimal(0)
    distance = (start - target) if lower_is_better else (target - start)
    if not distance:
        return None
    moved = (start - actual) if lower_is_better else (actual - start)
    return rounded(moved / distance * 100)
