"""Server-rendered SVG charts (no JavaScript, no library): horizontal bars and grouped monthly bars.
Every label is escaped; the result is safe to put in a page as markup."""

from __future__ import annotations

import html
from collections.abc import Sequence

from markupsafe import Markup

COLORS = ("#1f5f8b", "#e07a1f", "#3c8d40", "#8b3c8b", "#c0392b", "#607d8b")
ROW_HEIGHT = 26
WIDTH = 360
LABEL_WIDTH = 150


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def bar_chart(
    items: Sequence[tuple[str, float]], *, title: str, unit: str = "", percent: bool = False
) -> Markup:
    """One horizontal bar per (label, value); values shown at the bar end."""
    if not items:
        return Markup(f'<p class="leeg">{_e(title)}: nog geen gegevens.</p>')
    top = max(value for _, value in items) or 1.0
    height = ROW_HEIGHT * len(items) + 8
    bars = []
    for row, (label, value) in enumerate(items):
        y = row * ROW_HEIGHT + 4
        width = (WIDTH - LABEL_WIDTH - 50) * (value / top)
        shown = f"{value:.0%}" if percent else f"{value:g}{unit}"
        short = label if len(label) <= 24 else label[:23] + "…"
        bars.append(
            f'<text x="0" y="{y + 16}" class="lbl">{_e(short)}<title>{_e(label)}</title></text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{width:.1f}" height="16" fill="{COLORS[0]}"/>'
            f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{y + 16}" class="val">{_e(shown)}</text>'
        )
    return Markup(
        f'<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{_e(title)}" class="chart">'
        f"<title>{_e(title)}</title>{''.join(bars)}</svg>"
    )


def monthly_chart(series: dict[str, dict[str, int]], months: Sequence[str], *, title: str) -> Markup:
    """Grouped vertical bars: per month one bar per series (at most len(COLORS) series), with a legend."""
    names = list(series)[: len(COLORS)]
    if not names or not months:
        return Markup(f'<p class="leeg">{_e(title)}: nog geen gegevens.</p>')
    top = max((series[n].get(m, 0) for n in names for m in months), default=0) or 1
    plot_h, group_w = 120, (WIDTH - 20) / len(months)
    bar_w = max(2.0, (group_w - 6) / len(names))
    parts = []
    for col, month in enumerate(months):
        x0 = 20 + col * group_w
        for k, name in enumerate(names):
            value = series[name].get(month, 0)
            h = plot_h * value / top
            parts.append(f'<rect x="{x0 + k * bar_w:.1f}" y="{10 + plot_h - h:.1f}" width="{bar_w - 1:.1f}" '
                         f'height="{h:.1f}" fill="{COLORS[k]}"><title>{_e(name)} {_e(month)}: {value}</title></rect>')  # fmt: skip
        parts.append(f'<text x="{x0:.1f}" y="{plot_h + 24}" class="val">{_e(month[2:])}</text>')
    legend_y = plot_h + 40
    for k, name in enumerate(names):
        y = legend_y + k * 18
        short = name if len(name) <= 40 else name[:39] + "…"
        parts.append(f'<rect x="20" y="{y}" width="12" height="12" fill="{COLORS[k]}"/>'
                     f'<text x="38" y="{y + 11}" class="lbl">{_e(short)}</text>')  # fmt: skip
    height = legend_y + 18 * len(names) + 4
    return Markup(f'<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{_e(title)}" class="chart">'
                  f"<title>{_e(title)}</title>{''.join(parts)}</svg>")  # fmt: skip
