"""Security headers on every answer: CSP with a fresh nonce, no caching, Clear-Site-Data.

Both middlewares sit at the top of MIDDLEWARE, so they also see the answers produced further
in: error pages, CSRF refusals, redirects to HTTPS, 413s and 429s. Django's SecurityMiddleware
adds HSTS, nosniff, Referrer-Policy and Cross-Origin-Opener-Policy; these add the rest.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.utils.cache import add_never_cache_headers

__all__ = ["NonceCSPMiddleware", "SecurityHeadersMiddleware"]

CLEAR_SITE_DATA = '"cache", "cookies", "storage"'
# Directives that do not fall back to default-src: every policy must state them, including the
# stricter one a view sets for itself (a document download: `default-src 'none'; sandbox`).
ALWAYS = {"object-src": "'none'", "base-uri": "'none'", "frame-ancestors": "'none'"}


class NonceCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with a nonce in every policy, not only when a template asked.

    A policy whose nonce changes on every response shows at a glance that nothing in a page
    can be replayed from another one; and a page that gains an inline block later works.
    """

    def process_response(self, request, response):
        own = response.get("Content-Security-Policy")
        if own is not None:
            named = {part.split()[0] for part in own.split(";") if part.strip()}
            missing = [f"{name} {value}" for name, value in ALWAYS.items() if name not in named]
            if missing:
                response["Content-Security-Policy"] = "; ".join([own, *missing])
        elif hasattr(request, "csp_nonce"):  # absent when an outer middleware answered first
            str(request.csp_nonce)
        return super().process_response(request, response)


class SecurityHeadersMiddleware:
    """`Cache-Control: no-store` on every dynamic answer, and a clean slate after sign-out.

    Any page may carry a child's data, so no browser or proxy may keep a copy of one; only
    static files (the same for everybody) stay cacheable. A successful sign-out tells the
    browser to drop the cookies, cached pages and storage of this origin.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = settings.STATIC_URL

    def __call__(self, request):
        response = self.get_response(request)
        # A view that already forbids storing (a document download) keeps its own words.
        if not request.path.startswith(self.static_prefix) and "no-store" not in response.get(
            "Cache-Control", ""
        ):
            add_never_cache_headers(response)
        match = getattr(request, "resolver_match", None)
        if (
            match is not None
            and match.view_name == "logout"
            and request.method == "POST"
            and response.status_code < 400
        ):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
