"""Charts drawn on the server as SVG: the geometry, and the markup (`svg`, the template tag
`svg_chart` in core/templatetags/charts.py).

Every chart is laid out left to right, then mirrored for a right-to-left page, so in Arabic the
labels stand on the right and time runs from right to left. Text is anchored by its logical
side (the SVG inherits the page's direction: "start" is the right edge in Arabic). No value is
told by colour alone: each bar and cell carries its number, and each band its own pattern.
"""

from dataclasses import dataclass, replace

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

FONT_SIZE = 14
LABEL_WIDTH = 200
GAP = 8


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    value: int
    band: int = 0
    # Where the box's number is written (inside, centred, when it fits; None when it does not).
    text_x: float | None = None
    text_y: float = 0
    dark: bool = False


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    boxes: tuple
    texts: tuple
    rtl: bool


class _Canvas:
    """Collects boxes and texts in left-to-right coordinates; `chart()` mirrors them for RTL."""

    def __init__(self, width, rtl):
        self.width = width
        self.rtl = rtl
        self.boxes = []
        self.texts = []

    def box(self, x, y, width, height, *, value, band=0, text_inside=True, dark=False):
        fits = text_inside and width >= len(str(value)) * FONT_SIZE * 0.6 + 4
        text_x = x + width / 2 if fits else None
        self.boxes.append(Box(x, y, width, height, value, band, text_x, y + height / 2 + 5, dark))

    def text(self, x, y, text, anchor="start"):
        self.texts.append(Text(x, y, str(text), anchor))

    def chart(self, height):
        if not self.rtl:
            return Chart(self.width, height, tuple(self.boxes), tuple(self.texts), rtl=False)
        boxes = [
            replace(
                box,
                x=self.width - box.x - box.width,
                text_x=None if box.text_x is None else self.width - box.text_x,
            )
            for box in self.boxes
        ]
        texts = [replace(text, x=self.width - text.x) for text in self.texts]
        return Chart(self.width, height, tuple(boxes), tuple(texts), rtl=True)


def stacked_bars(rows, rtl, width=640, bar_height=30):
    """Horizontal bars, one per row, each made of its bands: `rows` is [(label, [value per
    band])]. The row's total is written after its bar."""
    canvas = _Canvas(width, rtl)
    # Room after the longest bar for its total.
    scale_width = width - LABEL_WIDTH - GAP - 60
    largest = max((sum(values) for _label, values in rows), default=0) or 1
    y = GAP
    for label, values in rows:
        canvas.text(0, y + bar_height / 2 + 5, label)
        x = LABEL_WIDTH + GAP
        for band, value in enumerate(values):
            if value:
                segment = value / largest * scale_width
                canvas.box(x, y, segment, bar_height, value=value, band=band)
                x += segment
        canvas.text(x + GAP, y + bar_height / 2 + 5, sum(values))
        y += bar_height + GAP
    return canvas.chart(y)


def column_bars(values, labels, rtl, width=640, height=220):
    """Vertical bars, one per label, in reading order (time from the start side): `values` are
    numbers or None (no bar, a dash written instead)."""
    canvas = _Canvas(width, rtl)
    top, bottom = FONT_SIZE + GAP, height - FONT_SIZE - 2 * GAP
    column = width / max(len(labels), 1)
    largest = max((value for value in values if value is not None), default=0) or 1
    for index, (value, label) in enumerate(zip(values, labels, strict=True)):
        x = index * column
        canvas.text(x + column / 2, height - GAP, label, anchor="middle")
        if value is None:
            canvas.text(x + column / 2, bottom - GAP, "–", anchor="middle")
            continue
        bar_height = value / largest * (bottom - top)
        canvas.box(x + column * 0.2, bottom - bar_height, column * 0.6, bar_height, value=value, text_inside=False)
        canvas.text(x + column / 2, bottom - bar_height - 4, value, anchor="middle")
    return canvas.chart(height)


def grid(rows, column_labels, rtl, column=48, cell_height=30):
    """A table of numbers as shaded cells: `rows` is [(label, [value per column])]. Each cell
    writes its number; the shade (four steps) only repeats it."""
    canvas = _Canvas(LABEL_WIDTH + GAP + column * len(column_labels), rtl)
    largest = max((max(values, default=0) for _label, values in rows), default=0) or 1
    for index, label in enumerate(column_labels):
        canvas.text(LABEL_WIDTH + GAP + (index + 0.5) * column, FONT_SIZE + 2, label, anchor="middle")
    y = FONT_SIZE + 2 * GAP
    for label, values in rows:
        canvas.text(0, y + cell_height / 2 + 5, label)
        for index, value in enumerate(values):
            shade = 0 if not value else min(int(value / largest * 4 - 1e-9) + 1, 4)
            x = LABEL_WIDTH + GAP + index * column
            canvas.box(x + 1, y, column - 2, cell_height - 2, value=value, band=shade, dark=shade >= 3)
        y += cell_height
    return canvas.chart(y + GAP)


def svg(chart, chart_id, kind, title, description):
    """The chart's markup: role="img" with its title and description (its numbers are in the
    table beside it); each box's class names its kind and band, for its colour and pattern.

    Written here, not in a template: the supervisors' dashboard draws a few hundred boxes, and a
    template's loop spent about 10 µs on each (two thirds of the page, docs/performance.md)."""
    direction = "rtl" if chart.rtl else "ltr"
    head = (
        f'<svg class="chart" viewBox="0 0 {chart.width} {chart.height}" width="{chart.width}" '
        f'height="{chart.height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'direction="{direction}">\n<title id="{chart_id}-title">{conditional_escape(title)}</title>\n'
        f'<desc id="{chart_id}-desc">{conditional_escape(description)}</desc>\n'
    )
    parts = [head]
    for box in chart.boxes:
        band = f"chart-{kind}-{box.band}"
        parts.append(
            f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" height="{box.height:.1f}" class="{band}"/>'
        )
        if box.text_x is not None:
            parts.append(
                f'<text x="{box.text_x:.1f}" y="{box.text_y:.1f}" text-anchor="middle" '
                f'class="chart-value {band}-text">{conditional_escape(box.value)}</text>'
            )
        parts.append("\n")
    for text in chart.texts:
        parts.append(
            f'<text x="{text.x:.1f}" y="{text.y:.1f}" text-anchor="{text.anchor}">'
            f"{conditional_escape(text.text)}</text>\n"
        )
    parts.append("</svg>")
    # Every text from outside (the title, the description, the labels, the numbers) is escaped above,
    # as a template's {{ }} escapes: a text already safe (a `blocktranslate asvar`, whose variables
    # it escaped itself) is kept as it is, not escaped twice.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703
