"""Homeward settings, read from the environment (see README, "Configuration").

Every variable has a safe default for a single offline machine: SQLite in WAL mode under
HOMEWARD_DATA_DIR, DEBUG off, only local hosts allowed.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
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
    elif engine == "django.db.backends.postgresql":
        # The dashboard's aggregates over 100,000 cases are costly enough to trigger JIT
        # compilation, which then takes longer (60 ms a query, measured) than it saves; their
        # sorts (group percentiles) spill to disk at the default 4 MB of work memory.
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off -c work_mem=32MB".strip()
    else:
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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
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
    "homeward.exports",
    "homeward.operations",
    "axes",  # after homeward.accounts, whose ready() must connect its audit receivers first
    "homeward.disclosures",
    "homeward.security",
    "homeward.retention",
    "homeward.imports",
    "homeward.adults",
    "homeward.judicial",
    "homeward.reports",
    "homeward.webhooks",
]

MIDDLEWARE = [
    # Outermost, so they see every answer, error pages and redirects included (issue 8, headers).
    "homeward.core.logging.RequestLogMiddleware",
    "homeward.core.security_headers.SecurityHeadersMiddleware",
    "homeward.core.security_headers.NonceCSPMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "homeward.core.limits.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # inside LocaleMiddleware, so problem titles are in the caller's language
    "homeward.core.api.problems.ProblemDetailsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "homeward.accounts.middleware.SessionLifetimeMiddleware",
    "homeward.accounts.middleware.SecondStepMiddleware",
    "homeward.core.middleware.RequestContextMiddleware",
    "homeward.core.limits.SearchRateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # after the views' middleware, so it sees the login view's answer and swaps in the lockout page
    "axes.middleware.AxesMiddleware",
    # last: every middleware above has authenticated the user (see the security block)
    "homeward.security.middleware.RowSecurityMiddleware",
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

# -- Authentication and sessions (issue 8: MFA, lockout, passwords, sessions, API tokens) --
# Argon2id first (Django 5.2: t=2, m=100 MiB, p=8; above OWASP's t=2, m=19 MiB); PBKDF2 only
# verifies old hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# NIST 800-63B: length (15+) and a common-password list, no composition rules; Django accepts
# any length up to the form field's limit (4096), so 128 characters pass.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 15},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Axes checks the lock before the password is looked at; the model backend authenticates.
AUTHENTICATION_BACKENDS = [
    "homeward.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lock lifts 15 min after it began
AXES_LOCKOUT_CALLABLE = "homeward.accounts.views.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # successes are in the audit chain already
AXES_VERBOSE = False
# Second factor: TOTP (+ single-use recovery codes) for every user, after the password.
OTP_TOTP_ISSUER = "Homeward"
HOMEWARD_RECOVERY_CODES = 10
# Public statistics: counts below this are shown as "<N" and protected (reports.suppression).
HOMEWARD_PUBLIC_MIN_CELL = env.get_int("HOMEWARD_PUBLIC_MIN_CELL", 5)
# Dashboard figures are kept in the cache until the data behind them changes, at most this
# many seconds (reports.kept); 0 computes every figure at every read.
HOMEWARD_FIGURE_CACHE_SECONDS = env.get_int("HOMEWARD_FIGURE_CACHE_SECONDS", 24 * 60 * 60)
if HOMEWARD_FIGURE_CACHE_SECONDS < 0:
    raise ImproperlyConfigured("HOMEWARD_FIGURE_CACHE_SECONDS must be 0 or more.")
# Imports: the largest file accepted (rows, bytes).
HOMEWARD_IMPORT_MAX_ROWS = env.get_int("HOMEWARD_IMPORT_MAX_ROWS", 100_000)
HOMEWARD_IMPORT_MAX_BYTES = env.get_int("HOMEWARD_IMPORT_MAX_BYTES", 64 * 1024 * 1024)

# WebAuthn for privileged users (issue 8, django-otp-webauthn): superusers and holders of a
# sealed-data capability confirm the sign-in with a passkey or security key; TOTP is refused
# for them while this is on. Password first always: no passwordless sign-in.
HOMEWARD_PRIVILEGED_WEBAUTHN = env.get_bool("HOMEWARD_PRIVILEGED_WEBAUTHN", True)
OTP_WEBAUTHN_RP_NAME = "Homeward"
OTP_WEBAUTHN_RP_ID_CALLABLE = "homeward.accounts.webauthn.relying_party_id"
# The origins the browser may sign in from (https://host[:port]; http only for localhost).
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.get_list("HOMEWARD_WEBAUTHN_ORIGINS", "http://localhost:8000")
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# Idle timeout and absolute lifetime (NIST 800-63B AAL3 values), enforced server side by
# accounts.middleware.SessionLifetimeMiddleware on database sessions.
HOMEWARD_SESSION_IDLE_MINUTES = env.get_int("HOMEWARD_SESSION_IDLE_MINUTES", 15)
HOMEWARD_SESSION_MAX_HOURS = env.get_int("HOMEWARD_SESSION_MAX_HOURS", 12)
if HOMEWARD_SESSION_IDLE_MINUTES < 1 or HOMEWARD_SESSION_MAX_HOURS < 1:
    raise ImproperlyConfigured(
        "HOMEWARD_SESSION_IDLE_MINUTES and HOMEWARD_SESSION_MAX_HOURS must be at least 1."
    )
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = HOMEWARD_SESSION_MAX_HOURS * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True

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
    "DEFAULT_PAGINATION_CLASS": "homeward.core.api.pagination.ApiPagination",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "homeward.core.api.renderers.StrictContentNegotiation",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["homeward.core.api.filters.StrictFilterBackend"],
    # API schema conformance (issue 8, G15): every operation declares its error answers.
    "DEFAULT_SCHEMA_CLASS": "homeward.core.api.schema.HomewardAutoSchema",
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
    "ENUM_NAME_OVERRIDES": {"WebhookTopicEnum": "homeward.webhooks.choices.Topic"},
}


# Webhooks: targets must be https:// in production; plain http only when DEBUG or this is set.
HOMEWARD_WEBHOOK_ALLOW_HTTP = env.get_bool("HOMEWARD_WEBHOOK_ALLOW_HTTP", DEBUG)
# Webhook targets must resolve to public addresses (no loopback, private, link-local,
# multicast, reserved or unspecified ones: SSRF). Only a development or test setup that
# delivers to a local server turns this on.
HOMEWARD_WEBHOOK_ALLOW_PRIVATE = env.get_bool("HOMEWARD_WEBHOOK_ALLOW_PRIVATE", False)

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
        # three apps each have a "legal_basis", "channel" or "role" of their own
        "DisclosureLegalBasisEnum": "homeward.disclosures.choices.LegalBasis.choices",
        "TracingChannelEnum": "homeward.matching.models.TracingChannel.choices",
        "OperationMemberRoleEnum": "homeward.operations.choices.MemberRole.choices",
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
        # return operations (issue 5)
        "PlacementEnum": "homeward.operations.choices.Placement.choices",
        "NotBoardedReasonEnum": "homeward.operations.choices.NotBoardedReason.choices",
        # tracing requests (issue 7): the relative's relationship is a RelationshipType
        "RelationshipTypeEnum": "homeward.people.choices.RelationshipType.choices",
        # adult cases and requests for evidence (issue 10): their inputs name the same choices
        "AdultCaseLegalStatusEnum": "homeward.adults.choices.LegalStatus.choices",
        "EvidenceAuthorityEnum": "homeward.judicial.choices.AnsweringAuthority.choices",
        "EvidenceChannelEnum": "homeward.judicial.choices.Channel.choices",
        "EvidenceItemsEnum": "homeward.judicial.choices.RequestedItem.choices",
        "EvidenceLegalBasisEnum": "homeward.judicial.choices.CooperationBasis.choices",
        "ReturnStepEnum": "homeward.adults.choices.ReturnStep.choices",
        # the registry's writes (issue 9): a person's legal status, a link's basis, languages
        "PersonDetailLegalStatusEnum": "homeward.people.choices.LegalStatus.choices",
        "RelativeBasisEnum": "homeward.people.choices.RelationshipBasis.choices",
        "LanguageEnum": "homeward.people.choices.LANGUAGES",
        # an assurance's items, and a policy's required items (the same choices)
        "AssuranceInputItemsEnum": "homeward.evidence.choices.AssuranceItem.choices",
        # imports (issue 9): the order found and the order chosen are the same choices
        "ImportDateOrderEnum": "homeward.imports.choices.DateOrder.choices",
        "ImportEncodingEnum": "homeward.imports.forms.ENCODING_CHOICES",
        "ImportKindEnum": "homeward.imports.api.serializers.KIND_CHOICES",
        "ImportRowActionEnum": "homeward.imports.choices.RowAction.choices",
    }
)

# Workflow (issue 3): the age thresholds that create tasks (Iraqi law; the minimum age of
# criminal responsibility may change), how many days ahead, and when a wait is overdue.
HOMEWARD_AGE_THRESHOLDS = env.get_int_list("HOMEWARD_AGE_THRESHOLDS", "3,9,15,18")
HOMEWARD_AGE_TASK_LEAD_DAYS = env.get_int("HOMEWARD_AGE_TASK_LEAD_DAYS", 30)
HOMEWARD_OVERDUE_DAYS = env.get_int("HOMEWARD_OVERDUE_DAYS", 30)

# Exports (issue 8, deliverable 6): encrypted files under random names in the private data
# directory; every export above the threshold (default 0 rows: every export with data) needs a
# second person's approval; links live at most 10 minutes; files go after KEEP_DAYS.
HOMEWARD_EXPORTS_DIR = (
    Path(os.environ.get("HOMEWARD_EXPORTS_DIR", DATA_DIR / "private" / "exports"))
    .expanduser()
    .resolve()
)
if {MEDIA_ROOT, STATIC_ROOT} & {HOMEWARD_EXPORTS_DIR, *HOMEWARD_EXPORTS_DIR.parents}:
    raise ImproperlyConfigured("HOMEWARD_EXPORTS_DIR must not lie under MEDIA_ROOT or STATIC_ROOT.")
HOMEWARD_EXPORT_APPROVAL_THRESHOLD = env.get_int("HOMEWARD_EXPORT_APPROVAL_THRESHOLD", 0)
HOMEWARD_EXPORT_LINK_MINUTES = env.get_int("HOMEWARD_EXPORT_LINK_MINUTES", 10)
HOMEWARD_EXPORT_KEEP_DAYS = env.get_int("HOMEWARD_EXPORT_KEEP_DAYS", 7)
if HOMEWARD_EXPORT_APPROVAL_THRESHOLD < 0:
    raise ImproperlyConfigured("HOMEWARD_EXPORT_APPROVAL_THRESHOLD must be 0 or more.")
if not 1 <= HOMEWARD_EXPORT_LINK_MINUTES <= 10:
    raise ImproperlyConfigured("HOMEWARD_EXPORT_LINK_MINUTES must be between 1 and 10.")
if not 1 <= HOMEWARD_EXPORT_KEEP_DAYS <= 7:
    raise ImproperlyConfigured("HOMEWARD_EXPORT_KEEP_DAYS must be between 1 and 7.")
# Security: access control as a second wall (issue 8). On PostgreSQL every scoped table has
# row-level security, driven by the request's `homeward.home_states` (homeward.security).
# HOMEWARD_DB_REQUEST_ROLE: a role (e.g. `homeward_app`, see `homeward create_db_roles`) that
# every web and API request switches to with SET ROLE, for a deployment whose one database login
# is the owner; empty when the web process already logs in as the application role.
HOMEWARD_DB_REQUEST_ROLE = os.environ.get("HOMEWARD_DB_REQUEST_ROLE", "").strip()
# Diplomacy (issue 4): a home state that has left a note verbale unanswered this many days,
# and sent nothing since, is silent: the daily rules put its waiting cases in
# HOME_STATE_UNRESPONSIVE and ask the ministry to send a reminder.
HOMEWARD_HOME_STATE_SILENCE_DAYS = env.get_int("HOMEWARD_HOME_STATE_SILENCE_DAYS", 90)
# Audit hardening and retention (issue 8): signed checkpoints of the audit chain live outside
# the database, signed with an Ed25519 key that is not in the database either
# (homeward.audit.checkpoints; `homeward audit_checkpoint`, `homeward audit_verify`).
HOMEWARD_AUDIT_CHECKPOINT_FILE = env.get_path(
    "HOMEWARD_AUDIT_CHECKPOINT_FILE", DATA_DIR / "audit-checkpoints" / "checkpoints.txt"
)
HOMEWARD_AUDIT_SIGNING_KEY_FILE = env.get_path(
    "HOMEWARD_AUDIT_SIGNING_KEY_FILE", DATA_DIR / "keys" / "audit-ed25519"
)
HOMEWARD_AUDIT_VERIFY_KEY_FILE = env.get_path(
    "HOMEWARD_AUDIT_VERIFY_KEY_FILE", Path(f"{HOMEWARD_AUDIT_SIGNING_KEY_FILE}.pub")
)
HOMEWARD_AUDIT_CHECKPOINT_ORIGIN = os.environ.get(
    "HOMEWARD_AUDIT_CHECKPOINT_ORIGIN", "homeward.local/audit"
)

# Retention (issue 8): periods in days per category of homeward.retention.schedule (override
# any here, e.g. {"attachments": 3650}); purgers other apps add, each called as `purger(now)`
# by `homeward purge_expired` (e.g. "homeward.exports.services.purge_expired_exports").
HOMEWARD_RETENTION_DAYS: dict[str, int] = {}
HOMEWARD_RETENTION_PURGERS: list[str] = ["homeward.exports.services.purge_expired_exports"]

# --- Headers, HTTPS, cookies, logging and limits (issue 8: headers; docs/security.md) ---
# HOMEWARD_HTTPS is off by default so `make demo` works on http://127.0.0.1. In production it is
# on: cookies are Secure and `__Host-` prefixed (no Domain, Path=/, so no sibling host can set or
# read them), plain HTTP is redirected, and browsers are told to use HTTPS only for a year.
HOMEWARD_HTTPS = env.get_bool("HOMEWARD_HTTPS", default=False)
SESSION_COOKIE_HTTPONLY = True
# Strict: the session cookie never rides on a request started by another site, not even a link.
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_HTTPONLY = True  # the token travels in forms; no script needs the cookie
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HOMEWARD_HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a load balancer's probe may speak plain HTTP
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.get_bool("HOMEWARD_HSTS_PRELOAD", default=False)
# Only a proxy we run may say "this came over HTTPS"; without one the header is ignored.
if env.get_bool("HOMEWARD_TRUSTED_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The only checks `check --deploy` may skip, each with its reason (tests/security/test_deploy.py).
SILENCED_CHECKS_ALLOWED = {
    "security.W021": "HSTS preload is a public-Internet list; Homeward runs on ministry networks "
    "(set HOMEWARD_HSTS_PRELOAD=1 for a public domain)",
}
SILENCED_SYSTEM_CHECKS = ["security.W021"] if HOMEWARD_HTTPS and not SECURE_HSTS_PRELOAD else []

# Content-Security-Policy (django-csp): everything is served by Homeward itself; the few inline
# <style> blocks carry the per-response nonce. Nothing else runs or loads.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Bounded requests: a body over DATA_UPLOAD_MAX_MEMORY_SIZE (uploads: the attachment limit) is
# refused with 413 before it is read; too many form fields answer 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# Searches and lookups per user per minute (pages and API lists with ?q/?search) before 429.
HOMEWARD_SEARCH_RATE_PER_MINUTE = env.get_int("HOMEWARD_SEARCH_RATE_PER_MINUTE", 60)
if HOMEWARD_SEARCH_RATE_PER_MINUTE < 1:
    raise ImproperlyConfigured("HOMEWARD_SEARCH_RATE_PER_MINUTE must be at least 1.")
HOMEWARD_SEARCH_ROUTES = [
    "people:child_list",
    "people:lookup",
    "matching:search",
    "api:person-search",
]
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = ["homeward.core.limits.SearchRateThrottle"]

# Logs: one JSON object per line (control characters escaped, so no value can forge a line),
# one line per request with its id, user id, route, status and duration; never a query string,
# a cookie, a token or a password.
HOMEWARD_LOG_LEVEL = os.environ.get("HOMEWARD_LOG_LEVEL", "INFO").strip().upper()
if HOMEWARD_LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        "HOMEWARD_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "homeward.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": "INFO" if DEBUG else "WARNING"},
    "loggers": {
        "homeward.request": {
            "handlers": ["console"],
            "level": HOMEWARD_LOG_LEVEL,
            "propagate": False,
        },
        # django.server repeats the request line with its query string: ours replaces it.
        "django.server": {"handlers": [], "propagate": False},
    },
}
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
