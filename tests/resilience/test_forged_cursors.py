"""Cursors are opaque, but a client can send anything as one: whatever it decodes to, the
answer is a page or a 400 problem (410 for a change-feed position older than the feed keeps),
never a 500 (NUL bytes, lone surrogates and integers beyond
64 bits once reached SQL)."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

LISTS: list[tuple[str, dict[str, str], str]] = [
    ("/v1/organizations", {"sort": "name"}, "name"),
    ("/v1/organizations", {"q": "health"}, "relevance"),
    ("/v1/organizations/who/memberships", {}, "country"),
    ("/v1/organizations/who/revisions", {}, "id"),
    ("/v1/countries", {}, "code"),
    ("/v1/countries/US/memberships", {}, "organization"),
    ("/v1/countries/US/changes", {"from": "1990-01-01", "to": "2026-12-31"}, "date"),
    ("/v1/categories", {}, "tree"),
    ("/v1/sources", {}, "id"),
    ("/v1/conflicts", {}, "id"),
    ("/v1/changes", {}, "change"),
]

NASTY_TEXT = st.sampled_from(["\x00", "a\x00b", "\ud800", "x\udfff", "", "'; --", "\u202e"])
VALUES = st.one_of(
    st.text(max_size=20),
    NASTY_TEXT,
    st.integers(min_value=-(2**80), max_value=2**80),
    st.sampled_from([2**63, -(2**63) - 1, 2**64]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@st.composite
def forged(draw: st.DrawFn) -> tuple[str, dict[str, str], str]:
    path, params, order = draw(st.sampled_from(LISTS))
    payload: Any = {
        "o": draw(st.one_of(st.just(order), st.text(max_size=5), VALUES)),
        "k": draw(st.one_of(st.lists(VALUES, min_size=1, max_size=3), VALUES)),
    }
    if draw(st.booleans()):
        payload = draw(st.one_of(VALUES, st.just(payload)))
    raw = json.dumps(payload, allow_nan=True).encode()
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return path, params, cursor


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=forged())
def test_a_forged_cursor_gets_a_page_or_a_400(
    live_server: str, case: tuple[str, dict[str, str], str]
) -> None:
    path, params, cursor = case
    response = httpx.get(f"{live_server}{path}", params={**params, "cursor": cursor}, timeout=30)
    assert response.status_code in (200, 400, 410), (path, cursor, response.text)
    if response.status_code == 410:  # a well-formed change-feed cursor older than the feed keeps
        assert path == "/v1/changes" and "cursor-expired" in response.json()["type"]
    if response.status_code == 400:
        assert response.headers["content-type"] == "application/problem+json"
        assert any(e.get("name") == "cursor" for e in response.json().get("errors", [])) or (
            "cursor" in response.json()["detail"]
        )
