"""Signed checkpoints of the audit chain, kept outside the database.

The hash chain proves that the events in the table agree with each other. It cannot prove
that the table still holds every event ever written, nor that someone with the database did
not recompute the whole chain after a change. A checkpoint can: it is the chain's size and
head hash at one moment, signed with an Ed25519 key that is not in the database, appended to
a file that is not in the database, and sent to witnesses. `audit_verify` then checks that
the event at every checkpoint's size still has the signed hash (catches a recompute-and-
rewrite) and that the chain is at least as long as every checkpoint (catches a cut tail,
head row included).

Format: a C2SP signed note carrying a tlog-checkpoint body (https://c2sp.org/tlog-checkpoint,
https://c2sp.org/signed-note)::

    <origin>
    <size: the seq of the last event>
    <base64 of the 32-byte head hash>

    — <key name> <base64(4-byte key id || 64-byte Ed25519 signature)>

The key id is the first four bytes of SHA-256(name || "\\n" || 0x01 || public key). Key
files use the same text encodings as Go's golang.org/x/mod/sumdb/note, so standard tools can
verify our notes: the verifier key is `<name>+<hex id>+<base64(0x01 || public key)>`, the
signing key `PRIVATE+KEY+<name>+<hex id>+<base64(0x01 || seed)>`. Notes in the file are
separated by one blank line. A note may carry other signature lines (a witness's
cosignature); lines for other key names are kept and ignored.
"""

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction

from homeward.audit.models import GENESIS_HASH, AuditHead

__all__ = [
    "Checkpoint",
    "CheckpointError",
    "checkpoint_audit_trail",
    "load_verified_checkpoints",
    "write_checkpoint",
]

ED25519 = b"\x01"
DASH = "\u2014"


