"""Dated truths: what the registry must answer for a pair on a date, and on which evidence,
asked through the HTTP API of a registry holding the seed and the COW sample.

Each row is a case found by a careful reader (issue 12) or one like it. A status the sources do
not support, on any of these dates, is a bug however fast the answer.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from app.services.cow_igo.importer import import_cow_igo
from tests.api.helpers import walk
from tests.services.cow_igo.helpers import SAMPLE

COW = "src_cow_igo_v3"

# (country, organization, date, status, unknown reason or the source of a dataset's answer)
TRUTHS: list[tuple[str, str, str, str, str | None]] = [
    # A year-precision date is not 1 January; a pending exit is not yet an exit.
    ("US", "unesco", "1984-06-01", "withdrawal_pending", None),
    ("US", "unesco", "1985-06-01", "withdrawn", None),
    ("US", "unfccc", "1992-06-01", "non_member", None),  # ratified in October 1992
    ("US", "unfccc", "1992-10-20", "unknown", "imprecise_date"),  # the day is not given
    ("US", "unfccc", "1993-01-01", "member", None),
    # Ties of unknown start are not carried back to a founding or to the distant past.
    ("US", "itu", "1900-06-01", "unknown", "no_evidence"),
    ("US", "nato", "1949-03-01", "unknown", "no_evidence"),
    ("US", "unrwa", "1900-06-01", "unknown", "no_evidence"),
    ("US", "iccrom", "1965-06-01", "non_member", None),  # joined 1971
    ("US", "iccrom", "1971-06-01", "unknown", "imprecise_date"),
    ("US", "isa", "2015-06-01", "non_member", None),  # joined 2021-11-10
    ("US", "isa", "2022-06-01", "member", None),
    ("US", "irena", "2009-06-01", "non_member", None),  # acceptance deposited 2011-03-04
    ("US", "irena", "2012-06-01", "member", None),
    # Exits completed long ago are completed.
    ("US", "unhrc", "2019-01-01", "withdrawn", None),
    ("US", "unhrc", "2023-06-01", "member", None),
    ("US", "unhrc", "2025-01-15", "non_member", None),  # the 2022-2024 term ended
    ("US", "jcpoa", "2019-01-01", "withdrawn", None),
    ("US", "tpp", "2017-06-01", "withdrawn", None),
    ("US", "inf-treaty", "2020-01-01", "withdrawn", None),
    ("US", "who", "2026-06-01", "withdrawn", None),
    ("US", "paris-agreement", "2020-12-01", "withdrawn", None),
    ("US", "paris-agreement", "2022-01-01", "member", None),
    # A donor or a participant is not a member.
    ("US", "unrwa", "2019-01-01", "suspended", None),
    ("US", "unrwa", "2022-01-01", "donor", None),
    ("US", "gcf", "2017-01-01", "donor", None),
    ("US", "24-7-cfe", "2024-06-01", "participant", None),
    ("US", "international-idea", "2023-06-01", "observer", None),
    # Curated events win where they say something; COW fills what they leave unknown.
    ("US", "unesco", "1900-06-01", "non_member", COW),  # UNESCO did not exist yet
    ("US", "unesco", "1975-06-01", "member", COW),
    ("US", "unesco", "2013-06-01", "suspended", None),  # COW codes 0: a listed conflict
    ("US", "unesco", "2026-06-01", "withdrawal_pending", None),
    ("US", "unesco", "2027-01-01", "withdrawn", None),
    # COW's coverage ends in 2014; a state that ceased to exist has no tie after its end.
    ("FR", "upu", "1975-06-01", "member", COW),
    ("FR", "upu", "2020-06-01", "unknown", "past_coverage"),
    ("SUHH", "unesco", "1975-06-01", "member", COW),
    ("SUHH", "unesco", "1993-06-01", "non_member", COW),
    # A list's date of admission is a join, unless the state had been in and out before: then
    # it is a return, and the years before it are the dataset's (the UK left UNESCO in 1985).
    ("FR", "unesco", "1975-06-01", "member", None),
    ("GB", "unesco", "1975-06-01", "member", COW),
    ("GB", "unesco", "1990-06-01", "non_member", COW),
    ("GB", "unesco", "2000-06-01", "member", None),
    # A listing holds until an event ends it; exits of any state since 2015.
    ("FR", "unesco", "2027-01-01", "member", None),
    ("IL", "unesco", "2020-06-01", "withdrawn", None),
    ("NI", "unesco", "2026-06-01", "withdrawal_pending", None),
    ("NI", "unesco", "2027-01-01", "withdrawn", None),
    ("DE", "who", "2026-06-01", "member", None),
    ("AR", "who", "2026-06-01", "withdrawn", None),
    ("PR", "who", "2026-06-01", "associate", None),
    ("NI", "ilo", "2026-06-01", "withdrawal_pending", None),
    ("EE", "apmbc", "2026-06-01", "withdrawn", None),
    ("QA", "opec", "2020-06-01", "withdrawn", None),
    # UN admissions to the day; a day the sources dispute is not given; an observer with no date.
    ("SS", "un", "2011-07-13", "non_member", None),
    ("SS", "un", "2011-07-14", "member", None),
    ("TH", "un", "1946-12-10", "unknown", "imprecise_date"),
    ("TH", "un", "1947-01-01", "member", None),
    ("VA", "un", "2026-06-01", "observer", None),
    ("PS", "un", "2026-06-01", "unknown", "no_evidence"),
]


@pytest.fixture(scope="module")
async def history(committed_db: str) -> str:
    await import_cow_igo(committed_db, SAMPLE, dry_run=False, actor="truths", reason=None)
    return committed_db


async def answer(client: httpx.AsyncClient, country: str, slug: str, day: str) -> dict[str, Any]:
    items = await walk(client, f"/v1/countries/{country}/memberships", as_of=day, page_size=100)
    (item,) = [i for i in items if i["organization"]["slug"] == slug]
    return item


@pytest.mark.parametrize(("country", "slug", "day", "status", "why"), TRUTHS)
async def test_the_registry_answers_what_its_sources_say(
    history: str,
    committed_api: tuple[httpx.AsyncClient, dict[str, str]],
    country: str,
    slug: str,
    day: str,
    status: str,
    why: str | None,
) -> None:
    client, _ = committed_api
    item = await answer(client, country, slug, day)
    assert item["status"] == status, (country, slug, day, item["period"])
    period = item["period"]
    if status == "unknown":
        assert period["unknown_reason"] == why
        return
    assert period["unknown_reason"] is None
    if why == COW:
        assert period["source"] == COW
        if item["evidence"]:
            assert {s["id"] for s in item["evidence"]["sources"]} == {COW}
    else:
        assert period["source"] is None  # the curated events say it
        if status != "non_member":
            assert item["evidence"] and item["evidence"]["sources"], (slug, day)


async def test_an_unknown_answer_says_what_is_known_on_either_side(
    history: str, committed_api: tuple[httpx.AsyncClient, dict[str, str]]
) -> None:
    client, _ = committed_api
    after_cow = await answer(client, "FR", "upu", "2020-06-01")
    assert after_cow["last_known"]["status"] == "member"
    assert after_cow["last_known"]["source"] == COW
    assert after_cow["last_known"]["valid_to"] == "2014-07-02"  # the day after the last reading
    assert after_cow["next_known"] is None
    inside_a_year = await answer(client, "US", "iccrom", "1971-06-01")
    assert inside_a_year["last_known"]["status"] == "non_member"
    assert inside_a_year["next_known"]["status"] == "member"
    assert inside_a_year["next_known"]["evidence"]["date_precision"] == "year"


async def test_status_member_means_members(
    history: str, committed_api: tuple[httpx.AsyncClient, dict[str, str]]
) -> None:
    client, _ = committed_api
    members = await walk(
        client,
        "/v1/organizations",
        member="US",
        status="member",
        as_of="2024-06-01",
        page_size=100,
    )
    slugs = {i["slug"] for i in members}
    assert "irena" in slugs
    assert not {"gcf", "unrwa", "24-7-cfe", "international-idea"} & slugs
    donors = await walk(
        client,
        "/v1/organizations",
        member="US",
        status="donor",
        as_of="2024-06-01",
        page_size=100,
    )
    assert "gcf" in {i["slug"] for i in donors}
