"""How a status shows in a page: its words and its chart colour, one badge everywhere."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.pages.layout import link, text
from app.services.timeline_chart import IMPRECISE_KEY, STATUS_COLORS
from app.services.timeline_views import STATUS_LABELS, evidence_source
from app.vocabulary import Lang, MembershipStatus

DARK_TEXT = {MembershipStatus.donor, MembershipStatus.non_member, MembershipStatus.associate}


def badge(period: Mapping[str, Any], lang: Lang) -> str:
    status = MembershipStatus(period["status"])
    key = IMPRECISE_KEY if period.get("unknown_reason") == IMPRECISE_KEY else status.value
    colour = "#1f2328" if status in DARK_TEXT else "#fff"
    return (
        f'<span class="status" style="background:{STATUS_COLORS[status]};color:{colour}">'
        f"{text(STATUS_LABELS[lang].get(key, status.value))}</span>"
    )


def since(period: Mapping[str, Any]) -> str:
    return text(period.get("valid_from") or "?")


def evidence(period: Mapping[str, Any]) -> str:
    source = evidence_source(period)
    if source is None:
        return ""
    label = source.get("title") or source.get("publisher") or source["url"]
    return link(source["url"], label) if source.get("url") else text(label)
