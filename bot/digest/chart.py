"""The /stats chart: items per topic per day and digest messages per day over 30 days, as a
PNG drawn with matplotlib's Agg backend (no display needed), labelled in the reader's language.

Pure: figures in, PNG bytes out. matplotlib is imported on first use, so a bot whose admins
never ask for /stats does not carry it in memory. The object API (Figure, not pyplot) keeps
no global state, so drawing in a worker thread is safe.
"""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.text.texts import format_number, format_short_date, plural, t

WIDTH, HEIGHT, DPI = 10.0, 7.5, 100  # 1000 × 750 pixels
MAX_LINES = 8  # more topics than this would be an unreadable tangle; the rest are summed
PNG_KEY = "Warta-Data"  # the PNG text chunk holding the plotted figures, for checking


@dataclass(frozen=True)
class ChartData:
    """What the chart plots: one value per day for each series. Tuples: the figures are the
    key of the charts kept (render_stats_chart)."""

    days: tuple[date, ...]
    per_topic: tuple[tuple[str, tuple[int, ...]], ...]  # (topic name, items that day)
    messages: tuple[int, ...]  # digest messages delivered that day

    def as_json(self) -> str:
        """The plotted figures, stored in the PNG so what it shows can be checked."""
        return json.dumps(
            {
                "days": [d.isoformat() for d in self.days],
                "topics": {name: list(values) for name, values in self.per_topic},
                "messages": list(self.messages),
            },
            ensure_ascii=False,
        )


def limit_lines(
    per_topic: Sequence[tuple[str, Sequence[int]]], other: str
) -> Sequence[tuple[str, Sequence[int]]]:
    """The MAX_LINES - 1 busiest topics, and the rest summed under `other`."""
    if len(per_topic) <= MAX_LINES:
        return per_topic
    busiest = sorted(per_topic, key=lambda pair: -sum(pair[1]))
    rest = [sum(values) for values in zip(*(v for _, v in busiest[MAX_LINES - 1 :]), strict=True)]
    return [*busiest[: MAX_LINES - 1], (other, rest)]


# The last few charts drawn, kept by their figures and language: /stats asked again before
# anything changed (a second admin, a repeated tap) is answered without drawing, which costs
# matplotlib about a fifth of a second of CPU. A few PNGs of ~60 KB. (Keyed by the figures
# themselves, not as_json(): two topics may share a name, and its dict by name would make two
# different charts one.) lru_cache is safe to call from the threads charts are drawn in.
DRAWN_KEPT = 4


@functools.lru_cache(maxsize=DRAWN_KEPT)
def render_stats_chart(data: ChartData, lang: str) -> bytes:
    """The chart as PNG bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    items_axes, messages_axes = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    positions = list(range(len(data.days)))
    for name, values in limit_lines(data.per_topic, t(lang, "chart_other")):
        items_axes.plot(positions, values, marker=".", label=name)
    items_axes.set_title(t(lang, "chart_items_title", days=plural(lang, "n_days", len(data.days))))
    items_axes.set_ylabel(t(lang, "chart_items_axis"))
    if data.per_topic:
        items_axes.legend(loc="upper left", fontsize="small", ncols=2)
    messages_axes.bar(positions, data.messages, color="#2a7ab0")
    messages_axes.set_title(t(lang, "chart_messages_title"))
    messages_axes.set_ylabel(t(lang, "chart_messages_axis"))
    step = max(1, len(data.days) // 10)
    messages_axes.set_xticks(
        positions[::step], [format_short_date(lang, _noon(d)) for d in data.days[::step]]
    )
    for axes in (items_axes, messages_axes):
        axes.grid(axis="y", alpha=0.3)
        axes.set_ylim(bottom=0)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # no "2,5 berita"
        # Counts as the texts write them: 1.200 in Indonesian, 1,200 in English.
        axes.yaxis.set_major_formatter(
            FuncFormatter(lambda value, _: format_number(lang, round(value)))
        )
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={PNG_KEY: data.as_json()})
    return out.getvalue()


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12)
