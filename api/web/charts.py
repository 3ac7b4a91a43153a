"""Server-rendered SVG charts: no JavaScript, no CDN, readable by screen readers."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from core.formatting import compact_money

PALETTE = ["#2f6f4f", "#6b9e3a", "#d8a531", "#d9742b", "#b8322f", "#7a1f1c"]


def _fmt(value: Decimal | float) -> str:
    return compact_money(Decimal(str(value)))


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[Decimal | float],
    *,
    width: int = 520,
    height: int = 240,
    colors: Sequence[str] = PALETTE,
) -> str:
    top = max([float(v) for v in values] + [1.0])
    pad_left, pad_bottom, pad_top = 48, 34, 38
    plot_h = height - pad_bottom - pad_top
    slot = (width - pad_left - 10) / max(len(values), 1)
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<text x="{pad_left}" y="16" class="chart-title">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * float(value) / top
        x = pad_left + i * slot + slot * 0.15
        y = pad_top + plot_h - h
        color = colors[i % len(colors)]
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" fill="{color}">'
            f"<title>{escape(label)}: {float(value):,.2f}</title></rect>"
        )
        parts.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle" class="chart-value">{_fmt(value)}</text>'
        )
        parts.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{height - 12}" text-anchor="middle" class="chart-label">{escape(label)}</text>'
        )
    parts.append(
        f'<line x1="{pad_left}" y1="{pad_top + plot_h}" x2="{width - 10}" y2="{pad_top + plot_h}" stroke="#999"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[Decimal | float | None]],
    *,
    width: int = 520,
    height: int = 240,
) -> str:
    values = [float(v) for s in series.values() for v in s if v is not None]
    top, bottom = (max(values) if values else 1.0), (min(values + [0.0]) if values else 0.0)
    span = (top - bottom) or 1.0
    pad_left, pad_bottom, pad_top = 48, 34, 38
    plot_w, plot_h = width - pad_left - 10, height - pad_bottom - pad_top
    step = plot_w / max(len(labels) - 1, 1)
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<text x="{pad_left}" y="16" class="chart-title">{escape(title)}</text>',
    ]
    for frac in (0, 0.5, 1):
        y = pad_top + plot_h * (1 - frac)
        parts.append(
            f'<line x1="{pad_left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="#e3e3e3"/>'
        )
        parts.append(
            f'<text x="{pad_left - 6}" y="{y + 4:.1f}" text-anchor="end" class="chart-label">{_fmt(bottom + span * frac)}</text>'
        )
    for n, (name, points) in enumerate(series.items()):
        color = PALETTE[(n * 3) % len(PALETTE)]
        coords = [
            (pad_left + i * step, pad_top + plot_h * (1 - (float(v) - bottom) / span))
            for i, v in enumerate(points)
            if v is not None
        ]
        if coords:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            parts.append(
                f'<polyline fill="none" stroke="{color}" stroke-width="2.5" points="{path}"><title>{escape(name)}</title></polyline>'
            )
            for x, y in coords:
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"/>')
        parts.append(
            f'<text x="{width - 12}" y="{16 + 14 * n}" text-anchor="end" fill="{color}" class="chart-legend">{escape(name)}</text>'
        )
    every = max(1, len(labels) // 8)
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(
                f'<text x="{pad_left + i * step:.1f}" y="{height - 12}" text-anchor="middle" class="chart-label">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
