"""The web pages (heard.web.pages) over a real scored SQLite database: signing in and out, the
same access rules as the API (tried and broken), CSRF on every form, the draft checker's
highlighted evidence, role-play, drills, the team dashboard, imports, and no external URL.

The data is the planted-truth help desk of tests/support/measure_export.py (North: Ana, Ben,
Cleo, Dev; South: Eli, Fay, Gus, Hal). Users: agents ana (Ana) and ben (Ben, by his id a2);
leads nora (North) and sam (South); admin root.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from heard.services.accounts import create_user
from heard.services.config import Config
from heard.storage.database import Database, open_database
from heard.storage.tables import AuditEvent, PracticeSession
from heard.web.app import create_app
from support.measure_export import write_export

PASSWORD = "correct horse battery staple"
USERS = {
    "ana": ("agent", None, "Ana"),
    "ben": ("agent", None, "a2"),
    "nora": ("lead", "North", None),
    "sam": ("lead", "South", None),
    "root": ("admin", None, None),
}
RESOLVING = (
    "I'm so sorry you've been charged twice, that's really worrying with money tight.",
    "I've refunded the second payment just now; it'll be back on your card by Thursday, and "
    "I'll email you once it's gone through.",
)


@dataclass
class Site:
    database: Database
    app: object

    def browser(self) -> TestClient:
        return TestClient(self.app, base_url="https://testserver", follow_redirects=False)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    from heard.services.imports import import_export
    from heard.services.models import assessor
    from heard.services.scoring import score_pending

    folder = tmp_path_factory.mktemp("pages")
    write_export(folder / "export.jsonl")
    database = open_database(f"sqlite:///{folder / 'heard.db'}")
    import_export(database, folder / "export.jsonl")
    score_pending(database, assessor("fast"))
    for name, (role, team, agent) in USERS.items():
        create_user(database, name, PASSWORD, role=role, team=team, agent=agent)
    app = create_app(database, Config())
    with TestClient(app, base_url="https://testserver"):  # runs the app's start-up once
        yield Site(database, app)
    database.close()


def login_token(page: httpx.Response) -> str:
    found = re.search(r'name="login_token" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def sign_in(site: Site, user: str, *, next_: str | None = None) -> tuple[TestClient, str]:
    """A browser signed in as ``user`` through the login form, and its CSRF token."""
    client = site.browser()
    form = client.get("/login")
    data = {"username": user, "password": PASSWORD, "login_token": login_token(form)}
    if next_:
        data["next"] = next_
    done = client.post("/login", data=data)
    assert done.status_code == 303, done.text
    page = client.get("/check")
    assert page.status_code == 200
    return client, csrf_of(page)


def test_signed_out_pages_redirect_to_login(site: Site) -> None:
    client = site.browser()
    for path in (
        "/",
        "/check",
        "/team?team=North",
        "/practice",
        "/drills",
        "/imports",
        "/conversations/generic:T0001",
    ):
        response = client.get(path)
        assert response.status_code == 303, path
        location = response.headers["location"]
        assert location.startswith("/login"), location
        if path != "/":
            assert unquote(location) == f"/login?next={path}"
    for path in ("/check", "/practice", "/logout"):
        assert client.post(path, data={"csrf_token": "x"}).status_code == 303
    login = client.get("/login")
    assert login.status_code == 200 and 'action="/login"' in login.text
    assert '<label for="username">' in login.text and '<label for="password">' in login.text


def test_signing_in_and_out_with_the_form(site: Site) -> None:
    client = site.browser()
    form = client.get("/login?next=/drills")
    token = login_token(form)
    wrong = client.post(
        "/login", data={"username": "ana", "password": "nope-nope-nope", "login_token": token}
    )
    assert wrong.status_code == 401 and "Wrong user name or password" in wrong.text
    assert "heard_session" not in wrong.headers.get("set-cookie", "")
    # a form whose token does not match the browser's login cookie (login CSRF) is refused
    with site.browser() as stranger:
        forged = stranger.post(
            "/login", data={"username": "ana", "password": PASSWORD, "login_token": token}
        )
        assert forged.status_code == 403 and "heard_session" not in forged.headers.get(
            "set-cookie", ""
        )
    token = login_token(client.get("/login"))
    done = client.post(
        "/login",
        data={"username": "ana", "password": PASSWORD, "login_token": token, "next": "/drills"},
    )
    assert done.status_code == 303 and done.headers["location"] == "/drills"
    cookie = next(c for c in done.headers.get_list("set-cookie") if c.startswith("heard_session="))
    assert {"httponly", "secure", "samesite=lax"} <= {p.strip().lower() for p in cookie.split(";")}
    home = client.get("/")
    assert home.status_code == 200 and "Hello, Ana" in home.text
    assert client.get("/login").headers["location"] == "/"  # signed in already
    # never sent to another site after signing in
    other, _ = sign_in(site, "ana", next_="//evil.example/x")
    lead = site.browser()
    token = login_token(lead.get("/login"))
    to_team = lead.post(
        "/login",
        data={"username": "nora", "password": PASSWORD, "login_token": token, "next": "//e.x"},
    )
    assert to_team.headers["location"] == "/team"
    assert lead.get("/").headers["location"] == "/team"  # a lead who is not an agent
    # signing out needs the CSRF token, and ends the session on the server
    csrf = csrf_of(home)
    assert client.post("/logout").status_code == 403
    assert client.post("/logout", data={"csrf_token": "wrong"}).status_code == 403
    out = client.post("/logout", data={"csrf_token": csrf})
    assert out.status_code == 303 and out.headers["location"] == "/login"
    replay = site.browser()
    replay.cookies.set("heard_session", cookie.split(";")[0].split("=", 1)[1])
    assert replay.get("/").status_code == 303
    assert other.get("/").status_code == 200  # another session of the same user lives on


def test_page_and_api_sign_in_share_one_rate_limit(site: Site) -> None:
    client = site.browser()
    for _ in range(5):
        api = client.post("/api/v1/session", json={"username": "ratey", "password": "guess"})
        assert api.status_code == 401
    codes = []
    for _ in range(6):
        token = login_token(client.get("/login"))
        page = client.post(
            "/login", data={"username": "ratey", "password": "guess", "login_token": token}
        )
        codes.append(page.status_code)
    assert codes == [401] * 5 + [429]
    assert "Too many sign-in attempts" in page.text and page.headers["retry-after"] == "60"


def conversation_of(client: TestClient, agent: str) -> str:
    """A conversation id of ``agent`` (through the API, as a signed-in browser)."""
    listed = client.get(f"/api/v1/conversations?agent={agent}&limit=1")
    assert listed.status_code == 200, listed.text
    return str(listed.json()[0]["id"])


def test_an_agent_sees_only_their_own_pages(site: Site) -> None:
    ana, _ = sign_in(site, "ana")
    ben, _ = sign_in(site, "ben")
    mine = conversation_of(ana, "a1")
    bens = conversation_of(ben, "a2")
    home = ana.get("/")
    assert home.status_code == 200
    assert f'href="/conversations/{mine.replace(":", "%3A")}"' in home.text
    assert 'id="chart-trends"' in home.text and "<svg" in home.text
    assert "My practice" in home.text and "How you" in home.text
    page = ana.get(f"/conversations/{mine}")
    assert page.status_code == 200 and "<mark class=" in page.text
    stolen = ana.get(f"/conversations/{bens}")
    assert stolen.status_code == 404 and "<mark" not in stolen.text
    assert "text/html" in stolen.headers["content-type"]
    assert ben.get(f"/conversations/{bens}").status_code == 200
    for path in ("/team", "/team?team=North", "/imports", "/imports/1"):
        denied = ana.get(path)
        assert denied.status_code == 403, path
        assert "Not allowed" in denied.text
    with site.database.session() as session:
        events = {(e.username, e.action, e.subject) for e in session.scalars(select(AuditEvent))}
    assert ("ana", "view_conversation", f"conversation:{mine}") in events
    assert ("ana", "view_scorecard", "agent:a1") in events


def test_a_lead_sees_their_team_only_and_an_admin_any_team(site: Site) -> None:
    nora, _ = sign_in(site, "nora")
    # the team, and the training impact of its four agents from the impact form
    query = "trained=a1&trained=a2&trained=a3&trained=a4&since=2026-03-23"
    team = nora.get(f"/team?{query}")
    assert team.status_code == 200
    assert "<h1>North</h1>" in team.text
    for name in ("Ana", "Ben", "Cleo", "Dev"):
        assert f">{name}</a>" in team.text
    assert ">Eli</a>" not in team.text
    for chart in ("chart-trends", "chart-agents", "chart-calmed", "chart-outcomes", "chart-impact"):
        assert f'id="{chart}"' in team.text, chart
    assert 'data-metric="empathy"' in team.text and team.text.count("checked>") == 4
    assert "Team wellbeing" in team.text and "Best reply" in team.text
    assert nora.get("/team?team=South").status_code == 403
    # the impact form may name only the lead's own agents (as the API)
    assert nora.get("/team?trained=a5&since=2026-03-23").status_code == 403
    assert nora.get("/imports").status_code == 403
    assert nora.get(f"/conversations/{conversation_of(nora, 'a1')}").status_code == 200
    root, _ = sign_in(site, "root")
    assert nora.get(f"/conversations/{conversation_of(root, 'a5')}").status_code == 404
    sam, _ = sign_in(site, "sam")
    assert sam.get("/team?team=North").status_code == 403
    assert sam.get("/imports/1").status_code == 403
    chooser = root.get("/team")
    assert chooser.status_code == 200 and 'href="/team?team=South"' in chooser.text
    south = root.get("/team?team=South&trained=a5&since=yesterday")
    assert "<h1>South</h1>" in south.text and ">Hal</a>" in south.text
    assert "not a date" in south.text  # the impact form's error, on the page
    assert root.get("/team?team=Nowhere").status_code == 404
    with site.database.session() as session:
        events = {(e.username, e.action, e.subject) for e in session.scalars(select(AuditEvent))}
    assert {
        ("nora", "view_scorecard", "team:North"),
        ("nora", "view_outcomes", "team:North"),
        ("nora", "view_wellbeing", "team:North"),
        ("nora", "view_impact", "agents:a1,a2,a3,a4"),
        ("root", "view_scorecard", "team:South"),
    } <= events


def test_every_page_form_needs_the_csrf_token(site: Site) -> None:
    ana, csrf = sign_in(site, "ana")
    body = {"customer": "I was charged twice!", "draft": "Sorry, I've refunded it."}
    forms = [
        ("/check", body),
        ("/practice", {"scenario": "double-charge"}),
        ("/drills/add-to-order-opening", {"answer": "You sound worried."}),
        ("/logout", {}),
    ]
    for path, data in forms:
        for token in (None, "wrong"):
            sent = {**data, "csrf_token": token} if token else data
            refused = ana.post(path, data=sent)
            assert refused.status_code == 403, (path, token)
            assert "This form has expired" in refused.text
    assert ana.post("/check", data={**body, "csrf_token": csrf}).status_code == 200
    root, _ = sign_in(site, "root")
    files = {"file": ("x.jsonl", b"{}\n", "application/json")}
    assert root.post("/imports", files=files, data={"csrf_token": "wrong"}).status_code == 403


def test_the_draft_checker_marks_the_evidence_in_the_draft(site: Site) -> None:
    ana, csrf = sign_in(site, "ana")
    empty = ana.get("/check")
    assert '<label for="customer">' in empty.text and '<label for="draft">' in empty.text
    draft = "As I said before, you should have checked the address. Please calm down."
    page = ana.post(
        "/check",
        data={
            "customer": "This is the THIRD time my order 48213 hasn't arrived!!",
            "draft": draft,
            "csrf_token": csrf,
        },
    )
    assert page.status_code == 200
    marks = re.findall(r'<mark class="(\w+)" title="([^"]*)">([^<]*)</mark>', page.text)
    assert ("anti_pattern", "Please calm down") in {(kind, text) for kind, _, text in marks}
    assert any("Tone policing" in title for _, title, _ in marks)
    assert "Top tips" in page.text and 'id="rewrite-text"' in page.text
    assert 'data-copy="rewrite-text"' in page.text  # the copy button, shown by the script
    assert "anti-pattern</mark>" in page.text  # the legend names each kind
    assert draft in page.text  # kept in the form
    mixed = ana.post(
        "/check",
        data={
            "customer": "My refund still hasn't come and I'm really worried about rent.",
            "draft": "I'm so sorry, that sounds really stressful. I've refunded it today.",
            "csrf_token": csrf,
        },
    )
    assert '<mark class="strength"' in mixed.text
    missing = ana.post("/check", data={"customer": " ", "draft": "Hi", "csrf_token": csrf})
    assert missing.status_code == 422 and "Paste both" in missing.text


def test_a_role_play_in_the_browser_resolves_with_a_scorecard(site: Site) -> None:
    ana, csrf = sign_in(site, "ana")
    listing = ana.get("/practice")
    assert 'value="double-charge"' in listing.text and '<label for="scenario">' in listing.text
    started = ana.post(
        "/practice", data={"scenario": "double-charge", "seed": "3", "csrf_token": csrf}
    )
    assert started.status_code == 303
    path = started.headers["location"]
    first = ana.get(path)
    assert '<meter id="intensity"' in first.text and "Scorecard" not in first.text
    start_value = float(re.search(r'<meter id="intensity"[^>]* value="([\d.]+)"', first.text)[1])  # type: ignore[index]
    for reply in RESOLVING:
        sent = ana.post(path, data={"reply": reply, "csrf_token": csrf})
        assert sent.status_code == 303
        page = ana.get(path)
        value = float(re.search(r'<meter id="intensity"[^>]* value="([\d.]+)"', page.text)[1])  # type: ignore[index]
        assert value < start_value  # the gauge moves
        start_value = value
    assert "What worked" in page.text and "Scorecard: resolved" in page.text
    assert 'id="reply"' not in page.text  # no more replies
    again = ana.post(path, data={"reply": "Anything else?", "csrf_token": csrf})
    assert again.status_code == 422 and "ended" in again.text
    ben, ben_csrf = sign_in(site, "ben")
    assert ben.get(path).status_code == 404
    assert ben.post(path, data={"reply": "hi", "csrf_token": ben_csrf}).status_code == 404
    with site.database.session() as session:
        kept = session.scalars(select(PracticeSession).where(PracticeSession.trainee == "Ana"))
        assert [s.outcome for s in kept] == ["resolved"]
    assert "1 role-play" in ana.get("/").text


def test_a_drill_is_scored_with_feedback_and_an_exemplar(site: Site) -> None:
    ben, csrf = sign_in(site, "ben")
    listing = ben.get("/drills")
    assert 'href="/drills/add-to-order-opening"' in listing.text
    page = ben.get("/drills/add-to-order-opening")
    assert '<label for="answer">' in page.text
    scored = ben.post(
        "/drills/add-to-order-opening",
        data={
            "answer": "You love the jeans and want the shirt added to 71904.",
            "csrf_token": csrf,
        },
    )
    assert scored.status_code == 200
    assert 'id="drill-score"' in scored.text and "An example reflection" in scored.text
    assert ben.get("/drills/no-such-drill").status_code == 404


def test_an_admin_uploads_an_import_and_follows_it(site: Site) -> None:
    root, csrf = sign_in(site, "root")
    form = root.get("/imports")
    assert 'enctype="multipart/form-data"' in form.text and '<label for="file">' in form.text
    rows = (
        '{"conversation_id": "P1", "message_id": "1", "timestamp": "2026-05-01T09:00:00Z", '
        '"author_id": "c-9", "role": "customer", "text": "Where is my parcel?"}\n'
        '{"conversation_id": "P1", "message_id": "2", "timestamp": "2026-05-01T09:05:00Z", '
        '"author_id": "a1", "role": "agent", "agent_name": "Ana", "text": "Sorry! I chased it."}\n'
        '{"conversation_id": "P2", "message_id": "1", "timestamp": "later", '
        '"author_id": "c-8", "role": "customer", "text": "Hello?"}\n'
    )
    files = {"file": ("page.jsonl", rows.encode(), "application/json")}
    sent = root.post("/imports", files=files, data={"csrf_token": csrf})
    assert sent.status_code == 303
    path = sent.headers["location"]
    for _ in range(100):
        page = root.get(path)
        if "data-job=" not in page.text:
            break
        assert 'http-equiv="refresh"' in page.text  # the no-script fallback
        time.sleep(0.1)
    assert page.status_code == 200 and "Done." in page.text, page.text
    assert "Rejected records" in page.text and "timestamp" in page.text
    nora, _ = sign_in(site, "nora")
    assert nora.get(path).status_code == 403


LABELLED = re.compile(r'<label for="([^"]+)"')
INPUT = re.compile(r'<(?:input|textarea|select)\b(?![^>]*type="hidden")[^>]*>')


def test_pages_are_self_contained_and_accessible(site: Site) -> None:
    """No URL to another host anywhere (the pages work offline), the CSP says so, and every
    page has its language, a main landmark, headings in order and a label on every input."""
    pages = {
        "ana": ["/", "/check", "/practice", "/drills", "/drills/add-to-order-opening"],
        "nora": ["/team"],
        "root": ["/team", "/imports"],
    }
    external = re.compile(r"""(?:src|href|action|xlink:href|url)\s*[=(]\s*["']?\s*(?:https?:)?//""")
    checked = [(site.browser(), "/login")]
    for user, paths in pages.items():
        client, _ = sign_in(site, user)
        checked += [(client, path) for path in paths]
    for client, path in checked:
        page = client.get(path)
        assert page.status_code == 200, path
        assert not external.search(page.text), (path, external.search(page.text))
        assert "default-src 'self'" in page.headers["content-security-policy"]
        assert '<html lang="en">' in page.text and '<main id="main"' in page.text
        levels = [int(h) for h in re.findall(r"<h([1-6])[\s>]", page.text)]
        assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels)), path
        for tag in INPUT.findall(page.text):
            named = re.search(r'\bid="([^"]+)"', tag)
            wrapped = f"<label>{tag}" in page.text
            assert wrapped or (named and named[1] in LABELLED.findall(page.text)), (path, tag)
    for asset in ("/static/heard.css", "/static/heard.js"):
        text = site.browser().get(asset).text
        assert text and not re.search(r"https?://", text), asset


def test_ids_out_of_range_are_refused_not_crashed(site: Site) -> None:
    root, csrf = sign_in(site, "root")
    huge = 2**70
    for path in (f"/practice/{huge}", f"/imports/{huge}", "/practice/0", "/practice/x"):
        page = root.get(path)
        assert page.status_code == 422 and "That did not work" in page.text, path
    sent = root.post(f"/practice/{huge}", data={"reply": "hi", "csrf_token": csrf})
    assert sent.status_code == 422
    assert root.get("/practice/999999").status_code == 404
    assert root.get("/imports/999999").status_code == 404
