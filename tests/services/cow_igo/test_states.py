from tests.services.cow_igo.helpers import mapper


def test_current_states_through_the_converter_library() -> None:
    m = mapper()
    assert [m.country(column, 2000) for column in ("usa", "china", "uk", "zaire")] == [
        "US",
        "CN",
        "GB",
        "CD",
    ]


def test_one_cow_state_maps_to_different_iso_countries_by_year() -> None:
    m = mapper()
    assert [m.country("russia", y) for y in (1900, 1921, 1922, 1991, 1992)] == [
        "RU",
        "RU",
        "SUHH",
        "SUHH",
        "RU",
    ]
    assert [m.country("yugoslaviaserb", y) for y in (1950, 2004, 2010)] == ["YUCS", "CSXX", "RS"]
    assert m.country("egermany", 1980) == "DDDE"
    assert m.country("czechoslovakia", 1980) == "CSHH"


def test_spans_cut_a_run_where_the_country_changes() -> None:
    assert mapper().spans("russia", 1900, 2000) == [
        (1900, 1921, "RU"),
        (1922, 1991, "SUHH"),
        (1992, 2000, "RU"),
    ]
    assert mapper().spans("usa", 1900, 2000) == [(1900, 2000, "US")]


def test_states_without_an_iso_code_map_to_user_assigned_codes() -> None:
    m = mapper()
    assert [m.country(c, y) for c, y in (("svietnam", 1960), ("austriahungary", 1900))] == [
        "XV",
        "XA",
    ]
    assert m.country("kosovo", 2010) == "XK"
    assert m.country("nope", 1960) is None
    assert "Republic of Vietnam" in m.describe("svietnam")
    assert "not in the COW state list" in m.describe("nope")
