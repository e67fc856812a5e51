"""Membership histories drawn as a standalone SVG timeline.

The chart is one self-contained SVG document (no script, fonts, stylesheets or images) so that it
can be served as a file, inlined in a page or embedded with `<img>`/`<object>` and look the same.
It is a pure function of its input: the caller resolves labels, links and tooltips (in English or
Chinese) and this module only lays them out. What the registry does not know must never look like
what it knows: `unknown` periods are hatched, and periods whose start or end is unknown fade out
at the open side.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from app.vocabulary import MembershipStatus, UnknownReason

S = MembershipStatus

STATUS_COLORS: Mapping[MembershipStatus, str] = MappingProxyType(
    {
        # Okabe-Ito hues, distinguishable with the common colour-vision deficiencies; ties are
        # saturated, the absence of a tie is grey.
        S.member: "#0072B2",
        S.associate: "#56B4E9",
        S.observer: "#009E73",
        S.participant: "#CC79A7",
        S.donor: "#F0E442",
        S.suspended: "#D55E00",
        S.withdrawal_pending: "#E69F00",
        S.withdrawn: "#8C8C8C",
        S.non_member: "#D9D9D9",
        # Never drawn flat: the base of the hatching that marks what is not known.
        S.unknown: "#9E9E9E",
    }
)
"""The one palette of the chart: status -> fill."""

_missing_colors = set(MembershipStatus) - set(STATUS_COLORS)
if _missing_colors:
    raise RuntimeError(f"timeline_chart: no colour for statuses {sorted(_missing_colors)}")

IMPRECISE_KEY = UnknownReason.imprecise_date.value
"""Legend key of the hatching for `unknown` periods whose reason is `imprecise_date`."""

FONT_FAMILY = (
    "system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Microsoft YaHei', "
    "'Noto Sans CJK SC', 'Noto Sans SC', sans-serif"
)
"""System fonts only (an embedded chart may not fetch any); the CJK ones make Chinese render."""

WIDTH = 960
_MARGIN = 16
_LABEL_WIDTH = 236
_PLOT_LEFT = _MARGIN + _LABEL_WIDTH + 12
_PLOT_RIGHT = WIDTH - 24
_TITLE_HEIGHT = 36
_LANE_HEIGHT = 16
_ROW_HEIGHT = 26
_BAR_HEIGHT = 16
_AXIS_HEIGHT = 26
_LEGEND_LINE = 20
_SWATCH = 12
_FADE_WIDTH = 28.0
_MIN_BAR_WIDTH = 1.0

_LABEL_SIZE = 12.5
_TITLE_SIZE = 15.0
_SMALL_SIZE = 11.0
_TEXT_COLOR = "#1F1F1F"
_LINK_COLOR = "#0B5CAD"
_MUTED_COLOR = "#5F6368"
_GRID_COLOR = "#E3E5E8"
_ZEBRA_COLOR = "#F6F7F9"
_TICK_STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
_MAX_TICKS = 12


@dataclass(frozen=True)
class ChartPeriod:
    """One bar: a status over [start, end), with the evidence behind it."""

    status: str
    start: dt.date | None
    end: dt.date | None
    unknown_reason: str | None
    href: str | None
    tooltip: str


@dataclass(frozen=True)
class ChartRow:
    """One line of the chart: an organization (for a country) or a country (for one)."""

    label: str
    href: str | None
    periods: tuple[ChartPeriod, ...]


@dataclass(frozen=True)
class ChartText:
    """The chart's words, so the caller can pass them in the reader's language.

    `legend` keys are `MembershipStatus` values, plus `IMPRECISE_KEY` for the hatching of
    `unknown` periods with an imprecise date; a missing key shows the raw value.
    """

    title: str
    legend: dict[str, str]
    today_label: str
    marker_label: str | None = None


@dataclass(frozen=True)
class _Bar:
    status: MembershipStatus
    imprecise: bool
    x: float
    width: float
    open_start: bool
    open_end: bool
    href: str | None
    tooltip: str


def render_timeline_svg(
    rows: Sequence[ChartRow],
    text: ChartText,
    *,
    start: dt.date,
    end: dt.date,
    today: dt.date | None = None,
    marker: dt.date | None = None,
) -> str:
    """The SVG document of `rows` drawn over [start, end]; the same input gives the same bytes.

    Raises ValueError for an empty range or a status outside `MembershipStatus`.
    """
    if end <= start:
        raise ValueError(f"the chart must end after it starts ({start} .. {end})")
    ids = _Ids(repr((rows, text, start, end, today, marker)))
    scale = _Scale(start, end)

    lines = [
        (marker, text.marker_label or marker.isoformat(), "marker") if marker else None,
        (today, text.today_label, "today") if today else None,
    ]
    shown_lines = [line for line in lines if line and start <= line[0] <= end]
    plot_top = _TITLE_HEIGHT + _LANE_HEIGHT * len(shown_lines) + 6
    plot_bottom = plot_top + _ROW_HEIGHT * len(rows)

    bars = [[_bar(period, scale) for period in row.periods] for row in rows]
    legend = _legend_entries([bar for row_bars in bars for bar in row_bars if bar], text, ids)
    legend_lines = _flow_legend(legend)
    height = plot_bottom + _AXIS_HEIGHT + _LEGEND_LINE * len(legend_lines) + 10

    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'version="1.1" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{ids.title} {ids.desc}" '
        f'font-family="{FONT_FAMILY}" font-size="{_n(_SMALL_SIZE)}">',
        f'<title id="{ids.title}">{_esc(text.title)}</title>',
        f'<desc id="{ids.desc}">{_esc(_description(rows, text, start, end))}</desc>',
        *_defs(ids),
        f'<rect width="{WIDTH}" height="{height}" fill="#FFFFFF"/>',
        _text(
            _MARGIN,
            22,
            _fit(text.title, WIDTH - 2 * _MARGIN, _TITLE_SIZE),
            size=_TITLE_SIZE,
            extra=' font-weight="600"',
        ),
    ]
    out += _grid(rows, scale, plot_top, plot_bottom)
    for index, (row, row_bars) in enumerate(zip(rows, bars, strict=True)):
        top = plot_top + index * _ROW_HEIGHT
        out.append(_row_label(row, top))
        bar_top = top + (_ROW_HEIGHT - _BAR_HEIGHT) / 2
        for bar in row_bars:
            if bar:
                out += _draw_bar(bar, bar_top, ids)
    for lane, (day, label, kind) in enumerate(shown_lines):
        out += _vertical_line(
            scale.x(day), label, kind, _TITLE_HEIGHT + _LANE_HEIGHT * (lane + 1), plot_bottom
        )
    out += _axis(scale, plot_bottom)
    out += _draw_legend(legend_lines, plot_bottom + _AXIS_HEIGHT + 4)
    out.append("</svg>")
    return "\n".join(out) + "\n"


class _Ids:
    """Element ids unique to this chart's content, so two different charts inlined in one page
    do not resolve each other's patterns or titles, while the output stays deterministic."""

    def __init__(self, seed: str) -> None:
        self.prefix = "tl" + hashlib.sha256(seed.encode("utf-8", "replace")).hexdigest()[:8]
        self.title = f"{self.prefix}-title"
        self.desc = f"{self.prefix}-desc"
        self.hatch = f"{self.prefix}-hatch"
        self.hatch_imprecise = f"{self.prefix}-hatch-imprecise"
        self.fade_start = f"{self.prefix}-fade-start"
        self.fade_end = f"{self.prefix}-fade-end"


