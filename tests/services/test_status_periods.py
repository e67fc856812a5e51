"""The derivation of status periods from events, on its own (no database)."""

from __future__ import annotations

import datetime as dt
import itertools
import random

from hypothesis import given
from hypothesis import strategies as st

from app.services.status_periods import DerivedPeriod, derive_periods, status_on
from app.vocabulary import DatePrecision, EventType, MembershipStatus
from tests.factories import d, event

S = MembershipStatus


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def spans(periods: list[DerivedPeriod]) -> list[tuple[str, str | None, str | None]]:
    return [(p.status.value, _iso(p.start), _iso(p.end)) for p in periods]


def test_no_events_no_periods() -> None:
    assert derive_periods([]) == []


def test_join_then_withdrawal_merges_announcement_and_notice() -> None:
    joined = event("joined", "1948-06-21")
    announced = event("withdrawal_announced", "2025-01-20")
    periods = derive_periods(
        [
            joined,
            announced,
            event("withdrawal_notified", "2025-01-22"),
            event("withdrawal_effective", "2026-01-22"),
        ]
    )
    assert spans(periods) == [
        ("member", "1948-06-21", "2025-01-20"),
        ("withdrawal_pending", "2025-01-20", "2026-01-22"),
        ("withdrawn", "2026-01-22", None),
    ]
    assert periods[0].evidence_event_id == joined.id
    assert periods[1].evidence_event_id == announced.id


def test_retraction_returns_to_the_status_before_the_announcement() -> None:
    periods = derive_periods(
        [
            event("became_observer", "2010"),
            event("withdrawal_notified", "2020-07-06"),
            event("withdrawal_retracted", "2021-01-20"),
        ]
    )
    assert spans(periods) == [
        ("observer", "2010-01-01", "2020-07-06"),
        ("withdrawal_pending", "2020-07-06", "2021-01-20"),
        ("observer", "2021-01-20", None),
    ]


def test_retraction_without_pending_withdrawal_changes_nothing() -> None:
    periods = derive_periods([event("joined", "2000"), event("withdrawal_retracted", "2001-05-05")])
    assert spans(periods) == [("member", "2000-01-01", None)]


def test_withdrawal_without_recorded_join_implies_a_tie_of_unknown_start() -> None:
    announced = event("withdrawal_announced", "2026-01-07")
    periods = derive_periods([announced], not_before=d("2011-01-01"))
    assert spans(periods) == [
        ("member", "2011-01-01", "2026-01-07"),
        ("withdrawal_pending", "2026-01-07", None),
    ]
    assert periods[0].start_precision == DatePrecision.unknown
    assert periods[0].evidence_event_id == announced.id


def test_implied_tie_without_founding_date_is_unbounded_below() -> None:
    periods = derive_periods([event("funding_suspended", "2018-08-31")])
    assert spans(periods) == [("member", None, "2018-08-31"), ("suspended", "2018-08-31", None)]


def test_founding_date_after_the_first_event_is_ignored_as_a_floor() -> None:
    periods = derive_periods(
        [event("withdrawal_announced", "2000-01-01")], not_before=d("2005-01-01")
    )
    assert periods[0].start is None


def test_join_of_unknown_date_opens_a_period_of_unknown_start() -> None:
    joined = event("joined")
    periods = derive_periods([joined], not_before=d("1949-01-01"))
    assert spans(periods) == [("member", "1949-01-01", None)]
    assert periods[0].start_precision == DatePrecision.unknown
    assert periods[0].evidence_event_id == joined.id


def test_undated_admission_as_associate_gives_an_associate_period() -> None:
    periods = derive_periods(
        [event("became_associate"), event("withdrawal_announced", "2026-01-07")]
    )
    assert spans(periods) == [
        ("associate", None, "2026-01-07"),
        ("withdrawal_pending", "2026-01-07", None),
    ]


def test_dated_join_wins_over_an_undated_one() -> None:
    periods = derive_periods([event("joined"), event("joined", "1990")])
    assert spans(periods) == [("member", "1990-01-01", None)]


def test_effect_of_unknown_date_leaves_the_pending_withdrawal_open() -> None:
    periods = derive_periods(
        [
            event("joined", "1992", "year"),
            event("withdrawal_announced", "2026-01-07"),
            event("withdrawal_effective"),
        ]
    )
    assert spans(periods) == [
        ("member", "1992-01-01", "2026-01-07"),
        ("withdrawal_pending", "2026-01-07", None),
    ]
    assert status_on(periods, d("2030-01-01")) == S.withdrawal_pending


