from __future__ import annotations

import pytest

from provenance.sites import known_site, known_sites, publisher_name


@pytest.mark.parametrize(
    ("stated", "name"),
    [
        # copyright lines: the holder, without its marks, years, rights and legal form
        ("(c) PA Sport 2008", "PA Sport"),
        ("(c) Press Association Ltd. 2008", "Press Association"),
        ("Copyright 2008 The Times Leader", "The Times Leader"),
        ("Copyright (c) 2008 ABC News Internet Ventures", "ABC News Internet Ventures"),
        ("Reuters2008All rights reserved.", "Reuters"),
        ("Business Wire 2008", "Business Wire"),
        ("2008 - eFluxMedia", "eFluxMedia"),
        ("Copyright 2008 Times Newspapers Ltd.", "Times Newspapers"),
        ("Independent Television News Limited 2008", "Independent Television News"),
        ("MMVIII, CBS Television Stations", "CBS Television Stations"),
        ("Courtesy of The Sports Network", "The Sports Network"),
        ("The Seattle Times Company", "The Seattle Times"),
        ("CNET Networks, Inc.", "CNET Networks"),
        ("Reed Business Information, a division of Reed Elsevier Inc.", "Reed Business Information"),
        ("by The Associated Press", "The Associated Press"),
        # a site's address: its outlet where it is known, its host (never its query) where not
        ("example.com?example=1", "example.com"),
        ("2007: A year in review, September - Pocket-lint.co.uk", "Pocket-lint"),
        ("Laursen close to new deal - Football News | SPORTBOX.tv", "SPORTBOX.tv"),
        ("Welcome to www.dailyrecord.com - Giants", "Daily Record"),
        ("www.kansascity.com | 01/17/2008", "The Kansas City Star"),
        ("Autopia from Wired.com", "Wired"),
        ("WTNH.com, Connecticut News and Weather", "WTNH"),
        # no name: a date, a headline, a page title's parts, a section, a number, function words
        ("January 2008", None),
        ("T.J. Ford Cleared To Practice", None),
        ("John Cleese and wife No. 3 split up", None),
        ("COL BKB: Stanford 66, Oregon St. 46", None),
        ("American Idol to dominate strike-hit U.S. TV | Entertainment", None),
        ("Toronto Maple Leafs vs. Boston Bruins Pre-Game Report", None),
        ("Business", None),
        ("6.0", None),
        ("by The", None),
        ("", None),
        # a name stays as it is
        ("Broadcasting & Cable", "Broadcasting & Cable"),
        ("The Quayside Gazette", "The Quayside Gazette"),
    ],
)  # fmt: skip
def test_a_publisher_is_an_organisations_name(stated: str, name: str | None) -> None:
    assert publisher_name(stated) == name


def test_a_part_of_the_headline_is_no_publisher() -> None:
    title = "Harbour ferry fares to rise by a tenth in spring"
    assert publisher_name("Harbour ferry fares", title) is None
    assert publisher_name("The Harbour Gazette", title) == "The Harbour Gazette"


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://www.nydailynews.com/news/story", "New York Daily News"),
        ("https://www.latimes.com/california/story", "Los Angeles Times"),
        ("https://uk.reuters.com/article/x", "Reuters"),
        ("https://abcnews.go.com/US/story", "ABC News"),
        ("https://www.example.com/x", None),
    ],
)
def test_known_sites_name_their_outlets(url: str, name: str | None) -> None:
    assert known_site(url) == name


def test_the_list_of_outlets_is_data_and_large() -> None:
    sites = known_sites()
    assert len(sites) >= 500
    assert all(domain == domain.casefold() and name for domain, name in sites.items())
