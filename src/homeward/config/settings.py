"""Homeward settings, read from the environment (see README, "Configuration").

Every variable has a safe default for a single offline machine: SQLite in WAL mode under
HOMEWARD_DATA_DIR, DEBUG off, only local hosts allowed.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from homeward.config import env

PACKAGE_DIR = Path(__file__).resolve().parent.parent

DATA_DIR = env.get_data_dir("HOMEWARD_DATA_DIR", "./var")
SECRET_KEY = env.get_secret_key("HOMEWARD_SECRET_KEY", DATA_DIR)
DEBUG = env.get_bool("HOMEWARD_DEBUG", default=False)
ALLOWED_HOSTS = env.get_list("HOMEWARD_ALLOWED_HOSTS", "localhost,127.0.0.1")


def _database(url: str | None) -> dict:
    if not url:
        url = f"sqlite:///{DATA_DIR / 'homeward.sqlite3'}"
    try:
        config = dj_database_url.parse(url, conn_max_age=60)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database URL Homeward understands: {exc}"
        ) from exc
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at
            # BEGIN, so concurrent writers queue instead of failing half-way (and the audit
            # chain is appended by one writer at a time).
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    elif engine != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must name SQLite or PostgreSQL.")
    return config


DATABASES = {"default": _database(os.environ.get("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "django_htmx",
    "homeward.core",
    "homeward.accounts",
    "homeward.audit",
    "homeward.people",
    "homeward.cases",
    "homeward.evidence",
    "homeward.workflow",
    "homeward.attachments",
    "homeward.matching",
    "homeward.diplomacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "homeward.core.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "homeward.config.urls"
WSGI_APPLICATION = "homeward.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "homeward.core.context_processors.navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Bounded request sizes: an oversized field is refused before it reaches a form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ar", _("Arabic"))]
LANGUAGES_BIDI = ["ar"]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["homeward.formats"]  # Iraqi month names and number grouping in Arabic
USE_I18N = True
TIME_ZONE = "Asia/Baghdad"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Package-level assets (vendor files from `make assets`, homeward/*.css) live outside any app.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "homeward.accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Deny by default: a viewset must declare the capability it needs.
    "DEFAULT_PERMISSION_CLASSES": ["homeward.core.api.permissions.HasCapability"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "homeward.core.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Homeward API",
    "DESCRIPTION": "Cases, children and relatives, scoped to what the caller may see.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO" if DEBUG else "WARNING"},
}

HOMEWARD_AUDIT_LIST_ID_LIMIT = env.get_int("HOMEWARD_AUDIT_LIST_ID_LIMIT", 500)

# Attachments (court decisions, DNA reports, travel documents…): stored outside MEDIA_ROOT and
# STATIC_ROOT, under random names, and served only by the scoped, audited download view.
HOMEWARD_ATTACHMENTS_DIR = (
    Path(os.environ.get("HOMEWARD_ATTACHMENTS_DIR", DATA_DIR / "private" / "attachments"))
    .expanduser()
    .resolve()
)
HOMEWARD_ATTACHMENT_MAX_BYTES = env.get_int("HOMEWARD_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
if HOMEWARD_ATTACHMENT_MAX_BYTES < 1:
    raise ImproperlyConfigured("HOMEWARD_ATTACHMENT_MAX_BYTES must be at least 1.")
if {MEDIA_ROOT, STATIC_ROOT} & {HOMEWARD_ATTACHMENTS_DIR, *HOMEWARD_ATTACHMENTS_DIR.parents}:
    raise ImproperlyConfigured(
        "HOMEWARD_ATTACHMENTS_DIR must not lie under MEDIA_ROOT or STATIC_ROOT."
    )
# An upload in flight is a child's document too: it waits in the private data directory (on the
# encrypted volume), never in the system's /tmp, and anything above 1 MB streams to disk there
# instead of sitting in memory. The first handler drops a file that exceeds the attachment limit
# as it arrives, so an oversized upload is never written anywhere.
FILE_UPLOAD_TEMP_DIR = DATA_DIR / "private" / "incoming"
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
FILE_UPLOAD_HANDLERS = [
    "homeward.attachments.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Two different "kind" fields (a person's, a document's) must not collide in the schema.
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "KindEnum": "homeward.people.choices.PersonKind.choices",
        "AttachmentKindEnum": "homeward.attachments.choices.AttachmentKind.choices",
        # the workflow and evidence API (issue 3)
        "CaseStatusEnum": "homeward.cases.choices.CaseStatus.choices",
        "RequirementStatusEnum": "homeward.workflow.choices.RequirementStatus.choices",
        "TaskStatusEnum": "homeward.workflow.choices.TaskStatus.choices",
        "ClaimStatusEnum": "homeward.evidence.choices.ClaimStatus.choices",
        "ClearanceStatusEnum": "homeward.evidence.choices.ClearanceStatus.choices",
        "AssessmentKindEnum": "homeward.evidence.choices.AssessmentKind.choices",
        "ClaimBasisEnum": "homeward.evidence.choices.ClaimBasis.choices",
        "DeterminationDecisionEnum": "homeward.evidence.choices.DeterminationDecision.choices",
        "ConsentDecisionEnum": "homeward.evidence.choices.ConsentDecision.choices",
        "ConsentInputDecisionEnum": "homeward.evidence.api.serializers.CONSENT_DECISIONS",
        "VettingDecisionEnum": "homeward.evidence.api.serializers.VETTING_DECISIONS",
    }
)

# Workflow (issue 3): the age thresholds that create tasks (Iraqi law; the minimum age of
# criminal responsibility may change), how many days ahead, and when a wait is overdue.
HOMEWARD_AGE_THRESHOLDS = env.get_int_list("HOMEWARD_AGE_THRESHOLDS", "3,9,15,18")
HOMEWARD_AGE_TASK_LEAD_DAYS = env.get_int("HOMEWARD_AGE_TASK_LEAD_DAYS", 30)
HOMEWARD_OVERDUE_DAYS = env.get_int("HOMEWARD_OVERDUE_DAYS", 30)

# Sealed data (field-level encryption, blind indexes, encrypted attachments): the keyring of
# wrapped data keys and the key-encryption key live outside the database (homeward.crypto).
HOMEWARD_KEYRING = Path(
    os.environ.get("HOMEWARD_KEYRING", DATA_DIR / "keys" / "keyring.json")
).expanduser()
HOMEWARD_KEK_FILE = os.environ.get("HOMEWARD_KEK_FILE") or None
# Dotted path of a callable(path, *, filename, content_type) that raises to refuse an upload
# (an anti-virus scanner); any exception refuses the file (fails closed). Empty: no scanner.
HOMEWARD_UPLOAD_SCANNER = os.environ.get("HOMEWARD_UPLOAD_SCANNER", "")
# Images above this many pixels are refused (pixel-flood / decompression-bomb limit).
HOMEWARD_MAX_IMAGE_PIXELS = env.get_int("HOMEWARD_MAX_IMAGE_PIXELS", 50_000_000)
