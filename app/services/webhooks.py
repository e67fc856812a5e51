"""Webhook subscriptions, the outbox of deliveries, and Standard Webhooks signatures.

Deliveries are signed as the Standard Webhooks convention says: headers `webhook-id`,
`webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256(secret, "id.timestamp.body")>`,
the secret being `whsec_<base64 key>`. URLs that resolve to private, loopback, link-local or
otherwise non-public addresses are refused unless the operator allows them
(ORGREG_WEBHOOK_ALLOWED_HOSTS), both when subscribing and again before every delivery.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import get_settings
from app.errors import InvalidBody, NotFound
from app.ids import new_id
from app.models.tables import webhook_outbox, webhooks
from app.pagination import PageRequest, paginate
from app.schemas.webhooks import Delivery, WebhookCreate, WebhookCreated, WebhookInfo
from app.services.countries import find_country_code
from app.services.organizations import resolve_organization_field

if TYPE_CHECKING:
    from app.services.revisions import ChangeRecord

EVENT_TYPES = (
    "organization.created", "organization.updated", "organization.deleted", "organization.merged",
    "membership.created", "membership.updated", "membership.event_added",
    "membership.status_changed",
    "category.created", "category.updated", "category.deleted",
    "source.created", "source.updated", "source.deleted",
    "contribution.created", "contribution.updated", "contribution.deleted",
)  # fmt: skip


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def _allowed_by_operator(host: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    for entry in get_settings().webhook_allowed_hosts:
        if entry == host:
            return True
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """A unicast address on the public internet. IPv6 forms that carry an IPv4 address
    (mapped, compatible, 6to4, NAT64) reach that IPv4 host and are judged by it:
    `[::127.0.0.1]` is loopback however it is written."""
    if address.is_multicast or address.is_unspecified or address.is_reserved:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        inner = _carried_ipv4(address)
        if inner is not None:
            return is_public(inner)
    return address.is_global


def _carried_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _IPV4_COMPATIBLE or any(address in network for network in _NAT64):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def check_destination(url: str) -> None:
    """Raise ValueError unless `url` is http(s) and every address it resolves to is public or
    allowed by the operator (no SSRF into the service's own network)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http or https URL with a host")
    if parts.username or parts.password:
        raise ValueError("must not carry credentials")
    try:
        infos = socket.getaddrinfo(
            parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
        )
    except socket.gaierror as exc:
        raise ValueError(f"host {parts.hostname!r} does not resolve") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not is_public(address) and not _allowed_by_operator(parts.hostname, address):
            raise ValueError(
                f"resolves to {address}, which is not a public address (allow it with "
                "ORGREG_WEBHOOK_ALLOWED_HOSTS)"
            )


async def create(session: AsyncSession, body: WebhookCreate, creator: str) -> WebhookCreated:
    """A subscription, with its filters resolved to a country code and an organization id.
    The caller commits."""
    if body.country is not None:
        code = await find_country_code(session, body.country)
        if code is None:
            raise InvalidBody(
                f"'{body.country}' is not an ISO 3166-1 country code.", field="country"
            )
        body = body.model_copy(update={"country": code})
    if body.organization is not None:
        org_id = await resolve_organization_field(session, body.organization, "organization")
        body = body.model_copy(update={"organization": org_id})
    try:
        check_destination(str(body.url))
    except ValueError as exc:
        raise InvalidBody(f"The webhook URL {exc}.", field="url") from None
    unknown = sorted(set(body.event_types) - set(EVENT_TYPES) - {"*"})
    if unknown:
        raise InvalidBody(f"Unknown event types: {', '.join(unknown)}.", field="event_types")
    row = (
        (
            await session.execute(
                webhooks.insert()
                .values(
                    id=new_id("whk"),
                    url=str(body.url),
                    event_types=body.event_types,
                    country_code=body.country,
                    organization_id=body.organization,
                    secret=new_secret(),
                    created_by=creator,
                )
                .returning(*webhooks.c)
            )
        )
        .mappings()
        .one()
    )
    return WebhookCreated.model_validate(dict(row))


async def list_webhooks(session: AsyncSession) -> list[WebhookInfo]:
    rows = await session.execute(
        select(webhooks)
        .where(webhooks.c.deleted_at.is_(None))
        .order_by(webhooks.c.created_at, webhooks.c.id)
    )
    return [WebhookInfo.model_validate(dict(r)) for r in rows.mappings()]


async def delete(session: AsyncSession, webhook_id: str) -> None:
    result = await session.execute(
        update(webhooks)
        .where(webhooks.c.id == webhook_id, webhooks.c.deleted_at.is_(None))
        .values(deleted_at=func.now())
        .returning(webhooks.c.id)
    )
    if result.first() is None:
        raise NotFound(f"No webhook with id '{webhook_id}'.")
    await session.commit()


async def deliveries(
    session: AsyncSession, webhook_id: str, page: PageRequest
) -> tuple[list[Delivery], str | None]:
    exists = await session.execute(select(webhooks.c.id).where(webhooks.c.id == webhook_id))
    if exists.first() is None:
        raise NotFound(f"No webhook with id '{webhook_id}'.")
    query = (
        select(webhook_outbox)
        .where(webhook_outbox.c.webhook_id == webhook_id)
        .order_by(webhook_outbox.c.id.desc())
        .limit(page.size + 1)
    )
    if page.after is not None:
        query = query.where(webhook_outbox.c.id < page.after[0])
    rows = [Delivery.model_validate(dict(r)) for r in (await session.execute(query)).mappings()]
    return paginate(rows, page, lambda d: (d.id,))


_SUBSCRIPTIONS = select(
    webhooks.c.id, webhooks.c.event_types, webhooks.c.country_code, webhooks.c.organization_id
).where(webhooks.c.deleted_at.is_(None))


async def enqueue(session: AsyncSession, changes: list[tuple[int, ChangeRecord]]) -> None:
    """Queue one delivery per matching subscription and event type for each (revision id,
    change), in the caller's transaction."""
    subscriptions = (await session.execute(_SUBSCRIPTIONS)).all()
    if not subscriptions:
        return
    now = dt.datetime.now(dt.UTC)
    rows = []
    for revision_id, change in changes:
        for webhook_id, wanted, country, organization_id in subscriptions:
            if country is not None and country != change.country:
                continue
            if organization_id is not None and organization_id != change.organization_id:
                continue
            for event_type in change.event_types:
                if event_type in wanted or "*" in wanted:
                    message_id = new_id("msg")
                    rows.append(
                        {
                            "message_id": message_id,
                            "webhook_id": webhook_id,
                            "revision_id": revision_id,
                            "event_type": event_type,
                            "ordering_key": change.organization_id or change.resource_id,
                            "payload": _payload(message_id, event_type, revision_id, change, now),
                        }
                    )
    if rows:
        await session.execute(webhook_outbox.insert(), rows)


def _payload(
    message_id: str, event_type: str, revision_id: int, change: ChangeRecord, now: dt.datetime
) -> dict[str, Any]:
    return {
        "type": event_type,
        "timestamp": now.isoformat().replace("+00:00", "Z"),
        "data": {
            "change_id": revision_id,
            "resource_type": change.resource_type,
            "resource_id": change.resource_id,
            "action": change.action,
            "revision": change.revision,
            "country": change.country,
            "organization_id": change.organization_id,
            "diff": json.loads(json.dumps(change.diff, default=str)),
            **change.extra,
        },
    }
