"""Saved searches: search terms live in the session, the URL carries only a random id (G22).

A name typed into a search box must not end up in an access log, a proxy log, the browser
history or a Referer header. Search forms therefore POST their terms; the view stores them
here and answers with (or pushes) a URL like `?s=<id>&page=2`, so paging, reloading and the
back button still work without the terms ever being in a URL. Ids are random and per
session: another user (or another browser) cannot replay someone's search.
"""

import secrets

__all__ = ["load_search", "save_search"]

SESSION_KEY = "homeward_searches"
KEEP = 20


def save_search(request, kind: str, terms: dict) -> str:
    """Store `terms` for this session and return the new search id."""
    searches = request.session.get(SESSION_KEY, {})
    search_id = secrets.token_urlsafe(9)
    searches[search_id] = {"kind": kind, "terms": terms}
    # Keep the newest KEEP searches (dicts keep insertion order).
    request.session[SESSION_KEY] = dict(list(searches.items())[-KEEP:])
    return search_id


def load_search(request, kind: str, search_id: str) -> dict | None:
    """The terms saved under `search_id` for this kind of search, or None."""
    saved = request.session.get(SESSION_KEY, {}).get(search_id)
    if not saved or saved.get("kind") != kind:
        return None
    return dict(saved["terms"])