class _Scale:
    """Days to x: dates are placed by day, the range's end at the plot's right edge."""

    def __init__(self, start: dt.date, end: dt.date) -> None:
        self.start = start
        self.end = end
        self.days = (end - start).days

    def x(self, day: dt.date) -> float:
        return _PLOT_LEFT + (day - self.start).days / self.days * (_PLOT_RIGHT - _PLOT_LEFT)


def _bar(period: ChartPeriod, scale: _Scale) -> _Bar | None:
    """The period clamped to the chart, or None when none of it is inside."""
    status = MembershipStatus(period.status)
    first = max(period.start or scale.start, scale.start)
    last = min(period.end or scale.end, scale.end)
    if last <= first:
        return None
    x0, x1 = scale.x(first), scale.x(last)
    return _Bar(
        status=status,
        imprecise=_legend_key(period) == IMPRECISE_KEY,
        x=x0,
        width=max(x1 - x0, _MIN_BAR_WIDTH),
        open_start=period.start is None,
        open_end=period.end is None,
        href=_safe_href(period.href),
        tooltip=period.tooltip,
    )


def _fill(bar: _Bar, ids: _Ids) -> str:
    if bar.status is S.unknown:
        return f"url(#{ids.hatch_imprecise if bar.imprecise else ids.hatch})"
    return STATUS_COLORS[bar.status]


