"""The SVG timeline of membership histories (no database): structure, geometry, escaping."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import xml.etree.ElementTree as ET

import pytest

from app.services.timeline_chart import (
    IMPRECISE_KEY,
    STATUS_COLORS,
    ChartPeriod,
    ChartRow,
    ChartText,
    render_timeline_svg,
    year_ticks,
)
from app.vocabulary import MembershipStatus, UnknownReason
from tests.factories import d

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
START, END = d("2000-01-01"), d("2020-01-01")
TEXT = ChartText(
    title="United States: memberships",
    legend={status.value: f"L-{status.value}" for status in MembershipStatus}
    | {IMPRECISE_KEY: "L-imprecise"},
    today_label="today",
    marker_label="2026-01-07 memorandum",
)


def period(
    status: str,
    start: str | None,
    end: str | None,
    *,
    reason: str | None = None,
    href: str | None = None,
    tooltip: str = "tip",
) -> ChartPeriod:
    return ChartPeriod(
        status=status,
        start=d(start) if start else None,
        end=d(end) if end else None,
        unknown_reason=reason,
        href=href,
        tooltip=tooltip,
    )


def row(*periods: ChartPeriod, label: str = "WHO", href: str | None = None) -> ChartRow:
    return ChartRow(label=label, href=href, periods=periods)


def render(rows: list[ChartRow], text: ChartText = TEXT, **kwargs: dt.date) -> ET.Element:
    kwargs = {"start": START, "end": END} | kwargs
    return ET.fromstring(render_timeline_svg(rows, text, **kwargs))


def bars(root: ET.Element) -> list[ET.Element]:
    return [el for el in root.iter(f"{SVG}rect") if "data-status" in el.attrib]


def parents(root: ET.Element) -> dict[ET.Element, ET.Element]:
    return {child: parent for parent in root.iter() for child in parent}


def plot_edges() -> tuple[float, float]:
    """The plot's left and right x, read off a bar clamped to the whole range."""
    whole = render([row(period("member", "1990-01-01", "2030-01-01"))])
    (bar,) = bars(whole)
    left = float(bar.get("x", ""))
    return left, left + float(bar.get("width", ""))


def x_of(day: dt.date) -> float:
    left, right = plot_edges()
    return left + (day - START).days / (END - START).days * (right - left)


def row_labels(root: ET.Element) -> list[tuple[str, str]]:
    """(shown text, tooltip) of each row label: the ones with a full-text <title>."""
    return [
        (title.tail or "", title.text or "")
        for el in root.iter(f"{SVG}text")
        if (title := el.find(f"{SVG}title")) is not None
    ]


def legend_labels(root: ET.Element) -> list[str]:
    return [
        "".join(g.find(f"{SVG}text").itertext())  # type: ignore[union-attr]
        for g in root.iter(f"{SVG}g")
        if "data-legend" in g.attrib
    ]


def test_output_is_a_standalone_accessible_svg_document() -> None:
    rows = [row(period("member", "2001-01-01", None))]
    svg = render_timeline_svg(rows, TEXT, start=START, end=END)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert 'xmlns:xlink="http://www.w3.org/1999/xlink"' in svg
    width, height = int(root.get("width", "")), int(root.get("height", ""))
    assert root.get("viewBox") == f"0 0 {width} {height}"
    assert root.get("role") == "img"
    title, desc = root[0], root[1]
    assert (title.tag, title.text) == (f"{SVG}title", TEXT.title)
    assert desc.tag == f"{SVG}desc"
    assert "WHO: L-member 2001-01-01" in (desc.text or "")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "Noto Sans CJK SC" in root.get("font-family", "")
    for forbidden in ("<script", "<style", "<image", "<foreignObject", "@import", "@font-face"):
        assert forbidden not in svg


def test_one_bar_per_period_filled_with_the_status_colour() -> None:
    root = render(
        [
            row(
                period("non_member", None, "2003-01-01"),
                period("member", "2003-01-01", "2010-01-01"),
                period("withdrawal_pending", "2010-01-01", "2011-01-01"),
                period("withdrawn", "2011-01-01", None),
            ),
            row(period("observer", "2005-01-01", None), label="UNESCO"),
        ]
    )
    drawn = [(bar.get("data-status"), bar.get("fill")) for bar in bars(root)]
    assert drawn == [
        (status, STATUS_COLORS[MembershipStatus(status)])
        for status in ("non_member", "member", "withdrawal_pending", "withdrawn", "observer")
    ]
    first, second = bars(root)[0], bars(root)[4]
    assert float(second.get("y", "")) > float(first.get("y", ""))


