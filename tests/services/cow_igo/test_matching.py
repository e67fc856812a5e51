from app.services.cow_igo.dataset import Igo
from app.services.cow_igo.matching import Candidate, How, Matcher
from app.services.search_text import fold
from tests.services.cow_igo.helpers import igo


def candidate(id_: str, slug: str, acronym: str, *names: str) -> Candidate:
    return Candidate(id_, slug, frozenset({fold(acronym)}), frozenset(fold(n) for n in names))


CANDIDATES = [
    candidate("org_a", "tst", "TST", "Test Organization"),
    candidate("org_b", "tst-2", "TST", "Tin Study Team"),
    candidate("org_c", "other", "OTH", "Other Body", "Test Organisation for Others"),
]


def named(ioname: str, orgname: str, longorgname: str = "") -> Igo:
    made = igo({})
    made.ioname, made.orgname, made.longorgname = ioname, orgname, longorgname
    return made


def test_the_recorded_identifier_wins() -> None:
    matcher = Matcher(CANDIDATES, {"9999": "org_c"}, {})
    assert matcher.match(igo({})).how == How.identifier
    assert matcher.match(igo({})).organization_id == "org_c"


def test_the_curated_table_decides_before_names() -> None:
    assert Matcher(CANDIDATES, {}, {"9999": "other"}).match(igo({})).organization_id == "org_c"
    assert Matcher(CANDIDATES, {}, {"9999": None}).match(igo({})).how == How.new
    unknown = Matcher(CANDIDATES, {}, {"9999": "gone"}).match(igo({}))
    assert unknown.how == How.ambiguous


def test_acronym_and_name_agreeing_on_one_organization_is_a_match() -> None:
    found = Matcher(CANDIDATES, {}, {}).match(named("TST", "Test Organization"))
    assert (found.how, found.slug) == (How.acronym_and_name, "tst")


def test_a_former_name_in_longorgname_counts() -> None:
    made = named("XYZ", "Xyz Body", "Other Body/Xyz Body (XYZ)")
    found = Matcher(CANDIDATES, {}, {}).match(made)
    assert (found.how, found.slug) == (How.name, "other")


def test_an_acronym_alone_is_never_merged() -> None:
    found = Matcher(CANDIDATES, {}, {}).match(named("TST", "Tea Standards Trust"))
    assert found.how == How.ambiguous
    assert found.candidates == ("tst", "tst-2")
    assert found.organization_id is None


def test_nothing_in_common_is_a_new_organization() -> None:
    found = Matcher(CANDIDATES, {}, {}).match(named("QQQ", "Quite Unrelated"))
    assert found.how == How.new
