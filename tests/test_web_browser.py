"""The web pages in a real browser: Debian's Chromium driven by Playwright against a real
`heard serve` process (its own free port, its own SQLite file, so xdist workers never collide).

- an agent signs in, checks a draft and sees the evidence marked in it;
- an agent plays a role-play to its end and sees the scorecard;
- a lead opens the team dashboard and its charts are drawn (each inline SVG has a size).

Set HEARD_SCREENSHOTS=FOLDER to save full-page screenshots of each page at 1280 and 390 px.

The server runs with the default `cookie_secure = true`: Chromium treats http://127.0.0.1 as a
secure context and keeps Secure cookies from it.
"""

from __future__ import annotations

import fcntl
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from heard.services.accounts import create_user
from support.measure_export import write_export

CHROMIUM = Path("/usr/bin/chromium")
ENSURE = Path(__file__).resolve().parents[1] / "scripts" / "ensure_chromium.sh"
PASSWORD = "correct horse battery staple"
RESOLVING = (
    "I'm so sorry you've been charged twice, that's really worrying with money tight.",
    "I've refunded the second payment just now; it'll be back on your card by Thursday, and "
    "I'll email you once it's gone through.",
)
WIDTHS = (1280, 390)


def _chromium() -> Path:
    """Debian's Chromium; installed with scripts/ensure_chromium.sh when it is missing (once,
    whichever xdist worker gets there first). Skips only when it cannot be installed."""
    if not CHROMIUM.exists():
        lock = Path(tempfile.gettempdir()) / "heard-ensure-chromium.lock"
        with lock.open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            if not CHROMIUM.exists():
                try:  # no terminal: sudo fails at once instead of asking for a password
                    done = subprocess.run(
                        [str(ENSURE)],
                        capture_output=True,
                        text=True,
                        check=False,
                        stdin=subprocess.DEVNULL,
                        start_new_session=True,
                        timeout=900,
                    )
                    problem = done.stderr.strip()[-300:] or f"exit status {done.returncode}"
                except subprocess.TimeoutExpired:
                    problem = "timed out"
                if not CHROMIUM.exists():
                    pytest.skip(
                        f"{CHROMIUM} is missing and scripts/ensure_chromium.sh could not install "
                        f"it ({problem}); `make unit` installs it"
                    )
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from heard.services.imports import import_export
    from heard.services.models import assessor
    from heard.services.scoring import score_pending
    from heard.storage.database import open_database

    folder = tmp_path_factory.mktemp("browser")
    write_export(folder / "export.jsonl")
    url = f"sqlite:///{folder / 'heard.db'}"
    database = open_database(url)
    import_export(database, folder / "export.jsonl")
    score_pending(database, assessor("fast"))
    create_user(database, "ana", PASSWORD, role="agent", agent="Ana")
    create_user(database, "nora", PASSWORD, role="lead", team="North")
    database.close()
    settings = folder / "heard.toml"
    settings.write_text("[web]\ncookie_secure = true\n", encoding="utf-8")
    heard = Path(sys.executable).with_name("heard")
    log = folder / "serve.log"
    for _attempt in range(3):  # a free port can be taken between the probe and the bind
        port = _free_port()
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [str(heard), "serve", "--db", url, "--port", str(port), "--config", str(settings)],
                stdout=sink,
                stderr=subprocess.STDOUT,
                env={**os.environ, "HEARD_DATABASE_URL": url},
            )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and process.poll() is None:
            if _ready(f"{base}/login"):
                break
            time.sleep(0.2)
        if process.poll() is None:
            break
    else:
        pytest.fail(f"heard serve did not start:\n{log.read_text(errors='replace')}")
    try:
        yield Server(base, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=["--no-sandbox"]
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    opened = context.new_page()
    yield opened
    context.close()


def snap(page: Any, name: str) -> None:
    """Full-page screenshots at each width, when HEARD_SCREENSHOTS names a folder."""
    folder = os.environ.get("HEARD_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def sign_in(page: Any, server: Server, user: str, path: str) -> None:
    page.goto(server.url + path)
    assert "/login" in page.url  # signed out: sent to the sign-in form
    page.get_by_label("User name").fill(user)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(server.url + path.split("#")[0])
    cookie = next(c for c in page.context.cookies() if c["name"] == "heard_session")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Lax"


def test_an_agent_checks_a_draft_and_sees_the_evidence_marked(page: Any, server: Server) -> None:
    sign_in(page, server, "ana", "/check")
    page.get_by_label("The customer's message").fill(
        "This is the THIRD time my order 48213 hasn't arrived!! I'm so frustrated."
    )
    page.get_by_label("Your draft reply").fill(
        "I'm sorry about the wait. As I said before, you should have checked the address. "
        "Please calm down."
    )
    page.get_by_role("button", name="Check the draft").click()
    draft = page.locator("#draft-highlighted")
    draft.wait_for()
    anti = draft.locator("mark.anti_pattern")
    assert "Please calm down" in anti.all_inner_texts()
    assert "Tone policing" in (
        anti.filter(has_text="Please calm down").get_attribute("title") or ""
    )
    assert page.locator("ol.tips li").count() >= 1
    rewrite = page.locator("#rewrite-text").inner_text()
    assert rewrite.strip() and "calm down" not in rewrite.lower()
    copy = page.get_by_role("button", name="Copy the rewrite")
    assert copy.is_visible()  # unhidden by the script
    copy.click()
    page.get_by_text("Copied.").wait_for()
    assert (
        page.evaluate("navigator.clipboard.readText()")
        == page.locator("#rewrite-text").inner_text()
    )
    snap(page, "check")
    page.goto(server.url + "/")
    assert page.get_by_role("heading", name="Hello, Ana").is_visible()
    for chart in page.locator("svg.chart").all():
        box = chart.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50
    snap(page, "home")


def test_an_agent_plays_a_role_play_to_its_scorecard(page: Any, server: Server) -> None:
    sign_in(page, server, "ana", "/practice")
    page.get_by_label("Scenario", exact=True).select_option("double-charge")
    page.get_by_label("Seed").fill("3")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url("**/practice/*")
    gauge = page.locator("meter#intensity")
    before = float(gauge.get_attribute("value") or "nan")
    for turn, reply in enumerate(RESOLVING, start=1):
        page.get_by_label("Your reply").fill(reply)
        page.get_by_role("button", name="Send").click()
        page.locator(f"#turn-{turn}").wait_for()
        now = float(gauge.get_attribute("value") or "nan")
        assert now < before, (turn, before, now)  # the gauge moves down: calmer
        before = now
        assert page.locator(f"#turn-{turn} .feedback").inner_text()
    assert page.locator("#turn-1 .feedback ul.worked li").count() >= 1
    scorecard = page.locator("#scorecard")
    assert "Scorecard: resolved" in scorecard.locator("h2").inner_text()
    assert scorecard.locator("table.skills tbody tr").count() == 7
    assert page.get_by_label("Your reply").count() == 0  # it has ended
    snap(page, "roleplay")


def test_a_lead_sees_the_team_dashboard_with_its_charts_drawn(page: Any, server: Server) -> None:
    sign_in(page, server, "nora", "/team")
    assert page.get_by_role("heading", name="North", level=1).is_visible()
    charts = page.locator("svg.chart")
    assert charts.count() >= 4
    for chart in charts.all():
        box = chart.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50, chart.get_attribute(
            "aria-labelledby"
        )
    assert (page.locator("#chart-trends svg title").text_content() or "").startswith("Mean score")
    # the impact form: tick the team, give the date, and the impact charts are drawn
    for name in ("Ana", "Ben", "Cleo", "Dev"):
        page.get_by_label(name, exact=True).check()
    page.get_by_label("Trained on").fill("2026-03-23")
    page.get_by_role("button", name="Measure the impact").click()
    page.locator("#chart-impact svg").wait_for()
    box = page.locator("#chart-impact svg").bounding_box()
    assert box and box["width"] > 100 and box["height"] > 50
    snap(page, "team")
