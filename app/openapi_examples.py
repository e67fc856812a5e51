"""Examples in the OpenAPI document, recorded from the live service on the seed data.

`tests/test_openapi_examples.py` makes every request in `REQUESTS` against a database built by
the migrations and compares the answers with `openapi_examples.json`; with
`ORGREG_RECORD_EXAMPLES=1` it writes that file instead. Here the recorded answers become
operation examples, and each schema's example is the first value of that schema found in them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

EXAMPLES_FILE = Path(__file__).with_name("openapi_examples.json")
MAX_ITEMS = 2
"""Lists in recorded answers are cut to this many items: an example, not a dump."""
VOLATILE = frozenset(
    {
        "data_version",
        "created_at",
        "updated_at",
        "last_updated",
        "at",
        "request_id",
        "history_began_at",
    }
)
"""Fields whose value depends on when the database was built, not on the data."""


@dataclass(frozen=True)
class ExampleRequest:
    name: str
    method: str
    path: str
    """May name an earlier answer's `id` as `{name}` (e.g. `/v1/memberships/{membership}`)."""
    query: dict[str, str] = field(default_factory=dict)
    body: Any = None
    scope: str | None = None
    """The key scope it needs (`write`, `admin`), if any."""
    content_type: str = "application/json"
    save_as: str | None = None
    """Later requests may use this answer's `id` as `{save_as}`."""
    stable: bool = True
    """False where the answer depends on the day or the process, not only on the data."""


AS_OF = "2026-01-06"
SOURCE = "{source}"
"""The source the example writes create first: later bodies cite it."""


def _get(
    name: str, path: str, query: dict[str, str] | None = None, stable: bool = True, **more: str
) -> ExampleRequest:
    return ExampleRequest(name, "GET", path, {**(query or {}), **more}, stable=stable)


def _write(name: str, method: str, path: str, body: Any = None, **options: Any) -> ExampleRequest:
    return ExampleRequest(
        name, method, path, body=body, scope=options.pop("scope", "write"), **options
    )


