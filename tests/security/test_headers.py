"""G08: every answer carries the security headers — pages, API, redirects and error pages.

The crawler walks every route the scope matrix knows (tests/test_scope_matrix.py) for three
roles over HTTPS, plus the unscoped routes, a plain-HTTP redirect, a missing page, a refusal,
a CSRF failure, a malformed request and a server error.
"""

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.security.error_urls import SECRET_IN_ERROR
from tests.security.test_deploy import PRODUCTION, production_settings
from tests.test_scope_matrix import _route_model_and_capability, _url, discovered_routes

CSP_DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self' 'nonce-",
    "style-src 'self' 'nonce-",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
]
NONCE = re.compile(r"script-src 'self' 'nonce-([A-Za-z0-9+/=]{20,})'")
ROLES = ["mfa.officer", "consul.ru", "auditor"]


@pytest.fixture(scope="module")
def https_settings(tmp_path_factory):
    values = production_settings(tmp_path_factory.mktemp("https"))
    values.pop("SILENCED_SYSTEM_CHECKS")
    return values


# A document download sets its own, stricter policy: nothing in it may run or load at all.
DOWNLOAD_CSP = (
    "default-src 'none'; sandbox; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def csp_problems(csp: str) -> list[str]:
    if csp == DOWNLOAD_CSP:
        return []
    problems = [f"CSP lacks {part}" for part in CSP_DIRECTIVES if part not in csp]
    if "unsafe-inline" in csp or "unsafe-eval" in csp:
        problems.append("CSP allows unsafe-*")
    nonces = re.findall(r"'nonce-([^']+)'", csp)
    if len(set(nonces)) != 1:
        problems.append(f"CSP nonces {nonces}")
    return problems


def header_problems(response, *, secure=True, signed_in=True) -> list[str]:
    """What is missing from `response`'s security headers (empty when all is well)."""
    problems = csp_problems(response.get("Content-Security-Policy", ""))
    expected = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if secure:
        expected["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    problems += [
        f"{name}: {response.get(name)!r}"
        for name, value in expected.items()
        if response.get(name) != value
    ]
    if signed_in and "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"Cache-Control: {response.get('Cache-Control')!r}")
    return problems


def nonce_of(response) -> str:
    found = NONCE.search(response.get("Content-Security-Policy", ""))
    assert found, (response.status_code, response.get("Content-Security-Policy"))
    return found.group(1)


@pytest.mark.parametrize("username", ROLES)
def test_every_route_answers_with_the_security_headers(
    client, users, registry, matrix, https_settings, username
):
    # given a signed-in user of one role, over HTTPS with the production settings
    seen_statuses, nonces, failures = set(), [], []
    with override_settings(**https_settings):
        client.force_login(users[username])
        for name, pattern in discovered_routes():
            model, _capability = _route_model_and_capability(pattern)
            objects = matrix[model] if pattern.pattern.regex.groupindex else (None,)
            for obj in objects:
                url = _url(name, pattern, obj) if obj is not None else reverse(name)
                # when every route is requested
                response = client.get(url, secure=True)
                # then every answer carries every header, whatever its status
                seen_statuses.add(response.status_code)
                if response.get("Content-Security-Policy") != DOWNLOAD_CSP:
                    nonces.append(nonce_of(response))
                failures += [
                    f"{name} {response.status_code} {p}" for p in header_problems(response)
                ]
        for name in ["api:schema", "api:docs", "healthz", "login"]:
            response = client.get(reverse(name), secure=True)
            nonces.append(nonce_of(response))
            failures += [f"{name} {p}" for p in header_problems(response)]
    assert failures == []
    # and no two answers share a nonce
    assert len(set(nonces)) == len(nonces) > 40
    assert 200 in seen_statuses
    if username == "consul.ru":
        assert {403, 404} <= seen_statuses


@pytest.fixture
def error_client():
    return Client(raise_request_exception=False)


@override_settings(ROOT_URLCONF="tests.security.error_urls")
def test_error_pages_carry_the_headers_and_nothing_else(error_client, users, https_settings):
    # given a signed-in officer, the production settings and a page that fails
    with override_settings(**https_settings):
        error_client.force_login(users["consul.ru"])
        # when a failing page, a missing one, a refused one and plain HTTP are asked
        server_error = error_client.get("/boom/", secure=True)
        missing = error_client.get("/no/such/page/", secure=True)
        refused = error_client.get(reverse("people:child_create"), secure=True)
        redirect = error_client.get("/people/", secure=False)
        api_missing = error_client.get("/api/v1/no-such-endpoint/", secure=True)
    # then each has its status and every header
    assert [server_error.status_code, missing.status_code, refused.status_code] == [500, 404, 403]
    assert (redirect.status_code, api_missing.status_code) == (301, 404)
    for response in [server_error, missing, refused, api_missing]:
        assert header_problems(response) == []
    assert header_problems(redirect, secure=False) == []
    # and the 500 page is generic: no traceback, no exception text, no data
    body = server_error.content.decode()
    assert "Something went wrong" in body
    for leak in [SECRET_IN_ERROR, "Traceback", "RuntimeError", "explode", 'File "']:
        assert leak not in body


def test_csrf_failure_and_malformed_requests_carry_the_headers(users, https_settings):
    # given a browser that enforces CSRF and a signed-in officer
    browser = Client(enforce_csrf_checks=True)
    with override_settings(**https_settings):
        browser.force_login(users["mfa.officer"])
        # when a form is posted without its token, and a request names a foreign host
        csrf = browser.post(reverse("logout"), secure=True)
        bad_host = browser.get("/", secure=True, headers={"host": "evil.example"})
    # then both are refused with the headers in place
    assert (csrf.status_code, bad_host.status_code) == (403, 400)
    assert header_problems(csrf) == []
    assert header_problems(bad_host) == []


def test_sign_out_clears_the_site_data(client, users):
    # given a signed-in officer
    client.force_login(users["mfa.officer"])
    page = client.get(reverse("dashboard"))
    # when they sign out
    response = client.post(reverse("logout"))
    # then the browser is told to forget everything of this origin; other pages are not
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert "Clear-Site-Data" not in page


def test_pages_use_the_nonce_for_their_inline_styles_and_nothing_inline_else(
    client, users, registry
):
    # given the dashboard (its bars' widths) and the API reference (its stylesheet)
    client.force_login(users["mfa.officer"])
    for url in [reverse("dashboard"), reverse("api:docs")]:
        # when each is opened
        response = client.get(url)
        body = response.content.decode()
        nonce = nonce_of(response)
        # then every inline <style> carries this response's nonce; no style="" attribute, no
        # inline script, no inline event handler
        styles = re.findall(r"<style([^>]*)>", body)
        assert styles, url
        assert all(f'nonce="{nonce}"' in attributes for attributes in styles), url
        assert not re.search(r"\sstyle=", body), url
        assert not re.search(r"<script(?![^>]*\ssrc=)", body), url
        assert not re.search(r"\son[a-z]+=", body), url


def test_htmx_is_told_not_to_inject_styles_or_eval(client, users):
    # given / when
    client.force_login(users["mfa.officer"])
    body = client.get(reverse("dashboard")).content.decode()
    # then
    config = '{"includeIndicatorStyles": false, "allowEval": false}'
    assert f"<meta name=\"htmx-config\" content='{config}'>" in body


def test_static_files_stay_cacheable_and_anonymous_pages_are_not_stored(client, db):
    # given / when
    login = client.get(reverse("login"))
    # then
    assert "no-store" in login["Cache-Control"]
    assert header_problems(login, secure=False, signed_in=False) == []


def test_production_environment_constant_is_https(https_settings):
    # the crawler above runs with what a production process really has
    assert PRODUCTION["HOMEWARD_HTTPS"] == "1"
    assert https_settings["SECURE_HSTS_SECONDS"] == 31536000
