"""Server-side SVG charts: the same markup goes into the pages and, unchanged, into WeasyPrint PDFs.

No JavaScript and no external fonts; values arrive as Decimal or None («нет данных»).
"""
from decimal import Decimal
from html import escape

PALETTE = ["#0d6efd", "#6f42c1", "#198754", "#fd7e14", "#dc3545", "#20c997", "#6c757d"]
FONT = "font-family='DejaVu Sans, Liberation Sans, Arial, sans-serif'"


def _fmt(value, unit="%"):
    if value is None:
        return "нет данных"
    text = f"{Decimal(value):.1f}".replace(".", ",")
    return f"{text} %" if unit == "%" else text


def bar_chart(items, *, target=None, unit="%", width=560, bar_height=18, max_value=None, title="",
              higher_is_better=True, target_label="цель"):
    """Horizontal bars. items: [(label, value)]; target: a vertical dashed line named `target_label`; bars on
    the wrong side of it (below, or above when less is better) are red."""
    label_width = 190
    gap = 6
    top = 24 if title else 6
    plot = width - label_width - 70
    values = [v for _, v in items if v is not None]
    scale_max = max_value or (100 if unit == "%" else max([*values, target or 0, 1]))
    height = top + len(items) * (bar_height + gap) + 22
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' class='chart' width='{width}' height='{height}' "
           f"viewBox='0 0 {width} {height}' role='img' aria-label='{escape(title)}'>"]
    if title:
        out.append(f"<text x='0' y='15' {FONT} font-size='12' font-weight='bold'>{escape(title)}</text>")
    for i, (label, value) in enumerate(items):
        y = top + i * (bar_height + gap)
        short = label if len(label) <= 30 else label[:29] + "…"
        out.append(f"<text x='{label_width - 6}' y='{y + bar_height - 5}' {FONT} font-size='11' "
                   f"text-anchor='end'>{escape(short)}</text>")
        if value is None:
            out.append(f"<text x='{label_width + 4}' y='{y + bar_height - 5}' {FONT} font-size='11' "
                       f"fill='#6c757d' font-style='italic'>нет данных</text>")
            continue
        w = max(1.0, float(value) / float(scale_max) * plot) if scale_max else 1.0
        short_of = target is not None and (Decimal(value) < Decimal(target) if higher_is_better
                                           else Decimal(value) > Decimal(target))
        color = "#dc3545" if short_of else PALETTE[0]
        out.append(f"<rect x='{label_width}' y='{y}' width='{w:.1f}' height='{bar_height}' fill='{color}' rx='2'/>")
        out.append(f"<text x='{label_width + w + 4:.1f}' y='{y + bar_height - 5}' {FONT} font-size='11'>"
                   f"{_fmt(value, unit)}</text>")
    axis_y = top + len(items) * (bar_height + gap)
    out.append(f"<line x1='{label_width}' y1='{top - 2}' x2='{label_width}' y2='{axis_y}' stroke='#adb5bd'/>")
    if target is not None and scale_max:
        x = label_width + float(target) / float(scale_max) * plot
        out.append(f"<line x1='{x:.1f}' y1='{top - 2}' x2='{x:.1f}' y2='{axis_y}' stroke='#212529' "
                   f"stroke-dasharray='4 3'/>")
        out.append(f"<text x='{x:.1f}' y='{axis_y + 14}' {FONT} font-size='10' text-anchor='middle'>"
                   f"{escape(target_label)} {_fmt(target, unit)}</text>")
    out.append("</svg>")
    return "".join(out)


def line_chart(series, labels, *, unit="%", width=560, height=220, title=""):
    """Lines over years. series: [(name, [value|None per label])]."""
    left, right, top, bottom = 44, 130, 24 if title else 10, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _, vals in series for v in vals if v is not None]
    vmax = 100 if unit == "%" else (max(values) * Decimal("1.1") if values else 1)
    vmax = float(vmax) or 1.0
    step = plot_w / max(1, len(labels) - 1)
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' class='chart' width='{width}' height='{height}' "
           f"viewBox='0 0 {width} {height}' role='img' aria-label='{escape(title)}'>"]
    if title:
        out.append(f"<text x='0' y='15' {FONT} font-size='12' font-weight='bold'>{escape(title)}</text>")
    for frac in (0, 0.25, 0.5, 0.75, 1):
        y = top + plot_h * (1 - frac)
        out.append(f"<line x1='{left}' y1='{y:.1f}' x2='{left + plot_w}' y2='{y:.1f}' stroke='#e9ecef'/>")
        out.append(f"<text x='{left - 4}' y='{y + 4:.1f}' {FONT} font-size='10' text-anchor='end'>"
                   f"{vmax * frac:.0f}</text>")
    for i, label in enumerate(labels):
        x = left + i * step
        out.append(f"<text x='{x:.1f}' y='{height - 8}' {FONT} font-size='10' text-anchor='middle'>"
                   f"{escape(str(label))}</text>")
    for n, (name, vals) in enumerate(series):
        color = PALETTE[n % len(PALETTE)]
        points = [(left + i * step, top + plot_h * (1 - float(v) / vmax)) for i, v in enumerate(vals) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            out.append(f"<polyline points='{path}' fill='none' stroke='{color}' stroke-width='2'/>")
        for x, y in points:
            out.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='3' fill='{color}'/>")
        ly = top + 14 * n + 8
        out.append(f"<rect x='{left + plot_w + 10}' y='{ly - 8}' width='10' height='10' fill='{color}'/>")
        out.append(f"<text x='{left + plot_w + 24}' y='{ly + 1}' {FONT} font-size='11'>{escape(name[:16])}</text>")
    out.append("</svg>")
    return "".join(out)
