"""The HTTP API against real SQLite and PostgreSQL: every access rule, tried and broken.

The data is the planted-truth help desk of tests/support/measure_export.py (North: Ana, Ben,
Cleo, Dev; South: Eli, Fay, Gus, Hal), imported and scored with the fast tier. The users:
agents ana (Ana) and ben (Ben, by his id a2), hal (Hal); leads nora (North) and sam (South);
admin root; and gone, disabled.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

import fastapi.routing
import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter
from sqlalchemy import select, update

from heard.services.accounts import create_token, disable_user, now
from heard.services.config import Config, WebSettings
from heard.storage.database import Database
from heard.storage.tables import ApiToken, AuditEvent, WebSession
from heard.web.app import create_app
from heard.web.schemas import AssessmentOut
from support.measure_export import write_export
from support.site import scored_database, sign_up

PASSWORD = "correct horse battery staple"
USERS = {
    "ana": ("agent", None, "Ana"),
    "ben": ("agent", None, "a2"),
    "hal": ("agent", None, "Hal"),
    "nora": ("lead", "North", None),
    "sam": ("lead", "South", None),
    "root": ("admin", None, None),
    "gone": ("agent", None, "Cleo"),
}


@dataclass
class Site:
    database: Database
    client: TestClient
    tokens: dict[str, str]
    folder: Path

    def get(self, path: str, user: str) -> httpx.Response:
        return self.client.get(path, headers={"Authorization": f"Bearer {self.tokens[user]}"})

    def json(self, path: str, user: str, status: int = 200) -> Any:
        response = self.client.get(path, headers={"Authorization": f"Bearer {self.tokens[user]}"})
        assert response.status_code == status, response.text
        return response.json()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("web")
    write_export(folder / "export.jsonl")
    database = scored_database(request, folder / "export.jsonl", "web")
    tokens = sign_up(database, USERS, PASSWORD)
    disable_user(database, "gone")
    app = create_app(database, Config())
    with TestClient(app, base_url="https://testserver") as client:
        yield Site(database, client, tokens, folder)
    database.close()


@cache
def _adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation)


@pytest.fixture(autouse=True)
def served(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every document a route returns in these tests, checked against the route's response model
    with extra fields forbidden before FastAPI serialises it: FastAPI would drop a field the
    model lacks without a word, so a field added to a document (``heard ... --json``) without
    its schema fails here instead of vanishing from the API. The list holds what was served."""
    serialize = fastapi.routing.serialize_response
    documents: list[Any] = []

    async def strict(*, field: Any = None, response_content: Any, **kwargs: Any) -> Any:
        if field is not None:
            _adapter(field.field_info.annotation).validate_python(response_content, extra="forbid")
            documents.append(response_content)
        return await serialize(field=field, response_content=response_content, **kwargs)

    monkeypatch.setattr(fastapi.routing, "serialize_response", strict)
    return documents


