"""Template helpers of the statistics pages."""

from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """`names|lookup:code`: a dict entry in a template, or the key itself when missing."""
    try:
        return mapping.get(key, key)
    except AttributeError:
        return key


@register.filter
def country_name(code, english_name):
    """`code|country_name:name`: the country's name in the active language."""
    from homeward.core.countries import localized_country_name

    return localized_country_name(code, english_name)
