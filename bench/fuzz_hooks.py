"""Schemathesis hooks for bench/fuzz.py (loaded through SCHEMATHESIS_HOOKS).

Random If-Match values only ever meet the 428/412 checks; to fuzz what lies behind them, three
changes in four are sent with the ETag a GET of the same path gives right before (reads are
public). One POST in four carries a new Idempotency-Key and is sent again at once: the retry
must not fail, and a success must replay byte for byte. (Schemathesis itself re-sends variants
of a request with the same headers, so the retry may rightly meet a 422 for the key's other
use; a key reused much later would rightly replay an answer about a resource since changed.)
"""

from __future__ import annotations

import os
import random
import uuid
from typing import Any

import httpx
import schemathesis

BASE = os.environ["ORGREG_FUZZ_BASE"]


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    method = case.method.upper()
    headers = case.headers if case.headers is not None else {}
    if method in ("PATCH", "DELETE") and random.random() < 0.75:
        current = httpx.get(f"{BASE}{case.formatted_path}", timeout=10)
        if "etag" in current.headers:
            headers["If-Match"] = current.headers["etag"]
    if method == "POST" and random.random() < 0.25:
        headers["Idempotency-Key"] = f"fuzz-{uuid.uuid4().hex}"
    case.headers = headers


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    sent = response.request
    if sent.method != "POST" or "Idempotency-Key" not in sent.headers:
        return
    retry = httpx.request(
        "POST", sent.url, headers=dict(sent.headers), content=sent.body or b"", timeout=30
    )
    if retry.status_code >= 500:
        raise AssertionError(f"retry with the same Idempotency-Key: {retry.text[:200]}")
    if response.status_code < 300 and retry.status_code < 300 and retry.content != response.content:
        raise AssertionError("retry with the same Idempotency-Key did not replay the answer")
