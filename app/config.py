"""Settings, read once from environment variables (prefix ORGREG_; DATABASE_URL also accepted)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ORGREG_", extra="ignore")

    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("ORGREG_DATABASE_URL", "DATABASE_URL"),
        description="PostgreSQL URL. Unset: an embedded PostgreSQL is started.",
    )
    replica_url: str | None = Field(
        default=None,
        description="A PostgreSQL streaming replica of DATABASE_URL. Set: anonymous reads go "
        "to it while it answers and lags less than replica_max_lag_seconds; writes and reads "
        "with an API key stay on the primary.",
    )
    replica_max_lag_seconds: float = Field(
        default=5.0, ge=0, description="A replica further behind than this is not read from."
    )
    replica_check_seconds: float = Field(
        default=1.0, gt=0, description="How often the replica's lag is measured."
    )
    embedded_data_dir: Path = Field(
        default=PROJECT_ROOT / ".data" / "pg",
        description="Where the embedded PostgreSQL keeps its data when DATABASE_URL is unset.",
    )
    db_pool_size: int = Field(default=10, ge=1, le=200)
    db_max_overflow: int = Field(default=5, ge=0, le=200)
    db_pool_timeout_seconds: float = Field(default=5.0, gt=0)
    db_statement_timeout_ms: int = Field(default=10_000, ge=0)
    db_connect_timeout_seconds: float = Field(default=3.0, gt=0)
    request_timeout_seconds: float = Field(
        default=30.0, gt=0, description="Longest a request may take (streamed exports excepted)."
    )
    load_history: bool = Field(
        default=True,
        description="Load the Correlates of War IGO history (every state in every IGO, "
        "1816-2014) on first start and with `orgreg db upgrade`; false: the curated seed only.",
    )
    response_cache: bool = Field(
        default=True, description="Answer repeated reads from memory until the data changes."
    )
    rate_limit_per_minute: int = Field(
        default=0, ge=0, description="Requests per minute per client (API key, else IP); 0: off."
    )
    public_reads: bool = Field(default=True, description="False: reads need an API key too.")
    max_body_bytes: int = Field(default=1_048_576, ge=1024, description="Largest request body.")
    change_retention_days: int = Field(
        default=30, ge=1, description="How far back /v1/changes reaches."
    )
    idempotency_ttl_hours: int = Field(default=24, ge=1)
    webhook_allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Hosts or CIDRs webhooks may call even though they are private or loopback.",
    )
    webhook_worker: bool = Field(
        default=True, description="Deliver webhooks from the service processes."
    )
    webhook_timeout_seconds: float = Field(default=5.0, gt=0)
    webhook_max_attempts: int = Field(default=8, ge=1)
    webhook_backoff_seconds: float = Field(
        default=2.0, gt=0, description="First retry delay; doubles."
    )
    data_license: str = Field(default="CC-BY-4.0", description="SPDX id of the data's license.")
    data_license_url: str = "https://creativecommons.org/licenses/by/4.0/"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["auto", "json", "text"] = Field(
        default="auto", description="auto: text on a terminal, JSON lines otherwise."
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins browsers may call from."
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Proxy addresses whose X-Forwarded-For/-Proto are believed.",
    )
    shutdown_grace_seconds: int = Field(default=10, ge=0, description="For in-flight requests.")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64)

    @field_validator("database_url", "replica_url")
    @classmethod
    def _async_driver(cls, url: str | None) -> str | None:
        """Accept the usual postgres:// spellings and always talk to PostgreSQL through asyncpg."""
        if not url:
            return None
        for prefix in (
            "postgresql+asyncpg://",
            "postgresql+psycopg://",
            "postgresql://",
            "postgres://",
        ):
            if url.startswith(prefix):
                return "postgresql+asyncpg://" + url[len(prefix) :]
        raise ValueError("must be a postgresql:// URL")


@lru_cache
def get_settings() -> Settings:
    return Settings()