def _defs(ids: _Ids) -> list[str]:
    """Hatchings for the two kinds of not knowing, and the fades for open ends.

    Not knowing when a change happened (crossed, darker) differs from having nothing to go on
    (single light stripes). A fade is a white veil over the bar's open end, so it works on
    flat colours and hatchings alike.
    """
    grey = STATUS_COLORS[S.unknown]
    return [
        "<defs>",
        f'<pattern id="{ids.hatch}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">',
        '<rect width="6" height="6" fill="#F1F1F1"/>',
        f'<rect width="2.2" height="6" fill="{grey}"/>',
        "</pattern>",
        f'<pattern id="{ids.hatch_imprecise}" width="5" height="5" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">',
        '<rect width="5" height="5" fill="#E4E4E4"/>',
        '<rect width="1.4" height="5" fill="#5F5F5F"/>',
        '<rect width="5" height="1.4" fill="#5F5F5F"/>',
        "</pattern>",
        f'<linearGradient id="{ids.fade_start}" x1="0" y1="0" x2="1" y2="0">',
        '<stop offset="0" stop-color="#FFFFFF" stop-opacity="0.92"/>',
        '<stop offset="1" stop-color="#FFFFFF" stop-opacity="0"/>',
        "</linearGradient>",
        f'<linearGradient id="{ids.fade_end}" x1="0" y1="0" x2="1" y2="0">',
        '<stop offset="0" stop-color="#FFFFFF" stop-opacity="0"/>',
        '<stop offset="1" stop-color="#FFFFFF" stop-opacity="0.92"/>',
        "</linearGradient>",
        "</defs>",
    ]


def _grid(rows: Sequence[ChartRow], scale: _Scale, top: float, bottom: float) -> list[str]:
    """Zebra rows and year gridlines, behind everything else."""
    out = [
        f'<rect x="{_MARGIN}" y="{_n(top + i * _ROW_HEIGHT)}" width="{WIDTH - 2 * _MARGIN}" '
        f'height="{_ROW_HEIGHT}" fill="{_ZEBRA_COLOR}"/>'
        for i in range(1, len(rows), 2)
    ]
    out += [
        f'<line x1="{_n(scale.x(dt.date(year, 1, 1)))}" y1="{_n(top)}" '
        f'x2="{_n(scale.x(dt.date(year, 1, 1)))}" y2="{_n(bottom)}" '
        f'stroke="{_GRID_COLOR}" stroke-width="1"/>'
        for year in year_ticks(scale.start, scale.end)
    ]
    return out


def _row_label(row: ChartRow, top: float) -> str:
    """The label, cut to the label column; the full text is its tooltip."""
    href = _safe_href(row.href)
    shown = _fit(row.label, _LABEL_WIDTH, _LABEL_SIZE)
    label = _text(
        _MARGIN + 4,
        top + _ROW_HEIGHT / 2 + _LABEL_SIZE * 0.35,
        shown,
        size=_LABEL_SIZE,
        color=_LINK_COLOR if href else _TEXT_COLOR,
        title=row.label,
    )
    return _link(href, label) if href else label


def _draw_bar(bar: _Bar, top: float, ids: _Ids) -> list[str]:
    reason = ' data-imprecise="true"' if bar.imprecise else ""
    rect = (
        f'<rect x="{_n(bar.x)}" y="{_n(top)}" width="{_n(bar.width)}" height="{_BAR_HEIGHT}" '
        f'fill="{_fill(bar, ids)}" data-status="{bar.status.value}"{reason}>'
        f"<title>{_esc(bar.tooltip)}</title></rect>"
    )
    out = [_link(bar.href, rect) if bar.href else rect]
    fade = min(_FADE_WIDTH, bar.width / (2 if bar.open_start and bar.open_end else 1))
    if bar.open_start:
        out.append(_veil(bar.x, top, fade, ids.fade_start))
    if bar.open_end:
        out.append(_veil(bar.x + bar.width - fade, top, fade, ids.fade_end))
    return out


def _veil(x: float, top: float, width: float, gradient: str) -> str:
    return (
        f'<rect x="{_n(x)}" y="{_n(top)}" width="{_n(width)}" height="{_BAR_HEIGHT}" '
        f'fill="url(#{gradient})" pointer-events="none"/>'
    )


