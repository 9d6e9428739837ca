# ruff: noqa: E501 - sentences of prose, one a line
"""A labelled corpus of our own (the format of ``corpora/FORMAT.md``) with one case of each shape
that has made wrong links on real news days: a live blog that carries three wire stories, two
independent reports printing one statement without quotation marks, two aggregator pages that
are one photo caption each, a station's copy credited "(CNN) -" beside CNN's own page, and a
wire's story and its evening update, each copied by two sites. The
places, people and outlets are made up (CNN stands for any outlet a station credits)."""

from __future__ import annotations

import json
from pathlib import Path

BRIDGE = [
    "HARBOUR CITY (Northwind) -- The Calloway Street bridge will close to all traffic for at least six weeks after inspectors found cracks in two of its steel girders, the city's transport department said on Monday.",
    "Engineers discovered the damage during a routine inspection on Friday and recommended an immediate closure, according to a statement from the department.",
    "About 38,000 vehicles cross the bridge each day, making it one of the busiest links between the eastern suburbs and the downtown business district.",
    "Buses on four routes will be diverted over the Marlow Avenue crossing, which the department warned could add twenty minutes to journeys at peak hours.",
    "Repairs are expected to cost about 4.5 million dollars and will be paid from the city's emergency infrastructure fund, officials said.",
    "The bridge, built in 1962, was last strengthened in 2004, when the council replaced its deck and added a cycle lane on the northern side.",
    "Local businesses near the eastern approach said they feared losing customers during the closure, the second in three years.",
]
STRIKE = [
    "HARBOUR CITY (Northwind) -- Nurses at St. Aldric's Hospital began a 48-hour strike on Monday over staffing levels, forcing the hospital to postpone more than 200 planned operations.",
    "The union representing about 1,400 nurses said wards had been running with a third fewer staff than the safe minimum for most of the winter.",
    "Hospital managers said emergency care, maternity services and cancer treatment would continue as normal throughout the walkout.",
    "Talks between the union and the regional health authority broke down last Thursday after the authority offered to hire 60 additional nurses over two years.",
    "The union has asked for 150 new posts to be filled by the summer and for limits on the number of patients each nurse looks after on a night shift.",
    "It is the first strike at the hospital since it opened its new surgical wing in 2015.",
]
COACH = [
    "HARBOUR CITY (Northwind) -- Harbour City Rovers appointed former midfielder Dalia Oyelaran as head coach on Monday, two weeks after the club dismissed its manager following a run of seven defeats.",
    "Oyelaran, 41, signed a contract until the end of next season and will take charge of her first match against Westfield Athletic on Saturday.",
    "She played more than 300 games for the club before retiring in 2016 and has since coached its under-21 side to two regional titles.",
    "The Rovers sit 17th in the table, three points above the relegation places, with eleven matches of the season left to play.",
    "Club chairman Petros Lindqvist said the board had interviewed five candidates and chose Oyelaran for her knowledge of the squad and the academy.",
    "Her assistant will be the club's former goalkeeping coach, who returns after a spell in the national federation's youth programme.",
]
UPDATES = [
    "The Latest on news from across Harbour City on Monday (all times local):",
    "5:40 p.m. Fire crews have put out a blaze at a disused warehouse on the northern docks; nobody was hurt, the fire service said.",
    "5:05 p.m. The city council has postponed Tuesday's vote on the new parking charges until next month after a petition gathered 12,000 signatures.",
    "4:20 p.m. A water main burst on Keller Road has left about 300 homes without supply; repairs should be finished by midnight, the water board said.",
    "3:45 p.m. Harbour City's main library will stay open until 10 p.m. on weekdays from April as part of a pilot scheme funded by a local charity.",
    "2:15 p.m. Police have reopened the coastal road near Pennick Point after a lorry shed its load of timber across both lanes in the morning.",
    "1:30 p.m. The weather service expects heavy rain overnight and has issued a yellow warning for the whole county until Wednesday morning.",
    "12:50 p.m. The municipal swimming pool on Grange Street will close for a week for maintenance of its filtration system.",
    "11:10 a.m. A new cross-town bus route linking the university campus with the railway station begins running on Thursday.",
    "10:25 a.m. Ticket sales for the summer harbour festival have opened, with weekend passes selling out within the first hour.",
    "9:40 a.m. A rescued seal pup has been returned to the sea at Marram Beach after six weeks of care at the city aquarium.",
    "9:00 a.m. Traffic is heavy on the ring road this morning as commuters avoid the city centre.",
]
# The live blog carries three wire stories' opening paragraphs among its own updates.
LIVE_BLOG = [UPDATES[0], UPDATES[1], *BRIDGE[:4], UPDATES[2], UPDATES[3], *STRIKE[:4], UPDATES[4], UPDATES[5],
             *COACH[:4], *UPDATES[6:]]  # fmt: skip
