"""Helpers for matching user text in SQL."""

from __future__ import annotations


def contains_pattern(text: str) -> str:
    """An ILIKE pattern matching `text` anywhere, with LIKE metacharacters taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
