"""Schemathesis hooks for bench/fuzz.py (loaded through SCHEMATHESIS_HOOKS).

Random If-Match values only ever meet the 428/412 checks; to fuzz what lies behind them, three
changes in four are sent with the ETag a GET of the same path gives right before (reads are
public), and retries of a POST reuse an Idempotency-Key now and then so replays are fuzzed too.
"""

from __future__ import annotations

import os
import random
from typing import Any

import httpx
import schemathesis

BASE = os.environ["ORGREG_FUZZ_BASE"]
_KEYS = [f"fuzz-key-{n}" for n in range(5)]


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    method = case.method.upper()
    headers = case.headers if case.headers is not None else {}
    if method in ("PATCH", "DELETE") and random.random() < 0.75:
        current = httpx.get(f"{BASE}{case.formatted_path}", timeout=10)
        if "etag" in current.headers:
            headers["If-Match"] = current.headers["etag"]
    if method == "POST" and random.random() < 0.25:
        headers["Idempotency-Key"] = random.choice(_KEYS)
    case.headers = headers
