"""Quorum, thresholds and ties, as the body's rules say (``governance.procedure``)."""

from __future__ import annotations

import pytest

from landhub.governance.procedure import SeatAtItem, count_quorum, quorum_required, tally

Y, N, A = "yes", "no", "abstain"


@pytest.mark.parametrize(("rule", "eligible", "required"), [
    ("majority", 6, 4), ("majority", 5, 3), ("majority", 1, 1),
    ("half", 6, 3), ("half", 5, 3),
    ("two_thirds", 6, 4), ("two_thirds", 7, 5),
    ("all", 6, 6),
])  # fmt: skip
def test_quorum_required_of_the_voting_seats(rule, eligible, required):
    assert quorum_required(rule, eligible) == required


def test_quorum_counts_alternates_attending_and_leaves_recused_members_out():
    seats = [SeatAtItem(1, True), SeatAtItem(2, True), SeatAtItem(3, True),
             SeatAtItem(4, False), SeatAtItem(5, False), SeatAtItem(6, False)]  # fmt: skip
    # Six voting seats, three present (apologies from three): a majority is four, not met.
    assert not count_quorum("majority", seats).met
    # An alternate attends for seat 4: four present, met.
    seats[3] = SeatAtItem(4, True)
    assert count_quorum("majority", seats).met
    # Seat 1 declares a conflict on this item: five seats count, three must be present; the
    # three other present ones meet it.
    seats[0] = SeatAtItem(1, True, recused=True)
    quorum = count_quorum("majority", seats)
    assert (quorum.eligible, quorum.present, quorum.required, quorum.met) == (5, 3, 3, True)
    # Recusal never counts as presence: with two of five present it is not met.
    seats[1] = SeatAtItem(2, False)
    assert not count_quorum("majority", seats).met


def test_no_voting_seat_no_quorum():
    assert not count_quorum("majority", []).met
    assert not count_quorum("majority", [SeatAtItem(1, True, recused=True)]).met


def _t(choices, threshold="majority", base="cast", tie="fails", eligible=6, casting=""):
    return tally(threshold=threshold, base=base, tie_rule=tie, choices=choices,
                 eligible=eligible, casting_vote=casting)  # fmt: skip


def test_simple_majority_of_votes_cast_ignores_abstentions():
    assert _t([Y, Y, N, A, A]).adopted  # 2 of 3 cast
    assert not _t([Y, N, N, A]).adopted
    result = _t([Y, Y, Y, N, A, A])
    assert (result.yes, result.no, result.abstain, result.needed) == (3, 1, 2, 3)


def test_simple_majority_of_all_seats_counts_those_who_did_not_vote():
    # Six seats: four in favour are needed, whoever abstains or stays silent.
    assert not _t([Y, Y, Y, N], base="seats").adopted
    assert _t([Y, Y, Y, Y], base="seats").adopted


def test_two_thirds():
    assert _t([Y, Y, N], threshold="two_thirds").adopted  # 2 of 3 cast
    assert not _t([Y, Y, N, N], threshold="two_thirds").adopted
    assert not _t([Y, Y, Y, N, A, A], threshold="two_thirds", base="seats").adopted  # 3 < 4
    assert _t([Y, Y, Y, Y, N, A], threshold="two_thirds", base="seats").adopted


def test_unanimity():
    assert _t([Y, Y, A], threshold="unanimity").adopted  # every vote cast is yes
    assert not _t([Y, Y, N], threshold="unanimity").adopted
    assert not _t([Y, Y, A], threshold="unanimity", base="seats", eligible=3).adopted
    assert _t([Y, Y, Y], threshold="unanimity", base="seats", eligible=3).adopted


def test_a_tie_fails_or_goes_to_the_chairs_casting_vote():
    tied = _t([Y, Y, Y, N, N, N])
    assert tied.tie and not tied.adopted
    assert "fails" in tied.explanation()
    cast = _t([Y, Y, Y, N, N, N], tie="chair", casting="yes")
    assert cast.adopted and cast.casting_vote == "yes"
    assert "casting vote in favour" in cast.explanation()
    assert not _t([Y, Y, Y, N, N, N], tie="chair", casting="no").adopted
    # Without a casting vote the tie fails even under the chair's rule; a casting vote where
    # the rules give none changes nothing.
    assert not _t([Y, Y, Y, N, N, N], tie="chair").adopted
    assert not _t([Y, Y, Y, N, N, N], casting="yes").adopted


def test_nothing_passes_without_a_vote_in_favour():
    assert not _t([]).adopted
    assert not _t([A, A]).adopted
    assert not _t([A, A], threshold="unanimity").adopted
    assert "no vote in favour" in _t([N]).explanation()
