"""The derivation of status periods from events, and the overlay of layers (no database)."""

from __future__ import annotations

import datetime as dt
import itertools
import random

from hypothesis import given
from hypothesis import strategies as st

from app.services.status_periods import (
    DerivedPeriod,
    derive_periods,
    disagreements,
    overlay,
    status_on,
)
from app.vocabulary import DatePrecision, EventType, MembershipBasis, MembershipStatus
from app.vocabulary import UnknownReason as R
from tests.factories import d, event

S = MembershipStatus


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def spans(periods: list[DerivedPeriod]) -> list[tuple[str, str | None, str | None]]:
    return [(p.status.value, _iso(p.start), _iso(p.end)) for p in periods]


def test_no_events_is_unknown_all_along_and_non_member_before_the_founding() -> None:
    assert spans(derive_periods([])) == [("unknown", None, None)]
    assert spans(derive_periods([], founded=d("1988-01-01"))) == [
        ("non_member", None, "1988-01-01"),
        ("unknown", "1988-01-01", None),
    ]


def test_a_dated_join_says_non_member_before_it() -> None:
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
        ("non_member", None, "1948-06-21"),
        ("member", "1948-06-21", "2025-01-20"),
        ("withdrawal_pending", "2025-01-20", "2026-01-22"),
        ("withdrawn", "2026-01-22", None),
    ]
    assert periods[1].evidence_event_id == joined.id
    assert periods[2].evidence_event_id == announced.id


def test_a_year_precision_date_is_unknown_for_its_whole_year() -> None:
    """UNESCO 1984 read as a year: not `withdrawn` from 1 January."""
    effective = event("withdrawal_effective", "1984")
    periods = derive_periods(
        [event("joined", "1946-11-04"), event("withdrawal_notified", "1983-12-28"), effective]
    )
    assert status_on(periods, d("1984-06-01")) == S.unknown
    unknown = next(p for p in periods if p.status == S.unknown)
    assert (unknown.start, unknown.end) == (d("1984-01-01"), d("1984-12-31"))
    assert unknown.unknown_reason == R.imprecise_date
    assert unknown.evidence_event_id == effective.id
    assert status_on(periods, d("1983-12-30")) == S.withdrawal_pending
    assert status_on(periods, d("1985-01-01")) == S.withdrawn


def test_a_month_precision_date_is_unknown_for_its_month() -> None:
    periods = derive_periods([event("joined", "1992-10")])
    assert status_on(periods, d("1992-09-30")) == S.non_member
    assert status_on(periods, d("1992-10-15")) == S.unknown
    assert status_on(periods, d("1992-10-31")) == S.member


def test_a_date_range_bounds_the_unknown_stretch() -> None:
    ranged = event("joined", "1908")
    ranged = ranged.__class__(
        ranged.id, ranged.type, ranged.date, ranged.precision, d("1905-07-02"), d("1910-07-01")
    )
    periods = derive_periods([ranged])
    assert spans(periods) == [
        ("non_member", None, "1905-07-02"),
        ("unknown", "1905-07-02", "1910-07-01"),
        ("member", "1910-07-01", None),
    ]


def test_a_tie_of_unknown_start_is_unknown_before_its_first_evidence() -> None:
    """Not `member` from the founding, nor from the distant past."""
    announced = event("withdrawal_announced", "2026-01-07")
    periods = derive_periods([announced], founded=d("2009-01-01"))
    assert spans(periods) == [
        ("non_member", None, "2009-01-01"),
        ("unknown", "2009-01-01", "2026-01-07"),
        ("withdrawal_pending", "2026-01-07", None),
    ]
    assert periods[1].unknown_reason == R.no_evidence
    assert status_on(periods, d("2015-06-01")) == S.unknown
    assert spans(derive_periods([announced]))[0] == ("unknown", None, "2026-01-07")


def test_an_undated_join_says_nothing_about_any_date() -> None:
    assert {p.status for p in derive_periods([event("joined")])} == {S.unknown}


def test_funding_events_show_a_donor_tie_from_their_window_on() -> None:
    periods = derive_periods(
        [
            event("funding_reduced", "2018-01"),
            event("funding_suspended", "2018-08-31"),
            event("funding_restored", "2021-04-07"),
        ],
        basis=MembershipBasis.donor,
    )
    assert spans(periods) == [
        ("unknown", None, "2018-01-31"),
        ("donor", "2018-01-31", "2018-08-31"),
        ("suspended", "2018-08-31", "2021-04-07"),
        ("donor", "2021-04-07", None),
    ]


