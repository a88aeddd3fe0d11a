"""The execution's charts: stacked bars of the rows' states, laid out once here and drawn twice
— as SVG in the pages (`reports/chart.svg.html`, each segment a link to its rows, with a table
beside it) and as PNG in the annual report's DOCX (`png`, Pillow with the shipped font).

The visual language is the year timeline's: labels of 13 pixels in a column on the left,
stripes on alternate lines, bars 18 pixels high, one colour per state
(execution.STATE_COLOURS), the numbers written inside a segment wide enough to hold them.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from civicplan.reports.execution import STATE_COLOURS, STATE_LABELS, STATES, Group

WIDTH = 760
LABEL_WIDTH = 230
TOTAL_WIDTH = 50  # the line's total, right of its bar
ROW = 28
BAR = 18
LEGEND = 30  # the legend's line above the bars
FONT_SIZE = 13
NUMBER_MIN_WIDTH = 24  # a segment narrower than this shows its number only on hover
LABEL_CHARACTERS = 34  # a longer label is cut, whole in the title


@dataclass
class Segment:
    state: str
    count: int
    x: float
    width: float
    colour: str
    url: str
    title: str
    show_number: bool

    @property
    def middle(self) -> float:
        return self.x + self.width / 2


@dataclass
class Bar:
    label: str
    full_label: str
    y: int
    text_y: int
    total: int
    total_x: int
    url: str
    segments: list[Segment] = field(default_factory=list)


@dataclass
class LegendItem:
    state: str
    label: str
    colour: str
    x: int


@dataclass
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    label_width: int
    plot_width: int
    bars: list[Bar]
    legend: list[LegendItem]
    stripes: list[int]
    bar: int = BAR
    row: int = ROW
    font_size: int = FONT_SIZE


def stacked_chart(
    chart_id: str,
    title: str,
    description: str,
    groups: Sequence[Group],
    url_for: Callable[[str, str], str],
) -> Chart:
    """One bar per group, its segments the states' counts, all bars on one scale (the largest
    group fills the plot). `url_for(group_key, state)` is the link to the rows behind a
    segment (state "" for the whole line)."""
    plot_width = WIDTH - LABEL_WIDTH - TOTAL_WIDTH
    largest = max((group.tally.total for group in groups), default=0) or 1
    bars = []
    for index, group in enumerate(groups):
        y = LEGEND + index * ROW
        bar = Bar(
            label=_cut(group.label),
            full_label=group.label,
            y=y + (ROW - BAR) // 2,
            text_y=y + ROW // 2 + FONT_SIZE // 2 - 1,
            total=group.tally.total,
            total_x=WIDTH - 4,
            url=url_for(group.key, ""),
        )
        x = float(LABEL_WIDTH)
        for state, count in group.tally.cells():
            if not count:
                continue
            width = plot_width * count / largest
            bar.segments.append(
                Segment(
                    state=state,
                    count=count,
                    x=round(x, 1),
                    width=round(width, 1),
                    colour=STATE_COLOURS[state],
                    url=url_for(group.key, state),
                    title=f"{group.label}: {STATE_LABELS[state]} — {count}",
                    show_number=width >= NUMBER_MIN_WIDTH + 6 * (len(str(count)) - 1),
                )
            )
            x += width
        bars.append(bar)
    legend, x = [], LABEL_WIDTH
    for state in STATES:
        label = str(STATE_LABELS[state])
        legend.append(LegendItem(state, label, STATE_COLOURS[state], x))
        x += 22 + 7 * len(label) + 16
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        width=WIDTH,
        height=LEGEND + len(bars) * ROW + 4,
        label_width=LABEL_WIDTH,
        plot_width=plot_width,
        bars=bars,
        legend=legend,
        stripes=[LEGEND + i * ROW for i in range(0, len(bars), 2)],
    )


def _cut(label: str) -> str:
    label = " ".join(label.split())
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


# -- PNG, for the DOCX report ---------------------------------------------------------------------

FONTS_DIR = Path(__file__).resolve().parents[1] / "static" / "fonts"
SCALE = 2  # pixels per SVG unit: sharp when Word prints the picture at its width


def png(chart: Chart) -> bytes:
    """The chart as a PNG picture, drawn as the SVG is (Pillow; the project's own font)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONTS_DIR / "LiberationSerif-Regular.ttf"), FONT_SIZE * SCALE)
    bold = ImageFont.truetype(str(FONTS_DIR / "LiberationSerif-Bold.ttf"), FONT_SIZE * SCALE)
    image = Image.new("RGB", (chart.width * SCALE, chart.height * SCALE), "white")
    draw = ImageDraw.Draw(image)

    def box(x: float, y: float, width: float, height: float) -> list[float]:
        return [x * SCALE, y * SCALE, (x + width) * SCALE, (y + height) * SCALE]

    for y in chart.stripes:
        draw.rectangle(box(0, y, chart.width, chart.row), fill="#f4f6f8")
    for item in chart.legend:
        draw.rounded_rectangle(box(item.x, 8, 16, 12), radius=2 * SCALE, fill=item.colour)
        draw.text(
            ((item.x + 22) * SCALE, 20 * SCALE), item.label, font=font, fill="#1b1f24", anchor="ls"
        )
    for bar in chart.bars:
        draw.text(
            ((chart.label_width - 8) * SCALE, bar.text_y * SCALE),
            bar.label,
            font=font,
            fill="#1b1f24",
            anchor="rs",
        )
        for segment in bar.segments:
            draw.rectangle(box(segment.x, bar.y, segment.width, chart.bar), fill=segment.colour)
            if segment.show_number:
                draw.text(
                    (segment.middle * SCALE, bar.text_y * SCALE),
                    str(segment.count),
                    font=bold,
                    fill="white",
                    anchor="ms",
                )
        draw.text(
            (bar.total_x * SCALE, bar.text_y * SCALE),
            str(bar.total),
            font=bold,
            fill="#1b1f24",
            anchor="rs",
        )
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
