"""Turn the reviewed research of 2026-12-01 (seed/reference/research_2026_12_01*/) into the
frozen files migration 0020 applies:
    .venv/bin/python seed/tools/build_research_2026_12_01.py

- seed/member_lists_2026_12_01.csv: published member lists, each one source read as of a date
  (or of no date the page states: `unknown`);
- seed/member_list_entries_2026_12_01.csv: the states each list names (a `listed` event each);
- seed/membership_starts_2026_12_01.csv: when a state's tie began, where a page dates it;
- seed/organizations_2026_12_01_b.csv: the organizations these need, one sourced fact a row;
- seed/exits_2026_12_01_b.csv: other states' exits in those organizations (the layout of
  seed/exits_2026_12_01.csv).

What this script decides is in the tables below (which list is used for what, how far it is
trusted), so that a reviewer reads the choices in one place. Two rules are applied to the data:
- A date a list gives for a state is a `joined` event, unless the Correlates of War data shows
  the state in the organization earlier with a gap after (it left and came back): then the date
  is a re-admission, `rejoined`, which says nothing about the years before it.
- Where two lists give different days for the same start, the better-ranked list's date is
  kept, backed `disputed`, with both values in the note.
Pairs whose start the curated seed already records (the United States' histories) get no start
event from here; their listings are kept.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(SEED.parent))

from app.services.cow_igo.dataset import read_igos  # noqa: E402
from app.services.cow_igo.states import StateMapper  # noqa: E402

ROUND_1 = SEED / "reference" / "research_2026_12_01"
ROUND_2 = SEED / "reference" / "research_2026_12_01b"
COW_FILE = SEED / "cow-igo-v3" / "igo_year_formatv3.csv.gz"
COW_IONUM = {
    "un": "4400",
    "fao": "1840",
    "au": "3761",
    "oif": "270",
    "oas": "3900",
    "opec": "3840",
    "iom": "2250",
    "who": "4550",
    "unesco": "4410",
    "ilo": "2830",
    "imo": "2860",
    "iaea": "2370",
    "eu": "1830",
    "nato": "3700",
    "oecd": "3750",
    "council-of-europe": "1390",
}
STARTS = ("joined", "rejoined", "entered_into_force", "became_associate", "became_observer")


@dataclass(frozen=True)
class ListUse:
    """How one list (a `list_id` of the research files) is used."""

    organization: str
    listing: bool
    """Its states get a `listed` event on the list's date (its own, or `observed`)."""
    start: str | None
    """The event type its dates give (None: its dates are not used)."""
    verification: str
    """How far it backs what it says: `confirmed` only for the organization's own or a
    depositary's text read as published."""
    rank: int = 5
    """Lower wins where two lists date the same start."""
    observed: tuple[str, str] | None = None
    """(date, precision) when the research's page date is not the list's date."""
    note: str = ""


