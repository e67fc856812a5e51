"""Typed handles on the tables, for the Core queries in app.services."""

from __future__ import annotations

from sqlalchemy import Table

from app.models import SQLModel

_tables = SQLModel.metadata.tables

sources: Table = _tables["sources"]
categories: Table = _tables["categories"]
countries: Table = _tables["countries"]
organizations: Table = _tables["organizations"]
organization_names: Table = _tables["organization_names"]
organization_identifiers: Table = _tables["organization_identifiers"]
organization_name_sources: Table = _tables["organization_name_sources"]
organization_categories: Table = _tables["organization_categories"]
organization_claims: Table = _tables["organization_claims"]
organization_claim_sources: Table = _tables["organization_claim_sources"]
listings: Table = _tables["listings"]
listing_sources: Table = _tables["listing_sources"]
memberships: Table = _tables["memberships"]
membership_events: Table = _tables["membership_events"]
member_lists: Table = _tables["member_lists"]
membership_event_sources: Table = _tables["membership_event_sources"]
status_periods: Table = _tables["status_periods"]
dataset_periods: Table = _tables["dataset_periods"]
import_conflicts: Table = _tables["import_conflicts"]
api_keys: Table = _tables["api_keys"]
revisions: Table = _tables["revisions"]
idempotency_records: Table = _tables["idempotency_records"]
webhooks: Table = _tables["webhooks"]
webhook_outbox: Table = _tables["webhook_outbox"]
rate_buckets: Table = _tables["rate_buckets"]
data_version: Table = _tables["data_version"]
contributions: Table = _tables["contributions"]
contribution_sources: Table = _tables["contribution_sources"]