PROTECTED = [
    ("get", "/api/v1/me"),
    ("get", "/api/v1/agents"),
    ("get", "/api/v1/agents/a1/scorecard"),
    ("get", "/api/v1/teams/North/scorecard"),
    ("get", "/api/v1/conversations"),
    ("get", "/api/v1/conversations/generic:T0001"),
    ("get", "/api/v1/outcomes"),
    ("get", "/api/v1/impact?trained=Ana&since=2026-03-23"),
    ("get", "/api/v1/wellbeing/me"),
    ("get", "/api/v1/wellbeing/team"),
    ("post", "/api/v1/assess"),
    ("delete", "/api/v1/session"),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_no_token_bad_token_and_disabled_users_are_turned_away(
    site: Site, method: str, path: str
) -> None:
    call = getattr(site.client, method)
    kwargs = {"json": {"customer": ["hi"], "draft": "hello"}} if method == "post" else {}
    assert call(path, **kwargs).status_code == 401
    for token in ("heard_not-a-real-token", "Basic abc", site.tokens["gone"]):
        response = call(path, headers={"Authorization": f"Bearer {token}"}, **kwargs)
        assert response.status_code == 401, (token, response.text)
        assert response.headers["www-authenticate"] == "Bearer"
        assert set(response.json()) == {"error", "field"}


def test_an_expired_token_and_an_expired_session_are_refused(site: Site) -> None:
    token, info = create_token(site.database, "ana", "short", days=1)
    ok = site.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200 and ok.json()["username"] == "ana"
    with site.database.session() as session, session.begin():
        session.execute(
            update(ApiToken).where(ApiToken.id == info.id).values(expires_at=now() - timedelta(1))
        )
    late = site.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert late.status_code == 401

    with TestClient(site.client.app, base_url="https://testserver") as browser:
        login = browser.post("/api/v1/session", json={"username": "ana", "password": PASSWORD})
        assert login.status_code == 200
        assert browser.get("/api/v1/me").json()["username"] == "ana"
        with site.database.session() as session, session.begin():
            session.execute(update(WebSession).values(expires_at=now() - timedelta(minutes=1)))
        assert browser.get("/api/v1/me").status_code == 401


def test_agent_a_cannot_read_agent_b(site: Site) -> None:
    assert site.json("/api/v1/agents", "ana") == [{"id": "a1", "name": "Ana", "team": "North"}]
    assert site.json("/api/v1/agents/a1/scorecard", "ana")["name"] == "Ana"
    for path in (
        "/api/v1/agents/a2/scorecard",
        "/api/v1/conversations?agent=a2",
        "/api/v1/teams/North/scorecard",
    ):
        assert site.get(path, "ana").status_code == 403, path
    mine = site.json("/api/v1/conversations?limit=200", "ana")
    assert mine and {c["agent_id"] for c in mine} == {"a1"}
    bens = site.json("/api/v1/conversations?limit=1", "ben")[0]["id"]
    stolen = site.get(f"/api/v1/conversations/{bens}", "ana")
    assert stolen.status_code == 404
    assert site.json(f"/api/v1/conversations/{bens}", "ben")["messages"]
    # ben is linked by his help-desk id, not his name
    assert site.json("/api/v1/agents", "ben") == [{"id": "a2", "name": "Ben", "team": "North"}]


def test_an_agent_cannot_use_lead_reads(site: Site) -> None:
    for path in (
        "/api/v1/outcomes",
        "/api/v1/wellbeing/team",
        "/api/v1/impact?trained=Ana&since=2026-03-23",
    ):
        assert site.get(path, "ana").status_code == 403, path


def test_the_lead_of_north_cannot_read_south(site: Site) -> None:
    agents = site.json("/api/v1/agents", "nora")
    assert [a["name"] for a in agents] == ["Ana", "Ben", "Cleo", "Dev"]
    assert site.json("/api/v1/teams/North/scorecard", "nora")["kind"] == "team"
    for path in (
        "/api/v1/agents/a5/scorecard",
        "/api/v1/teams/South/scorecard",
        "/api/v1/conversations?agent=a8",
        "/api/v1/impact?trained=Eli&since=2026-03-23",
        "/api/v1/wellbeing/team?team=South",  # a denial, not a quiet answer about North
    ):
        assert site.get(path, "nora").status_code == 403, path
    listed = site.json("/api/v1/conversations?limit=200", "nora")
    assert {c["agent_id"] for c in listed} <= {"a1", "a2", "a3", "a4"}
    assert site.json("/api/v1/wellbeing/team", "nora")["team"] == "North"
    assert site.json("/api/v1/wellbeing/team?team=North", "nora")["team"] == "North"
    outcomes = site.json("/api/v1/outcomes", "nora")
    everyone = site.json("/api/v1/outcomes", "root")
    assert 0 < outcomes["conversations"] < everyone["conversations"]


def test_an_admin_sees_everyone_and_every_view_is_audited(site: Site) -> None:
    assert len(site.json("/api/v1/agents", "root")) == 8
    site.json("/api/v1/agents/a1/scorecard", "nora")
    impact = site.json("/api/v1/impact?trained=North&since=2026-03-23&until=2026-04-06", "nora")
    assert [t["name"] for t in impact["trained"]] == ["Ana", "Ben", "Cleo", "Dev"]
    with site.database.session() as session:
        events = [
            (e.username, e.action, e.subject)
            for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]
    assert ("nora", "view_scorecard", "agent:a1") in events
    assert ("nora", "view_impact", "agents:a1,a2,a3,a4") in events


def test_wellbeing_reaches_the_lead_only_after_the_agent(site: Site) -> None:
    database = site.database
    app = create_app(
        database,
        Config(wellbeing=Config().wellbeing.__class__(lead_sees="after_agent", grace_days=0)),
    )
    with TestClient(app, base_url="https://testserver") as client:

        def get(path: str, user: str) -> dict[str, object]:
            response = client.get(path, headers={"Authorization": f"Bearer {site.tokens[user]}"})
            assert response.status_code == 200, response.text
            return response.json()

        before = get("/api/v1/wellbeing/team", "sam")
        assert before["shared"] == [] and before["team"] == "South"
        mine = get("/api/v1/wellbeing/me", "hal")
        assert {"empathy_trend", "scripted"} <= set(mine["fired_names"])
        after = get("/api/v1/wellbeing/team", "sam")
        assert [s["name"] for s in after["shared"]] == ["Hal"]
        assert "fired" not in after["shared"][0]
        assert get("/api/v1/wellbeing/team", "nora")["shared"] == []  # North's lead: not Hal


def test_cookie_changes_need_the_csrf_token_and_logout_ends_the_session(site: Site) -> None:
    with TestClient(site.client.app, base_url="https://testserver") as browser:
        login = browser.post("/api/v1/session", json={"username": "ana", "password": PASSWORD})
        csrf = login.json()["csrf_token"]
        cookie = login.cookies.get("heard_session")
        header = login.headers["set-cookie"].lower()
        assert "httponly" in header and "secure" in header and "samesite=lax" in header
        body = {"customer": ["I was charged twice!"], "draft": "Sorry, I've refunded it."}
        assert browser.post("/api/v1/assess", json=body).status_code == 403
        wrong = browser.post("/api/v1/assess", json=body, headers={"X-CSRF-Token": "nope"})
        assert wrong.status_code == 403
        right = browser.post("/api/v1/assess", json=body, headers={"X-CSRF-Token": csrf})
        assert right.status_code == 200 and 0 <= right.json()["score"] <= 100
        assert browser.delete("/api/v1/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    with TestClient(site.client.app, base_url="https://testserver") as replay:
        replay.cookies.set("heard_session", cookie or "")
        assert replay.get("/api/v1/me").status_code == 401  # ended on the server too


def test_assess_returns_the_whole_assessment_and_rejects_bad_bodies(site: Site) -> None:
    headers = {"Authorization": f"Bearer {site.tokens['ana']}"}
    body = {
        "customer": ["This is the THIRD time my order 48213 hasn't arrived!!"],
        "draft": "As I said before, you should have checked the address. Please calm down.",
    }
    result = site.client.post("/api/v1/assess", json=body, headers=headers).json()
    codes = {f["code"] for f in result["findings"]}
    assert {"blames_customer", "tone_policing"} <= codes
    span = next(f for f in result["findings"] if f["code"] == "tone_policing")["evidence"][0]
    assert body["draft"][span["start"] : span["end"]] == span["text"] == "Please calm down"
    assert result["rewrite"] and result["tips"]
    for bad, field in (
        ({"customer": [], "draft": "x"}, "customer"),
        ({"customer": ["hi"], "draft": ""}, "draft"),
        ({"customer": ["hi"], "draft": "x", "extra": 1}, "extra"),
    ):
        response = site.client.post("/api/v1/assess", json=bad, headers=headers)
        assert response.status_code == 422 and response.json()["field"] == field
    huge = site.client.post(
        "/api/v1/assess",
        content=b'{"customer": ["' + b"x" * 300_000 + b'"], "draft": "y"}',
        headers={**headers, "content-type": "application/json"},
    )
    assert huge.status_code == 413 and "too large" in huge.json()["error"]


def test_login_is_rate_limited_and_errors_hide_internals(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(site.database, Config(web=WebSettings(login_rate="3/minute")))
    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as client:
        codes = [
            client.post(
                "/api/v1/session", json={"username": "ana", "password": "guess"}
            ).status_code
            for _ in range(4)
        ]
        assert codes == [401, 401, 401, 429]
        limited = client.post("/api/v1/session", json={"username": "ana", "password": PASSWORD})
        assert limited.status_code == 429 and limited.headers["retry-after"] == "60"

        from heard.services import dashboard

        def broken(*_: object, **__: object) -> None:
            raise RuntimeError("secret detail from deep inside")

        monkeypatch.setattr(dashboard, "analysis_for", broken)
        crash = client.get(
            "/api/v1/agents/a1/scorecard", headers={"Authorization": f"Bearer {site.tokens['ana']}"}
        )
        assert crash.status_code == 500
        assert "internal error (reference" in crash.json()["error"]
        assert "secret" not in crash.text and "Traceback" not in crash.text


def _post(site: Site, path: str, user: str, body: dict[str, object]) -> httpx.Response:
    return site.client.post(
        path, json=body, headers={"Authorization": f"Bearer {site.tokens[user]}"}
    )


def test_a_role_play_over_the_api_resolves_and_is_recorded_for_the_agent(site: Site) -> None:
    from heard.storage.tables import PracticeRun, PracticeSession

    started = _post(site, "/api/v1/roleplays", "ana", {"scenario": "double-charge", "seed": 3})
    assert started.status_code == 201, started.text
    run = started.json()
    assert run["opening"] and run["state"]["turn"] == 0 and run["ended"] is False
    first = _post(
        site,
        f"/api/v1/roleplays/{run['id']}/replies",
        "ana",
        {
            "reply": "I'm so sorry you've been charged twice, that's really worrying with money "
            "tight. Write to me at ana.reply@example.com if you need."
        },
    ).json()
    assert first["state"]["intensity"] < run["state"]["intensity"]  # calmer
    assert first["turns"][0]["feedback"]["worked"]
    # another user cannot read or continue it, and it does not say whether it exists
    assert site.get(f"/api/v1/roleplays/{run['id']}", "ben").status_code == 404
    assert (
        _post(site, f"/api/v1/roleplays/{run['id']}/replies", "ben", {"reply": "hi"}).status_code
        == 404
    )
    second = _post(
        site,
        f"/api/v1/roleplays/{run['id']}/replies",
        "ana",
        {
            "reply": "I've refunded the second payment just now; it'll be back on your card by "
            "Thursday, and I'll email you once it's gone through."
        },
    ).json()
    assert second["ended"] and second["outcome"] == "resolved"
    assert set(second["scorecard"]["skills"]) >= {"acknowledge", "own", "next_steps"}
    again = _post(
        site, f"/api/v1/roleplays/{run['id']}/replies", "ana", {"reply": "Anything else?"}
    )
    assert again.status_code == 422 and "ended" in again.json()["error"]
    with site.database.session() as session:
        stored = session.scalars(
            select(PracticeSession).where(PracticeSession.trainee == "Ana")
        ).all()
        replies = session.get_one(PracticeRun, run["id"]).replies
    assert len(stored) == 1 and stored[0].outcome == "resolved"  # under the agent, for impact
    assert "ana.reply@example.com" not in str(replies) and "[EMAIL]" in replies[0]
    bad = _post(site, "/api/v1/roleplays", "ana", {"scenario": "no-such-scenario"})
    assert bad.status_code == 422 and bad.json()["field"] == "scenario"


def test_drills_over_the_api_are_scored_and_kept(site: Site) -> None:
    from heard.storage.tables import DrillAttempt

    items = site.json("/api/v1/drills", "ben")
    assert len(items) >= 40
    item = items[0]
    result = _post(
        site,
        f"/api/v1/drills/{item['id']}/answers",
        "ben",
        {"answer": "It sounds like you're really worried about this."},
    ).json()
    assert 0 <= result["score"] <= 100 and result["exemplar"]
    with site.database.session() as session:
        kept = session.scalars(select(DrillAttempt).where(DrillAttempt.trainee == "a2")).all()
    assert [a.item for a in kept] == [item["id"]]
    assert _post(site, "/api/v1/drills/nope/answers", "ben", {"answer": "x"}).status_code == 422


def test_an_upload_is_imported_in_the_background_with_its_rejects(site: Site) -> None:
    import json as json_module
    import time

    rows = [
        {
            "conversation_id": "U1",
            "message_id": "1",
            "timestamp": "2026-05-01T09:00:00Z",
            "author_id": "c-1",
            "role": "customer",
            "text": "Where is my parcel? It's late again.",
        },
        {
            "conversation_id": "U1",
            "message_id": "2",
            "timestamp": "2026-05-01T09:05:00Z",
            "author_id": "a1",
            "role": "agent",
            "agent_name": "Ana",
            "text": "Sorry! I've chased it.",
        },
        {
            "conversation_id": "U2",
            "message_id": "1",
            "timestamp": "not a time",
            "author_id": "c-2",
            "role": "customer",
            "text": "Hello?",
        },
    ]
    upload = "".join(json_module.dumps(r) + "\n" for r in rows).encode()
    files = {"file": ("late.jsonl", upload, "application/json")}
    denied = site.client.post(
        "/api/v1/imports", files=files, headers={"Authorization": f"Bearer {site.tokens['nora']}"}
    )
    assert denied.status_code == 403
    headers = {"Authorization": f"Bearer {site.tokens['root']}"}
    job = site.client.post("/api/v1/imports", files=files, headers=headers)
    assert job.status_code == 202, job.text
    job_id = job.json()["id"]
    for _ in range(100):
        status = site.client.get(f"/api/v1/imports/{job_id}", headers=headers).json()
        if status["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert status["status"] == "done", status
    assert status["records"] == 2 and status["rejected"] == 1
    reject = status["rejects"][0]
    assert (reject["location"], reject["field"]) == ("line 3", "timestamp")
    assert site.get(f"/api/v1/imports/{job_id}", "nora").status_code == 403  # admins only
    assert site.json("/api/v1/conversations/generic:U1", "ana")["replies"] == 1


def test_practice_progress_is_your_own_or_your_teams(site: Site) -> None:
    mine = site.json("/api/v1/progress", "ben")
    assert mine["trainee"] == "a2" and mine["drills"] >= 0
    assert site.get("/api/v1/progress?trainee=Ana", "ben").status_code == 403
    assert site.json("/api/v1/progress?trainee=Ana", "nora")["trainee"] == "Ana"
    assert site.get("/api/v1/progress?trainee=Hal", "nora").status_code == 403
    assert site.json("/api/v1/progress?trainee=Hal", "root")["trainee"] == "Hal"


def test_every_route_returns_exactly_its_response_model(site: Site, served: list[Any]) -> None:
    """Each ``/api/v1`` operation with a body in the spec, called for real: its document is its
    response model exactly (the ``served`` check: no field the model lacks), and none is left
    out."""
    import time

    upload = (
        b'{"conversation_id": "S1", "message_id": "1", "timestamp": "2026-05-02T09:00:00Z", '
        b'"author_id": "c-9", "role": "customer", "text": "Is my refund through?"}\n'
        b'{"conversation_id": "S2", "message_id": "1", "timestamp": "soon", '
        b'"author_id": "c-9", "role": "customer", "text": "Hello?"}\n'
    )
    warm = "I'm so sorry you were charged twice; I've refunded it and it'll be back by Thursday."
    impact = {"trained": "North", "since": "2026-03-23", "until": "2026-04-06"}
    calls: list[tuple[str, str, str, dict[str, Any]]] = [
        ("POST", "/api/v1/session", "ana", {"json": {"username": "ana", "password": PASSWORD}}),
        ("GET", "/api/v1/me", "ana", {}),
        (
            "POST",
            "/api/v1/assess",
            "ana",
            {"json": {"customer": ["Charged twice!"], "draft": warm}},
        ),
        ("GET", "/api/v1/agents", "nora", {}),
        ("GET", "/api/v1/agents/{agent_id}/scorecard", "nora", {}),
        ("GET", "/api/v1/teams/{team}/scorecard", "nora", {}),
        ("GET", "/api/v1/conversations", "nora", {"params": {"limit": 3}}),
        ("GET", "/api/v1/conversations/{key}", "root", {}),
        ("GET", "/api/v1/outcomes", "nora", {}),
        ("GET", "/api/v1/impact", "nora", {"params": impact}),
        ("GET", "/api/v1/wellbeing/me", "ana", {}),
        ("GET", "/api/v1/wellbeing/team", "nora", {}),
        ("GET", "/api/v1/scenarios", "hal", {}),
        ("POST", "/api/v1/roleplays", "hal", {"json": {"scenario": "double-charge", "seed": 3}}),
        ("POST", "/api/v1/roleplays/{run_id}/replies", "hal", {"json": {"reply": warm}}),
        ("GET", "/api/v1/roleplays/{run_id}", "hal", {}),
        ("GET", "/api/v1/drills", "hal", {}),
        ("POST", "/api/v1/drills/{item}/answers", "hal", {"json": {"answer": "You're worried."}}),
        ("GET", "/api/v1/progress", "hal", {}),
        ("POST", "/api/v1/imports", "root", {"files": {"file": ("s.jsonl", upload, "text/plain")}}),
        ("GET", "/api/v1/imports/{job_id}", "root", {}),
    ]
    ids: dict[str, Any] = {"agent_id": "a1", "team": "North", "key": "generic:T0001"}
    for method, path, user, kwargs in calls:
        headers = {"Authorization": f"Bearer {site.tokens[user]}"}
        response = site.client.request(method, path.format(**ids), headers=headers, **kwargs)
        assert response.status_code < 300, (path, response.text)
        body = response.json()
        if path == "/api/v1/assess":  # the engine's JSON, sent as is
            AssessmentOut.model_validate(body, extra="forbid")
        elif path == "/api/v1/roleplays":
            ids["run_id"] = body["id"]
        elif path == "/api/v1/drills":
            ids["item"] = body[0]["id"]
        elif path == "/api/v1/imports":
            ids["job_id"] = body["id"]
            for _ in range(100):  # done before the next test shares the database
                job = site.json(f"/api/v1/imports/{body['id']}", "root")
                if job["status"] in ("done", "failed"):
                    break
                time.sleep(0.1)
    assert served[-1]["status"] == "done" and served[-1]["rejects"]
    assert any(d.get("scorecard") for d in served if isinstance(d, dict))  # the ended role-play
    spec = site.client.app.openapi()
    with_body = {
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        if path.startswith("/api/v1/")
        for method, operation in operations.items()
        if any(
            code.startswith("2") and answer.get("content")
            for code, answer in operation["responses"].items()
        )
    }
    assert {(method, path) for method, path, _, _ in calls} == with_body