def test_unknown_periods_are_hatched_and_imprecise_dates_differently() -> None:
    root = render(
        [
            row(
                period("unknown", None, "2002-01-01", reason=UnknownReason.no_evidence),
                period("member", "2002-01-01", "2005-01-01"),
                period("unknown", "2005-01-01", "2006-01-01", reason=UnknownReason.imprecise_date),
                period("unknown", "2006-01-01", "2007-01-01", reason=UnknownReason.missing_data),
                period("unknown", "2007-01-01", None, reason=UnknownReason.past_coverage),
            )
        ]
    )
    fills = [bar.get("fill", "") for bar in bars(root)]
    patterns = {el.get("id") for el in root.iter(f"{SVG}pattern")}
    unknown = [fills[0], fills[2], fills[3], fills[4]]
    for fill in unknown:
        match = re.fullmatch(r"url\(#(.+)\)", fill)
        assert match, fill
        assert match[1] in patterns
    assert fills[0] == fills[3] == fills[4]
    assert fills[2] != fills[0]
    assert fills[1] == STATUS_COLORS[MembershipStatus.member]


def test_periods_are_clamped_to_the_range_and_those_outside_skipped() -> None:
    left, right = plot_edges()
    root = render(
        [
            row(
                period("member", "1950-01-01", "1990-01-01"),
                period("withdrawn", "1990-01-01", "2000-01-01"),
                period("member", "1995-01-01", "2010-01-01"),
                period("observer", "2010-01-01", "2030-01-01"),
                period("donor", "2020-01-01", None),
            )
        ]
    )
    drawn = bars(root)
    assert [bar.get("data-status") for bar in drawn] == ["member", "observer"]
    member, observer = drawn
    middle = x_of(d("2010-01-01"))
    assert float(member.get("x", "")) == pytest.approx(left)
    assert float(member.get("width", "")) == pytest.approx(middle - left, abs=0.01)
    assert float(observer.get("x", "")) == pytest.approx(middle, abs=0.01)
    assert float(observer.get("x", "")) + float(observer.get("width", "")) == pytest.approx(
        right, abs=0.02
    )


def test_open_ends_fade_and_known_ends_do_not() -> None:
    root = render(
        [
            row(period("member", None, "2005-01-01")),
            row(period("member", "2005-01-01", "2010-01-01")),
            row(period("member", "2010-01-01", None)),
        ]
    )
    veils = [el for el in root.iter(f"{SVG}rect") if "fade" in el.get("fill", "")]
    assert [("start" in v.get("fill", ""), "end" in v.get("fill", "")) for v in veils] == [
        (True, False),
        (False, True),
    ]
    left, right = plot_edges()
    assert float(veils[0].get("x", "")) == pytest.approx(left)
    assert float(veils[1].get("x", "")) + float(veils[1].get("width", "")) == pytest.approx(
        right, abs=0.02
    )
    assert all(v.get("pointer-events") == "none" for v in veils)


def test_labels_and_tooltips_survive_escaping() -> None:
    label = 'A <b> & "quoted" \'s 世界卫生组织'
    tooltip = 'member <since> 1948 & "source" 来源'
    svg = render_timeline_svg(
        [row(period("member", "2001-01-01", None, tooltip=tooltip), label=label)],
        ChartText(title="美国 <&>", legend={"member": "成员 & co"}, today_label="今天"),
        start=START,
        end=END,
    )
    root = ET.fromstring(svg)
    assert root[0].text == "美国 <&>"
    assert row_labels(root) == [(label, label)]
    (bar,) = bars(root)
    assert bar.find(f"{SVG}title").text == tooltip  # type: ignore[union-attr]
    assert legend_labels(root) == ["成员 & co"]
    assert "<b>" not in svg


def test_long_labels_are_cut_with_an_ellipsis_and_keep_the_full_text_as_tooltip() -> None:
    label = "United Nations Educational, Scientific and Cultural Organization (UNESCO)"
    root = render([row(label=label), row(label="联合国教育、科学及文化组织" * 3)])
    (latin, latin_full), (chinese, chinese_full) = row_labels(root)
    assert (latin_full, chinese_full) == (label, "联合国教育、科学及文化组织" * 3)
    assert latin.endswith("…") and label.startswith(latin[:-1]) and len(latin) < len(label)
    assert chinese.endswith("…") and len(chinese) < 20


