"""Query parameters shared by several routers, and the guard against unknown ones."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, TypeVar

from fastapi import Depends, Query
from pydantic import AwareDatetime, BeforeValidator

from app.clock import today
from app.errors import InvalidParameter
from app.vocabulary import Lang, System

E = TypeVar("E", bound=StrEnum)


def _iso_date(value: object) -> object:
    """Dates in query strings are YYYY-MM-DD only (pydantic would also take `0` as 1970-01-01)."""
    if isinstance(value, str) and not _ISO_DATE.match(value):
        raise ValueError("use a date written YYYY-MM-DD")
    return value


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]

AsOf = Annotated[
    IsoDate | None,
    Query(
        description="The state of the world on this date (YYYY-MM-DD); default today (UTC).",
        examples=["2026-01-06"],
    ),
]
StatusList = Annotated[
    str | None,
    Query(
        description="Comma-separated statuses: member, associate, observer, participant, "
        "donor, suspended, withdrawal_pending, withdrawn, non_member, unknown. `member` means "
        "members: participants and donors have their own statuses.",
        max_length=200,
        examples=["member,withdrawal_pending"],
    ),
]
LangParam = Annotated[
    Lang, Query(description="Language of the words shown: `en`, or `zh` (simplified Chinese).")
]
SystemFilter = Annotated[
    System | None,
    Query(description="`un` (the United Nations system) or `non_un`.", examples=["un"]),
]
CategorySlug = Annotated[
    str | None,
    Query(description="Category slug; includes the categories below it.", max_length=100),
]


def as_of_or_today(as_of: dt.date | None) -> dt.date:
    return as_of or today()


def parse_enum_list(name: str, raw: str | None, vocabulary: type[E]) -> list[E]:
    values = parse_list(name, raw, allowed=tuple(member.value for member in vocabulary))
    return [vocabulary(value) for value in values]


def parse_list(
    name: str, raw: str | None, *, allowed: tuple[str, ...] | None = None, max_items: int = 50
) -> list[str]:
    """A comma-separated parameter as a list without blanks or duplicates."""
    if raw is None:
        return []
    values = list(dict.fromkeys(part.strip() for part in raw.split(",") if part.strip()))
    if not values:
        raise InvalidParameter(name, "Give at least one value.")
    if len(values) > max_items:
        raise InvalidParameter(name, f"At most {max_items} values, got {len(values)}.")
    unknown = [v for v in values if allowed is not None and v not in allowed]
    if unknown:
        choices = ", ".join(allowed or ())
        raise InvalidParameter(
            name, f"Unknown value(s) {', '.join(map(repr, unknown))}; allowed: {choices}."
        )
    return values


KnownAt = Annotated[
    AwareDatetime | None,
    Query(
        description="What the registry held at this moment (ISO 8601 with a UTC offset), not "
        "now: events, periods, claims and sources as they stood, with that moment's data "
        "version. Since history began (`history_began_at` in /v1/meta); not in the future.",
        examples=["2026-12-02T09:30:00Z"],
    ),
]


def known_at_parameter(known_at: KnownAt = None) -> None:
    """Declares `known_at` on a read (for its documentation and the unknown-parameter check):
    app.db.get_request_session is what reads it, before the route's first statement."""


KNOWN_AT = Depends(known_at_parameter)