USES: dict[str, ListUse] = {
    # United Nations
    **{
        list_id: ListUse("un", True, "joined", "confirmed", rank=1, note="UN Press Release ORG/1469")
        for list_id in (
            "un_org1469_fr_full",
            "un_org1469_fr_p3",
            "un_org1469_fr_p5",
            "un_org1469_en_p6",
            "un_org1469_ru_p2",
        )
    },
    "un_unis_ga10479_2006": ListUse("un", False, "joined", "confirmed", rank=1),
    "un_github_ethos_countries": ListUse(
        "un",
        True,
        "joined",
        "partial",
        rank=3,
        note="A third-party copy, undated (it names Türkiye: June 2022 or later); its dates "
        "agree with ORG/1469 for 151 of 152 states.",
    ),
    "un_research_observers": ListUse("un", True, "became_observer", "confirmed", rank=1),
    # World Health Organization
    "who_wha74_13_scale_2022_2023": ListUse(
        "who",
        True,
        None,
        "partial",
        note="Resolution WHA74.13 (scale of assessments 2022-2023), read as a CSV extracted "
        "from the resolution's PDF by a third party.",
    ),
    "who_bgbl_1974_satzung": ListUse("who", False, "joined", "confirmed", rank=1),
    "who_ris_at_kundmachung_1951": ListUse("who", False, "joined", "confirmed", rank=1),
    "who_unts_1960_annexA_acceptances": ListUse("who", False, "joined", "confirmed", rank=1),
    "who_wha22_6_mauritius": ListUse("who", False, "joined", "partial", rank=2),
    "who_un_news_south_sudan_2011": ListUse("who", False, "joined", "confirmed", rank=2),
    "who_wpro_palau": ListUse("who", False, "joined", "confirmed", rank=2),
    "who_mfai_cook_islands": ListUse("who", False, "joined", "confirmed", rank=2),
    "who_polhn_niue": ListUse("who", False, "joined", "partial", rank=3),
    "who_ampeid_constitution_parties_2020": ListUse(
        "who", False, "entered_into_force", "partial", rank=4
    ),
    "who_pallipedia_associates": ListUse("who", False, "became_associate", "partial", rank=4),
    # UNESCO
    "unesco_listems_2021": ListUse("unesco", False, "joined", "confirmed", rank=1),
    "unesco_wp_copy_almpr_2015": ListUse(
        "unesco",
        True,
        "joined",
        "partial",
        rank=4,
        note="A copy of Wikipedia's list of UNESCO member states as of November 2015.",
    ),
    # International Labour Organization
    "ilo_wikipedia_2025": ListUse(
        "ilo",
        True,
        "joined",
        "partial",
        rank=4,
        note="A copy of Wikipedia's list of ILO member states, as of 2025 (it records the "
        "change of June 2025 for Palestine); its dates are the latest admissions.",
    ),
    # International Maritime Organization
    "imo_cg_memberstates": ListUse(
        "imo",
        True,
        "joined",
        "partial",
        rank=3,
        note="A copy of IMO's Member States page (undated; its latest date is 2018-05-14).",
    ),
    "imo_news_botswana_2021": ListUse("imo", False, "joined", "partial", rank=3),
    "imo_news_kyrgyzstan_2024": ListUse("imo", False, "joined", "partial", rank=3),
    "imo_press_comoros_2001": ListUse("imo", False, "joined", "confirmed", rank=1),
    "imo_press_faroes_2003": ListUse("imo", False, "became_associate", "confirmed", rank=1),
    # International Atomic Energy Agency
    "iaea_wikimili_2024": ListUse(
        "iaea",
        True,
        "joined",
        "partial",
        rank=4,
        note="Part of a copy of Wikipedia's list (as of November 2024): 37 of 180 states.",
    ),
    # UN Framework Convention on Climate Change
    "unfccc_cg_unfccc_int": ListUse(
        "unfccc",
        True,
        "entered_into_force",
        "partial",
        rank=3,
        note="A copy of unfccc.int's status of ratification (undated; 197 parties); its dates "
        "are the Convention's entry into force for each party.",
    ),
    # Round 1 (seed/reference/research_2026_12_01/orgs): lists keyed by their URL
    "https://europa.eu/european-union/about-eu/countries_en?country=ES": ListUse(
        "eu",
        True,
        "joined",
        "confirmed",
        rank=1,
        note="The EU's country list (27 countries, the UK's exit of 2020-01-31 noted; undated).",
    ),
    "http://worldpopulationreview.com./country-rankings/nato-countries": ListUse(
        "nato", True, "joined", "partial", rank=4, observed=("2024-03-01", "month")
    ),
    "https://www.incredives.com/news/finland-formally-joins-nato-at-april-4th%2C-2023": ListUse(
        "nato", False, "joined", "partial", rank=3
    ),
    "https://www.forumfreerussia.org/en/news-en/2024-03-08/sweden-officially-joins-nato": ListUse(
        "nato", False, "joined", "partial", rank=3
    ),
    "https://www.whereig.com/country-groupings/oecd-countries.html": ListUse(
        "oecd", False, "joined", "partial", rank=4
    ),
    "https://www.diplomatie.gouv.fr/en/country-files/colombia/news/article/"
    "oecd-colombia-s-accession-28-apr-2020": ListUse("oecd", False, "joined", "confirmed", rank=1),
    "https://www.oecd.org/en/about/news/press-releases/2021/05/"
    "oecd-welcomes-costa-rica-as-its-38th-member.html": ListUse(
        "oecd", False, "joined", "confirmed", rank=1
    ),
    "https://www2.oecd.org/lithuania/lithuania-accession-to-the-oecd.htm": ListUse(
        "oecd", False, "joined", "confirmed", rank=1
    ),
    "https://oecd.kormany.hu/lettorszag-csatlakozasa": ListUse(
        "oecd", False, "joined", "confirmed", rank=1
    ),
    "https://www.coe.int/en/web/sarajevo/member-states-map": ListUse(
        "council-of-europe",
        True,
        "joined",
        "confirmed",
        rank=2,
        note="The Council of Europe's map of its 46 member states (undated; after 2022-03-16).",
    ),
    "http://www.coe.int/en/web/yerevan/membership": ListUse(
        "council-of-europe", False, "joined", "confirmed", rank=1
    ),
    "https://www.coe.int/fr/web/tbilisi/the-coe/objectives-and-missions": ListUse(
        "council-of-europe", False, "joined", "confirmed", rank=1
    ),
    "https://mfa.gov.rs/en/foreign-policy/serbia-international-organizations/council-europe": (
        ListUse("council-of-europe", False, "joined", "confirmed", rank=1)
    ),
    "https://coe.mfa.gov.ua/en/partnership/2554-cooperation": ListUse(
        "council-of-europe", False, "joined", "confirmed", rank=1
    ),
}
ROUND_1_FILES = {
    "eu": "members_eu.csv",
    "nato": "members_nato.csv",
    "oecd": "members_oecd.csv",
    "council-of-europe": "members_coe.csv",
}
ROUND_1_SOURCES = {
    "eu": ("European Union (europa.eu)", "organization_statement", "EU countries"),
    "nato": ("World Population Review", "reference_work", "NATO Countries 2024"),
    "oecd": ("", "news", ""),
    "council-of-europe": ("Council of Europe (coe.int)", "organization_statement", ""),
}
ROUND_1_PUBLISHERS = {
    "https://www.incredives.com/news/finland-formally-joins-nato-at-april-4th%2C-2023": (
        "incredives.com",
        "news",
    ),
    "https://www.forumfreerussia.org/en/news-en/2024-03-08/sweden-officially-joins-nato": (
        "Free Russia Forum (quoting the US State Department)",
        "news",
    ),
    "https://www.whereig.com/country-groupings/oecd-countries.html": ("whereig.com", "other"),
    "https://www.diplomatie.gouv.fr/en/country-files/colombia/news/article/"
    "oecd-colombia-s-accession-28-apr-2020": (
        "French Ministry for Europe and Foreign Affairs (depositary)",
        "official_text",
    ),
    "https://www.oecd.org/en/about/news/press-releases/2021/05/"
    "oecd-welcomes-costa-rica-as-its-38th-member.html": ("OECD", "organization_statement"),
    "https://www2.oecd.org/lithuania/lithuania-accession-to-the-oecd.htm": (
        "OECD",
        "organization_statement",
    ),
    "https://oecd.kormany.hu/lettorszag-csatlakozasa": (
        "Permanent Delegation of Hungary to the OECD",
        "official_text",
    ),
    "http://www.coe.int/en/web/yerevan/membership": (
        "Council of Europe Office in Yerevan",
        "organization_statement",
    ),
    "https://www.coe.int/fr/web/tbilisi/the-coe/objectives-and-missions": (
        "Council of Europe Office in Georgia",
        "organization_statement",
    ),
    "https://mfa.gov.rs/en/foreign-policy/serbia-international-organizations/council-europe": (
        "Ministry of Foreign Affairs of Serbia",
        "official_text",
    ),
    "https://coe.mfa.gov.ua/en/partnership/2554-cooperation": (
        "Permanent Mission of Ukraine to the Council of Europe",
        "official_text",
    ),
}
CORRECTIONS: dict[tuple[str, str], tuple[str, str, str]] = {
    # (organization, country) -> (date, precision, note): where sources disagree on the day.
    ("un", "TH"): (
        "1946-12-01",
        "month",
        "The day is disputed: 16 December 1946 in UN Press Release ORG/1469 (2006), 15 December "
        "1946 in copies of the UN's current list; the month is agreed.",
    ),
}
STATUS_START = {"associate": "became_associate", "observer": "became_observer"}
CONFIRMING_KINDS = ("organization_statement", "official_text")


