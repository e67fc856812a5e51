"""Strong ETags: the hash of the bytes a GET answers. One definition for the caching
middleware, the answers of writes, and the If-Match checks of the write services."""

from __future__ import annotations

import hashlib

from pydantic import BaseModel


def etag_for(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def representation_bytes(representation: BaseModel) -> bytes:
    """The bytes a GET of this representation answers."""
    return representation.model_dump_json(by_alias=True).encode()


def representation_etag(representation: BaseModel) -> str:
    return etag_for(representation_bytes(representation))
