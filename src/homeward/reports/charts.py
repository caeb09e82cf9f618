"""Server-side SVG charts: no JavaScript, no CDN, printable, right to left in Arabic.

Each function returns SVG markup (safe: every label is escaped here). Colours are the
Okabe–Ito palette, distinguishable with the common colour-vision deficiencies; each series
is also named in a legend and in the <title> of its marks (hover, screen readers), and the
page beside the chart has the same numbers as a table. In a right-to-left language the time
axis runs from right to left and the legend is aligned to the right.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

__all__ = ["PALETTE", "bar_chart", "line_chart", "stacked_bar_chart"]

PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 48, 16, 56  # room for the value axis on either side


def _rtl() -> bool:
    return translation.get_language_bidi()


def _x(position: float) -> float:
    """Map 0..1 along the time axis to pixels, mirrored in right-to-left languages."""
    span = WIDTH - LEFT - RIGHT
    return (WIDTH - RIGHT - position * span) if _rtl() else (LEFT + position * span)


def _y(value: float, top: float) -> float:
    span = HEIGHT - TOP - BOTTOM
    return HEIGHT - BOTTOM - (value / top if top else 0) * span


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1
    step = 10 ** (len(str(int(value))) - 1)
    return ((int(value) // step) + 1) * step


def _frame(title: str, body: list[str], top: float, legend: list[tuple[str, str]]) -> SafeString:
    grid = []
    for i in range(5):
        value = top * i / 4
        y = _y(value, top)
        grid.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#ddd" stroke-width="1"/>'
        )
        anchor_x = (WIDTH - RIGHT + 4) if _rtl() else (LEFT - 4)
        anchor = "start" if _rtl() else "end"
        grid.append(
            f'<text x="{anchor_x}" y="{y + 4:.1f}" font-size="11" text-anchor="{anchor}" '
            f'fill="#333">{int(value):,}</text>'
        )
    keys = []
    per_row = 4
    column_width = (WIDTH - LEFT - RIGHT) / per_row
    rows = -(-len(legend) // per_row)
    for index, (label, colour) in enumerate(legend):
        column, row = index % per_row, index // per_row
        y = HEIGHT - 22 + row * 16
        if _rtl():
            x = WIDTH - RIGHT - 10 - column * column_width
            text_x, anchor = x - 4, "end"
        else:
            x = LEFT + column * column_width
            text_x, anchor = x + 14, "start"
        keys.append(
            f'<rect x="{x:.1f}" y="{y - 9}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{text_x:.1f}" y="{y}" font-size="11" text-anchor="{anchor}" '
            f'fill="#222">{escape(label)}</text>'
        )
    height = HEIGHT + max(rows - 1, 0) * 16
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'class="hw-chart" direction="ltr" data-direction="{"rtl" if _rtl() else "ltr"}" '
        f'aria-label="{escape(title)}" font-family="sans-serif"><title>{escape(title)}</title>'
        + "".join(grid + body + keys)
        + "</svg>"
    )
    return mark_safe(svg)  # noqa: S308  every label above is escaped


def _axis_labels(labels: Sequence[str], positions: Sequence[float], every: int = 1) -> list[str]:
    out = []
    for index, (label, position) in enumerate(zip(labels, positions, strict=True)):
        if index % every:
            continue
        out.append(
            f'<text x="{_x(position):.1f}" y="{HEIGHT - BOTTOM + 14}" font-size="10" '
            f'text-anchor="middle" fill="#333">{escape(label)}</text>'
        )
    return out


def line_chart(
    title: str,
    dates: Sequence[datetime.date],
    series: dict[str, Sequence[int]],
    names: dict[str, str],
) -> SafeString:
    """Cumulative lines over time (step lines: a total changes on a handover day)."""
    if not dates:
        return _frame(title, [], 1, [])
    first, last = dates[0], dates[-1]
    span = max((last - first).days, 1)
    positions = [(day - first).days / span for day in dates]
    top = _nice_top(max((max(values) for values in series.values()), default=0))
    body, legend = [], []
    for index, (code, values) in enumerate(series.items()):
        colour = PALETTE[index % len(PALETTE)]
        points = []
        previous = 0
        for position, value in zip(positions, values, strict=True):
            points.append(f"{_x(position):.1f},{_y(previous, top):.1f}")
            points.append(f"{_x(position):.1f},{_y(value, top):.1f}")
            previous = value
        label = names.get(code, code)
        body.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
            f'points="{" ".join(points)}"><title>{escape(label)}: {previous:,}</title></polyline>'
        )
        legend.append((f"{label} ({previous:,})", colour))
    years = sorted({day.year for day in dates})
    ticks = [(str(year), (datetime.date(year, 1, 1) - first).days / span) for year in years]
    ticks = [(label, pos) for label, pos in ticks if 0 <= pos <= 1]
    body += _axis_labels([t[0] for t in ticks], [t[1] for t in ticks])
    return _frame(title, body, top, legend)


def bar_chart(title: str, labels: Sequence[str], values: Sequence[int]) -> SafeString:
    """One bar per label (a month, an operation), in time order along the axis."""
    count = len(labels)
    if not count:
        return _frame(title, [], 1, [])
    top = _nice_top(max(values))
    slot = 1 / count
    width = (WIDTH - LEFT - RIGHT) * slot * 0.8
    body = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        centre = _x((index + 0.5) * slot)
        y = _y(value, top)
        body.append(
            f'<rect x="{centre - width / 2:.1f}" y="{y:.1f}" width="{width:.1f}" '
            f'height="{HEIGHT - BOTTOM - y:.1f}" fill="{PALETTE[0]}">'
            f"<title>{escape(label)}: {value:,}</title></rect>"
        )
    every = max(1, count // 12)
    body += _axis_labels(labels, [(i + 0.5) * slot for i in range(count)], every)
    return _frame(title, body, top, [])


def stacked_bar_chart(
    title: str,
    groups: Sequence[str],
    stacks: dict[str, dict[str, int]],
    stack_names: dict[str, str],
    group_names: dict[str, str],
) -> SafeString:
    """One bar per group (a nationality), stacked by key (a case status)."""
    count = len(groups)
    if not count:
        return _frame(title, [], 1, [])
    keys = list(stacks)
    totals = [sum(stacks[key].get(group, 0) for key in keys) for group in groups]
    top = _nice_top(max(totals))
    slot = 1 / count
    width = (WIDTH - LEFT - RIGHT) * slot * 0.8
    body = []
    colours = {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(keys)}
    for index, group in enumerate(groups):
        centre = _x((index + 0.5) * slot)
        base = 0
        for key in keys:
            value = stacks[key].get(group, 0)
            if not value:
                continue
            y_top, y_base = _y(base + value, top), _y(base, top)
            body.append(
                f'<rect x="{centre - width / 2:.1f}" y="{y_top:.1f}" width="{width:.1f}" '
                f'height="{y_base - y_top:.1f}" fill="{colours[key]}" stroke="#fff" '
                f'stroke-width="0.5"><title>{escape(group_names.get(group, group))} · '
                f"{escape(stack_names.get(key, key))}: {value:,}</title></rect>"
            )
            base += value
    body += _axis_labels([group for group in groups], [(i + 0.5) * slot for i in range(count)])
    legend = [(stack_names.get(key, key), colours[key]) for key in keys]
    return _frame(title, body, top, legend)
