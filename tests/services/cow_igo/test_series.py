import datetime as dt

from app.services.cow_igo.dataset import Igo, read_igos
from app.services.cow_igo.series import IgoHistory, PairHistory, igo_history
from app.services.status_periods import status_on
from app.vocabulary import DatePrecision, EventType, MembershipStatus, UnknownReason
from tests.services.cow_igo.helpers import FORMER, SAMPLE, igo, mapper

E = EventType
S = MembershipStatus
R = UnknownReason
D = dt.date


def history(made: Igo) -> IgoHistory:
    return igo_history(made, mapper().spans, FORMER.get)


def periods(pair: PairHistory) -> list[tuple[MembershipStatus, dt.date | None, dt.date | None]]:
    return [(p.status, p.start, p.end) for p in pair.periods]


def test_yearly_codes_are_read_at_mid_year_and_changes_between_them_are_unknown() -> None:
    made = igo({"usa": [(1950, 1960, 0), (1961, 1970, 1), (1971, 1980, 0), (1981, 2014, 1)]})
    us = history(made).pairs["US"]
    assert [(e.type, e.date, e.precision) for e in us.events] == [
        (E.joined, D(1961, 1, 1), DatePrecision.year),
        (E.membership_ended, D(1971, 1, 1), DatePrecision.year),
        (E.rejoined, D(1981, 1, 1), DatePrecision.year),
    ]
    # After the last observation of the code before it, by the observation of the new one.
    assert (us.events[0].earliest, us.events[0].latest) == (D(1960, 7, 2), D(1961, 7, 1))
    assert periods(us) == [
        (S.non_member, None, D(1960, 7, 2)),
        (S.unknown, D(1960, 7, 2), D(1961, 7, 1)),
        (S.member, D(1961, 7, 1), D(1970, 7, 2)),
        (S.unknown, D(1970, 7, 2), D(1971, 7, 1)),
        (S.non_member, D(1971, 7, 1), D(1980, 7, 2)),
        (S.unknown, D(1980, 7, 2), D(1981, 7, 1)),
        (S.member, D(1981, 7, 1), D(2014, 7, 2)),
        (S.unknown, D(2014, 7, 2), None),
    ]
    assert us.periods[-1].unknown_reason == R.past_coverage
    assert all(p.source_id == "src_cow_igo_v3" for p in us.periods)
    # every cell agrees with the layer on 1 July of its year
    for first, last, code in ((1950, 1960, 0), (1961, 1970, 1), (1971, 1980, 0), (1981, 2014, 1)):
        for year in range(first, last + 1):
            assert status_on(us.periods, D(year, 7, 1)) == (S.member if code else S.non_member)


def test_within_five_years_before_1965_widens_the_bounds_and_says_why() -> None:
    made = igo({"france": [(1950, 1954, 0), (1955, 2014, 1)]}, accuracy="Within 5 years")
    joined = history(made).pairs["FR"].events[0]
    assert joined.date == D(1955, 1, 1)
    assert (joined.earliest, joined.latest) == (D(1950, 1, 1), D(1960, 7, 1))
    assert joined.qualifiers["accuracy_before_1965"] == "Within 5 years"
    fr = history(made).pairs["FR"]
    assert status_on(fr.periods, D(1955, 7, 1)) == S.unknown
    assert status_on(fr.periods, D(1960, 7, 1)) == S.member


def test_missing_years_are_unknown_even_between_two_ties() -> None:
    made = igo({"france": [(1950, 1955, 1), (1956, 1958, -9), (1959, 1960, 1), (1961, 1965, -1)]})
    pair = history(made).pairs["FR"]
    assert [e.type for e in pair.events] == [E.joined, E.membership_ended]
    assert "-1" in pair.events[1].note
    gap = status_on(pair.periods, D(1957, 7, 1))
    assert gap == S.unknown
    assert next(p for p in pair.periods if p.start == D(1955, 7, 2)).unknown_reason == (
        R.missing_data
    )
    assert status_on(pair.periods, D(1959, 7, 1)) == S.member
    assert status_on(pair.periods, D(1962, 7, 1)) == S.non_member


def test_missing_before_a_tie_is_unknown_not_non_member() -> None:
    made = igo({"france": [(1950, 1960, -9), (1961, 2014, 1)]})
    pair = history(made).pairs["FR"]
    assert status_on(pair.periods, D(1955, 7, 1)) == S.unknown


def test_associate_and_observer_codes() -> None:
    made = igo({"france": [(1950, 1959, 3), (1960, 1969, 2), (1970, 1979, 1), (1980, 1990, 0)]})
    pair = history(made).pairs["FR"]
    assert [e.type for e in pair.events] == [
        E.became_observer,
        E.became_associate,
        E.joined,
        E.membership_ended,
    ]
    known = [s for s, _, _ in periods(pair) if s != S.unknown]
    assert known == [S.non_member, S.observer, S.associate, S.member, S.non_member]


