"""G27: logs are JSON lines that no value can break, and they hold no secrets.

The test swaps the stream of the handler the settings configured, so it reads exactly what a
server writes: every line must parse as one JSON object.
"""

import io
import json
import logging
import sys

from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from homeward.accounts.services import issue_api_token
from homeward.core.logging import JsonFormatter

EVIL = '\r\n{"evil":1}\x1b[31m\u2028'
EVIL_PATH = "/people/%0D%0A%7B%22evil%22:1%7D%1B[31m/"


def parse(lines: list[str]) -> list[dict]:
    entries = [json.loads(line) for line in lines]
    assert all(isinstance(entry, dict) for entry in entries)
    return entries


def test_every_request_is_one_json_line_whatever_the_username_and_path(db, users):
    # given a user whose name holds CR, LF, a JSON breaker and an ANSI escape
    evil = users["consul.ru"]
    evil.username = "consul" + EVIL
    evil.save(update_fields=["username"])
    client = Client(raise_request_exception=False)
    client.force_login(evil)
    handler = logging.getLogger("homeward.request").handlers[0]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        # when they open a path holding the same characters, a page, and something is logged
        # about them by name
        client.get(EVIL_PATH)
        client.get(reverse("dashboard"))
        logging.getLogger("homeward.accounts").warning("refused %s", evil.username)
    finally:
        handler.setStream(previous)
    # then each record is exactly one line, and each line one JSON object
    text = buffer.getvalue()
    lines = text.splitlines()
    entries = parse(lines)
    assert text.count("\n") == len(lines) == len(entries)
    assert "\x1b" not in text and "\r" not in text and "\u2028" not in text
    requests = [entry for entry in entries if entry["logger"] == "homeward.request"]
    assert [(entry["path"], entry["status"]) for entry in requests] == [
        ('/people/\r\n{"evil":1}\x1b[31m/', 404),
        ("/", 200),
    ]
    assert requests[1]["route"] == "dashboard"
    assert requests[1]["user_id"] == evil.pk
    assert len(requests[1]["request_id"]) == 32
    assert isinstance(requests[1]["duration_ms"], float)
    assert entries[-1]["message"] == "refused consul" + EVIL
    assert not any("evil" in entry for entry in entries)  # no forged field


def test_no_session_id_token_password_or_query_in_the_logs(db, users, registry):
    # given a signed-in browser, an API token and a search for a child by name
    handler = logging.getLogger("homeward.request").handlers[0]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    name = registry["ru_child"].names.first().full_text
    try:
        browser = Client()
        browser.post(
            reverse("login"),
            {"username": "mfa.officer", "password": "correct horse battery staple"},
        )
        session_id = browser.cookies[settings.SESSION_COOKIE_NAME].value
        browser.post(reverse("people:child_list"), {"q": name})
        browser.post(reverse("login"), {"username": "mfa.officer", "password": "wrong-Secret-77"})
        token = issue_api_token(users["consul.ru"], actor=users["consul.ru"])
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        api.get(reverse("api:person-list"), {"q": name})
        api.post(reverse("api:person-search"), {"q": name}, format="json")
        api.get("/api/v1/no-such-thing/?q=" + name)
    finally:
        handler.setStream(previous)
    # then the requests were logged, but none of the secrets or the searched name
    text = buffer.getvalue()
    entries = parse(text.splitlines())
    routes = [entry.get("route") for entry in entries if entry["logger"] == "homeward.request"]
    assert routes[:3] == ["login", "people:child_list", "login"]
    assert "api:person-list" in routes
    for secret in [session_id, token, "correct horse battery staple", "wrong-Secret-77", name]:
        assert secret not in text
        assert json.dumps(secret)[1:-1] not in text


def test_an_exception_stays_on_one_line():
    # given a record carrying a traceback with line breaks
    formatter = JsonFormatter()
    try:
        raise ValueError("first line\nsecond line")
    except ValueError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "failed: %s", ("a\nb",), exc_info=True
        )
        record.exc_info = sys.exc_info()
    # when
    line = formatter.format(record)
    # then
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "failed: a\nb"
    assert "ValueError: first line\nsecond line" in entry["exception"]
