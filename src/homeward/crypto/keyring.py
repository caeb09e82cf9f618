"""The keyring: data-encryption keys (DEKs) wrapped by a key-encryption key (KEK), outside the DB.

Two files, both mode 0600, created on first use (like the generated secret key):

- the KEK file (``HOMEWARD_KEK_FILE``, default ``<keyring dir>/master.key``): one AES-256 key;
- the keyring (``HOMEWARD_KEYRING``, default ``HOMEWARD_DATA_DIR/keys/keyring.json``): the
  DEKs, each AES-256-GCM-wrapped by the KEK with the AAD ``purpose‖key id``, one primary per
  purpose.

Purposes: ``field`` (sealed model fields), ``file`` (attachment bytes), ``bidx`` (the master
from which each blind-indexed column derives its own HMAC key). Key ids are unsigned 32-bit
integers, unique across purposes and never reused, so a value names the one key that opens it.

Neither file is ever in the database, in settings or in a backup of the database: a stolen
dump opens nothing. The KEK file can live on another volume (or a systemd credential) by
pointing ``HOMEWARD_KEK_FILE`` at it. Processes notice a changed keyring (a rotation by the
``rotate_keys`` command) by its modification time and reload it.
"""

import base64
import datetime
import json
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["PURPOSES", "Keyring", "get_keyring", "reset_keyring_cache"]

PURPOSES = ("field", "file", "bidx")
KEY_BYTES = 32
FORMAT_VERSION = 1


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


def _write_private(path: Path, text: str, *, exclusive: bool) -> bool:
    """Write `text` to `path` with mode 0600; atomically (temp + rename) unless `exclusive`.

    With `exclusive`, the file is only created if it does not exist yet (concurrent workers
    starting together agree on the first one written) and False says someone else won.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if exclusive:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # fails if the file exists: first writer wins
        except FileExistsError:
            return False
        finally:
            tmp.unlink(missing_ok=True)
        return True
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return True


@dataclass(frozen=True)
class DataKey:
    key_id: int
    purpose: str
    key: bytes
    created_at: str


class Keyring:
    """The unwrapped DEKs of one keyring file, and the operations that change the file."""

    def __init__(self, path: Path, kek_path: Path):
        self.path = path
        self.kek_path = kek_path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._keys: dict[int, DataKey] = {}
        self._primary: dict[str, int] = {}
        self._ensure()
        self._load()

    # -- files ---------------------------------------------------------------------------

    def _kek(self) -> bytes:
        kek = _unb64(json.loads(self.kek_path.read_text())["key"])
        if len(kek) != KEY_BYTES:
            raise ImproperlyConfigured(f"{self.kek_path} does not hold a 256-bit key.")
        return kek

    def _ensure(self) -> None:
        if self.path.exists() and not self.kek_path.exists():
            raise ImproperlyConfigured(
                f"The keyring {self.path} exists but its key-encryption key {self.kek_path} "
                "does not: restore the key file (a new one cannot open the keyring)."
            )
        if not self.kek_path.exists():
            _write_private(
                self.kek_path,
                json.dumps({"key": _b64(AESGCM.generate_key(bit_length=256))}),
                exclusive=True,
            )
        if not self.path.exists():
            kek = self._kek()
            deks = [
                self._wrap(kek, key_id, purpose, secrets.token_bytes(KEY_BYTES))
                for key_id, purpose in enumerate(PURPOSES, start=1)
            ]
            document = {
                "format": FORMAT_VERSION,
                "primary": {purpose: key_id for key_id, purpose in enumerate(PURPOSES, start=1)},
                "next_id": len(PURPOSES) + 1,
                "keys": deks,
            }
            _write_private(self.path, json.dumps(document, indent=1), exclusive=True)

    @staticmethod
    def _aad(key_id: int, purpose: str) -> bytes:
        return f"homeward-dek\x1f{purpose}\x1f{key_id}".encode()

    def _wrap(self, kek: bytes, key_id: int, purpose: str, key: bytes) -> dict:
        nonce = secrets.token_bytes(12)
        wrapped = AESGCM(kek).encrypt(nonce, key, self._aad(key_id, purpose))
        return {
            "id": key_id,
            "purpose": purpose,
            "wrapped": _b64(nonce + wrapped),
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        }

    def _read(self) -> dict:
        return json.loads(self.path.read_text())

    def _load(self) -> None:
        stat = self.path.stat()
        document = self._read()
        kek = self._kek()
        keys = {}
        for entry in document["keys"]:
            blob = _unb64(entry["wrapped"])
            key = AESGCM(kek).decrypt(
                blob[:12], blob[12:], self._aad(entry["id"], entry["purpose"])
            )
            keys[entry["id"]] = DataKey(entry["id"], entry["purpose"], key, entry["created_at"])
        self._keys = keys
        self._primary = {purpose: int(key_id) for purpose, key_id in document["primary"].items()}
        self._stamp = (stat.st_mtime_ns, stat.st_size)

    def refresh(self) -> None:
        """Reload the file if another process (a rotation) changed it."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            raise ImproperlyConfigured(f"The keyring {self.path} has disappeared.") from None
        if (stat.st_mtime_ns, stat.st_size) != self._stamp:
            with self._lock:
                self._load()

    # -- reading -------------------------------------------------------------------------

    def primary(self, purpose: str) -> DataKey:
        self.refresh()
        return self._keys[self._primary[purpose]]

    def get(self, key_id: int) -> DataKey | None:
        key = self._keys.get(key_id)
        if key is None:
            self.refresh()
            key = self._keys.get(key_id)
        return key

    def key_ids(self, purpose: str) -> list[int]:
        self.refresh()
        return sorted(k.key_id for k in self._keys.values() if k.purpose == purpose)

    # -- changing (rotate_keys) ----------------------------------------------------------

    def add_primary(self, purpose: str) -> DataKey:
        """A new random DEK for `purpose`, made primary for new writes at once."""
        with self._lock:
            document = self._read()
            key_id = int(document["next_id"])
            document["next_id"] = key_id + 1
            document["keys"].append(
                self._wrap(self._kek(), key_id, purpose, secrets.token_bytes(KEY_BYTES))
            )
            document["primary"][purpose] = key_id
            _write_private(self.path, json.dumps(document, indent=1), exclusive=False)
            self._load()
        return self._keys[key_id]

    def retire(self, key_id: int) -> None:
        """Delete a (non-primary) DEK for good: what it encrypted can no longer be read."""
        with self._lock:
            document = self._read()
            if key_id in {int(v) for v in document["primary"].values()}:
                raise ValueError(f"Key {key_id} is a primary key and cannot be retired.")
            document["keys"] = [k for k in document["keys"] if k["id"] != key_id]
            _write_private(self.path, json.dumps(document, indent=1), exclusive=False)
            self._load()


_cache: dict[tuple[str, str], Keyring] = {}
_cache_lock = threading.Lock()


def keyring_paths() -> tuple[Path, Path]:
    path = Path(settings.HOMEWARD_KEYRING)
    kek = getattr(settings, "HOMEWARD_KEK_FILE", None)
    return path, Path(kek) if kek else path.parent / "master.key"


def get_keyring() -> Keyring:
    """The keyring named by the settings, loaded once per process (and reloaded on change)."""
    path, kek_path = keyring_paths()
    cache_key = (str(path), str(kek_path))
    with _cache_lock:
        ring = _cache.get(cache_key)
        if ring is None:
            ring = _cache[cache_key] = Keyring(path, kek_path)
    return ring


def reset_keyring_cache() -> None:
    with _cache_lock:
        _cache.clear()
