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


@register.simple_tag(takes_context=True)
def behind(context, count, figure, **keys):
    """`{% behind n "pending" state=code %}`: the count, linked to the children behind it
    for readers who may see cases (reports.links); a plain number for the others. `mark`
    names the count for tests and scripts (`data-figure`)."""
    from django.utils.html import format_html

    from homeward.reports.links import behind_url

    mark = keys.pop("mark", "")
    shown = format_html('<span data-figure="{}">{}</span>', mark, count) if mark else count
    if not context.get("can_see_cases") or not count:
        return shown
    url = behind_url(figure, context["filters"], **keys)
    return format_html('<a href="{}" data-behind="{}">{}</a>', url, figure, shown)
