"""The charts of indicators.charts as PNG for Word, which cannot show SVG.

Not a general SVG renderer: it draws the elements those charts use (rect, line, polyline, circle, text with
text-anchor, font-size, font-weight, fill, stroke-dasharray) with Pillow, so the DOCX shows the same bars, target
lines and values as the page and the PDF. Returns None when the markup holds anything else or no font is found,
and the caller writes the caption with a note instead."""
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

SCALE = 3
FONTS = {
    False: ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"],
    True: ["/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
           "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"],
}
KNOWN = {"svg", "rect", "line", "polyline", "circle", "text", "title", "g"}


def _font(size, bold):
    from PIL import ImageFont

    for path in FONTS[bold]:
        if Path(path).exists():
            return ImageFont.truetype(path, int(size * SCALE))
    return None


def _num(value, default=0.0):
    try:
        return float(re.sub(r"[^0-9.\-]", "", value)) if value not in (None, "") else default
    except ValueError:
        return default


def _color(value, default):
    if not value or value == "none":
        return default if value is None else None
    return value


def _dashed(draw, x1, y1, x2, y2, fill, width, dash):
    import math

    on, off = dash
    length = math.hypot(x2 - x1, y2 - y1) or 1
    dx, dy = (x2 - x1) / length, (y2 - y1) / length
    pos = 0.0
    while pos < length:
        end = min(pos + on, length)
        draw.line([(x1 + dx * pos, y1 + dy * pos), (x1 + dx * end, y1 + dy * end)], fill=fill, width=width)
        pos = end + off


def png(svg):
    """(PNG bytes, width, height) of one chart (SVG text or element), or None."""
    try:
        from PIL import Image, ImageDraw
    except ImportError:
        return None
    if isinstance(svg, ET.Element):
        root = svg  # already parsed (the DOCX writer's tree of the document)
    else:
        try:
            root = ET.fromstring(str(svg))
        except ET.ParseError:
            return None
    tag = lambda el: el.tag.rsplit("}", 1)[-1]  # noqa: E731
    if any(tag(el) not in KNOWN for el in root.iter()):
        return None
    width, height = _num(root.get("width"), 560), _num(root.get("height"), 200)
    image = Image.new("RGB", (int(width * SCALE), int(height * SCALE)), "white")
    draw = ImageDraw.Draw(image)
    s = SCALE
    for el in root.iter():
        kind = tag(el)
        if kind == "rect":
            x, y, w, h = (_num(el.get(k)) * s for k in ("x", "y", "width", "height"))
            draw.rounded_rectangle([x, y, x + max(w, 1), y + h], radius=_num(el.get("rx")) * s,
                                   fill=_color(el.get("fill"), "black"))
        elif kind == "line":
            pts = [_num(el.get(k)) * s for k in ("x1", "y1", "x2", "y2")]
            stroke = _color(el.get("stroke"), "black")
            dash = el.get("stroke-dasharray")
            if dash:
                _dashed(draw, *pts, stroke, s, [float(d) * s for d in dash.split()[:2]])
            else:
                draw.line(pts, fill=stroke, width=max(1, int(_num(el.get("stroke-width"), 1) * s)))
        elif kind == "polyline":
            nums = [float(n) * s for n in re.findall(r"-?[\d.]+", el.get("points") or "")]
            pts = list(zip(nums[::2], nums[1::2]))
            if len(pts) > 1:
                draw.line(pts, fill=_color(el.get("stroke"), "black"),
                          width=max(1, int(_num(el.get("stroke-width"), 1) * s)))
        elif kind == "circle":
            cx, cy, r = (_num(el.get(k)) * s for k in ("cx", "cy", "r"))
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=_color(el.get("fill"), "black"))
        elif kind == "text":
            text = "".join(el.itertext())
            font = _font(_num(el.get("font-size"), 11), el.get("font-weight") == "bold")
            if font is None:
                return None
            x, y = _num(el.get("x")) * s, _num(el.get("y")) * s
            anchor = {"end": "rs", "middle": "ms"}.get(el.get("text-anchor"), "ls")
            draw.text((x, y), text, font=font, fill=_color(el.get("fill"), "black"), anchor=anchor)
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue(), width, height