EXAMPLE_ORGANIZATION = {
    "slug": "example-compact",
    "system": "non_un",
    "kind": "forum_partnership",
    "founded": "2021-09",
    "website": "https://example.org/compact",
    "identifiers": [{"scheme": "example_registry", "value": "EX-0001", "source": SOURCE}],
    "names": [
        {
            "lang": "en",
            "type": "official",
            "value": "Example Energy Compact",
            "preferred": True,
            "verification": "confirmed",
            "sources": [SOURCE],
        },
        {"lang": "zh-Hans", "type": "official", "value": "示例能源契约", "preferred": True},
    ],
    "categories": [{"slug": "example-compacts", "primary": True}],
}
REQUESTS: tuple[ExampleRequest, ...] = (
    _get("listOrganizations", "/v1/organizations", q="climate", page_size="2", facets="system"),
    _get("listOrganizations", "/v1/organizations", page_size="1000"),
    _get("autocompleteOrganizations", "/v1/organizations/autocomplete", q="unf", limit="3"),
    _get("getOrganization", "/v1/organizations/unfccc"),
    _get("getOrganization", "/v1/organizations/unfcc"),
    _get(
        "listOrganizationMemberships",
        "/v1/organizations/unfccc/memberships",
        page_size="2",
        as_of=AS_OF,
    ),
    _get(
        "listOrganizationMemberships",
        "/v1/organizations/gctf/memberships",
        page_size="2",
        as_of="2011-06-01",
        status="unknown",
    ),
    _get("getOrganizationTimeline", "/v1/organizations/paris-agreement/timeline", page_size="1"),
    _get("listCategories", "/v1/categories", page_size="2"),
    _get("getCategory", "/v1/categories/climate-environment"),
    _get("listCountries", "/v1/countries", q="united", page_size="2"),
    _get("getCountry", "/v1/countries/US"),
    _get(
        "listCountryMemberships",
        "/v1/countries/US/memberships",
        system="un",
        page_size="2",
        as_of=AS_OF,
    ),
    _get("getCountryTimeline", "/v1/countries/US/timeline", organization="who"),
    _get(
        "listCountryChanges",
        "/v1/countries/US/changes",
        page_size="2",
        query={"from": "2025-01-01", "to": "2026-06-30"},
    ),
    _get("getMembership", "/v1/memberships/mem_h3hnpzgto5n7"),
    _get("getMembershipHistory", "/v1/memberships/mem_h3hnpzgto5n7/history", stable=False),
    _get(
        "listUpcomingChanges",
        "/v1/memberships/upcoming",
        stable=False,
        within_days="400",
        country="US",
    ),
    _get(
        "getUpcomingChangesCalendar",
        "/v1/memberships/upcoming.ics",
        stable=False,
        within_days="400",
        country="US",
    ),
    _get("listSources", "/v1/sources", kind="official_text", page_size="2"),
    _get("getSource", "/v1/sources/src_2dq3om3z3w3s"),
    _get("getMembershipStats", "/v1/stats/memberships", country="US", as_of=AS_OF),
    _get("getOrganizationStats", "/v1/stats/organizations", organization="who", as_of=AS_OF),
    _get("getExitStats", "/v1/stats/exits", country="US", query={"from": "2025", "to": "2026"}),
    _get("listContributions", "/v1/contributions", country="US", year="2024", page_size="2"),
    _get("getContribution", "/v1/contributions/ctb_xd1b1648fafd"),
    _get(
        "getContributionStats",
        "/v1/stats/contributions",
        country="US",
        status="withdrawal_pending",
        as_of="2025-06-01",
    ),
    _get("exportOrganizations", "/v1/export/organizations", stable=False, format="csv"),
    _get("exportMemberships", "/v1/export/memberships", stable=False, format="ndjson"),
    _get(
        "exportStatusOnDate",
        "/v1/export/status",
        stable=False,
        organization="who",
        format="csv",
        as_of=AS_OF,
    ),
    _get("exportContributions", "/v1/export/contributions", stable=False, format="ndjson"),
    _get("getMeta", "/v1/meta"),
    _get("listConflicts", "/v1/conflicts", page_size="2"),
    ExampleRequest(
        "reconcileOrganizationsBatch",
        "POST",
        "/v1/reconcile",
        body={
            "q0": {"query": "Wrold Health Organisation", "limit": 2},
            "q1": {"query": "UNFCCC", "type": "organization", "limit": 2},
            "q2": {
                "query": "世界卫生组织",
                "limit": 1,
                "properties": [{"pid": "country", "v": "US"}],
            },
        },
    ),
    _get("reconcileOrganizations", "/v1/reconcile"),
    _get(
        "reconcileOrganizations", "/v1/reconcile", queries='{"q0":{"query":"UN Habitat","limit":2}}'
    ),
    _get("previewOrganization", "/v1/reconcile/preview", id="unfccc"),
    _get("suggestOrganizations", "/v1/reconcile/suggest/entity", prefix="unfc"),
    _get("suggestReconciliationTypes", "/v1/reconcile/suggest/type", prefix="un"),
    _get("suggestReconciliationProperties", "/v1/reconcile/suggest/property", prefix="c"),
    _get("getOrganizationTimelineChart", "/v1/organizations/unesco/timeline.svg", stable=False),
    _get(
        "getCountryTimelineChart",
        "/v1/countries/US/timeline.svg",
        stable=False,
        organization="unesco",
        lang="zh",
    ),
    _get("getHealth", "/healthz"),
    _get("getReadiness", "/readyz", stable=False),
    _get("getMetrics", "/metrics", stable=False),
    # Writes, in an order that works: each may use what an earlier one created.
    _write(
        "createSource",
        "POST",
        "/v1/sources",
        save_as="source",
        body={
            "title": "Memorandum on withdrawing the United States from international organizations",
            "publisher": "The White House",
            "url": "https://example.org/memorandum",
            "published_on": "2026-01-07",
            "kind": "official_text",
        },
    ),
    _write(
        "createWebhook",
        "POST",
        "/v1/webhooks",
        scope="admin",
        save_as="webhook",
        body={
            "url": "http://127.0.0.1:9/orgreg-hook",
            "event_types": ["membership.status_changed"],
            "country": "AQ",
        },
    ),
    _write(
        "updateSource",
        "PATCH",
        "/v1/sources/{source}",
        {"confidence_note": "Checked against the Federal Register text."},
    ),
    _write(
        "createCategory",
        "POST",
        "/v1/categories",
        {
            "slug": "example-compacts",
            "parent": "climate-environment",
            "name_en": "Example compacts",
            "name_zh": "示例契约",
        },
    ),
    _write(
        "updateCategory",
        "PATCH",
        "/v1/categories/example-compacts",
        {"name_en": "Energy compacts (example)"},
    ),
    _write("createOrganization", "POST", "/v1/organizations", EXAMPLE_ORGANIZATION),
    _write(
        "updateOrganization",
        "PATCH",
        "/v1/organizations/example-compact",
        {"headquarters": "Geneva, Switzerland"},
        content_type="application/merge-patch+json",
    ),
    _write(
        "createMembership",
        "POST",
        "/v1/memberships",
        save_as="membership",
        body={
            "country": "AQ",
            "organization": "example-compact",
            "basis": "participant",
            "basis_verification": "confirmed",
        },
    ),
    _write(
        "addMembershipEvent",
        "POST",
        "/v1/memberships/{membership}/events",
        {
            "type": "joined",
            "date": "2022-03-15",
            "date_precision": "day",
            "note": "Joined at the compact's second meeting.",
            "sources": [SOURCE],
        },
    ),
    _write(
        "addMembershipEvents",
        "POST",
        "/v1/memberships/events",
        {
            "events": [
                {
                    "membership": "{membership}",
                    "type": "withdrawal_announced",
                    "date": "2026-01-07",
                    "date_precision": "day",
                    "sources": [SOURCE],
                }
            ]
        },
    ),
    _write(
        "createContribution",
        "POST",
        "/v1/contributions",
        save_as="contribution",
        body={
            "country": "AQ",
            "organization": "example-compact",
            "kind": "voluntary_earmarked",
            "period_start": "2022-10",
            "period_end": "2023-09",
            "period_type": "fiscal",
            "period_label": "FY2023",
            "amount": 1500000,
            "currency": "USD",
            "amount_qualifier": "about",
            "verification": "unconfirmed",
            "note": "A made-up figure for the example.",
            "sources": [SOURCE],
        },
    ),
    _write(
        "updateContribution",
        "PATCH",
        "/v1/contributions/{contribution}",
        {"share": 0.02, "share_qualifier": "nearly", "note": None},
        content_type="application/merge-patch+json",
    ),
    _get(
        "listContributionRevisions",
        "/v1/contributions/{contribution}/revisions",
        stable=False,
        page_size="2",
    ),
    _write("deleteContribution", "DELETE", "/v1/contributions/{contribution}"),
    _get(
        "listMembershipRevisions",
        "/v1/memberships/{membership}/revisions",
        stable=False,
        page_size="2",
    ),
    _get(
        "listOrganizationRevisions",
        "/v1/organizations/example-compact/revisions",
        stable=False,
        page_size="2",
    ),
    _get("listChanges", "/v1/changes", stable=False, page_size="2"),
    ExampleRequest(
        "listWebhookDeliveries",
        "GET",
        "/v1/webhooks/{webhook}/deliveries",
        scope="admin",
        stable=False,
    ),
    _write(
        "createOrganization",
        "POST",
        "/v1/organizations",
        {
            "slug": "example-compact-duplicate",
            "system": "non_un",
            "kind": "forum_partnership",
            "names": [
                {
                    "lang": "en",
                    "type": "official",
                    "value": "Example Energy Compact (copy)",
                    "preferred": True,
                }
            ],
            "categories": [],
        },
    ),
    _write(
        "mergeOrganization",
        "POST",
        "/v1/organizations/example-compact-duplicate/merge",
        {"into": "example-compact"},
    ),
    _write("deleteOrganization", "DELETE", "/v1/organizations/example-compact"),
    _write(
        "createCategory",
        "POST",
        "/v1/categories",
        {"slug": "example-retired", "name_en": "Retired (example)", "name_zh": "已停用(示例)"},
    ),
    _write("deleteCategory", "DELETE", "/v1/categories/example-retired"),
    _write(
        "createSource",
        "POST",
        "/v1/sources",
        {"publisher": "Example Daily", "kind": "news"},
        save_as="unused",
    ),
    _write("deleteSource", "DELETE", "/v1/sources/{unused}"),
    _write(
        "createApiKey",
        "POST",
        "/v1/keys",
        {"name": "curation-bot", "scopes": ["write"]},
        scope="admin",
        save_as="key",
    ),
    ExampleRequest("listApiKeys", "GET", "/v1/keys", scope="admin", stable=False),
    _write("revokeApiKey", "DELETE", "/v1/keys/{key}", scope="admin"),
    ExampleRequest("listWebhooks", "GET", "/v1/webhooks", scope="admin", stable=False),
    _write("deleteWebhook", "DELETE", "/v1/webhooks/{webhook}", scope="admin"),
)
"""One request per operation at least, answered by the seed data or by what the writes before
it created; `stable=False` where the answer depends on the day, the process or new ids."""