def test_precision_of_bounding_events_is_kept() -> None:
    periods = derive_periods([event("withdrawal_effective", "1984"), event("rejoined", "2003")])
    assert [(p.start_precision, p.end_precision) for p in periods] == [
        (DatePrecision.unknown, DatePrecision.year),
        (DatePrecision.year, DatePrecision.year),
        (DatePrecision.year, None),
    ]


def test_status_superseded_on_its_first_day_leaves_no_empty_period() -> None:
    periods = derive_periods(
        [event("joined", "2020-05-01"), event("withdrawal_announced", "2020-05-01")]
    )
    assert spans(periods) == [("withdrawal_pending", "2020-05-01", None)]


def test_events_with_no_effect_are_recorded_only() -> None:
    periods = derive_periods(
        [
            event("joined", "2000"),
            event("review_ordered", "2005-02-04"),
            event("elected", "2006-10-14"),
            event("rejoin_requested", "2007-01-01"),
            event("funding_reduced", "2008-01", "month"),
        ]
    )
    assert spans(periods) == [("member", "2000-01-01", None)]


def test_signature_alone_is_not_membership() -> None:
    assert derive_periods([event("signed", "2016-02-04")]) == []


def test_nothing_to_suspend_or_withdraw_once_withdrawn() -> None:
    periods = derive_periods(
        [
            event("joined", "2000"),
            event("withdrawal_effective", "2010-01-01"),
            event("funding_suspended", "2011-01-01"),
            event("withdrawal_announced", "2012-01-01"),
            event("rejoined", "2015-01-01"),
        ]
    )
    assert spans(periods) == [
        ("member", "2000-01-01", "2010-01-01"),
        ("withdrawn", "2010-01-01", "2015-01-01"),
        ("member", "2015-01-01", None),
    ]


def test_suspension_and_restoration() -> None:
    periods = derive_periods(
        [
            event("funding_reduced", "2018-01"),
            event("funding_suspended", "2018-08-31"),
            event("funding_restored", "2021-04-07"),
            event("funding_suspended", "2024-01"),
            event("funding_prohibited", "2024-03"),
        ]
    )
    assert [p.status for p in periods] == [S.member, S.suspended, S.member, S.suspended]
    assert periods[0].start is None and periods[0].end == d("2018-08-31")


def test_status_on_a_date() -> None:
    periods = derive_periods(
        [event("joined", "2009-05"), event("withdrawal_announced", "2018-06-19")]
    )
    assert status_on(periods, d("2009-04-30")) == S.non_member
    assert status_on(periods, d("2009-05-01")) == S.member
    assert status_on(periods, d("2018-06-18")) == S.member
    assert status_on(periods, d("2018-06-19")) == S.withdrawal_pending


def test_input_order_does_not_matter() -> None:
    events = [
        event("signed", "2016-04-22"),
        event("joined", "2016-09-03"),
        event("withdrawal_announced", "2017-06-01"),
        event("withdrawal_effective", "2020-11-04"),
        event("rejoined", "2021-02-19"),
    ]
    expected = derive_periods(events)
    shuffled = events[:]
    random.Random(7).shuffle(shuffled)
    assert derive_periods(shuffled) == expected
    assert [p.status for p in expected] == [S.member, S.withdrawal_pending, S.withdrawn, S.member]


_types = st.sampled_from(list(EventType))
_dates = st.one_of(st.none(), st.dates(min_value=d("1900-01-01"), max_value=d("2100-12-31")))


@given(st.lists(st.tuples(_types, _dates), max_size=12), st.one_of(st.none(), st.dates()))
def test_periods_are_ordered_contiguous_and_never_empty(
    raw: list[tuple[EventType, dt.date | None]], not_before: dt.date | None
) -> None:
    events = [
        event(t.value, None) if day is None else event(t.value, day.isoformat()) for t, day in raw
    ]
    periods = derive_periods(events, not_before=not_before)
    for period in periods:
        assert period.start is None or period.end is None or period.start < period.end
        assert period.status != S.non_member
    ended = {e.date for e in events if e.type == EventType.membership_ended}
    for before, after in itertools.pairwise(periods):
        assert before.end is not None and after.start is not None and before.end <= after.start
        if before.end == after.start:
            assert before.status != after.status
        else:  # only an ended membership leaves a stretch with no status
            assert before.end in ended
    assert all(p.end is not None for p in periods[:-1])


def test_membership_ended_closes_the_period_and_opens_none() -> None:
    periods = derive_periods(
        [
            event("joined", "1950"),
            event("membership_ended", "1971"),
            event("joined", "1981"),
        ]
    )
    assert [(p.status, p.start, p.end) for p in periods] == [
        (S.member, d("1950-01-01"), d("1971-01-01")),
        (S.member, d("1981-01-01"), None),
    ]
    assert status_on(periods, d("1975-06-01")) == S.non_member
