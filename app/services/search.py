"""Ranked, typo-tolerant search over every name of every organization, in every language.

Each organization gets the best tier among its names, then the best trigram score:
  0  an acronym equals the query          3  a full-text (English) or CJK n-gram match
  1  a name equals the query              4  a typo-tolerant trigram match
  2  a name starts with the query
Query and names are folded alike (app.services.search_text), so case, accents, punctuation and
traditional/simplified Chinese do not matter. Every condition can use an index (trigram GIN,
text_pattern_ops, GIN on grams and on the tsvector).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Subquery, and_, case, cast, func, literal, or_, select
from sqlalchemy.dialects.postgresql import ARRAY, distinct_on
from sqlalchemy.types import Integer, String

from app.models.tables import organization_names as names
from app.services.search_text import compact, fold, grams, has_cjk

TYPO_THRESHOLD = 0.3
"""Lowest trigram similarity (pg_trgm's default threshold) accepted as a typo-tolerant match."""


@dataclass(frozen=True)
class SearchQuery:
    folded: str
    compact: str
    grams: list[str]

    @classmethod
    def parse(cls, q: str) -> SearchQuery | None:
        """None when nothing searchable is left after folding (only punctuation, say)."""
        folded = fold(q)
        if not folded:
            return None
        return cls(folded, compact(folded), grams(folded) if has_cjk(folded) else [])


def _prefix(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def best_matches(query: SearchQuery) -> Subquery:
    """One row per matching organization: organization_id, tier, neg_score, matched_name."""
    folded = literal(query.folded, String)
    exact = or_(names.c.search_text == query.folded, names.c.search_compact == query.compact)
    prefix = or_(
        names.c.search_text.like(_prefix(query.folded)),
        names.c.search_compact.like(_prefix(query.compact)),
    )
    text_match: ColumnElement[bool] = names.c.search_vector.op("@@")(
        func.plainto_tsquery("english", query.folded)
    )
    if query.grams:
        text_match = or_(text_match, names.c.grams.contains(cast(query.grams, ARRAY(String()))))
    typo = or_(names.c.search_text.op("%")(folded), folded.op("<%")(names.c.search_text))
    score = func.greatest(
        func.similarity(names.c.search_text, folded),
        func.word_similarity(folded, names.c.search_text),
    )
    tier = case(
        (and_(names.c.type == "acronym", exact), 0),
        (exact, 1),
        (prefix, 2),
        (text_match, 3),
        else_=4,
    )
    return (
        select(
            names.c.organization_id,
            tier.label("tier"),
            (-func.round(score * 1000)).cast(Integer).label("neg_score"),
            names.c.value.label("matched_name"),
        )
        .where(or_(exact, prefix, text_match, and_(typo, score >= TYPO_THRESHOLD)))
        .ext(distinct_on(names.c.organization_id))
        .order_by(names.c.organization_id, tier, score.desc())
        .subquery("matches")
    )