CONFLICT = {
    "id": 7,
    "membership_id": "mem_qxhr7ewimini",
    "country": {"code": "US", "alpha3": "USA", "name_en": "United States"},
    "organization": {
        "id": "org_ivlmde6quqtl",
        "slug": "colombo-plan-council",
        "name": "Colombo Plan Council",
        "acronym": None,
    },
    "valid_from": "1951-12-31",
    "valid_to": "1954-07-02",
    "dataset": {
        "id": "src_cow_igo_v3",
        "title": "Correlates of War Intergovernmental Organizations (IGO) data set, version 3.0",
        "publisher": "Correlates of War Project",
        "url": "https://correlatesofwar.org/data-sets/igos/",
        "published_on": "2020-01-01",
        "kind": "reference_work",
    },
    "dataset_says": "non_member (code 0)",
    "registry_says": "member",
    "followed": "registry",
    "detected_at": "2026-12-01T11:08:53.189065Z",
}
"""Read from a registry with the COW history loaded: the examples test's database holds the
seed only, where no dataset disagrees with anything. The test still checks it fits."""
SCHEMA_EXAMPLES = {"Conflict": CONFLICT}


def trim(value: Any) -> Any:
    """Lists cut to `MAX_ITEMS`, recursively."""
    if isinstance(value, list):
        return [trim(item) for item in value[:MAX_ITEMS]]
    if isinstance(value, dict):
        return {key: trim(item) for key, item in value.items()}
    return value


