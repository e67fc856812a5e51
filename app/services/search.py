"""Ranked, typo-tolerant search over every name of every organization, in every language.

Each organization gets the best tier among its names, then the best trigram score:
  0  an acronym equals the query          3  a full-text (English) or CJK n-gram match
  1  a name equals the query              4  a typo-tolerant trigram match
  2  a name starts with the query          (only where no name matches in tiers 0-3)
Query and names are folded alike (app.services.search_text), so case, accents, punctuation and
traditional/simplified Chinese do not matter. Every condition can use an index (trigram GIN,
text_pattern_ops, GIN on grams and on the tsvector).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    Subquery,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)
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

    @property
    def cjk(self) -> bool:
        """Whether the statement also matches CJK n-grams (its SQL differs)."""
        return bool(self.grams)

    def values(self) -> dict[str, Any]:
        """The parameters `best_matches` names."""
        return {
            "q_folded": self.folded,
            "q_compact": self.compact,
            "q_folded_prefix": _prefix(self.folded),
            "q_compact_prefix": _prefix(self.compact),
            "q_grams": self.grams,
        }


def _prefix(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


_FOLDED = bindparam("q_folded", type_=String)


def _better_conditions(cjk: bool, table: FromClause = names) -> tuple[ColumnElement[bool], ...]:
    """Exact, prefix and text (full-text or CJK n-gram) matches: tiers 0-1, 2 and 3."""
    c = table.c
    exact = or_(c.search_text == _FOLDED, c.search_compact == bindparam("q_compact", type_=String))
    prefix = or_(
        c.search_text.like(bindparam("q_folded_prefix", type_=String)),
        c.search_compact.like(bindparam("q_compact_prefix", type_=String)),
    )
    text_match: ColumnElement[bool] = c.search_vector.op("@@")(
        func.plainto_tsquery("english", _FOLDED)
    )
    if cjk:
        text_match = or_(text_match, c.grams.contains(bindparam("q_grams", type_=ARRAY(String()))))
    return exact, prefix, text_match


def best_matches(cjk: bool) -> Subquery:
    """One row per matching organization: organization_id, tier, neg_score, matched_name.
    The query's text comes as parameters (`SearchQuery.values`), so that a statement built
    once serves every query of its kind.

    Each tier is its own index-friendly query that scores only the names it finds; one query
    OR-ing every condition makes PostgreSQL scan and score every name instead.
    """
    folded = _FOLDED
    exact, prefix, text_match = _better_conditions(cjk)
    typo = or_(names.c.search_text.op("%")(folded), names.c.search_text.op("%>")(folded))
    # Within the better tiers the score only orders names that match already: similarity to the
    # whole name does that. word_similarity, several times costlier, is kept for typo matches,
    # where a misspelt word inside a long name must still score.
    similarity = func.similarity(names.c.search_text, folded)
    typo_score = func.greatest(similarity, func.word_similarity(folded, names.c.search_text))

    def tier(
        rank: ColumnElement[int] | int,
        where: ColumnElement[bool],
        score: ColumnElement[float] = similarity,
    ) -> Select[Any]:
        return select(
            names.c.organization_id,
            (rank if isinstance(rank, ColumnElement) else literal(rank)).label("tier"),
            score.label("score"),
            names.c.value.label("matched_name"),
        ).where(where)

    # Typo-tolerant matches only where nothing better matched: scoring every trigram candidate
    # is the expensive part of a search, and it could not outrank a better match anyway. The
    # test is uncorrelated, so PostgreSQL runs it once and skips the trigram scan when it fails.
    other = names.alias("better")
    nothing_better = ~exists().where(or_(*_better_conditions(cjk, other)))
    tiers = [
        tier(case((names.c.type == "acronym", 0), else_=1), exact),
        tier(2, prefix),
        tier(3, text_match),
        tier(4, and_(nothing_better, typo, typo_score >= TYPO_THRESHOLD), typo_score),
    ]
    found = union_all(*tiers).subquery("found")
    return (
        select(
            found.c.organization_id,
            found.c.tier,
            (-func.round(found.c.score * 1000)).cast(Integer).label("neg_score"),
            found.c.matched_name,
        )
        .ext(distinct_on(found.c.organization_id))
        .order_by(found.c.organization_id, found.c.tier, found.c.score.desc())
        .subquery("matches")
    )
