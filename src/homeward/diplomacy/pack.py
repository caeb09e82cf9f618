"""The meeting pack as a PDF: `diplomacy/pack.html` rendered by WeasyPrint.

WeasyPrint shapes text with Pango and HarfBuzz, so Arabic comes out joined and in the
right order. The font is DejaVu Sans from Debian's fonts-dejavu-core (installed by the
Makefile's `system-packages` target with Pango): it draws each Arabic letter as one
glyph, so the PDF's text layer (copy, search, screen readers) holds the letters typed.
The Noto Sans Arabic web subset shipped for the pages draws the dots as separate marks,
and its PDF text came out with letters confused (ق read as ت); it is not used here.
"""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from homeward.diplomacy.queries import MeetingPack

__all__ = ["pack_response", "render_pack_pdf"]


def render_pack_pdf(pack: MeetingPack) -> bytes:
    """The pack in the active language (Arabic right to left), as PDF bytes."""
    from weasyprint import HTML  # imported here: it loads Pango, which pages never need

    html = render_to_string(
        "diplomacy/pack.html",
        {
            "pack": pack,
            "LANGUAGE_CODE": translation.get_language(),
            "LANGUAGE_BIDI": translation.get_language_bidi(),
        },
    )
    return HTML(string=html).write_pdf()


def pack_response(pack: MeetingPack, pdf: bytes, *, disposition: str) -> HttpResponse:
    """The PDF as the page ("inline") and the API ("attachment") answer it: never cached."""
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"meeting-pack-{pack.home_state.code}-{pack.today.isoformat()}.pdf"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