def _vertical_line(x: float, label: str, kind: str, label_y: float, bottom: float) -> list[str]:
    """A dated line across the rows, labelled in its own lane above them so labels of lines
    close in time (today and a recent marker) never overlap; the label's white backing keeps
    it readable where another line crosses it."""
    right_half = x > (_PLOT_LEFT + _PLOT_RIGHT) / 2
    shown = _fit(label, (_PLOT_RIGHT - _PLOT_LEFT) / 2 - 8, _SMALL_SIZE)
    width = _text_width(shown, _SMALL_SIZE) + 4
    text_x = x - 4 if right_half else x + 4
    dash = ' stroke-dasharray="4 3"' if kind == "marker" else ""
    color = "#111111" if kind == "today" else "#4A4A4A"
    return [
        f'<line x1="{_n(x)}" y1="{_n(label_y - _LANE_HEIGHT + 6)}" x2="{_n(x)}" y2="{_n(bottom)}" '
        f'stroke="{color}" stroke-width="1.5"{dash} data-line="{kind}"/>',
        f'<rect x="{_n(text_x - width + 2 if right_half else text_x - 2)}" '
        f'y="{_n(label_y - 13)}" width="{_n(width)}" height="14" fill="#FFFFFF" '
        'fill-opacity="0.9"/>',
        _text(
            text_x,
            label_y - 2,
            shown,
            color=color,
            anchor="end" if right_half else "start",
            title=label if shown != label else None,
        ),
    ]


def year_ticks(start: dt.date, end: dt.date) -> list[int]:
    """Years whose 1 January falls in [start, end], every 1/2/5/10/20/50... years: the finest
    step that shows at most twelve."""
    years: list[int] = []
    for step in _TICK_STEPS:
        first = -(-start.year // step) * step
        years = [
            year
            for year in range(first, min(end.year, dt.MAXYEAR) + 1, step)
            if start <= dt.date(year, 1, 1) <= end
        ]
        if len(years) <= _MAX_TICKS:
            break
    return years


def _axis(scale: _Scale, bottom: float) -> list[str]:
    out = [
        f'<line x1="{_PLOT_LEFT}" y1="{_n(bottom)}" x2="{_PLOT_RIGHT}" y2="{_n(bottom)}" '
        f'stroke="#9AA0A6" stroke-width="1"/>'
    ]
    for year in year_ticks(scale.start, scale.end):
        x = scale.x(dt.date(year, 1, 1))
        out.append(
            f'<line x1="{_n(x)}" y1="{_n(bottom)}" x2="{_n(x)}" y2="{_n(bottom + 4)}" '
            f'stroke="#9AA0A6" stroke-width="1"/>'
        )
        out.append(_text(x, bottom + 16, str(year), color=_MUTED_COLOR, anchor="middle"))
    return out


@dataclass(frozen=True)
class _LegendEntry:
    fill: str
    label: str


def _legend_entries(bars: Sequence[_Bar], text: ChartText, ids: _Ids) -> list[_LegendEntry]:
    """One entry per status drawn (in vocabulary order), and one per unknown hatching drawn."""
    entries = []
    for status in MembershipStatus:
        drawn = [bar for bar in bars if bar.status is status]
        if status is S.unknown:
            if any(not bar.imprecise for bar in drawn):
                entries.append(_LegendEntry(f"url(#{ids.hatch})", _legend_label(text, status)))
            if any(bar.imprecise for bar in drawn):
                label = _legend_label(text, IMPRECISE_KEY)
                entries.append(_LegendEntry(f"url(#{ids.hatch_imprecise})", label))
        elif drawn:
            entries.append(_LegendEntry(STATUS_COLORS[status], _legend_label(text, status)))
    return entries


def _legend_key(period: ChartPeriod) -> str:
    if period.status == S.unknown and period.unknown_reason == UnknownReason.imprecise_date:
        return IMPRECISE_KEY
    return period.status


def _legend_label(text: ChartText, key: str) -> str:
    return text.legend.get(key, key)


def _flow_legend(entries: Sequence[_LegendEntry]) -> list[list[tuple[float, _LegendEntry]]]:
    """Entries placed left to right from the plot's left edge, wrapping at the right edge."""
    lines: list[list[tuple[float, _LegendEntry]]] = []
    x = float(_PLOT_LEFT)
    for entry in entries:
        label = _fit(entry.label, _PLOT_RIGHT - _PLOT_LEFT - _SWATCH - 6, _SMALL_SIZE)
        width = _SWATCH + 6 + _text_width(label, _SMALL_SIZE) + 18
        if not lines or (x + width > _PLOT_RIGHT + 18 and lines[-1]):
            lines.append([])
            x = float(_PLOT_LEFT)
        lines[-1].append((x, _LegendEntry(entry.fill, label)))
        x += width
    return lines


def _draw_legend(lines: Sequence[Sequence[tuple[float, _LegendEntry]]], top: float) -> list[str]:
    out = []
    for index, line in enumerate(lines):
        y = top + index * _LEGEND_LINE
        for x, entry in line:
            out.append(
                f'<g data-legend="">'
                f'<rect x="{_n(x)}" y="{_n(y)}" width="{_SWATCH}" height="{_SWATCH}" '
                f'fill="{entry.fill}" stroke="#BDBDBD" stroke-width="0.5"/>'
                + _text(x + _SWATCH + 6, y + _SWATCH - 2, entry.label, color=_TEXT_COLOR)
                + "</g>"
            )
    return out


_DASH = " \N{EN DASH} "


def _description(rows: Sequence[ChartRow], text: ChartText, start: dt.date, end: dt.date) -> str:
    """The chart in words for screen readers: each row's periods with their dates."""
    parts = [f"{text.title}. {start.isoformat()}{_DASH}{end.isoformat()}."]
    for row in rows:
        periods = ", ".join(
            f"{_legend_label(text, _legend_key(p))} "
            f"{p.start.isoformat() if p.start else '…'}{_DASH}{p.end.isoformat() if p.end else '…'}"
            for p in row.periods
        )
        parts.append(f"{row.label}: {periods}." if periods else f"{row.label}.")
    return " ".join(parts)


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = _SMALL_SIZE,
    color: str = _TEXT_COLOR,
    anchor: str = "start",
    title: str | None = None,
    extra: str = "",
) -> str:
    tooltip = f"<title>{_esc(title)}</title>" if title is not None else ""
    anchor_attr = f' text-anchor="{anchor}"' if anchor != "start" else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" fill="{color}"{anchor_attr}{extra}>'
        f"{tooltip}{_esc(content)}</text>"
    )