def test_one_cow_state_three_iso_countries() -> None:
    made = igo({"russia": [(1900, 2014, 1)]}, first_year=1900)
    pairs = history(made).pairs
    assert status_on(pairs["RU"].periods, D(1921, 7, 1)) == S.member
    assert status_on(pairs["RU"].periods, D(1950, 7, 1)) != S.member
    assert status_on(pairs["RU"].periods, D(1993, 7, 1)) == S.member
    assert "goes on as SUHH" in pairs["RU"].events[1].note
    suhh = pairs["SUHH"]
    assert status_on(suhh.periods, D(1950, 7, 1)) == S.member
    assert status_on(suhh.periods, D(1992, 7, 1)) == S.non_member
    assert suhh.events[0].earliest == D(1922, 1, 1)  # the USSR began then
    ended = suhh.events[-1]
    assert (ended.type, ended.precision) == (E.membership_ended, DatePrecision.day)


def test_a_former_country_whose_rows_just_stop_ends_on_its_iso_end_date() -> None:
    made = igo({"egermany": [(1973, 1989, 1)]})
    pair = history(made).pairs["DDDE"]
    assert status_on(pair.periods, D(1989, 7, 1)) == S.member
    assert status_on(pair.periods, D(1990, 8, 1)) == S.unknown
    assert status_on(pair.periods, D(1990, 10, 3)) == S.non_member


def test_two_columns_for_one_country_are_merged_year_by_year() -> None:
    made = igo({"nyemen": [(1960, 1989, 1), (1990, 2014, -1)], "yemen": [(1990, 2014, 1)]})
    pair = history(made).pairs["YE"]
    assert {status_on(pair.periods, D(y, 7, 1)) for y in range(1960, 2015)} == {S.member}


def test_a_dissolved_igo_holds_its_ties_through_the_dissolution_year() -> None:
    made = igo({"france": [(1950, 1977, 1)]}, dissolved=1977)
    pair = history(made).pairs["FR"]
    ended = pair.events[-1]
    assert (ended.type, ended.date, ended.precision) == (
        E.membership_ended,
        D(1977, 1, 1),
        DatePrecision.year,
    )
    assert "dissolved" in ended.note
    assert status_on(pair.periods, D(1977, 7, 1)) == S.member
    assert status_on(pair.periods, D(1977, 10, 1)) == S.unknown
    assert status_on(pair.periods, D(1978, 1, 1)) == S.non_member


def test_a_tie_that_begins_after_a_dissolution_invents_no_earlier_tie() -> None:
    """ACCT: observers from 2005 after a dissolution coded in 2004 were no members before."""
    made = igo({"mexico": [(1970, 2004, 0), (2005, 2014, 3)]}, first_year=1970, dissolved=2004)
    pair = history(made).pairs["MX"]
    assert {status_on(pair.periods, D(y, 7, 1)) for y in range(1970, 2005)} == {S.non_member}
    assert status_on(pair.periods, D(2006, 7, 1)) == S.observer


def test_states_without_an_iso_code_are_kept_under_user_assigned_codes() -> None:
    made = igo(
        {"svietnam": [(1955, 1975, 1)], "austriahungary": [(1900, 1910, 0)]}, first_year=1900
    )
    result = history(made)
    assert result.unmapped == {}
    vietnam = result.pairs["XV"]  # the Republic of Vietnam
    assert status_on(vietnam.periods, D(1960, 7, 1)) == S.member
    assert status_on(vietnam.periods, D(1975, 4, 30)) == S.non_member  # it ceased then
    assert not result.pairs["XA"].ties  # Austria-Hungary, coded 0


def test_a_state_column_nobody_can_carry_is_reported_not_dropped_silently() -> None:
    made = igo({"atlantis": [(1955, 1960, 1)]})
    result = history(made)
    assert result.unmapped == {"atlantis": list(range(1955, 1961))}


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
    assert us[0].latest is not None and us[0].latest > D(1945, 7, 1)  # "within 5 years"
    assert unesco["SUHH"].events[-1].date == D(1991, 12, 26)
    assert any(e.qualifiers.get("imputed") for p in unesco.values() for e in p.events)
    epu = history(igos["EPU"]).pairs
    assert all(p.events[-1].date.year == 1958 for p in epu.values() if p.events)


def test_untied_pairs_are_derived_only_when_asked_for() -> None:
    made = igo({"usa": [(1950, 2014, 0)], "france": [(1950, 1960, 0), (1961, 2014, 1)]})
    everything = igo_history(made, mapper().spans, FORMER.get)
    assert set(everything.pairs) == {"US", "FR"}
    tied_only = igo_history(made, mapper().spans, FORMER.get, untied=set())
    assert set(tied_only.pairs) == {"FR"}
    assert tied_only.pairs["FR"] == everything.pairs["FR"]
    asked = igo_history(made, mapper().spans, FORMER.get, untied={"US"})
    assert asked.pairs["US"] == everything.pairs["US"]