def test_the_legend_lists_only_the_statuses_drawn() -> None:
    root = render(
        [
            row(
                period("suspended", "1990-01-01", "1999-01-01"),
                period("member", "2001-01-01", "2005-01-01"),
                period("unknown", "2005-01-01", "2006-01-01", reason="imprecise_date"),
                period("withdrawn", "2006-01-01", None),
            )
        ]
    )
    assert legend_labels(root) == ["L-member", "L-withdrawn", "L-imprecise"]
    plain = render([row(period("unknown", None, None, reason="no_evidence"))])
    assert legend_labels(plain) == ["L-unknown"]


def test_links_wrap_bars_and_labels_and_only_safe_ones() -> None:
    root = render(
        [
            row(
                period("member", "2001-01-01", "2005-01-01", href="https://who.int/a?b=1&c=2"),
                period("withdrawn", "2005-01-01", "2008-01-01"),
                period("member", "2008-01-01", None, href="javascript:alert(1)"),
                label="WHO",
                href="/v1/organizations/who",
            )
        ]
    )
    parent = parents(root)
    linked, plain, unsafe = bars(root)
    link = parent[linked]
    assert link.tag == f"{SVG}a"
    assert link.get("href") == link.get(XLINK_HREF) == "https://who.int/a?b=1&c=2"
    assert parent[plain].tag != f"{SVG}a"
    assert parent[unsafe].tag != f"{SVG}a"
    label_links = [a for a in root.iter(f"{SVG}a") if a.find(f"{SVG}text") is not None]
    assert [a.get("href") for a in label_links] == ["/v1/organizations/who"]


def test_today_and_marker_lines_are_placed_by_day() -> None:
    today, marker = d("2015-03-15"), d("2012-07-01")
    root = render([row(period("member", "2001-01-01", None))], today=today, marker=marker)
    lines = {el.get("data-line"): el for el in root.iter(f"{SVG}line") if el.get("data-line")}
    assert set(lines) == {"today", "marker"}
    for kind, day in (("today", today), ("marker", marker)):
        assert float(lines[kind].get("x1", "")) == pytest.approx(x_of(day), abs=0.01)
        assert lines[kind].get("x1") == lines[kind].get("x2")
    texts = ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]
    assert "today" in texts
    assert "2026-01-07 memorandum" in texts


def test_lines_outside_the_range_are_not_drawn() -> None:
    root = render([row()], today=d("2025-01-01"), marker=d("1999-12-31"))
    assert not [el for el in root.iter(f"{SVG}line") if el.get("data-line")]


def test_the_same_input_gives_the_same_bytes() -> None:
    rows = [row(period("member", "2001-01-01", None), period("unknown", None, "2001-01-01"))]
    first = render_timeline_svg(rows, TEXT, start=START, end=END, today=d("2010-01-01"))
    again = render_timeline_svg(list(rows), TEXT, start=START, end=END, today=d("2010-01-01"))
    other = render_timeline_svg(rows, TEXT, start=START, end=END, today=d("2011-01-01"))
    assert first == again
    assert first != other


def test_every_status_has_its_own_colour() -> None:
    assert set(STATUS_COLORS) == set(MembershipStatus)
    assert len(set(STATUS_COLORS.values())) == len(STATUS_COLORS)
    assert all(re.fullmatch(r"#[0-9A-F]{6}", color) for color in STATUS_COLORS.values())


@pytest.mark.parametrize(
    ("start", "end", "step"),
    [
        ("1945-01-01", "2027-12-31", 10),
        ("1880-06-01", "2026-01-01", 20),
        ("2000-01-01", "2020-01-01", 2),
        ("2015-05-05", "2026-01-01", 1),
        ("1700-01-01", "2026-01-01", 50),
    ],
)
def test_year_ticks_use_a_round_step_showing_five_to_twelve(
    start: str, end: str, step: int
) -> None:
    years = year_ticks(d(start), d(end))
    assert 5 <= len(years) <= 12
    assert all(year % step == 0 for year in years)
    assert {b - a for a, b in itertools.pairwise(years)} == {step}
    assert d(start) <= dt.date(years[0], 1, 1)
    assert dt.date(years[-1], 1, 1) <= d(end)


def test_bad_input_fails_loudly() -> None:
    with pytest.raises(ValueError, match="end after"):
        render_timeline_svg([], TEXT, start=START, end=START)
    with pytest.raises(ValueError, match="retired"):
        render_timeline_svg([row(period("retired", None, None))], TEXT, start=START, end=END)


def test_control_characters_do_not_break_the_document() -> None:
    root = render([row(label="WHO\x00\x1b", href="\x01javascript:alert(1)")])
    assert row_labels(root) == [("WHO", "WHO")]
    assert not list(root.iter(f"{SVG}a"))