@dataclass(frozen=True)
class NewOrganization:
    system: str
    kind: str
    category: str
    facts: dict[str, tuple[str, ...]]
    """Field (name_en, acronym, name_zh, founded) -> the research rows kept, by their URL (or
    its unambiguous beginning)."""


ORG_FACTS = ROUND_2 / "orgs" / "facts.csv"
NEW_ORGANIZATIONS: dict[str, NewOrganization] = {
    "un": NewOrganization(
        "un",
        "intergovernmental_organization",
        "peace-security",
        {
            "name_en": ("https://old.un.by/en/oon/about-us",),
            "acronym": ("https://old.un.by/en/oon/about-us",),
            "founded": (
                "https://ask.un.org/faq/14480",
                "http://www.un.org/chinese/aboutun/uninbrief/chapter1_intro.html",
            ),
            "name_zh": ("http://www.un.org/chinese/aboutun/uninbrief/chapter1_intro.html",),
        },
    ),
    "ilo": NewOrganization(
        "un",
        "specialized_agency",
        "social-gender",
        {
            "name_en": ("https://www.ilo.org/legacy/english/lib/century/index.htm",),
            "acronym": ("https://www.ilo.org/legacy/english/lib/century/index.htm",),
            # The ILO's own pages give the year; the day depends on which 1919 act one counts.
            "founded": (
                "http://www.ilo.org/beijing/information-resources/public-information/"
                "press-releases/WCMS_65",
            ),
            "name_zh": (
                "http://www.ilo.org/beijing/information-resources/public-information/"
                "press-releases/WCMS_65",
            ),
        },
    ),
    "fao": NewOrganization(
        "un",
        "specialized_agency",
        "development",
        {
            "name_en": ("https://www.fao.org/north-america/our-office/our-team/en",),
            "acronym": ("https://www.fao.org/north-america/our-office/our-team/en",),
            "founded": (
                "https://www.fao.org/north-america/our-office/our-team/en",
                "http://www.fao.org/world-food-day/about/zh/",
            ),
            "name_zh": ("http://www.fao.org/world-food-day/about/zh/",),
        },
    ),
    "oecd": NewOrganization(
        "non_un",
        "intergovernmental_organization",
        "economy-development",
        {
            "name_en": ("http://www.oecd.org/about/oecd-convention.htm",),
            "acronym": ("http://www.oecd.org/about/oecd-convention.htm",),
            "founded": (
                "http://www.oecd.org/about/oecd-convention.htm",
                "https://search.oecd.org/fr/juridique/convention-ocde.htm",
            ),
            "name_zh": ("http://www.cnr.cn/china/news/20150701/t20150701_519036386.shtml",),
        },
    ),
    "au": NewOrganization(
        "non_un",
        "intergovernmental_organization",
        "peace-security",
        {
            "name_en": ("https://nasseryouthmovement.net/AUHB2021",),
            "acronym": ("https://nasseryouthmovement.net/AUHB2021",),
            "founded": ("https://nasseryouthmovement.net/AUHB2021",),
            "name_zh": ("https://www.imsilkroad.com/news/p/81906.html",),
        },
    ),
    "oif": NewOrganization(
        "non_un",
        "intergovernmental_organization",
        "culture-dialogue",
        {
            "name_en": (
                "http://www.jeuneafrique.com/emploi-formation/recruteurs/523369/"
                "oif-organisation-internatio",
            ),
            "acronym": (
                "http://www.jeuneafrique.com/emploi-formation/recruteurs/523369/"
                "oif-organisation-internatio",
            ),
            "founded": (
                "http://www.jeuneafrique.com/emploi-formation/recruteurs/523369/"
                "oif-organisation-internatio",
            ),
            "name_zh": ("https://m.bjnews.com.cn/detail/1742298493129751.html",),
        },
    ),
    "oas": NewOrganization(
        "non_un",
        "intergovernmental_organization",
        "peace-security",
        {
            "name_en": ("http://archive.iwlearn.net/oas.org/en/about/who_we_are.html",),
            "acronym": ("http://archive.iwlearn.net/oas.org/en/about/who_we_are.html",),
            "founded": ("http://archive.iwlearn.net/oas.org/en/about/who_we_are.html",),
            "name_zh": ("https://news.ifeng.com/c/8kUqNidOuz4",),
        },
    ),
    "opec": NewOrganization(
        "non_un",
        "intergovernmental_organization",
        "energy",
        {
            "name_en": (
                "http://kids.britannica.com/elementary/article-390821/"
                "Organization-of-the-Petroleum-Exporti",
            ),
            "acronym": (
                "http://kids.britannica.com/elementary/article-390821/"
                "Organization-of-the-Petroleum-Exporti",
            ),
            "founded": (
                "http://www.opec.org/opec_web/flipbook/Children%20Book%202013/"
                "Children%20Book%202013/assets",
            ),
            "name_zh": ("https://obor.nea.gov.cn/v_country/getData.html?id=68&status=2",),
        },
    ),
    "iom": NewOrganization(
        "un",
        "related_organization",
        "humanitarian",
        {
            "name_en": ("http://rosanjose.iom.int/site/en/history",),
            "acronym": ("http://rosanjose.iom.int/site/en/history",),
            "founded": ("http://rosanjose.iom.int/site/en/history", "https://ropretoria.iom.int/fifties"),
            "name_zh": ("http://taiwan.cn/xwzx/gj/201607/t20160702_11497470.htm",),
        },
    ),
    "commonwealth": NewOrganization(
        "non_un",
        "intergovernmental_organization",
        "culture-dialogue",
        {
            "name_en": (
                "http://letpap.com/news/commonwealth-continues-be-beacon-stability-76th-"
                "anniversary-says-se",
            ),
            "founded": (
                "http://letpap.com/news/commonwealth-continues-be-beacon-stability-76th-"
                "anniversary-says-se",
                "http://webarchive.nationalarchives.gov.uk/20121018080314/http:/ukun.fco.gov.uk/"
                "en/uk-at-un",
            ),
            "name_zh": ("https://fx361.cc/page/2018/0521/3546005.shtml",),
        },
    ),
    "apmbc": NewOrganization(
        "non_un",
        "treaty_agreement",
        "peace-security",
        {
            "name_en": ("https://www.apminebanconvention.org/en/resources",),
            "founded": ("https://www.apminebanconvention.org/en/resources",),
            "name_zh": ("https://www.un.org/zh/235957",),
        },
    ),
}
EXITS_FILE = ROUND_1 / "exits" / "events.csv"
EXIT_ORGANIZATIONS = ("oif", "oas", "fao", "ilo", "iom", "commonwealth", "opec", "apmbc")
EXIT_SKIPPED = {
    ("ML", "oif", "suspended", "2021-06"): "a second suspension while suspended changes nothing",
}
EXIT_TYPES = {
    # The quote says the Maldives "withdrew in October, 2016": an effect, not an unnamed end.
    ("MV", "commonwealth", "membership_ended"): "withdrawal_effective",
}
EXIT_DISPUTED = {
    ("VE", "oas", "withdrawal_effective"): "Venezuela's government marked its exit on this day; "
    "the OAS seated a representative of the opposition-led National Assembly from April 2019.",
}
OFFICIAL_DOMAINS = ("gov.uk",)
BASIS = {"member": "member_state", "associate": "member_state", "observer": "observer_state"}


