"""Every audit event has a human name: the timeline and the access history never show a code."""

import importlib
import pkgutil
import re

import pytest
from django.utils import translation

import homeward
from homeward.audit.queries import EVENT_LABELS, READ_EVENTS, event_label
from homeward.workflow import events as workflow_events
from homeward.workflow.api.transitions import TRANSITIONS

EVENT_CODE = re.compile(r"^[a-z_]+\.[a-z_]+\.[a-z_]+$")
ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")


def events_modules():
    """`homeward.<app>.events` for every app that has one."""
    modules = []
    for info in pkgutil.iter_modules(homeward.__path__):
        try:
            modules.append(importlib.import_module(f"homeward.{info.name}.events"))
        except ModuleNotFoundError as error:
            if error.name != f"homeward.{info.name}.events":
                raise
    return modules


def event_codes() -> list[tuple[str, str, str]]:
    """(module, constant, code) for every event code constant of every `events.py`."""
    return [
        (module.__name__, name, value)
        for module in events_modules()
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, str) and EVENT_CODE.match(value)
    ]


def test_every_app_with_events_is_found():
    names = {module.__name__.split(".")[1] for module in events_modules()}
    assert {
        "accounts",
        "attachments",
        "cases",
        "evidence",
        "matching",
        "people",
        "workflow",
    } <= names
    assert len(event_codes()) >= 60


@pytest.mark.parametrize(("module", "name", "code"), event_codes())
def test_every_event_code_has_a_label(module, name, code):
    assert code in EVENT_LABELS, f"{module}.{name} ({code}) has no label in its LABELS"
    assert event_label(code) != code


def test_every_transition_has_a_label():
    """Transitions are audited as `workflow.case.<transition>`; closing a case records `closed`."""
    missing = [
        name
        for name in [*TRANSITIONS, "closed"]
        if workflow_events.case_event(name) not in EVENT_LABELS
    ]
    assert missing == []


def test_read_events_are_event_codes_with_labels():
    assert all(code in EVENT_LABELS for code in READ_EVENTS)


def test_labels_are_unique_and_translated():
    with translation.override("en"):
        english = {code: str(label) for code, label in EVENT_LABELS.items()}
    assert len(set(english.values())) == len(english)
    with translation.override("ar"):
        arabic = {code: str(label) for code, label in EVENT_LABELS.items()}
    untranslated = [
        english[code] for code, text in arabic.items() if not ARABIC_LETTER.search(text)
    ]
    assert untranslated == []
    assert len(set(arabic.values())) == len(arabic)  # the audit filter lists them side by side


def test_an_unknown_code_shows_as_it_is():
    assert event_label("newapp.thing.happened") == "newapp.thing.happened"
