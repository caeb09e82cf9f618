"""Test settings: production settings with fast hashing and a throwaway data directory."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("HOMEWARD_DATA_DIR", tempfile.mkdtemp(prefix="homeward-test-"))

from homeward.config.settings import *  # noqa: F403

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher"
]  # speed only; never in production
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The SQLite test database is a file in the throwaway data dir, not Django's default shared-cache
# in-memory database: shared-cache connections fail with "database table is locked" instead of
# waiting, so concurrent writers (the audit chain's serialisation) could not be tested, and WAL
# mode (production's journal) does not exist in memory.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405

# Fixtures write records without the services (no audit event), which the kept figures
# would not notice between two reads of one test; the tests of reports.kept turn it on.
HOMEWARD_FIGURE_CACHE_SECONDS = 0

STATIC_ROOT.mkdir(exist_ok=True)  # noqa: F405  (WhiteNoise warns about a missing directory)

# One keyring per test process: a rotation test in one xdist worker must not retire the key
# another worker's database was sealed with. A server a test starts (the API fuzzer's gunicorn)
# is handed the test process's keyring through the environment.
HOMEWARD_KEYRING = Path(
    os.environ.get("HOMEWARD_KEYRING")
    or Path(tempfile.mkdtemp(prefix="homeward-test-keys-")) / "keyring.json"
)
HOMEWARD_KEK_FILE = None