@dataclass
class Row:
    list_id: str
    organization: str
    country: str
    since: str
    precision: str
    status: str
    quote: str


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def single_state_page(entry: dict[str, str]) -> ListUse | None:
    """UNESCO's pages on one state each ("X joined UNESCO on ..."): its own pages outrank the
    list copies, other pages (national commissions, news) do not."""
    if not entry["list_id"].startswith("unesco_page_"):
        return None
    if entry["kind"] in CONFIRMING_KINDS:
        return ListUse("unesco", False, "joined", "confirmed", rank=2)
    return ListUse("unesco", False, "joined", "partial", rank=5)


def lists_and_rows() -> tuple[dict[str, dict[str, str]], list[Row]]:
    lists: dict[str, dict[str, str]] = {}
    rows: list[Row] = []
    for folder in sorted(p for p in ROUND_2.iterdir() if p.is_dir()):
        if not (folder / "lists.csv").exists():
            continue
        for entry in read_csv(folder / "lists.csv"):
            lists[entry["list_id"]] = entry
            use = single_state_page(entry)
            if use is not None:
                USES[entry["list_id"]] = use
        for path in sorted(folder.glob("members_*.csv")):
            for r in read_csv(path):
                use = USES.get(r["list_id"])
                if use is None or not r["country_code"]:
                    continue
                rows.append(
                    Row(
                        r["list_id"],
                        use.organization,
                        r["country_code"],
                        r["member_since"],
                        r["member_since_precision"],
                        r["status_on_page"] or "member",
                        r["quote"],
                    )
                )
    for org, filename in ROUND_1_FILES.items():
        publisher, kind, title = ROUND_1_SOURCES[org]
        for r in read_csv(ROUND_1 / "orgs" / filename):
            url = r["url"]
            if url not in lists:
                own = ROUND_1_PUBLISHERS.get(url, (publisher, kind))
                lists[url] = {
                    "list_id": url,
                    "url": url,
                    "title": title,
                    "publisher": own[0],
                    "kind": own[1],
                    "page_date": "",
                    "page_date_precision": "unknown",
                }
            rows.append(
                Row(
                    url,
                    org,
                    r["country_code"],
                    r["member_since"],
                    r["member_since_precision"],
                    "member",
                    r["quote"],
                )
            )
    return lists, rows