class CheckpointError(Exception):
    """The checkpoint file or key cannot be trusted or read (audit_verify exit code 2)."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    head_hash: str  # hex, as in AuditEvent.hash
    text: str  # the whole signed note

    @property
    def body(self) -> str:
        return self.text.split("\n\n", 1)[0] + "\n"


# -- keys ------------------------------------------------------------------------------------


def _key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public).digest()[:4]


def _public_bytes(key: Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _seed_bytes(key: Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )

    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def _check_name(name: str) -> str:
    if not name or any(c in name for c in "+ \n\t") or DASH in name:
        raise CheckpointError(f"{name!r} cannot name a signing key (no spaces or '+').")
    return name


def verifier_key_text(name: str, public: Ed25519PublicKey) -> str:
    raw = _public_bytes(public)
    encoded = base64.b64encode(ED25519 + raw).decode()
    return f"{name}+{_key_id(name, raw).hex()}+{encoded}"


def _parse_key(text: str, private: bool) -> tuple[str, bytes]:
    text = text.strip()
    if private:
        if not text.startswith("PRIVATE+KEY+"):
            raise CheckpointError("The signing key file is not a PRIVATE+KEY note key.")
        text = text.removeprefix("PRIVATE+KEY+")
    parts = text.split("+", 2)  # base64 may itself hold "+"
    if len(parts) != 3:
        raise CheckpointError("A key file must hold <name>+<id>+<key>.")
    name, key_id, encoded = parts
    try:
        raw = base64.b64decode(encoded, validate=True)
    except ValueError as exc:
        raise CheckpointError("A key file's key is not base64.") from exc
    if len(raw) != 33 or raw[:1] != ED25519:
        raise CheckpointError("A key file must hold an Ed25519 key.")
    public = (
        raw[1:]
        if not private
        else _public_bytes(Ed25519PrivateKey.from_private_bytes(raw[1:]).public_key())
    )
    if key_id != _key_id(name, public).hex():
        raise CheckpointError("A key file's key id does not match its key.")
    return _check_name(name), raw[1:]


@dataclass(frozen=True)
class SigningKey:
    name: str
    private: Ed25519PrivateKey

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def key_id(self) -> bytes:
        return _key_id(self.name, _public_bytes(self.public))


@dataclass(frozen=True)
class VerifierKey:
    name: str
    public: Ed25519PublicKey

    @property
    def key_id(self) -> bytes:
        return _key_id(self.name, _public_bytes(self.public))


def _write_new(path: Path, text: str, mode: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "w") as handle:
        handle.write(text + "\n")


def load_signing_key(*, create: bool = False) -> SigningKey:
    """The Ed25519 signing key from HOMEWARD_AUDIT_SIGNING_KEY_FILE.

    With `create`, a missing key is generated (file mode 0600, directory 0700) and its
    verifier key written beside it (HOMEWARD_AUDIT_VERIFY_KEY_FILE).
    """
    path = Path(settings.HOMEWARD_AUDIT_SIGNING_KEY_FILE)
    if not path.exists():
        if not create:
            raise CheckpointError(f"No audit signing key at {path}.")
        name = _check_name(settings.HOMEWARD_AUDIT_CHECKPOINT_ORIGIN)
        private = Ed25519PrivateKey.generate()
        key = SigningKey(name, private)
        seed = base64.b64encode(ED25519 + _seed_bytes(private)).decode()
        _write_new(path, f"PRIVATE+KEY+{name}+{key.key_id.hex()}+{seed}", 0o600)
        verify_path = Path(settings.HOMEWARD_AUDIT_VERIFY_KEY_FILE)
        if not verify_path.exists():
            _write_new(verify_path, verifier_key_text(name, key.public), 0o644)
        return key
    if path.stat().st_mode & 0o077:
        raise CheckpointError(f"The audit signing key {path} must be readable by its owner only.")
    name, seed = _parse_key(path.read_text(), private=True)
    return SigningKey(name, Ed25519PrivateKey.from_private_bytes(seed))


def load_verifier_key() -> VerifierKey:
    path = Path(settings.HOMEWARD_AUDIT_VERIFY_KEY_FILE)
    try:
        text = path.read_text()
    except OSError as exc:
        raise CheckpointError(f"No audit verifier key at {path}.") from exc
    name, raw = _parse_key(text, private=False)
    return VerifierKey(name, Ed25519PublicKey.from_public_bytes(raw))


# -- notes -----------------------------------------------------------------------------------


def _note(origin: str, size: int, head_hash: str, key: SigningKey) -> str:
    body = f"{origin}\n{size}\n{base64.b64encode(bytes.fromhex(head_hash)).decode()}\n"
    signature = key.private.sign(body.encode())
    encoded = base64.b64encode(key.key_id + signature).decode()
    return f"{body}\n{DASH} {key.name} {encoded}\n"


def _parse_note(text: str, key: VerifierKey, number: int) -> Checkpoint:
    where = f"checkpoint {number} in the file"
    body, separator, signatures = text.partition("\n\n")
    lines = body.split("\n")
    if not separator or len(lines) < 3:
        raise CheckpointError(f"{where} is not a signed checkpoint note.")
    origin, size_text, root = lines[:3]
    if origin != settings.HOMEWARD_AUDIT_CHECKPOINT_ORIGIN:
        raise CheckpointError(f"{where} is for {origin!r}, not this audit trail.")
    if not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
        raise CheckpointError(f"{where} has no valid size.")
    try:
        head = base64.b64decode(root, validate=True)
    except ValueError as exc:
        raise CheckpointError(f"{where} has no valid root hash.") from exc
    if len(head) != 32:
        raise CheckpointError(f"{where} has no valid root hash.")
    signed = False
    for line in signatures.rstrip("\n").split("\n"):
        dash, _space, rest = line.partition(" ")
        name, _space, encoded = rest.partition(" ")
        if dash != DASH or not name or not encoded:
            raise CheckpointError(f"{where} has a malformed signature line.")
        if name != key.name:
            continue  # a witness's cosignature, or another key's
        try:
            raw = base64.b64decode(encoded, validate=True)
        except ValueError as exc:
            raise CheckpointError(f"{where} has a malformed signature line.") from exc
        if raw[:4] != key.key_id:
            continue
        try:
            key.public.verify(raw[4:], (body + "\n").encode())
        except InvalidSignature as exc:
            raise CheckpointError(f"{where} (size {size_text}) has an invalid signature.") from exc
        signed = True
    if not signed:
        raise CheckpointError(f"{where} (size {size_text}) is not signed by {key.name}.")
    return Checkpoint(origin, int(size_text), head.hex(), text)


def load_verified_checkpoints(path: Path | None = None) -> list[Checkpoint]:
    """Every checkpoint in the file, each with a valid signature, in file order.

    No file means no checkpoints ([]); anything unreadable, unsigned or badly signed
    raises CheckpointError, because a checkpoint that cannot be trusted proves nothing.
    """
    path = Path(path or settings.HOMEWARD_AUDIT_CHECKPOINT_FILE)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise CheckpointError(f"The checkpoint file {path} cannot be read: {exc}") from exc
    if not text.strip():
        return []
    key = load_verifier_key()
    blocks = text.strip("\n").split("\n\n")
    if len(blocks) % 2:
        raise CheckpointError(f"The checkpoint file {path} ends in a partial checkpoint.")
    return [
        _parse_note(f"{blocks[i]}\n\n{blocks[i + 1]}\n", key, i // 2 + 1)
        for i in range(0, len(blocks), 2)
    ]


def write_checkpoint(path: Path | None = None) -> Checkpoint:
    """Sign the current head and append it to the checkpoint file (fsynced).

    Refuses (ChainBrokenError from verify) when the events after the latest checkpoint do
    not extend it, so a signer never blesses a broken or rewritten chain.
    """
    from homeward.audit.verify import ChainBrokenError, verify_chain

    path = Path(path or settings.HOMEWARD_AUDIT_CHECKPOINT_FILE)
    key = load_signing_key(create=True)
    if key.name != settings.HOMEWARD_AUDIT_CHECKPOINT_ORIGIN:
        origin = settings.HOMEWARD_AUDIT_CHECKPOINT_ORIGIN
        raise CheckpointError(f"The signing key is for {key.name!r}, not {origin!r}.")
    previous = load_verified_checkpoints(path)
    latest = max(previous, key=lambda checkpoint: checkpoint.size, default=None)
    with transaction.atomic():
        # the head's lock holds writers back, so the walk and the signed head agree
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        size, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
        _checked, broken = verify_chain(after=(latest.size, latest.head_hash) if latest else None)
    if broken is not None:
        raise ChainBrokenError(broken)
    note = _note(settings.HOMEWARD_AUDIT_CHECKPOINT_ORIGIN, size, head_hash, key)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        separator = "\n" if previous else ""
        os.write(fd, (separator + note).encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return Checkpoint(settings.HOMEWARD_AUDIT_CHECKPOINT_ORIGIN, size, head_hash, note)


def checkpoint_audit_trail(command) -> Checkpoint | None:
    """For commands that end a batch of writes (seed_demo, run_daily_rules): sign the head.

    A failure is reported on the command's stderr, never raised: the batch itself committed,
    and `audit_verify` / the next `audit_checkpoint` will say what is wrong.
    """
    from homeward.audit.verify import ChainBrokenError

    try:
        checkpoint = write_checkpoint()
    except (CheckpointError, ChainBrokenError, OSError) as exc:
        command.stderr.write(f"No audit checkpoint written: {exc}")
        return None
    command.stdout.write(f"Audit checkpoint signed at #{checkpoint.size}.")
    return checkpoint
