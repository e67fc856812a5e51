"""Representations other than JSON: the iCalendar feed of upcoming changes."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from app.schemas.timelines import StatusChange, Upcoming
from app.vocabulary import DatePrecision

ICAL_MEDIA_TYPE = "text/calendar"


def _summary(change: StatusChange) -> str:
    what = {
        "withdrawn": "withdrawal takes effect",
        "member": "membership takes effect",
        "suspended": "suspension takes effect",
        "withdrawal_pending": "withdrawal becomes pending",
    }.get(change.to_status.value, f"status becomes {change.to_status.value}")
    name = change.organization.acronym or change.organization.name
    return f"{change.country.name_en}: {name} {what}"


def _description(change: StatusChange) -> str:
    lines = [f"{change.from_status.value} -> {change.to_status.value}"]
    for event in change.events:
        lines.append(f"{event.type.value}: {event.note or ''}".strip())
        lines.extend(f"Source: {s.url or s.title or s.publisher}" for s in event.sources)
    return "\n".join(lines)


def upcoming_calendar(upcoming: Upcoming, *, generated_at: dt.datetime) -> bytes:
    """Changes with a day-precise date become all-day events; nothing else gets a made-up date."""
    calendar = Calendar()
    calendar.add("prodid", "-//orgreg//upcoming membership changes//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "orgreg: upcoming membership changes")
    for change in upcoming.scheduled:
        if change.date_precision != DatePrecision.day:
            continue
        event = CalendarEvent()
        event.add("uid", f"{change.membership_id}-{change.date.isoformat()}@orgreg")
        event.add("dtstamp", generated_at)
        event.add("dtstart", change.date)
        event.add("dtend", change.date + dt.timedelta(days=1))
        event.add("summary", _summary(change))
        event.add("description", _description(change))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    body: bytes = calendar.to_ical()
    return body