BRIDGE_COPY = [*BRIDGE, "Readers can find a map of the diversions on our website's traffic page."]
BRIDGE_REPORT = [  # an independent report of the closure: the same names and numbers, its own words
    "Drivers who use the Calloway Street bridge face weeks of detours after the city shut the crossing on Monday.",
    "Cracked girders were spotted on Friday, and the transport department decided it could not risk keeping the bridge open, a spokesman told the Gazette.",
    "Commuters from the eastern suburbs were already queuing at the Marlow Avenue crossing by 8 a.m., with some reporting waits of half an hour.",
    "Shopkeepers on the eastern approach told us they remembered the last closure three years ago all too well.",
    "Councillor Ruth Abara, who chairs the transport committee, said she would ask for an independent review of how the city inspects its older bridges.",
    "The department has not said when the bridge will reopen, beyond a minimum of six weeks.",
]
STATEMENT = [  # an official statement, as two reports print it: as a block, without quotation marks
    "The County Emergency Office issued the following statement at noon:",
    "A severe gale warning is in force for the coast from Pennick Point to Marram Beach from 6 p.m. tonight until 6 a.m. on Wednesday. Gusts of up to 110 kilometres an hour are expected on exposed headlands.",
    "Residents in low-lying streets near the harbour should move vehicles to higher ground and avoid the seafront promenade until the warning is lifted.",
]
STORM_ONE = [
    "Coastal towns were preparing on Tuesday for the strongest storm of the winter, with schools in three districts announcing early closures.",
    *STATEMENT,
    "Ferry operators cancelled all sailings to the islands after 3 p.m., and the port authority moved two cruise ships to sheltered berths.",
    "Fishermen at Pennick Point spent the morning hauling boats up the slipway, some with help from neighbours and a borrowed tractor.",
    "The last storm of comparable strength, in January 2022, brought down power lines across the county and left 40,000 homes without electricity.",
]
STORM_TWO = [
    "Emergency officials urged people living near the harbour to prepare for flooding as a powerful storm moved towards the coast on Tuesday.",
    "Power companies said they had put repair crews on standby in six towns and brought in extra teams from inland depots.",
    *STATEMENT,
    "At Marram Beach, a few surfers ignored the warnings and paddled out into the rising swell, to the dismay of lifeguards.",
    "Forecasters said the storm would weaken quickly on Wednesday as it moved north-east across the sea.",
]
DOCKS_FIRST = [
    "HARBOUR CITY (Northwind) -- Dock workers at the port of Harbour City walked out on Tuesday morning after talks over a new pay agreement collapsed overnight, halting the loading of container ships at all four terminals.",
    "The dockers' union said its 2,300 members would stay off work until the port authority returned to the table with an offer that matched the rise in living costs over the past two years.",
    "The port authority said it had offered a rise of 6 percent over two years and called the walkout premature, adding that perishable cargo would be moved to the rail terminal where possible.",
    "Three ships waiting to unload fruit and frozen fish were anchored off the harbour mouth by midday, according to the coastguard's shipping list.",
]
DOCKS_UPDATE = [
    "HARBOUR CITY (Northwind) -- The port authority and the dockers' union agreed on Tuesday evening to resume talks on Wednesday, hours after a walkout by dock workers halted container traffic at Harbour City's four terminals.",
    *DOCKS_FIRST[1:3],
    "A mediator appointed by the regional labour office will chair the talks, which are due to begin at 9 a.m. at the authority's headquarters on Quay Street.",
    "Freight companies said the stoppage had already delayed about 400 containers bound for inland warehouses, and warned of empty shelves in supermarkets if the dispute lasted into the weekend.",
]
CAPTION = "A firefighter sprays water on a burning warehouse on the northern docks in Harbour City on Monday, March 2, 2026. (Northwind Photo/Jane Roe)"
CNN_STORY = [
    "WASHINGTON (CNN) -- The Senate approved a bill on Tuesday that would require airlines to refund passengers in cash within seven days when a flight is cancelled or delayed by more than three hours.",
    "The measure passed 71 to 27, with members of both parties voting in favour after months of complaints about travellers left waiting for vouchers.",
    "Airline industry groups said the rules would raise costs and could lead carriers to cut routes to smaller airports.",
    "The bill now goes to the House, where a similar proposal stalled last year in the transportation committee.",
    "Consumer advocates called the vote the most significant change to passenger rights in more than a decade.",
]