def test_the_basis_names_the_tie() -> None:
    for basis, status in (
        (MembershipBasis.participant, S.participant),
        (MembershipBasis.donor, S.donor),
        (MembershipBasis.observer_state, S.observer),
        (MembershipBasis.member_state, S.member),
    ):
        periods = derive_periods([event("joined", "2000-05-05")], basis=basis)
        assert status_on(periods, d("2001-01-01")) == status


def test_retraction_returns_to_the_status_before_the_announcement() -> None:
    periods = derive_periods(
        [
            event("became_observer", "2010-03-01"),
            event("withdrawal_notified", "2020-07-06"),
            event("withdrawal_retracted", "2021-01-20"),
        ]
    )
    assert spans(periods)[1:] == [
        ("observer", "2010-03-01", "2020-07-06"),
        ("withdrawal_pending", "2020-07-06", "2021-01-20"),
        ("observer", "2021-01-20", None),
    ]


def test_nothing_to_suspend_or_withdraw_once_withdrawn() -> None:
    periods = derive_periods(
        [
            event("joined", "1950-01-01"),
            event("withdrawal_effective", "1960-01-01"),
            event("suspended", "1965-01-01"),
        ]
    )
    assert status_on(periods, d("1970-01-01")) == S.withdrawn


def test_membership_ended_closes_the_tie_and_a_later_join_opens_one() -> None:
    periods = derive_periods(
        [
            event("joined", "1950-03-01"),
            event("membership_ended", "1971-03-01"),
            event("joined", "1981-03-01"),
        ]
    )
    assert status_on(periods, d("1975-06-01")) == S.non_member
    assert status_on(periods, d("1985-06-01")) == S.member


def test_an_undated_effect_leaves_the_pending_withdrawal_open() -> None:
    periods = derive_periods(
        [
            event("joined", "2000-01-01"),
            event("withdrawal_notified", "2026-01-07"),
            event("withdrawal_effective"),
        ]
    )
    assert periods[-1].status == S.withdrawal_pending and periods[-1].end is None


def test_status_superseded_on_its_first_day_leaves_no_empty_period() -> None:
    periods = derive_periods(
        [event("joined", "2016-09-03"), event("entered_into_force", "2016-09-03")]
    )
    assert spans(periods) == [("non_member", None, "2016-09-03"), ("member", "2016-09-03", None)]


def test_events_in_any_order_give_the_same_periods() -> None:
    events = [
        event("joined", "1945-11-16"),
        event("withdrawal_notified", "1983-12-28"),
        event("withdrawal_effective", "1984-12-31"),
        event("rejoined", "2003-10-01"),
    ]
    expected = derive_periods(events)
    shuffled = events[:]
    random.Random(7).shuffle(shuffled)
    assert derive_periods(shuffled) == expected


def test_overlay_fills_what_the_curated_layer_leaves_unknown_and_keeps_its_reasons() -> None:
    curated = derive_periods([event("withdrawal_announced", "2026-01-07")], founded=d("1865-01-01"))
    dataset = [
        DerivedPeriod(S.non_member, None, d("1908-07-01"), DatePrecision.unknown, None, None),
        DerivedPeriod(S.member, d("1908-07-01"), d("2014-07-02"), DatePrecision.year, None, "c"),
        DerivedPeriod(
            S.unknown, d("2014-07-02"), None, DatePrecision.day, None, None, R.past_coverage
        ),
    ]
    dataset = [p._replace(source_id="src_cow") for p in dataset]
    merged = overlay(curated, dataset)
    assert status_on(merged, d("1900-06-01")) == S.non_member
    assert status_on(merged, d("1950-06-01")) == S.member
    assert next(p for p in merged if p.status == S.member).source_id == "src_cow"
    # COW's last reading (2014) and the announcement (2026) both show the tie; nothing says
    # otherwise in between: it held (bridged), resting on the later evidence.
    assert not [p for p in merged if p.status == S.unknown]
    assert status_on(merged, d("2020-06-01")) == S.member
    assert status_on(merged, d("2026-06-01")) == S.withdrawal_pending
    assert disagreements(curated, dataset) == []


