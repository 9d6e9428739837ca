"""End to end: ``provenance serve`` on 127.0.0.1, read by a real headless browser (Debian's chromium).

Skipped only where no chromium is installed, and never under CI (``.ci/run`` installs it). Set
PROVENANCE_SCREENSHOT_DIR to keep the story page's screenshot (the README's is made so).
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from provenance import Store, ingest

from .conftest import SAMPLES
from .test_browse import hostile_feed

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
IN_CI = bool(os.environ.get("CI"))
if CHROMIUM is None and IN_CI:
    raise RuntimeError("CI runs the browser test: install Debian's chromium (.ci/run does)")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium installed (CI installs it)")

_LISTENING = re.compile(r"Uvicorn running on (http://127\.0\.0\.1:\d+)")
_PWNED = "document.title='pwned'"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The base URL of ``provenance serve`` on a store of the samples and a feed that carries markup."""
    folder = tmp_path_factory.mktemp("served")
    feed = hostile_feed(folder / "hostile.jsonl")
    text = feed.read_text(encoding="utf-8").replace("alert(1)", _PWNED.replace("'", "\\u0027"))
    feed.write_text(text, encoding="utf-8")
    path = folder / "news.db"
    here = Path.cwd()
    os.chdir(SAMPLES.parent)  # articles keyed by their paths as a user gives them: samples/...
    try:
        with Store.open(path) as store:
            ingest(store, ["samples", str(feed)])
    finally:
        os.chdir(here)
    server = subprocess.Popen(
        [sys.executable, "-m", "provenance", "serve", "--db", str(path), "--port", "0", "--host", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        if server.stderr is not None:
            for line in server.stderr:
                lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    try:
        base = None
        seen = []
        while base is None:
            try:
                line = lines.get(timeout=120)
            except queue.Empty:
                pytest.fail(f"provenance serve did not start in 120 s: {''.join(seen)}")
            seen.append(line)
            found = _LISTENING.search(line)
            base = found.group(1) if found else None
        yield base, path
    finally:
        server.terminate()
        server.wait(timeout=20)


def browse(url: str, tmp_path: Path, *extra: str) -> str:
    """What the browser holds once the page has loaded and run (its DOM, serialised)."""
    assert CHROMIUM is not None
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-default-apps", "--no-first-run",
         "--disable-extensions", "--metrics-recording-only", "--disable-dev-shm-usage",
         f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=3000", *extra, url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_the_story_page_in_a_browser(served: tuple[str, Path], tmp_path: Path) -> None:
    import sqlite3

    base, path = served
    with sqlite3.connect(path) as conn:
        story = conn.execute("SELECT id FROM stories WHERE source = 'Northwind'").fetchone()[0]
        copies = conn.execute("SELECT count(*) FROM links WHERE story_id = ?", [story]).fetchone()[0]
    dom = browse(f"{base}/news/stories", tmp_path, "--dump-dom")
    assert f'href="/news/-/story/{story}"' in dom  # the stories table opens the story page
    dom = browse(f"{base}/news/-/story/{story}", tmp_path, "--dump-dom")
    assert "<h1>Kestrel Bay port board approves $1.2 billion container terminal expansion</h1>" in dom
    assert "Written first by</dt><dd>Northwind</dd>" in dom
    assert f"<h2>{copies} copies</h2>" in dom
    assert len(re.findall(r'<details class="copy" id="article-\d+" open="">', dom)) == copies
    assert dom.count('<p class="changes-summary">') == copies
    assert "<del>2-kilometre</del> <ins>two-kilometre</ins>" in dom  # a word the copier changed
    timeline = re.search(r'<svg class="timeline".*?</svg>', dom, re.S)
    assert timeline is not None
    assert timeline.group(0).count('<a class="mark ') == copies + 1
    xs = [float(x) for x in re.findall(r'(?:cx|x)="([\d.]+)" (?:cy|y)=', timeline.group(0))]
    assert xs
    assert all(0 < x < 760 for x in xs)  # every mark inside the chart
    assert 'class="dropped"' in dom
    assert 'class="reused"' in dom
    assert f'href="/news/articles/{story}"' in dom

    screenshots = Path(os.environ.get("PROVENANCE_SCREENSHOT_DIR") or tmp_path)
    screenshots.mkdir(parents=True, exist_ok=True)
    shot = screenshots / "story-page.png"
    browse(f"{base}/news/-/story/{story}", tmp_path, f"--screenshot={shot}", "--window-size=1280,1400",
           "--hide-scrollbars")  # fmt: skip
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with sqlite3.connect(path) as conn:
        rewritten = conn.execute("SELECT id FROM articles WHERE key LIKE '%morningpost-new-headline.txt'").fetchone()[0]
    dom = browse(f"{base}/news/-/story/{story}?copy={rewritten}", tmp_path, "--dump-dom")
    assert dom.count('<details class="copy"') == 1
    assert "<del>2-kilometre</del> <ins>two-kilometre</ins>" in dom
    shot = screenshots / "word-changes.png"  # the copy whose words changed, alone beside its source
    browse(f"{base}/news/-/story/{story}?copy={rewritten}", tmp_path, f"--screenshot={shot}",
           "--window-size=1280,1300", "--hide-scrollbars")  # fmt: skip
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_publisher_page_and_the_overview_in_a_browser(served: tuple[str, Path], tmp_path: Path) -> None:
    base, _ = served
    dom = browse(f"{base}/news/-/publisher/Coast%20Daily%20Media", tmp_path, "--dump-dom")
    assert "<h1>Coast Daily Media</h1>" in dom
    bars = re.search(r'<svg class="bars".*?</svg>', dom, re.S)
    assert bars is not None
    assert bars.group(0).count('<rect class="bar"') == 1  # its copies: all of one origin
    assert '<svg class="days"' in dom
    dom = browse(f"{base}/news/-/overview", tmp_path, "--dump-dom")
    assert '<a href="/news/-/publisher/Bay%20Herald">Bay Herald</a>' in dom
    assert '<svg class="days"' in dom
    screenshots = Path(os.environ.get("PROVENANCE_SCREENSHOT_DIR") or tmp_path)
    screenshots.mkdir(parents=True, exist_ok=True)
    for name, url in (("publisher-page", "/news/-/publisher/Coast%20Daily%20Media"), ("overview", "/news/-/overview")):
        shot = screenshots / f"{name}.png"
        browse(f"{base}{url}", tmp_path, f"--screenshot={shot}", "--window-size=1280,1100", "--hide-scrollbars")
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_html_report_in_a_browser_without_a_server(served: tuple[str, Path], tmp_path: Path) -> None:
    import sqlite3

    from provenance.browse.standalone import html_report

    _, path = served
    with sqlite3.connect(path, isolation_level=None) as conn:
        report = tmp_path / "stories.html"
        report.write_text(html_report(conn, "news"), encoding="utf-8")
    dom = browse(report.as_uri(), tmp_path, "--dump-dom")
    assert dom.count('<section class="story">') == 2
    assert dom.count('<svg class="timeline"') == 2
    assert "<del>2-kilometre</del> <ins>two-kilometre</ins>" in dom
    assert "<title>pwned</title>" not in dom  # the hostile story's markup stays text
    screenshots = Path(os.environ.get("PROVENANCE_SCREENSHOT_DIR") or tmp_path)
    screenshots.mkdir(parents=True, exist_ok=True)
    shot = screenshots / "html-report.png"
    browse(report.as_uri(), tmp_path, f"--screenshot={shot}", "--window-size=1280,1000", "--hide-scrollbars")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_markup_in_articles_does_not_run_in_a_browser(served: tuple[str, Path], tmp_path: Path) -> None:
    import sqlite3

    base, path = served
    with sqlite3.connect(path) as conn:
        story = conn.execute("SELECT s.id FROM stories s JOIN articles a ON a.id = s.id WHERE a.key = 'ferry-wire'")
        story_id = story.fetchone()[0]
        assert "onerror" in conn.execute("SELECT title FROM articles WHERE id = ?", [story_id]).fetchone()[0]
    pages = (f"{base}/news/-/story/{story_id}", f"{base}/news/articles/{story_id}", f"{base}/news/articles",
             f"{base}/news/-/overview")  # fmt: skip
    for url in pages:
        dom = browse(url, tmp_path, "--dump-dom")
        assert "<title>pwned</title>" not in dom, url
        assert "&lt;img src=x onerror=" in dom, url
