"""Why a row or a file is refused, stored without a language and worded when it is read.

A dry run is read by people who do not share the uploader's language (a registrar uploads in
Arabic, a UNICEF officer reads in English), so a reason is kept as its English source text
and its parameters — `{"msgid": "“%(value)s” is not a known home state.", "params":
{"value": "Atlantis"}}` — and `render` words it in the reader's active language. A parameter
that is itself a reason (a date parser's "day/month/year") is worded the same way. Source
texts are marked with `gettext_noop` where they are written, so `makemessages` finds them.

Reasons stored before this module (`{"message": text}`, or a bare text in `file_errors`)
are shown as they were written.
"""

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

__all__ = ["ReasonError", "reason", "reasons_of", "render", "render_html"]

SAFE_TYPES = (str, int, float, bool, type(None))


def reason(msgid: str, **params) -> dict:
    """A reason to store: the source text and JSON-safe parameters."""
    return {"msgid": str(msgid), "params": params}


class ReasonError(ValueError):
    """A refusal that carries its reason unworded; `str()` words it in the active language."""

    def __init__(self, msgid: str, **params) -> None:
        self.reason = reason(msgid, **params)
        super().__init__(msgid)

    def __str__(self) -> str:
        return render(self.reason)


def _word(stored, *, html: bool) -> str:
    if isinstance(stored, str) or not stored.get("msgid"):
        # stored before reasons were kept unworded: a bare text, or {"message": text}
        text = stored if isinstance(stored, str) else stored.get("message", "")
        return conditional_escape(text) if html else text
    params = {}
    for key, value in (stored.get("params") or {}).items():
        if isinstance(value, dict):
            params[key] = _word(value, html=html)
        elif html and isinstance(value, str):
            params[key] = format_html("<bdi>{}</bdi>", value)
        else:
            params[key] = value
    text, source = gettext(stored["msgid"]), stored["msgid"]
    if html:
        text, source = conditional_escape(text), conditional_escape(source)
    if not params:
        return text
    try:
        return text % params
    except (KeyError, ValueError, TypeError):  # a translation that lost a placeholder
        return source % params


def render(stored) -> str:
    """The reason in the active language, as plain text (the CLI, messages)."""
    return _word(stored, html=False)


def render_html(stored) -> SafeString:
    """The reason in the active language for a page: what the user wrote is isolated in
    <bdi>, so a Latin cell inside an Arabic sentence (or the reverse) keeps its order."""
    return mark_safe(_word(stored, html=True))  # noqa: S308 - texts escaped, cells in format_html


def reasons_of(error: ValidationError) -> dict[str, list[dict]]:
    """A model's ValidationError as reasons by field, unworded.

    Call the model's checks under `translation.override(None)` too: a message worded when it
    was raised is then its source text.
    """
    with translation.override(None):
        return {
            field: [reason(str(item.message), **_safe(item.params or {})) for item in items]
            for field, items in error.error_dict.items()
        }


def _safe(params: dict) -> dict:
    return {
        key: value if isinstance(value, SAFE_TYPES) else str(value) for key, value in params.items()
    }
