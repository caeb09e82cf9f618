"""List display helpers: `person|masked_name`, `person|birth_year`, `{% reveal_name person %}`."""

from django import template

from homeward.people import masking

register = template.Library()


@register.filter
def masked_name(person) -> str:
    return masking.masked_name(person)


@register.filter
def mask_text(text) -> str:
    return masking.mask_text(str(text)) if text else ""


@register.filter
def birth_year(person) -> str:
    return masking.birth_year_display(person)


@register.inclusion_tag("people/_masked_name.html", takes_context=True)
def reveal_name(context, person, link=True) -> dict:
    """A list row's masked name, with a "Reveal" button that asks for the full one (htmx POST)."""
    return {"person": person, "link": link, "csrf_token": context.get("csrf_token")}
