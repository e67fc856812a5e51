"""Choosing a representation from the Accept header (or an explicit `format=`)."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import Request

from app.errors import InvalidParameter, NotAcceptable


def _accepted(header: str) -> list[tuple[str, float]]:
    ranges = []
    for part in header.split(","):
        media_type, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media_type:
            ranges.append((media_type.lower(), quality))
    return sorted(ranges, key=lambda r: -r[1])


def negotiate(
    request: Request, offers: Mapping[str, str], *, format_name: str | None = None
) -> str:
    """The name of the offer to send. `offers` maps media types to names, the first being the
    default; `format_name`, when given, wins over Accept and must be one of the names."""
    names = list(dict.fromkeys(offers.values()))
    if format_name is not None:
        if format_name not in names:
            raise InvalidParameter(
                "format", f"Unknown format '{format_name}'; one of: {', '.join(names)}."
            )
        return format_name
    header = request.headers.get("accept", "").strip()
    if not header:
        return names[0]
    for media_type, quality in _accepted(header):
        if quality <= 0:
            continue
        if media_type == "*/*":
            return names[0]
        for offered, name in offers.items():
            if media_type == offered or (
                media_type.endswith("/*") and offered.startswith(media_type[:-1])
            ):
                return name
    raise NotAcceptable(
        f"Cannot answer with any of: {header}. Available: {', '.join(offers)}.",
    )
