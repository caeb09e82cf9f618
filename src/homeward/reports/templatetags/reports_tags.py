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
