"""The data version: one row, moved at commit by every write to answered data (migration 0021),
and the per-transaction marker whose deferred trigger moves it."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Column, Identity
from sqlmodel import Field, SQLModel


class DataVersion(SQLModel, table=True):
    __tablename__ = "data_version"
    __table_args__ = (CheckConstraint("only_row", name="only_row"),)

    only_row: bool = Field(
        default=True, sa_column=Column(Boolean, primary_key=True, server_default="true")
    )
    version: int = Field(sa_column=Column(BigInteger, nullable=False))


class DataVersionPending(SQLModel, table=True):
    __tablename__ = "data_version_pending"

    id: int = Field(sa_column=Column(BigInteger, Identity(always=True), primary_key=True))
