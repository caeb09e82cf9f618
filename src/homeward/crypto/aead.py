"""AES-256-GCM envelope encryption of values, and keyed blind indexes.

A sealed value is ``version (1 byte) ‖ key id (4 bytes, big-endian) ‖ nonce (12 random
bytes) ‖ ciphertext ‖ tag (16 bytes)``. The associated data binds it to where it lives:
``table ‖ column ‖ row identity ‖ key id`` (separated by U+001F), so a value copied into
another row or column, or relabelled with another key id, fails to decrypt instead of
showing the wrong child's data. Random 96-bit nonces are safe for 2**32 encryptions per key;
``rotate_keys`` starts a new key long before that.

A blind index is ``HMAC-SHA256(per-column key, normalised value)`` truncated to
BLIND_INDEX_BYTES: exact-match lookups without storing the value in clear. The per-column
key is derived (HKDF-SHA256, info = table ‖ column) from the keyring's ``bidx`` master, so
two columns holding the same number do not share index values.
"""

import hashlib
import hmac
import logging
import secrets
import unicodedata

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from homeward.crypto.keyring import get_keyring

__all__ = [
    "BLIND_INDEX_BYTES",
    "DecryptionError",
    "blind_index",
    "key_id_of",
    "open_value",
    "seal_value",
]

logger = logging.getLogger("homeward.crypto")

VERSION = 1
HEADER = 5  # version byte + key id
NONCE_BYTES = 12
BLIND_INDEX_BYTES = 8  # 64 bits: few collisions at 10^5 rows, yet no exact fingerprint


class DecryptionError(Exception):
    """A sealed value that does not open: wrong place, wrong key, tampered or key retired.

    Never carries the value; the log line `crypt_decrypt_fail` names only where it was.
    """


def _aad(table: str, column: str, row_id: str, key_id: int) -> bytes:
    return "\x1f".join((table, column, str(row_id), str(key_id))).encode()


def key_id_of(blob: bytes) -> int:
    return int.from_bytes(bytes(blob[1:HEADER]), "big")


def seal_value(
    plaintext: bytes, *, table: str, column: str, row_id, purpose: str = "field"
) -> bytes:
    key = get_keyring().primary(purpose)
    nonce = secrets.token_bytes(NONCE_BYTES)
    aad = _aad(table, column, row_id, key.key_id)
    header = bytes([VERSION]) + key.key_id.to_bytes(4, "big")
    return header + nonce + AESGCM(key.key).encrypt(nonce, plaintext, aad)


def open_value(blob: bytes, *, table: str, column: str, row_id) -> bytes:
    blob = bytes(blob)
    key_id = key_id_of(blob) if len(blob) >= HEADER else -1
    key = get_keyring().get(key_id) if blob[:1] == bytes([VERSION]) else None
    try:
        if key is None or len(blob) < HEADER + NONCE_BYTES + 16:
            raise InvalidTag
        nonce = blob[HEADER : HEADER + NONCE_BYTES]
        return AESGCM(key.key).decrypt(
            nonce, blob[HEADER + NONCE_BYTES :], _aad(table, column, row_id, key_id)
        )
    except InvalidTag:
        logger.error(
            "crypt_decrypt_fail table=%s column=%s row=%s key_id=%s", table, column, row_id, key_id
        )
        raise DecryptionError(f"{table}.{column} of row {row_id} does not decrypt.") from None


def normalise_identifier(value: str) -> str:
    """Document numbers as people type them: case, spaces, hyphens and dots do not count."""
    text = unicodedata.normalize("NFKC", value or "").upper()
    return "".join(ch for ch in text if ch.isalnum())


def _column_key(table: str, column: str) -> bytes:
    master = get_keyring().primary("bidx")
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=f"homeward-bidx\x1f{table}\x1f{column}".encode(),
    ).derive(master.key)


def blind_index(value: str, *, table: str, column: str) -> str:
    """The hex blind index of `value` for `table.column` ("" for an empty value)."""
    normalised = normalise_identifier(value)
    if not normalised:
        return ""
    mac = hmac.new(_column_key(table, column), normalised.encode(), hashlib.sha256).digest()
    return mac[:BLIND_INDEX_BYTES].hex()