def _link(href: str, content: str) -> str:
    """A link for SVG 2 (`href`) and SVG 1.1 (`xlink:href`) readers; `_top` so that a chart
    embedded with `<object>` opens the target in the page, not inside the chart."""
    escaped = _esc(href)
    return f'<a href="{escaped}" xlink:href="{escaped}" target="_top">{content}</a>'


_UNSAFE_URL_CHARS = re.compile(r"[\x00-\x20\x7f]")


def _safe_href(href: str | None) -> str | None:
    """`href` if it is a web or site-relative URL, else None (no link): a source URL from the
    database must not turn the chart into a `javascript:` or `data:` carrier."""
    if not href:
        return None
    cleaned = _UNSAFE_URL_CHARS.sub("", href)
    if cleaned.lower().startswith(("http://", "https://", "/")):
        return cleaned
    return None


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _esc(value: str) -> str:
    """Text safe in XML content and double-quoted attributes, dropping characters XML 1.0
    cannot hold at all (a stray control character must not make the document invalid)."""
    return html.escape(_XML_INVALID.sub("", value), quote=True)


def _n(value: float) -> str:
    """A coordinate with at most two decimals and no `-0`, for short, stable output."""
    text = f"{round(value, 2) + 0.0:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _char_width(char: str) -> float:
    """Rough advance of a character in ems: enough to cut labels before they overflow."""
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    if char in "iljI.,:;|!'()[] ":
        return 0.32
    if char in "mwMW@":
        return 0.9
    if char.isupper() or char.isdigit():
        return 0.66
    return 0.56


def _text_width(value: str, size: float) -> float:
    return sum(_char_width(char) for char in value) * size


def _fit(value: str, max_width: float, size: float) -> str:
    """`value`, or as much of it as fits in `max_width` followed by an ellipsis."""
    if _text_width(value, size) <= max_width:
        return value
    budget = max_width - _text_width("…", size)
    width = 0.0
    kept = []
    for char in value:
        width += _char_width(char) * size
        if width > budget:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"