def iso_date(value: str, precision: str) -> str:
    """A research date (YYYY, YYYY-MM or YYYY-MM-DD) as a full ISO date at its precision."""
    parts = value.split("-")
    if precision == "year":
        return f"{parts[0]}-01-01"
    if precision == "month":
        return f"{parts[0]}-{parts[1]}-01"
    dt.date.fromisoformat(value)
    return value


def cow_runs(organizations: Iterable[str]) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """(organization, country) -> its COW years as (year, code), in year order."""
    wanted = {COW_IONUM[o]: o for o in organizations if o in COW_IONUM}
    mapper = StateMapper(_Everything())
    found: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for igo in read_igos(COW_FILE):
        org = wanted.get(igo.ionum)
        if org is None:
            continue
        for column, runs in igo.series.items():
            for run in runs:
                for start, end, country in mapper.spans(column, run.first, run.last):
                    if country:
                        found[(org, country)] += [(y, run.code) for y in range(start, end + 1)]
    return {key: sorted(years) for key, years in found.items()}


class _Everything:
    def __contains__(self, item: object) -> bool:
        return True


def readmitted(years: list[tuple[int, int]], since_year: int) -> bool:
    """COW shows a tie, then no tie, both before `since_year`: the date is a return."""
    tied_before = False
    for year, code in years:
        if year >= since_year:
            break
        if code in (1, 2, 3):
            tied_before = True
        elif code == 0 and tied_before:
            return True
    return False