def trim_text(body: str) -> str:
    """CSV, NDJSON, iCalendar and metrics answers: the first lines."""
    return "\n".join(body.splitlines()[: MAX_ITEMS + 8])


def without_volatile(value: Any) -> Any:
    if isinstance(value, list):
        return [without_volatile(item) for item in value]
    if isinstance(value, dict):
        return {k: without_volatile(v) for k, v in value.items() if k not in VOLATILE}
    return value


@cache
def recorded() -> list[dict[str, Any]]:
    if not EXAMPLES_FILE.exists():
        return []
    examples: list[dict[str, Any]] = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
    return examples


def attach_examples(spec: dict[str, Any]) -> None:
    """Operation examples from the recorded answers; schema examples found inside them."""
    operations = {
        operation["operationId"]: operation
        for item in spec.get("paths", {}).values()
        for operation in item.values()
        if "operationId" in operation
    }
    schemas = spec.get("components", {}).get("schemas", {})
    for name, value in SCHEMA_EXAMPLES.items():
        schemas[name]["examples"] = [value]
    for example in recorded():
        operation = operations.get(example["operation"])
        if operation is None:
            continue
        _request_examples(operation, example, schemas)
        answer = operation.get("responses", {}).get(str(example["status"]))
        if answer is None:
            continue
        for media_type, content in answer.get("content", {}).items():
            base = media_type.split(";")[0]
            if base == example["media_type"] or (
                base.endswith("json") and example["media_type"].endswith("+json")
            ):
                content.setdefault("example", example["response"])
                _harvest(content.get("schema", {}), example["response"], schemas)


def _request_examples(
    operation: dict[str, Any], example: dict[str, Any], schemas: dict[str, Any]
) -> None:
    given = {**example["path_parameters"], **example["query"]}
    for parameter in operation.get("parameters", []):
        if parameter["name"] in given and parameter["in"] in ("path", "query"):
            parameter.setdefault("example", given[parameter["name"]])
    if example.get("body") is not None and "requestBody" in operation:
        for content in operation["requestBody"].get("content", {}).values():
            content.setdefault("example", example["body"])
            _harvest(content.get("schema", {}), example["body"], schemas)


def _harvest(schema: dict[str, Any], value: Any, schemas: dict[str, Any]) -> None:
    """Give each named schema met along `value` the first value found for it as its example."""
    ref = schema.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        target = schemas.get(name, {})
        if "examples" not in target and value is not None:
            target["examples"] = [value]
        _harvest(target, value, schemas)
        return
    for option in schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", []):
        if value is not None and option.get("type") != "null":
            _harvest(option, value, schemas)
    if isinstance(value, dict):
        for key, item in value.items():
            if key in schema.get("properties", {}):
                _harvest(schema["properties"][key], item, schemas)
            elif isinstance(schema.get("additionalProperties"), dict):
                _harvest(schema["additionalProperties"], item, schemas)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for item in value:
            _harvest(schema["items"], item, schemas)
