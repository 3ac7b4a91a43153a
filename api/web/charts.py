"""Server-rendered SVG charts: no JavaScript, no CDN, and their numbers as a table.

Each chart is a :class:`Chart`: the SVG (a picture with a title for screen readers), a
legend with colour swatches *and* names, and the same numbers as rows for a data table
under it. A period still running (this month so far) is drawn dashed and named partial,
never as a plunge to nearly zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from core.formatting import compact_money, number

PALETTE = ["#2f6f4f", "#6b9e3a", "#b07f12", "#c2571a", "#b8322f", "#7a1f1c"]
SERIES_COLOURS = ["#2f6f4f", "#c2571a", "#1f5fbf"]
Value = Decimal | float | None


@dataclass
class Chart:
    title: str
    svg: str
    columns: list[str]
    rows: list[list[str]]
    legend: list[tuple[str, str]] = field(default_factory=list)  # (name, colour)
    note: str = ""


def _fmt(value: Decimal | float) -> str:
    amount = Decimal(str(value))
    return compact_money(amount) if abs(amount) >= 1000 else number(amount)


def _cell(value: Value) -> str:
    if value is None:
        return "—"
    return number(Decimal(str(value)).quantize(Decimal("0.01")), places=2)


def _open(title: str, width: int, height: int) -> list[str]:
    return [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<text x="8" y="18" class="chart-title">{escape(title)}</text>',
    ]


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[Decimal | float],
    *,
    width: int = 520,
    height: int = 250,
    colors: Sequence[str] = PALETTE,
) -> Chart:
    top = max([float(v) for v in values] + [1.0])
    pad_left, pad_bottom, pad_top = 12, 36, 44
    plot_h = height - pad_bottom - pad_top
    slot = (width - pad_left - 10) / max(len(values), 1)
    parts = _open(title, width, height)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * float(value) / top
        x = pad_left + i * slot + slot * 0.15
        y = pad_top + plot_h - h
        color = colors[i % len(colors)]
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" fill="{color}">'
            f"<title>{escape(label)}: {_cell(value)}</title></rect>"
        )
        parts.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{y - 5:.1f}" text-anchor="middle" class="chart-value">{_fmt(value)}</text>'
        )
        parts.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{height - 12}" text-anchor="middle" class="chart-label">{escape(label)}</text>'
        )
    parts.append(
        f'<line x1="{pad_left}" y1="{pad_top + plot_h}" x2="{width - 10}" y2="{pad_top + plot_h}" stroke="#767676"/>'
    )
    parts.append("</svg>")
    rows = [[label, _cell(v)] for label, v in zip(labels, values, strict=True)]
    return Chart(title, "".join(parts), ["", "Amount"], rows)


def line_chart(
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[Value]],
    *,
    width: int = 520,
    height: int = 250,
    partial_last: str = "",
) -> Chart:
    """Lines per series; ``partial_last`` (e.g. "to 23 Nov") marks the last period as
    still running: its segment is dashed and its label says so."""
    values = [float(v) for s in series.values() for v in s if v is not None]
    top, bottom = (max(values) if values else 1.0), (min(values + [0.0]) if values else 0.0)
    span = (top - bottom) or 1.0
    pad_left, pad_bottom, pad_top = 56, 36, 44
    plot_w, plot_h = width - pad_left - 14, height - pad_bottom - pad_top
    step = plot_w / max(len(labels) - 1, 1)
    parts = _open(title, width, height)
    for frac in (0, 0.5, 1):
        y = pad_top + plot_h * (1 - frac)
        parts.append(
            f'<line x1="{pad_left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="#e3e3e3"/>'
        )
        parts.append(
            f'<text x="{pad_left - 6}" y="{y + 4:.1f}" text-anchor="end" class="chart-label">{_fmt(bottom + span * frac)}</text>'
        )
    legend = []
    for n, (name, points) in enumerate(series.items()):
        color = SERIES_COLOURS[n % len(SERIES_COLOURS)]
        legend.append((name, color))
        coords = [
            (pad_left + i * step, pad_top + plot_h * (1 - (float(v) - bottom) / span))
            for i, v in enumerate(points)
            if v is not None
        ]
        solid = coords[:-1] if partial_last and len(coords) > 1 else coords
        if solid:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in solid)
            parts.append(
                f'<polyline fill="none" stroke="{color}" stroke-width="2.5" points="{path}"><title>{escape(name)}</title></polyline>'
            )
        if partial_last and len(coords) > 1:
            (x1, y1), (x2, y2) = coords[-2], coords[-1]
            parts.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{color}" '
                f'stroke-width="2.5" stroke-dasharray="5 4"><title>{escape(name)}, {escape(partial_last)} (partial)</title></line>'
            )
        for x, y in coords:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{color}"/>')
        lx = width - 12 - 120 * (len(series) - 1 - n)
        parts.append(
            f'<rect x="{lx - 104}" y="26" width="12" height="12" fill="{color}"/>'
            f'<text x="{lx - 88}" y="37" class="chart-legend">{escape(name)}</text>'
        )
    every = max(1, -(-len(labels) // 7))
    for i, label in enumerate(labels):
        last = i == len(labels) - 1
        if i % every == 0 or last:
            text = f"{label}*" if last and partial_last else label
            anchor = "end" if last and len(labels) > 1 else "middle"
            x = pad_left + i * step + (6 if anchor == "end" else 0)
            parts.append(
                f'<text x="{x:.1f}" y="{height - 12}" text-anchor="{anchor}" class="chart-label">{escape(text)}</text>'
            )
    parts.append("</svg>")
    names = list(series)
    rows = [
        [f"{label} ({partial_last}, partial)" if partial_last and i == len(labels) - 1 else label]
        + [_cell(series[s][i]) for s in names]
        for i, label in enumerate(labels)
    ]
    note = f"* {labels[-1]} is partial: {partial_last}." if partial_last and labels else ""
    return Chart(title, "".join(parts), ["", *names], rows, legend, note)
