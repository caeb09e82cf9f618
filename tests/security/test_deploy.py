"""G06/G07: the production switch. `check --deploy` passes with it, and the cookies it sets are
`__Host-`, Secure, HttpOnly (session), SameSite, with no Domain.

The settings are read in fresh processes configured only by the environment, exactly as a
server starts; the cookie test then replays those very values in this process.
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

PRODUCTION = {
    "HOMEWARD_HTTPS": "1",
    "HOMEWARD_DEBUG": "0",
    "HOMEWARD_SECRET_KEY": "Vq7-the-production-key-is-long-random-and-secret-9f2c41e0d8b3a6",
    "HOMEWARD_ALLOWED_HOSTS": "homeward.mofa.gov.iq",
}

COOKIE_SETTINGS = [
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_DOMAIN",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_DOMAIN",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SILENCED_SYSTEM_CHECKS",
]

PRINT = (
    "import json, django; django.setup(); from django.conf import settings; "
    f"print(json.dumps({{name: getattr(settings, name) for name in {COOKIE_SETTINGS!r}}}))"
)


def run(args: list[str], data_dir, **variables: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("HOMEWARD_") and key != "DATABASE_URL"
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "homeward.config.settings",
        "HOMEWARD_DATA_DIR": str(data_dir),
        **variables,
    }
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def production_settings(data_dir, **variables: str) -> dict:
    process = run(["-c", PRINT], data_dir, **PRODUCTION, **variables)
    assert process.returncode == 0, process.stderr
    return json.loads(process.stdout)


def test_deploy_check_passes_with_production_settings(tmp_path):
    # given the production environment
    # when Django's deployment checklist runs, failing on any warning
    process = run(
        ["-m", "homeward", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, **PRODUCTION
    )
    # then nothing is reported
    assert process.returncode == 0, process.stdout + process.stderr
    assert "System check identified no issues (1 silenced)." in process.stdout


def test_deploy_check_passes_with_nothing_silenced_when_preloading(tmp_path):
    # given a public domain that asks to be preloaded
    process = run(
        ["-m", "homeward", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        **PRODUCTION,
        HOMEWARD_HSTS_PRELOAD="1",
    )
    # then the checklist passes without silencing anything
    assert process.returncode == 0, process.stdout + process.stderr
    assert "System check identified no issues (0 silenced)." in process.stdout


def test_deploy_check_fails_without_https(tmp_path):
    # given production but with the HTTPS switch off
    variables = {**PRODUCTION, "HOMEWARD_HTTPS": "0"}
    # when
    process = run(
        ["-m", "homeward", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, **variables
    )
    # then the checklist names what is missing
    assert process.returncode == 1
    for check in ["security.W004", "security.W008", "security.W012", "security.W016"]:
        assert check in process.stderr


def test_silenced_checks_are_only_documented_ones(tmp_path):
    # given / when
    default = production_settings(tmp_path)
    preloaded = production_settings(tmp_path, HOMEWARD_HSTS_PRELOAD="1")
    # then
    assert set(default["SILENCED_SYSTEM_CHECKS"]) <= set(settings.SILENCED_CHECKS_ALLOWED)
    assert default["SILENCED_SYSTEM_CHECKS"] == ["security.W021"]
    assert preloaded["SILENCED_SYSTEM_CHECKS"] == []
    assert all(len(reason) > 40 for reason in settings.SILENCED_CHECKS_ALLOWED.values())


def test_https_switch_sets_hsts_redirect_and_host_cookies(tmp_path):
    # given / when
    values = production_settings(tmp_path)
    # then
    assert values == {
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Strict",
        "SESSION_COOKIE_DOMAIN": None,
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_DOMAIN": None,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_REDIRECT_EXEMPT": ["^healthz$"],
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_PROXY_SSL_HEADER": None,
        "SILENCED_SYSTEM_CHECKS": ["security.W021"],
    }


def test_proxy_header_is_trusted_only_when_a_proxy_is_declared(tmp_path):
    # given / when
    behind_proxy = production_settings(tmp_path, HOMEWARD_TRUSTED_PROXY="1")
    direct = production_settings(tmp_path)
    # then
    assert behind_proxy["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert direct["SECURE_PROXY_SSL_HEADER"] is None


def test_demo_defaults_keep_plain_http_cookies(tmp_path):
    # given no HTTPS switch (make demo on http://127.0.0.1)
    process = run(["-c", PRINT], tmp_path)
    values = json.loads(process.stdout)
    # then the cookies still work over plain HTTP, and are still HttpOnly and SameSite
    assert values["SESSION_COOKIE_NAME"] == "sessionid"
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_SSL_REDIRECT"] is False
    assert (values["SESSION_COOKIE_HTTPONLY"], values["SESSION_COOKIE_SAMESITE"]) == (
        True,
        "Strict",
    )


@pytest.fixture(scope="module")
def https_settings(tmp_path_factory):
    values = production_settings(tmp_path_factory.mktemp("https"))
    values.pop("SILENCED_SYSTEM_CHECKS")
    return values


def _morsel_text(response, name: str) -> str:
    return response.cookies[name].OutputString()


def test_cookies_are_host_prefixed_secure_and_same_site(client, users, https_settings):
    # given the production cookie settings
    with override_settings(**https_settings):
        # when the sign-in page is opened and the user signs in, over HTTPS
        page = client.get(reverse("login"), secure=True)
        signed_in = client.post(
            reverse("login"),
            {"username": "mfa.officer", "password": "correct horse battery staple"},
            secure=True,
        )
    # then both cookies carry the __Host- rules
    assert page.status_code == 200
    assert signed_in.status_code == 302
    csrf = page.cookies["__Host-csrftoken"]
    session = signed_in.cookies["__Host-sessionid"]
    assert (csrf["secure"], csrf["path"], csrf["samesite"], csrf["domain"]) == (
        True,
        "/",
        "Lax",
        "",
    )
    assert csrf["httponly"] is True
    assert (session["secure"], session["httponly"], session["path"]) == (True, True, "/")
    assert (session["samesite"], session["domain"]) == ("Strict", "")
    for name in ("__Host-csrftoken", "__Host-sessionid"):
        text = _morsel_text(page if "csrf" in name else signed_in, name)
        assert "Domain" not in text
        assert "Secure" in text
    assert "sessionid" not in {n for n in signed_in.cookies if not n.startswith("__Host-")}


def test_plain_http_is_redirected_to_https(client, db, https_settings):
    # given the production settings
    with override_settings(**https_settings):
        # when a page is asked over plain HTTP
        response = client.get(reverse("login"))
        health = client.get(reverse("healthz"))
    # then it is sent to HTTPS; the health probe is exempt
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/login/"
    assert health.status_code == 200
