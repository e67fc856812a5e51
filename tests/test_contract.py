"""docs/api-v1.md is the contract: every path, query parameter and vocabulary value it names
exists in the OpenAPI document, and every one the OpenAPI document has is named there."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from app.main import create_app

CONTRACT = Path(__file__).resolve().parents[1] / "docs" / "api-v1.md"
ROW = re.compile(r"^\| `(GET|POST|PATCH|DELETE) (/[^`]*)` \|([^|]*)\|")
ON_EVERY_LIST = {"page_size", "cursor"}


def _shape(path: str) -> str:
    """Path parameters are named differently in prose and in code: compare the shapes."""
    return re.sub(r"\{[^}]+\}", "{}", path)


def _ticked(text: str) -> set[str]:
    return set(re.findall(r"`([a-z_]+)`", text))


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return create_app().openapi()


@pytest.fixture(scope="module")
def contract() -> str:
    return CONTRACT.read_text(encoding="utf-8")


def contract_operations(contract: str) -> dict[tuple[str, str], set[str]]:
    found: dict[tuple[str, str], set[str]] = {}
    for line in contract.splitlines():
        match = ROW.match(line)
        if match:
            method, path, params = match.groups()
            found[(method, _shape(path))] = _ticked(params)
    return found


def openapi_operations(spec: dict[str, Any]) -> dict[tuple[str, str], set[str]]:
    return {
        (method.upper(), _shape(path)): {
            p["name"] for p in operation.get("parameters", []) if p["in"] == "query"
        }
        - ON_EVERY_LIST
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if method != "head"
    }


def test_every_operation_is_in_the_contract_and_the_reverse(
    spec: dict[str, Any], contract: str
) -> None:
    documented, served = contract_operations(contract), openapi_operations(spec)
    assert len(documented) > 40
    assert set(documented) - set(served) == set(), "in the contract, not served"
    assert set(served) - set(documented) == set(), "served, not in the contract"


def test_every_query_parameter_is_in_the_contract_and_the_reverse(
    spec: dict[str, Any], contract: str
) -> None:
    documented, served = contract_operations(contract), openapi_operations(spec)
    differences = {
        op: (documented[op], served[op]) for op in served if documented[op] != served[op]
    }
    assert differences == {}


@pytest.mark.parametrize(
    ("schema", "section_start", "section_end"),
    [
        ("MembershipStatus", "| status | meaning |", "`status=member` means members"),
        ("UnknownReason", "### What the registry says", "When the status on `as_of`"),
        ("EventType", "The types:", "Status periods are derived"),
        ("MembershipBasis", "Every membership also has a `basis`", 'A "withdrawal" ends'),
        ("DatePrecision", "Each has a `date`, a `date_precision`", "a type, a note"),
    ],
)
def test_every_vocabulary_value_is_in_the_contract_and_the_reverse(
    spec: dict[str, Any], contract: str, schema: str, section_start: str, section_end: str
) -> None:
    start = contract.index(section_start)
    section = contract[start : contract.index(section_end, start)]
    values = set(spec["components"]["schemas"][schema]["enum"])
    named = _ticked(section)
    assert values <= named, f"{schema} values missing from the contract: {values - named}"
    strays = {v for v in named - values if v.islower() and "_" in v and v not in IGNORED[schema]}
    assert strays == set(), f"the contract names {schema} values the API does not have"


IGNORED: dict[str, set[str]] = {
    "MembershipStatus": {"unknown_reason", "last_known", "next_known"},
    "UnknownReason": {"unknown_reason", "date_earliest", "date_latest", "non_member"},
    "EventType": set(),
    "MembershipBasis": set(),
    "DatePrecision": {"date_precision"},
}
"""Field names the sections mention beside their values."""
