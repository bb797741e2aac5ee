"""Geometry of the trend chart, computed here so the SVG template only draws.

The report must print and open offline, so the chart is plain inline SVG: no script, no
fonts to fetch. Series differ by dash pattern as well as colour, for black-and-white print.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from portalspider.vocab import status_label

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 120, 16, 40
MAX_X_LABELS = 10
SERIES = (
    # key, label, colour, dash pattern
    ("stale", status_label("stale"), "#b03a2e", ""),
    ("undated", status_label("undated"), "#b9770e", "6 3"),
    ("blank", status_label("blank"), "#2e4053", "2 3"),
)


@dataclass(frozen=True)
class TrendPoint:
    """Problem counts seen by one finished run."""

    run_id: int
    day: dt.date
    stale: int
    undated: int
    blank: int


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    value: int
    day: dt.date


@dataclass
class Series:
    key: str
    label: str
    colour: str
    dash: str
    markers: list[Marker] = field(default_factory=list)

    @property
    def points(self) -> str:
        """The ``points`` attribute of the polyline."""
        return " ".join(f"{m.x:.1f},{m.y:.1f}" for m in self.markers)


@dataclass
class Chart:
    width: int
    height: int
    left: int
    top: int
    right_edge: int  # x of the plot's right border
    bottom_edge: int  # y of the x axis
    series: list[Series]
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, int]]

    @property
    def empty(self) -> bool:
        return not any(s.markers for s in self.series)


def _nice_max(value: int) -> int:
    """An axis top that gives whole-number ticks: 5, 10, 20, 50, 100, ..."""
    top = 5
    while top < value:
        top *= 2 if str(top).startswith(("1", "5")) else 2.5
        top = int(top)
    return top


def trend_chart(points: list[TrendPoint]) -> Chart:
    """One marker per run and series, oldest run on the left."""
    right_edge, bottom_edge = WIDTH - RIGHT, HEIGHT - BOTTOM
    plot_w, plot_h = right_edge - LEFT, bottom_edge - TOP
    peak = max((max(p.stale, p.undated, p.blank) for p in points), default=0)
    y_max = _nice_max(peak)

    def x_at(index: int) -> float:
        if len(points) == 1:
            return LEFT + plot_w / 2
        return LEFT + plot_w * index / (len(points) - 1)

    def y_at(value: int) -> float:
        return bottom_edge - plot_h * value / y_max

    series = []
    for key, label, colour, dash in SERIES:
        markers = [
            Marker(x_at(i), y_at(getattr(p, key)), getattr(p, key), p.day)
            for i, p in enumerate(points)
        ]
        series.append(Series(key, label, colour, dash, markers))
    step = max(1, math.ceil(len(points) / MAX_X_LABELS))
    x_labels = [(x_at(i), p.day.strftime("%m-%d")) for i, p in enumerate(points) if i % step == 0]
    y_ticks = [(y_at(v), v) for v in range(0, y_max + 1, max(1, y_max // 5))]
    return Chart(WIDTH, HEIGHT, LEFT, TOP, right_edge, bottom_edge, series, x_labels, y_ticks)
