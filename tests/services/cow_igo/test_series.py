import datetime as dt

from app.services.cow_igo.dataset import Igo, read_igos
from app.services.cow_igo.series import IgoHistory, PairHistory, igo_history
from app.services.status_periods import EventFact, derive_periods
from app.vocabulary import DatePrecision, EventType, MembershipStatus
from tests.services.cow_igo.helpers import FORMER, SAMPLE, igo, mapper

E = EventType
S = MembershipStatus


def history(made: Igo) -> IgoHistory:
    return igo_history(made, mapper().spans, FORMER.get)


def periods(pair: PairHistory) -> list[tuple[MembershipStatus, dt.date | None, dt.date | None]]:
    facts = [EventFact(str(i), e.type, e.date, e.precision) for i, e in enumerate(pair.events)]
    return [(p.status, p.start, p.end) for p in derive_periods(facts)]


def test_consecutive_years_collapse_into_periods_with_year_precision() -> None:
    made = igo({"usa": [(1950, 1960, 0), (1961, 1970, 1), (1971, 1980, 0), (1981, 2014, 1)]})
    us = history(made).pairs["US"]
    assert [(e.type, e.date, e.precision) for e in us.events] == [
        (E.joined, dt.date(1961, 1, 1), DatePrecision.year),
        (E.membership_ended, dt.date(1971, 1, 1), DatePrecision.year),
        (E.rejoined, dt.date(1981, 1, 1), DatePrecision.year),
    ]
    # Changed after the last year observed before it, and by the end of the year observed.
    assert (us.events[0].earliest, us.events[0].latest) == (
        dt.date(1961, 1, 1),
        dt.date(1961, 12, 31),
    )
    assert periods(us) == [
        (S.member, dt.date(1961, 1, 1), dt.date(1971, 1, 1)),
        (S.member, dt.date(1981, 1, 1), None),
    ]


def test_within_five_years_before_1965_widens_the_bounds_and_says_why() -> None:
    made = igo({"france": [(1950, 1954, 0), (1955, 2014, 1)]}, accuracy="Within 5 years")
    joined = history(made).pairs["FR"].events[0]
    assert joined.date == dt.date(1955, 1, 1)
    assert (joined.earliest, joined.latest) == (dt.date(1950, 1, 1), dt.date(1960, 12, 31))
    assert joined.qualifiers["accuracy_before_1965"] == "Within 5 years"
    later = igo({"france": [(1950, 1969, 0), (1970, 2014, 1)]}, accuracy="Within 5 years")
    assert history(later).pairs["FR"].events[0].latest == dt.date(1970, 12, 31)


def test_missing_years_claim_nothing_and_not_in_system_ends_a_tie() -> None:
    made = igo({"france": [(1950, 1955, 1), (1956, 1958, -9), (1959, 1960, 1), (1961, 1965, -1)]})
    events = history(made).pairs["FR"].events
    assert [e.type for e in events] == [E.joined, E.membership_ended]
    assert events[1].date == dt.date(1961, 1, 1) and "-1" in events[1].note


def test_associate_and_observer_codes() -> None:
    made = igo({"france": [(1950, 1959, 3), (1960, 1969, 2), (1970, 1979, 1), (1980, 1990, 0)]})
    pair = history(made).pairs["FR"]
    assert [e.type for e in pair.events] == [
        E.became_observer,
        E.became_associate,
        E.joined,
        E.membership_ended,
    ]
    assert [p[0] for p in periods(pair)] == [S.observer, S.associate, S.member]


def test_one_cow_state_three_iso_countries() -> None:
    made = igo({"russia": [(1900, 2014, 1)]}, first_year=1900)
    pairs = history(made).pairs
    assert periods(pairs["RU"]) == [
        (S.member, dt.date(1900, 1, 1), dt.date(1922, 1, 1)),
        (S.member, dt.date(1992, 1, 1), None),
    ]
    assert "goes on as SUHH" in pairs["RU"].events[1].note
    assert periods(pairs["SUHH"]) == [(S.member, dt.date(1922, 1, 1), dt.date(1991, 12, 26))]
    assert pairs["SUHH"].events[0].earliest == dt.date(1922, 1, 1)  # the USSR began then
    ended = pairs["SUHH"].events[-1]
    assert (ended.type, ended.precision) == (E.membership_ended, DatePrecision.day)


def test_a_former_country_whose_rows_just_stop_ends_on_its_iso_end_date() -> None:
    made = igo({"egermany": [(1973, 1989, 1)]})
    assert periods(history(made).pairs["DDDE"]) == [
        (S.member, dt.date(1973, 1, 1), dt.date(1990, 10, 3))
    ]


def test_two_columns_for_one_country_are_merged_year_by_year() -> None:
    made = igo({"nyemen": [(1960, 1989, 1), (1990, 2014, -1)], "yemen": [(1990, 2014, 1)]})
    assert periods(history(made).pairs["YE"]) == [(S.member, dt.date(1960, 1, 1), None)]


def test_a_dissolved_igo_ends_its_ties() -> None:
    made = igo({"france": [(1950, 1977, 1)]}, dissolved=1977)
    ended = history(made).pairs["FR"].events[-1]
    assert (ended.type, ended.date, ended.precision) == (
        E.membership_ended,
        dt.date(1977, 1, 1),
        DatePrecision.year,
    )
    assert "dissolved" in ended.note


def test_states_without_an_iso_code_are_reported_not_dropped_silently() -> None:
    made = igo({"svietnam": [(1955, 1975, 1)], "austriahungary": [(1950, 1951, 0)]})
    result = history(made)
    assert result.unmapped == {"svietnam": list(range(1955, 1976))}
    assert "svietnam" not in result.pairs


def test_imputed_rows_are_kept_on_the_event() -> None:
    made = igo(
        {"france": [(1950, 1960, 0), (1961, 2014, 1)]}, imputed=frozenset({("france", 1961)})
    )
    assert history(made).pairs["FR"].events[0].qualifiers["imputed"] is True


def test_the_sample_cut_from_the_real_file() -> None:
    igos = {i.ioname: i for i in read_igos(SAMPLE)}
    assert set(igos) == {"UNESCO", "UPU", "ITC", "ASEAN", "ArticC", "EPU"}
    unesco = history(igos["UNESCO"]).pairs
    us = unesco["US"].events
    assert [(e.type, e.date.year) for e in us] == [(E.joined, 1945), (E.membership_ended, 1985)]
    assert us[0].latest == dt.date(1950, 12, 31)  # "within 5 years"
    assert unesco["SUHH"].events[-1].date == dt.date(1991, 12, 26)
    assert any(e.qualifiers.get("imputed") for p in unesco.values() for e in p.events)
    epu = history(igos["EPU"]).pairs
    assert all(p.events[-1].date.year == 1958 for p in epu.values() if p.events)
