"""One use case, one durable transaction — and the same steps inside a bigger one.

A bulk import must register hundreds of children all-or-nothing, so it cannot call the
durable public services (a durable block refuses to nest). Such a service keeps its steps
in a private, non-durable helper `_verb_noun`, and the public `verb_noun` is that helper
wrapped in its own durable transaction by `durable_use_case`.
"""

import functools

from django.db import transaction

__all__ = ["durable_use_case"]


def durable_use_case(helper):
    """The public use case: `helper` run in one durable transaction, named without the `_`."""

    @functools.wraps(helper)
    def use_case(*args, **kwargs):
        with transaction.atomic(durable=True):
            return helper(*args, **kwargs)

    use_case.__name__ = use_case.__qualname__ = helper.__name__.lstrip("_")
    return use_case
