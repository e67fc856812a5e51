"""Shapes of the W3C Entity Reconciliation Service API, version 0.2 (the one OpenRefine speaks).

Field names follow the specification (reconciliation-api/specs, 0.2), not this API's own
conventions: `identifierSpace`, `type_strict` and `service_url` are what clients send and read.
tests/fixtures/reconciliation/0.2 holds the specification's JSON schemas; the tests validate
real answers against them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel


class ReconcileType(BaseModel):
    """A type of entity: every organization, or those of one system or kind."""

    id: str = Field(examples=["organization"])
    name: str = Field(examples=["International organization"])
    description: str | None = Field(default=None)
    broader: list[ReconcileType] | None = Field(
        default=None, description="The types this one narrows."
    )


class ViewTemplate(BaseModel):
    url: str = Field(description="Where an entity is shown; `{{id}}` stands for its id.")


class PreviewSettings(BaseModel):
    url: str = Field(description="An HTML summary of an entity; `{{id}}` stands for its id.")
    width: int
    height: int


class SuggestService(BaseModel):
    service_url: str
    service_path: str


class SuggestSettings(BaseModel):
    entity: SuggestService
    type: SuggestService
    property: SuggestService


class Manifest(BaseModel):
    """The service manifest: what this reconciliation service offers, and where."""

    versions: list[str]
    name: str
    identifierSpace: str = Field(description="Entity ids are organization ids in this space.")
    schemaSpace: str
    documentation: str
    serviceVersion: str
    batchSize: int = Field(description="Most queries one batch may hold.")
    defaultTypes: list[ReconcileType]
    view: ViewTemplate
    preview: PreviewSettings
    suggest: SuggestSettings


class EntityValue(BaseModel):
    """A property value that is an entity reconciled before (a country, say)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str | None = None


PropertyValue = str | int | float | bool | EntityValue


class PropertyConstraint(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pid: Literal["country", "system", "acronym", "as_of"] = Field(
        description="Which property: app.services.reconcile.PROPERTIES says what each does."
    )
    v: PropertyValue | list[PropertyValue]


class ReconcileQuery(BaseModel):
    """One query of a batch: a name, and optionally types and properties that narrow it."""

    model_config = ConfigDict(extra="forbid")

    query: str | None = Field(default=None, max_length=500)
    type: str | list[str] | None = None
    limit: int | None = Field(default=None, ge=1)
    properties: list[PropertyConstraint] | None = Field(default=None, max_length=20)
    type_strict: Literal["any", "should", "all"] | None = None


class Feature(BaseModel):
    id: str
    value: bool | float


class Candidate(BaseModel):
    """An organization that may be what a query names."""

    id: str = Field(description="The organization's id.")
    name: str = Field(description="Its preferred English official name.")
    type: list[ReconcileType]
    score: float = Field(description="0-100: how well it matches.")
    match: bool = Field(description="True only where the match is unambiguous.")
    description: str = Field(description="Acronym · system · kind · founding year.")
    features: list[Feature]


class QueryResult(BaseModel):
    result: list[Candidate]


class ResultBatch(RootModel[dict[str, QueryResult]]):
    """The answer to a query batch: one result per query, under the query's key."""


class SuggestedEntity(BaseModel):
    id: str
    name: str
    description: str
    notable: list[ReconcileType]


class SuggestedEntities(BaseModel):
    result: list[SuggestedEntity]


class SuggestedTypes(BaseModel):
    result: list[ReconcileType]


class SuggestedProperty(BaseModel):
    id: str
    name: str
    description: str


class SuggestedProperties(BaseModel):
    result: list[SuggestedProperty]
