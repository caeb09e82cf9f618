"""Webhook signatures: HMAC-SHA256 over `<timestamp>.<body>` with the subscription's secret.

Headers sent with every delivery:

- `Homeward-Timestamp`: Unix seconds when the request was signed;
- `Homeward-Signature`: `v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>`.

A receiver recomputes the HMAC over the raw body, compares in constant time, and refuses a
timestamp older than a few minutes (replay). `verify` does exactly that.
"""

import hashlib
import hmac
import time

__all__ = ["SIGNATURE_HEADER", "TIMESTAMP_HEADER", "sign", "signature_headers", "verify"]

SIGNATURE_HEADER = "Homeward-Signature"
TIMESTAMP_HEADER = "Homeward-Timestamp"
TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return "v1=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_headers(secret: str, body: bytes, *, timestamp: int | None = None) -> dict:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: sign(secret, timestamp, body)}


def verify(
    secret: str,
    body: bytes,
    timestamp: str,
    signature: str,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """True when `signature` is the HMAC of `body` at `timestamp` and the timestamp is fresh."""
    if not timestamp.isascii() or not timestamp.isdigit():
        return False
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, int(timestamp), body), signature)
