"""`known_at`: a read of what the registry held at a past moment equals the read made then.

Moments are transaction starts, so every write here really commits (a database of this module's
own, served over HTTP): inside one test transaction every change would share one moment.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.helpers import assert_problem
from tests.live import serving

COUNTRIES = ("AQ", "BV", "HM", "GS", "FK")  # no member list names them
ORGANIZATIONS = ("imo", "iucn", "irena")


@dataclass
class Api:
    http: httpx.Client
    auth: dict[str, str]
    memberships: dict[tuple[str, str], str] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)

    def write(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.auth, **kwargs.pop("headers", {})}
        response = self.http.request(method, path, headers=headers, **kwargs)
        assert response.status_code < 500, response.text
        return response

    def source(self) -> str:
        if not self.sources:
            created = self.write("POST", "/v1/sources", json={"publisher": "T", "kind": "news"})
            self.sources.append(created.json()["id"])
        return self.sources[-1]


@pytest.fixture(scope="module")
def api(committed_db: str) -> Iterator[Api]:
    command = [str(Path(sys.executable).parent / "orgreg"), "keys", "create"]
    secret = subprocess.run(
        [*command, "--name", "known-at", "--scope", "admin"],
        env={**os.environ, "DATABASE_URL": committed_db},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    with serving(committed_db) as url, httpx.Client(base_url=url, timeout=30) as http:
        yield Api(http, {"Authorization": f"Bearer {secret}"})


# One step of a curator's day: each takes the API and what hypothesis drew.
def patch_headquarters(api: Api, organization: str, text: str) -> None:
    etag = api.http.get(f"/v1/organizations/{organization}").headers["etag"]
    api.write(
        "PATCH",
        f"/v1/organizations/{organization}",
        json={"headquarters": text or None},
        headers={"If-Match": etag},
    )


def add_member(api: Api, country: str, organization: str) -> None:
    created = api.write(
        "POST",
        "/v1/memberships",
        json={"country": country, "organization": organization, "basis": "member_state"},
    )
    if created.status_code == 201:
        api.memberships[(country, organization)] = created.json()["id"]


def add_event(api: Api, country: str, organization: str, kind: str, year: int) -> None:
    if (country, organization) not in api.memberships:
        add_member(api, country, organization)
    membership = api.memberships.get((country, organization))
    if membership is not None:  # a 409 says the life cycle refused it: also an answer
        api.write(
            "POST",
            f"/v1/memberships/{membership}/events",
            json={"type": kind, "date": str(year), "sources": [api.source()]},
            headers={"X-Change-Reason": f"{kind} {year}"},
        )


def add_contribution(api: Api, country: str, organization: str, share: float) -> None:
    api.write(
        "POST",
        "/v1/contributions",
        json={
            "country": country,
            "organization": organization,
            "kind": "assessed",
            "share": round(share, 4),
            "sources": [api.source()],
        },
    )


STEPS = st.one_of(
    st.tuples(
        st.just(patch_headquarters),
        st.sampled_from(ORGANIZATIONS),
        st.text(alphabet="abcxyz ", max_size=8),
    ),
    st.tuples(st.just(add_member), st.sampled_from(COUNTRIES), st.sampled_from(ORGANIZATIONS)),
    st.tuples(
        st.just(add_event),
        st.sampled_from(COUNTRIES),
        st.sampled_from(ORGANIZATIONS),
        st.sampled_from(["joined", "withdrawal_notified", "withdrawal_effective"]),
        st.integers(min_value=1990, max_value=2025),
    ),
    st.tuples(
        st.just(add_contribution),
        st.sampled_from(COUNTRIES),
        st.sampled_from(ORGANIZATIONS),
        st.floats(min_value=0, max_value=1),
    ),
)


def reads(api: Api) -> list[str]:
    """What a client would read: many different keys, each kind of read `known_at` serves."""
    countries = ",".join(ORGANIZATIONS)
    paths = [f"/v1/organizations/{slug}" for slug in ORGANIZATIONS]
    paths += [f"/v1/organizations/{slug}/revisions" for slug in ORGANIZATIONS]
    paths += [f"/v1/countries/{code}/memberships?as_of=2020-01-01" for code in COUNTRIES]
    paths += [f"/v1/countries/{code}/timeline" for code in COUNTRIES]
    paths += [f"/v1/memberships/{mid}" for mid in sorted(api.memberships.values())]
    paths += [
        f"/v1/organizations?member={COUNTRIES[0]}&status=member&as_of=2025-12-31",
        f"/v1/stats/organizations?organization={countries}&as_of=2020-01-01",
        f"/v1/contributions?country={COUNTRIES[0]}",
        "/v1/export/contributions?format=csv",
        "/v1/export/status?organization=irena&as_of=2020-01-01",
        "/v1/meta",
    ]
    return paths


def answer(api: Api, path: str, known_at: dt.datetime | None = None) -> tuple[Any, ...]:
    params = {"known_at": known_at.isoformat()} if known_at else {}
    response = api.http.get(path, params=params)
    assert response.status_code == 200, (path, response.text)
    body: Any = response.text
    if path == "/v1/meta":
        body = {k: v for k, v in response.json().items() if k != "known_at"}
    return response.headers.get("x-data-version"), body


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(STEPS, min_size=1, max_size=4))
def test_a_read_at_known_at_t_equals_the_read_made_at_t(api: Api, steps: list[Any]) -> None:
    seen: list[tuple[dt.datetime, dict[str, tuple[Any, ...]]]] = []
    for step, *args in steps:
        step(api, *args)
        answers = {path: answer(api, path) for path in reads(api)}
        seen.append((dt.datetime.now(dt.UTC), answers))  # every write so far committed before
    for moment, answers in seen:
        for path, expected in answers.items():
            assert answer(api, path, known_at=moment) == expected, (path, moment)


def test_a_membership_history_says_what_was_answered_when_and_why(api: Api) -> None:
    add_member(api, "HM", "imo")
    membership = api.memberships[("HM", "imo")]
    before_event = dt.datetime.now(dt.UTC)
    api.write(
        "POST",
        f"/v1/memberships/{membership}/events",
        json={"type": "joined", "date": "1961-03-02", "sources": [api.source()]},
        headers={"X-Change-Reason": "found the accession date"},
    )
    history = api.http.get(f"/v1/memberships/{membership}/history").json()
    versions = history["versions"]
    assert versions[-1]["known_until"] is None
    for earlier, later in itertools.pairwise(versions):
        assert earlier["known_until"] == later["known_from"]
        assert earlier["membership"] != later["membership"]
    latest = versions[-1]
    assert latest["membership"] == api.http.get(f"/v1/memberships/{membership}").json()
    assert "1961-03-02" in [e["date"] for e in latest["membership"]["events"]]
    assert [r["reason"] for r in latest["revisions"]] == ["found the accession date"]
    assert {r["actor"] for r in latest["revisions"]} == {"known-at"}
    assert dt.datetime.fromisoformat(latest["known_from"]) > before_event
    for version in versions:
        then = api.http.get(
            f"/v1/memberships/{membership}", params={"known_at": version["known_from"]}
        )
        if version["membership"] is None:
            assert_problem(then, 404)
        else:
            assert then.json() == version["membership"]
            assert then.headers["x-data-version"] == str(version["data_version"])


def test_known_at_must_be_a_moment_the_registry_kept(api: Api) -> None:
    began = dt.datetime.fromisoformat(api.http.get("/v1/meta").json()["history_began_at"])
    cases = {
        "2026-01-08": "UTC offset",
        "2026-01-08T12:00:00": "UTC offset",
        "yesterday": "UTC offset",
        (began - dt.timedelta(seconds=1)).isoformat(): "keeps what it held since",
        (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat(): "future",
    }
    for value, says in cases.items():
        problem = assert_problem(
            api.http.get("/v1/organizations/who", params={"known_at": value}), 400, "known_at"
        )
        assert says in problem["detail"], value
    at_start = api.http.get("/v1/organizations/who", params={"known_at": began.isoformat()})
    assert at_start.status_code == 200


def test_known_at_is_refused_on_writes_and_reads_that_do_not_take_it(api: Api) -> None:
    now = dt.datetime.now(dt.UTC).isoformat()
    write = api.write(
        "POST", "/v1/sources", params={"known_at": now}, json={"publisher": "X", "kind": "news"}
    )
    assert_problem(write, 400, "known_at")
    assert_problem(api.http.get("/v1/keys", params={"known_at": now}, headers=api.auth), 400)


def test_history_begins_with_a_revision_one_can_read_at_that_moment(api: Api) -> None:
    """Loads after the migrations (the COW import) come after it: "before the import" is a
    moment the registry can answer for."""
    began = api.http.get("/v1/meta").json()["history_began_at"]
    changes = api.http.get("/v1/changes", params={"known_at": began, "page_size": 500}).json()
    started = [c for c in changes["items"] if c["action"] == "history_started"]
    assert len(started) == 1
    assert started[0]["occurred_at"] == began


def test_the_unfccc_exit_on_2026_01_08_before_and_after_a_later_correction(api: Api) -> None:
    """The registry's answer to "the US status in the UNFCCC on 2026-01-08" as read before a
    curator recorded the effective date a later report gave, and as it stands after."""
    asked = {"as_of": "2026-01-08", "status": "withdrawal_pending", "page_size": "200"}

    def unfccc(**known_at: str) -> dict[str, Any]:
        page = api.http.get("/v1/countries/US/memberships", params={**asked, **known_at})
        assert page.status_code == 200, page.text
        return next(m for m in page.json()["items"] if m["organization"]["slug"] == "unfccc")

    before = unfccc()
    seen = dt.datetime.now(dt.UTC).isoformat()
    report = api.write(
        "POST",
        "/v1/sources",
        json={"publisher": "A later report", "kind": "news", "published_on": "2026-03-06"},
    ).json()["id"]
    effective = api.write(
        "POST",
        f"/v1/memberships/{before['id']}/events",
        json={"type": "withdrawal_effective", "date": "2027-02-27", "sources": [report]},
        headers={"X-Change-Reason": "effective date reported"},
    )
    assert effective.status_code == 201, effective.text

    after = unfccc()
    assert before["status"] == after["status"] == "withdrawal_pending"
    assert before["period"]["valid_to"] is None
    assert after["period"]["valid_to"] == "2027-02-27"
    assert unfccc(known_at=seen) == before
    history = api.http.get(f"/v1/memberships/{before['id']}/history").json()["versions"]
    assert [r["reason"] for r in history[-1]["revisions"]] == ["effective date reported"]
    assert dt.datetime.fromisoformat(history[-2]["known_until"]) > dt.datetime.fromisoformat(seen)


async def test_a_read_of_the_past_leaves_the_session_reading_the_present(
    client: httpx.AsyncClient, auth: dict[str, dict[str, str]]
) -> None:
    """In one connection (a test's transaction), a read with `known_at` restores what it set:
    the next read, and a write, see the present."""
    moment = (await client.get("/v1/meta")).json()["history_began_at"]
    past = await client.get("/v1/organizations/iucn", params={"known_at": moment})
    assert past.status_code == 200
    etag = past.headers["etag"]
    patched = await client.patch(
        "/v1/organizations/iucn",
        json={"headquarters": "Somewhere new"},
        headers={**auth["write"], "If-Match": etag},
    )
    assert patched.status_code == 200, patched.text
    assert (await client.get("/v1/organizations/iucn")).json()["headquarters"] == "Somewhere new"
    again = await client.get("/v1/organizations/iucn", params={"known_at": moment})
    assert again.json() == past.json()
    assert (
        await client.head("/v1/organizations/iucn", params={"known_at": moment})
    ).status_code == 200