def curated_starts() -> set[tuple[str, str]]:
    """(organization slug, country) pairs whose start the seed records already."""
    memberships = {r["id"]: (r["organization"], r["country"]) for r in read_csv(SEED / "memberships.csv")}
    found = {
        memberships[e["membership"]]
        for e in read_csv(SEED / "membership_events.csv")
        if e["type"] in (*STARTS, "rejoined")
    }
    found |= {
        (e["organization"], e["country"])
        for e in read_csv(SEED / "exits_2026_12_01.csv")
        if e["type"] in STARTS
    }
    return found


def main() -> None:
    lists, rows = lists_and_rows()
    used = {r.list_id for r in rows}
    unknown = [list_id for list_id in USES if list_id not in used]
    if unknown:
        raise SystemExit(f"lists named in USES with no rows: {unknown}")

    list_out = []
    for list_id in sorted(used):
        use, meta = USES[list_id], lists[list_id]
        if not use.listing:
            continue
        if use.observed:
            observed_on, precision = use.observed
        elif meta["page_date"] and meta["page_date_precision"] in ("day", "month", "year"):
            precision = meta["page_date_precision"]
            observed_on = iso_date(meta["page_date"], precision)
        else:
            observed_on, precision = "", "unknown"
        list_out.append(
            {
                "id": list_id,
                "organization": use.organization,
                "url": meta["url"],
                "title": meta.get("title", ""),
                "publisher": meta["publisher"],
                "kind": meta["kind"],
                "observed_on": observed_on,
                "observed_precision": precision,
                "verification": use.verification,
                "note": use.note,
            }
        )
    entries = sorted(
        {
            (r.list_id, r.country): {
                "list": r.list_id,
                "country": r.country,
                "basis": BASIS[r.status],
                "quote": r.quote,
            }
            for r in rows
            if USES[r.list_id].listing
        }.values(),
        key=lambda e: (e["list"], e["country"]),
    )

    cow = cow_runs({u.organization for u in USES.values()})
    skip = curated_starts()
    candidates: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in rows:
        use = USES[r.list_id]
        if use.start is None or (r.organization, r.country) in skip:
            continue
        if r.since or r.status in STATUS_START:
            candidates[(r.organization, r.country)].append(r)
    starts = []
    for (org, country), found in sorted(candidates.items()):
        found.sort(key=lambda r: (USES[r.list_id].rank, not r.since, r.list_id))
        best = found[0]
        use, meta = USES[best.list_id], lists[best.list_id]
        kind = STATUS_START.get(best.status) or use.start
        assert kind is not None
        verification, note = use.verification, ""
        date, precision = "", "unknown"
        if best.since:
            precision = best.precision or "day"
            date = iso_date(best.since, precision)
            others = {
                (r.since, r.list_id)
                for r in found[1:]
                if r.since
                and r.precision == "day" == precision
                and r.since != best.since
                and USES[r.list_id].start == use.start
            }
            if others:
                verification = "disputed"
                note = "Other sources give " + "; ".join(
                    f"{since} ({lists[list_id]['url']})" for since, list_id in sorted(others)
                )
            if kind == "joined" and readmitted(cow.get((org, country), []), int(date[:4])):
                kind = "rejoined"
                note = (
                    "The Correlates of War data shows this state in the organization before, and "
                    "out of it after: this date is a return. " + note
                ).strip()
        if (org, country) in CORRECTIONS:
            date, precision, note = CORRECTIONS[(org, country)]
            verification = "disputed"
        starts.append(
            {
                "country": country,
                "organization": org,
                "type": kind,
                "date": date,
                "date_precision": precision,
                "url": meta["url"],
                "publisher": meta["publisher"],
                "kind": meta["kind"],
                "verification": verification,
                "quote": best.quote,
                "note": note,
            }
        )

    write(SEED / "organizations_2026_12_01_b.csv", new_organizations())
    write(SEED / "exits_2026_12_01_b.csv", other_exits())
    write(SEED / "member_lists_2026_12_01.csv", list_out)
    write(SEED / "member_list_entries_2026_12_01.csv", entries)
    write(SEED / "membership_starts_2026_12_01.csv", starts)
    print(f"{len(list_out)} lists, {len(entries)} listed states, {len(starts)} start events")


