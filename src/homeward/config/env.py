"""Typed readers for configuration from the environment.

Each reader fails fast with ImproperlyConfigured naming the variable, so a typo in a
deployment stops the process at start-up instead of surfacing as odd behaviour later.
"""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def get_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no/on/off, got {raw!r}.")


def get_list(name: str, default: str) -> list[str]:
    raw = os.environ.get(name, default)
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name} must list at least one value (comma-separated).")
    return items


def get_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}.") from None


def get_int_list(name: str, default: str) -> list[int]:
    items = get_list(name, default)
    try:
        return [int(item) for item in items]
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be comma-separated whole numbers, got {os.environ.get(name)!r}."
        ) from None


def get_data_dir(name: str, default: str) -> Path:
    """The directory holding the SQLite database, the generated secret key and uploads."""
    path = Path(os.environ.get(name, default)).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(f"{name}={path} cannot be created: {exc.strerror}.") from exc
    if not os.access(path, os.W_OK):
        raise ImproperlyConfigured(f"{name}={path} is not writable.")
    return path


def get_secret_key(name: str, data_dir: Path) -> str:
    """The secret key from the environment, or one generated once into the data directory.

    The generated file is created with mode 0600 and never leaves the machine; it is not in
    the repository because the data directory is not.
    """
    value = os.environ.get(name)
    if value is not None:
        if len(value) < 50:
            raise ImproperlyConfigured(f"{name} must be at least 50 characters long.")
        return value
    key_file = data_dir / "secret_key"
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass  # generated earlier, or by a concurrent worker
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return key_file.read_text().strip()


def get_path(name: str, default: Path) -> Path:
    """An absolute path from the environment (`~` expanded), or `default`."""
    raw = os.environ.get(name)
    if raw is not None and not raw.strip():
        raise ImproperlyConfigured(f"{name} must name a path when set.")
    return Path(raw).expanduser().resolve() if raw is not None else default