COW_2014 = [
    DerivedPeriod(S.non_member, None, d("1950-07-02"), DatePrecision.unknown, None, None),
    DerivedPeriod(
        S.unknown,
        d("1950-07-02"),
        d("1951-07-01"),
        DatePrecision.year,
        None,
        "c0",
        R.imprecise_date,
    ),
    DerivedPeriod(S.member, d("1951-07-01"), d("2014-07-02"), DatePrecision.year, None, "c0"),
    DerivedPeriod(S.unknown, d("2014-07-02"), None, DatePrecision.day, None, None, R.past_coverage),
]


def test_a_listing_confirms_the_tie_on_its_date_without_saying_when_it_began() -> None:
    listed = derive_periods([event("listed", "2026-12-01")], founded=d("1948-04-07"))
    assert spans(listed) == [
        ("non_member", None, "1948-04-07"),
        ("unknown", "1948-04-07", "2026-12-01"),
        ("member", "2026-12-01", None),
    ]
    assert listed[1].unknown_reason == R.no_evidence


def test_cow_and_a_later_listing_of_the_same_tie_bridge_the_years_between() -> None:
    listed = derive_periods([event("listed", "2026-12-01")], founded=d("1948-04-07"))
    combined = overlay(listed, COW_2014)
    assert status_on(combined, d("2020-01-01")) == S.member
    assert status_on(combined, d("1951-01-01")) == S.unknown  # the change COW dates to a year
    assert [p.status for p in combined] == [S.non_member, S.unknown, S.member]


def test_no_bridge_across_a_change_or_from_no_tie() -> None:
    withdrawn = derive_periods(
        [event("listed", "2020-06-01"), event("withdrawal_effective", "2022-03-16")],
        founded=d("1948-04-07"),
    )
    later = overlay(
        derive_periods([event("listed", "2026-12-01")], founded=d("1948-04-07")),
        [p._replace(status=S.non_member) if p.status == S.member else p for p in COW_2014],
    )
    assert status_on(later, d("2020-01-01")) == S.unknown, "no tie in 2014: a change in between"
    assert status_on(overlay(withdrawn, COW_2014), d("2024-01-01")) == S.withdrawn


def test_a_disagreement_needs_both_layers_to_say_something() -> None:
    curated = derive_periods([event("joined", "1946-11-04"), event("suspended", "2011-10-31")])
    dataset = [
        DerivedPeriod(
            S.unknown, None, d("1950-07-01"), DatePrecision.unknown, None, None, R.no_evidence
        ),
        DerivedPeriod(S.member, d("1950-07-01"), d("2012-07-02"), DatePrecision.year, None, None),
        DerivedPeriod(
            S.non_member, d("2012-07-02"), d("2014-07-02"), DatePrecision.year, None, None
        ),
        DerivedPeriod(
            S.unknown, d("2014-07-02"), None, DatePrecision.day, None, None, R.past_coverage
        ),
    ]
    found = disagreements(curated, dataset)
    assert found == [(d("2012-07-02"), d("2014-07-02"), S.suspended, S.non_member)]


_types = st.sampled_from(list(EventType))
_dates = st.one_of(st.none(), st.dates(min_value=d("1900-01-01"), max_value=d("2100-12-31")))
_precisions = st.sampled_from(["day", "month", "year"])


@given(
    st.lists(st.tuples(_types, _dates, _precisions), max_size=12),
    st.one_of(st.none(), st.dates(min_value=d("1800-01-01"), max_value=d("2100-12-31"))),
)
def test_periods_cover_the_whole_time_line_and_never_start_a_tie_before_its_evidence(
    raw: list[tuple[EventType, dt.date | None, str]], founded: dt.date | None
) -> None:
    events = [
        event(t.value, None)
        if day is None
        else event(t.value, day.isoformat()[: {"day": 10, "month": 7, "year": 4}[p]])
        for t, day, p in raw
    ]
    periods = derive_periods(events, founded=founded)
    assert periods[0].start is None and periods[-1].end is None
    for before, after in itertools.pairwise(periods):
        assert before.end == after.start and before.status != after.status
        assert before.start is None or before.start < before.end  # type: ignore[operator]
    for period in periods:
        assert (period.status == S.unknown) == (period.unknown_reason is not None)
        if period.status not in (S.unknown, S.non_member) and founded is not None:
            assert period.start is not None and period.start >= founded
        if period.status not in (S.unknown, S.non_member):
            # every tie rests on an event whose window has ended by the period's start
            windows = [e.window() for e in events if e.date is not None]
            assert period.start is not None
            assert any(w is not None and w[1] <= period.start for w in windows)
