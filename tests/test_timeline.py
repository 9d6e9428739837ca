from __future__ import annotations

import datetime as dt
import re

from provenance.browse.timeline import Mark, parse_time, timeline_svg


def href(article_id: int) -> str:
    return f"/news/articles/{article_id}"


def marks_of(svg: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="mark (\w+)" href="([^"]+)">', svg)


def test_copies_of_the_same_hours_are_drawn_in_hours_in_the_lanes_of_their_relations() -> None:
    svg = timeline_svg(
        [
            Mark(1, "Wire story", "2026-03-04T08:00:00Z", "origin"),
            Mark(2, "Same day", "2026-03-04T11:30:00+00:00", "exact"),
            Mark(3, "Next morning", "2026-03-05T09:00:00Z", "partially"),
        ],
        href,
    )
    assert marks_of(svg) == [("origin", "/news/articles/1"), ("exact", "/news/articles/2"),
                             ("partially", "/news/articles/3")]  # fmt: skip
    assert "in hours after the origin" in svg
    assert re.findall(r'<text class="lane"[^>]*>(\w+)</text>', svg) == ["origin", "exact", "partially"]
    assert ">+5 hours</text>" in svg
    assert "(exact, 2026-03-04 11:30 UTC)" in svg


def test_a_spread_within_two_hours_is_in_minutes_and_dates_alone_in_days() -> None:
    minutes = timeline_svg(
        [Mark(1, "a", "2026-03-04T08:00", "origin"), Mark(2, "b", "2026-03-04T08:40", "wholly")], href
    )
    assert "in minutes after the origin" in minutes
    days = timeline_svg([Mark(1, "a", "2026-03-04", "origin"), Mark(2, "b", "2026-03-05T10:00", "wholly")], href)
    assert "in days after the origin" in days
    assert ">+1 day</text>" in days


def test_undated_copies_are_counted_and_an_undated_origin_has_no_timeline() -> None:
    svg = timeline_svg(
        [Mark(1, "a", "2026-03-04", "origin"), Mark(2, "b", None, "exact"), Mark(3, "c", "soon", "exact")], href
    )
    assert len(marks_of(svg)) == 1
    assert "2 without a date, not drawn" in svg
    assert "No timeline" in timeline_svg([Mark(1, "a", None, "origin"), Mark(2, "b", "2026-03-04", "exact")], href)


def test_titles_are_escaped_and_a_copy_of_a_version_is_joined_to_it() -> None:
    svg = timeline_svg(
        [
            Mark(1, "<script>alert(1)</script>", "2026-03-04", "origin"),
            Mark(2, 'Update "two" <b>', "2026-03-05", "version"),
            Mark(3, "Took the update", "2026-03-06", "wholly", via=2),
        ],
        href,
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "Update &#34;two&#34; &lt;b&gt;" in svg
    assert svg.count('<line class="took"') == 1


def test_marks_of_one_time_stand_side_by_side() -> None:
    svg = timeline_svg(
        [Mark(1, "a", "2026-03-04", "origin")] + [Mark(n, "x", "2026-03-05", "exact") for n in (2, 3)], href
    )
    assert len(set(re.findall(r'<circle cx="([\d.]+)"', svg))) == 2


def test_stored_times_are_read_as_utc() -> None:
    assert parse_time("2026-03-04T10:00:00+02:00") == (dt.datetime(2026, 3, 4, 8, tzinfo=dt.UTC), True)
    assert parse_time("2026-03-04") == (dt.datetime(2026, 3, 4, tzinfo=dt.UTC), False)
    assert parse_time("yesterday") is None


def test_copies_decades_after_their_origin_are_drawn_in_days_on_few_ticks() -> None:
    svg = timeline_svg([Mark(1, "Old", "1970-01-01", "origin"), Mark(2, "New", "2026-06-01", "wholly")], href)
    assert marks_of(svg) == [("origin", "/news/articles/1"), ("wholly", "/news/articles/2")]
    ticks = re.findall(r">\+([\d,]+) days?</text>", svg)
    assert 2 <= len(ticks) <= 7
