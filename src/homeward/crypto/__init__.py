"""Sealed data: field-level AES-256-GCM, the keyring, blind indexes (docs/security.md)."""