def documents() -> list[dict[str, str]]:
    def doc(key: str, paragraphs: list[str], publisher: str, **more: str) -> dict[str, str]:
        return {"id": key, "text": "\n\n".join(paragraphs), "publisher": publisher, **more}

    return [
        doc("wire-bridge", BRIDGE, "Northwind", published="2026-03-02T09:00:00Z"),
        doc("wire-strike", STRIKE, "Northwind", published="2026-03-02T09:30:00Z"),
        doc("wire-coach", COACH, "Northwind", published="2026-03-02T10:00:00Z"),
        doc("live-blog", LIVE_BLOG, "Harbour City Courier", published="2026-03-02T11:00:00Z"),
        doc("copy-bridge", BRIDGE_COPY, "Eastside Echo", published="2026-03-02T12:00:00Z"),
        doc("report-bridge", BRIDGE_REPORT, "Harbour City Gazette", published="2026-03-02T13:00:00Z"),
        doc("storm-one", STORM_ONE, "Coast Daily", published="2026-03-03"),
        doc("storm-two", STORM_TWO, "Harbour City Gazette", published="2026-03-03"),
        doc("caption-one", [CAPTION], "News Roundup One"),
        doc("caption-two", [CAPTION], "News Roundup Two"),
        doc("docks-valley", DOCKS_FIRST, "Valley Courier", published="2026-03-03T10:00:00Z"),
        doc("docks-hill", DOCKS_FIRST, "Hill Times", published="2026-03-03T11:00:00Z"),
        doc("docks-lake", DOCKS_UPDATE, "Lake Post", published="2026-03-03T19:00:00Z"),
        doc("docks-river", DOCKS_UPDATE, "River News", published="2026-03-03T20:00:00Z"),
        doc("kxrt-senate", CNN_STORY, "KXRT 7 News", url="https://www.kxrt7.example/news/senate-refunds"),
        doc("wire-cnn-senate", CNN_STORY, "cnn.com", url="https://edition.cnn.com/2026/03/03/politics/senate-refunds"),
    ]


LABELS = [
    ("wire-bridge", "copy-bridge", "wholly"),
    ("wire-bridge", "live-blog", "partially"),
    ("wire-strike", "live-blog", "partially"),
    ("wire-coach", "live-blog", "partially"),
    ("wire-bridge", "report-bridge", "non"),
    ("live-blog", "report-bridge", "non"),
    ("copy-bridge", "report-bridge", "non"),
    ("wire-bridge", "wire-strike", "non"),
    ("wire-bridge", "wire-coach", "non"),
    ("wire-strike", "wire-coach", "non"),
    ("storm-one", "storm-two", "non"),
    ("caption-one", "caption-two", "wholly"),
    ("wire-cnn-senate", "kxrt-senate", "wholly"),
    ("docks-valley", "docks-lake", "partially"),
]


def write(folder: Path) -> Path:
    """The corpus in ``folder`` (documents.jsonl, labels.jsonl); returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "documents.jsonl").open("w", encoding="utf-8") as out:
        for record in documents():
            out.write(json.dumps(record) + "\n")
    with (folder / "labels.jsonl").open("w", encoding="utf-8") as out:
        for a, b, label in LABELS:
            out.write(json.dumps({"a": a, "b": b, "label": label}) + "\n")
    return folder