def new_organizations() -> list[dict[str, str]]:
    facts = read_csv(ORG_FACTS)
    out = []
    for slug, org in NEW_ORGANIZATIONS.items():
        for field, urls in org.facts.items():
            for url in urls:
                (fact,) = [
                    f
                    for f in facts
                    if f["organization"] == slug and f["field"] == field and f["url"].startswith(url)
                ]
                out.append(
                    {
                        "slug": slug,
                        "system": org.system,
                        "kind": org.kind,
                        "category": org.category,
                        "cow_ionum": COW_IONUM.get(slug, ""),
                        "field": field,
                        "value": fact["value"],
                        "precision": fact["precision"],
                        "url": fact["url"],
                        "publisher": fact["publisher"],
                        "source_kind": fact["kind"],
                        "verification": "confirmed"
                        if fact["kind"] in CONFIRMING_KINDS
                        else "partial",
                        "quote": fact["quote"],
                    }
                )
    return out


def other_exits() -> list[dict[str, str]]:
    out = []
    for row in read_csv(EXITS_FILE):
        org, country = row["organization"], row["country_code"]
        if org not in EXIT_ORGANIZATIONS:
            continue
        if (country, org, row["event"], row["date"]) in EXIT_SKIPPED:
            continue
        domain = row["url"].split("/")[2].removeprefix("www.")
        kind = "official_text" if domain.endswith(OFFICIAL_DOMAINS) else "news"
        key = (country, org, row["event"])
        out.append(
            {
                "country": country,
                "organization": org,
                "type": EXIT_TYPES.get(key, row["event"]),
                "date": iso_date(row["date"], row["date_precision"]),
                "date_precision": row["date_precision"],
                "url": row["url"],
                "publisher": domain,
                "kind": kind,
                "verification": "disputed"
                if key in EXIT_DISPUTED
                else ("confirmed" if kind in CONFIRMING_KINDS else "partial"),
                "quote": row["quote"],
                "note": " ".join(n for n in (EXIT_DISPUTED.get(key, ""), row["note"]) if n),
            }
        )
    return out


def write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
