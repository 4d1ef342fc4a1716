"""``/api/v1``: the HTTP API. Routes are thin: they take the caller from :mod:`heard.web.auth`
and hand it to the use cases (:mod:`heard.services.views` for reads), which apply the access
rules and write the audit log; a route only shapes the result as JSON."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile
from fastapi import Path as FastApiPath
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from heard.report.measures import impact_json, my_signals_json, outcomes_json, team_signals_json
from heard.services import views
from heard.services.accounts import Account
from heard.storage.database import Database
from heard.web.auth import CallerDep, set_session_cookie, sign_in, sign_out, viewer_of
from heard.web.batching import check_draft
from heard.web.errors import LoginError, RateLimitError
from heard.web.schemas import (
    AccountOut,
    AgentOut,
    AssessIn,
    AssessmentOut,
    ConversationOut,
    ConversationSummaryOut,
    DrillOut,
    DrillResultOut,
    ErrorOut,
    ImpactOut,
    ImportJobOut,
    ImportStatusOut,
    LoginIn,
    LoginOut,
    MySignalsOut,
    OutcomesOut,
    ProgressOut,
    RequestTime,
    RolePlayOut,
    ScenarioOut,
    ScorecardOut,
    Strict,
    TeamSignalsOut,
)
from heard.web.uploads import job_document, start_upload

RowId = Annotated[int, FastApiPath(ge=1, le=2**31 - 1)]  # fits every database's integer
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "Not signed in, or the token is not valid."},
    403: {"model": ErrorOut, "description": "Signed in, but not allowed."},
    404: {"model": ErrorOut, "description": "Not found, or not yours to see."},
    413: {"model": ErrorOut, "description": "The request body is too large."},
    422: {"model": ErrorOut, "description": "The request is not valid."},
    429: {"model": ErrorOut, "description": "Too many requests; see Retry-After."},
}
router = APIRouter(prefix="/api/v1", responses=ERRORS)


def _database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def _account_out(account: Account) -> dict[str, Any]:
    return {
        "username": account.username,
        "role": account.role,
        "team": account.team,
        "agent": account.agent,
    }


# --- session ---------------------------------------------------------------------------------


@router.post("/session", response_model=LoginOut, tags=["session"])
async def login(body: LoginIn, request: Request, response: Response) -> dict[str, Any]:
    """Sign in with a user name and password: sets the session cookie and returns the CSRF
    token that cookie-authenticated changes must send (``X-CSRF-Token``)."""
    attempt = await sign_in(request, body.username, body.password)
    if attempt.limited:
        raise RateLimitError("too many sign-in attempts; wait a minute", retry_after=60)
    if attempt.account is None:
        raise LoginError("wrong user name or password")
    set_session_cookie(request, response, attempt.token)
    account, csrf = attempt.account, attempt.csrf
    return {**_account_out(account), "csrf_token": csrf}


@router.delete("/session", status_code=204, tags=["session"])
async def logout(caller: CallerDep, request: Request, response: Response) -> Response:  # noqa: ARG001 (signed in, CSRF checked)
    """Sign out: the session ends on the server, not only in the browser."""
    await sign_out(request, response)
    response.status_code = 204
    return response


@router.get("/me", response_model=AccountOut, tags=["session"])
async def me(caller: CallerDep) -> dict[str, Any]:
    return _account_out(caller.account)


# --- the draft checker -----------------------------------------------------------------------


@router.post("/assess", response_model=AssessmentOut, tags=["assess"])
async def assess(body: AssessIn, caller: CallerDep, request: Request) -> Response:
    """The draft checker: the customer's message(s) and a draft in, the full assessment out
    (score, mechanisms, findings with evidence spans, tips and the suggested rewrite)."""
    # Concurrent drafts are scored together (heard.web.batching). The engine's JSON contract is
    # AssessmentOut already (tests/test_web_api.py checks it with extra fields forbidden): sent
    # as is, not validated twice.
    body_bytes = await check_draft(
        request, caller.account, body.draft, "\n\n".join(body.customer), "\n".join(body.history)
    )
    return Response(body_bytes, media_type="application/json")


# --- agents, teams, conversations ------------------------------------------------------------


@router.get("/agents", response_model=list[AgentOut], tags=["scores"])
async def agents(caller: CallerDep, request: Request) -> list[dict[str, Any]]:
    """The agents whose data you may see: yourself (agent), your team (lead), everyone (admin)."""
    found = await run_in_threadpool(views.agents, viewer_of(request, caller))
    return [{"id": a.id, "name": a.name, "team": a.team} for a in found]


# Help-desk ids and team names may hold "/" (every Twitter agent: "AcmeSupport/JK"), so these
# parameters take the rest of the path, "/" or "%2F" alike; clients percent-encode the rest.
@router.get("/agents/{agent_id:path}/scorecard", response_model=ScorecardOut, tags=["scores"])
async def agent_scorecard(agent_id: str, caller: CallerDep, request: Request) -> dict[str, Any]:
    """An agent's scorecard. The id is percent-encoded in the path (``AcmeSupport%2FJK``; a
    plain "/" works too)."""
    return await run_in_threadpool(views.agent_scorecard, viewer_of(request, caller), agent_id)


@router.get("/teams/{team:path}/scorecard", response_model=ScorecardOut, tags=["scores"])
async def team_scorecard(team: str, caller: CallerDep, request: Request) -> dict[str, Any]:
    """A team's scorecard; the name is percent-encoded in the path, like an agent id."""
    return await run_in_threadpool(views.team_scorecard, viewer_of(request, caller), team)


@router.get("/conversations", response_model=list[ConversationSummaryOut], tags=["scores"])
async def conversations(
    caller: CallerDep,
    request: Request,
    agent: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[dict[str, Any]]:
    """Conversations you may see, newest first; ``agent`` narrows them to one agent."""
    viewer = viewer_of(request, caller)
    found = await run_in_threadpool(
        lambda: views.conversations(viewer, agent=agent, limit=limit, offset=offset)
    )
    return [vars(c) for c in found]


@router.get("/conversations/{key:path}", response_model=ConversationOut, tags=["scores"])
async def conversation(key: str, caller: CallerDep, request: Request) -> dict[str, Any]:
    """One conversation with every message and each reply's assessment. A conversation you may
    not see is "not found", like one that does not exist."""
    brief, messages = await run_in_threadpool(views.conversation, viewer_of(request, caller), key)
    return {**vars(brief), "messages": messages}


# --- outcomes, impact, wellbeing -------------------------------------------------------------


@router.get("/outcomes", response_model=OutcomesOut, tags=["measure"])
async def outcomes(caller: CallerDep, request: Request) -> dict[str, Any]:
    """Empathy against CSAT, resolution, repeat contact and escalation (``heard outcomes
    --json``): a lead's team, or the whole help desk for an admin."""
    viewer, config = viewer_of(request, caller), request.app.state.config
    report = await run_in_threadpool(lambda: views.outcomes(viewer, repeat_days=config.repeat_days))
    return outcomes_json(report)


@router.get("/impact", response_model=ImpactOut, tags=["measure"])
async def impact(
    caller: CallerDep,
    request: Request,
    trained: Annotated[list[str], Query(min_length=1, max_length=50)],
    since: RequestTime,
    until: RequestTime | None = None,
) -> dict[str, Any]:
    """Training impact (``heard impact --json``). A lead may name only their own team's agents.
    ``since`` and ``until`` are ISO 8601 dates or times (UTC unless they carry an offset) from
    1900 to 2999."""
    viewer, config = viewer_of(request, caller), request.app.state.config
    report = await run_in_threadpool(
        lambda: views.impact(
            viewer, trained=trained, since=since, until=until, repeat_days=config.repeat_days
        )
    )
    return impact_json(report)


@router.get("/wellbeing/me", response_model=MySignalsOut, tags=["wellbeing"])
async def my_wellbeing(caller: CallerDep, request: Request) -> dict[str, Any]:
    """Your own fatigue signals, all of them, with suggestions. Reading them records that you
    have seen them (which is what lets the policy show them to a lead later)."""
    settings = request.app.state.config.fatigue
    mine = await run_in_threadpool(views.my_wellbeing, viewer_of(request, caller), settings)
    return my_signals_json(mine)


@router.get("/wellbeing/team", response_model=TeamSignalsOut, tags=["wellbeing"])
async def team_wellbeing(
    caller: CallerDep,
    request: Request,
    team: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    """A team's counts per signal, and individual signals only as the wellbeing policy allows
    (docs/wellbeing.md). A lead sees their own team (naming another is a 403); an admin any
    team, or everyone."""
    viewer, config = viewer_of(request, caller), request.app.state.config
    shared = await run_in_threadpool(
        lambda: views.team_wellbeing(
            viewer, team=team, settings=config.fatigue, policy=config.wellbeing
        )
    )
    return team_signals_json(shared)


# --- practice: role-play and drills --------------------------------------------------------


class RolePlayIn(Strict):
    scenario: str = Field(min_length=1, max_length=100, description="A scenario id.")
    seed: int | None = Field(default=None, ge=0, le=2**31 - 1, description="Chooses lines.")


class ReplyIn(Strict):
    reply: str = Field(min_length=1, max_length=5000)


class AnswerIn(Strict):
    answer: str = Field(min_length=1, max_length=2000)


@router.get("/scenarios", response_model=list[ScenarioOut], tags=["practice"])
async def list_scenarios(caller: CallerDep) -> list[dict[str, Any]]:  # noqa: ARG001 (signed in)
    from heard.services.practice_web import scenarios

    return scenarios()


@router.post("/roleplays", response_model=RolePlayOut, status_code=201, tags=["practice"])
async def start_roleplay(body: RolePlayIn, caller: CallerDep, request: Request) -> dict[str, Any]:
    """Start a role-play: the customer's opening, their emotion, and an id to reply to."""
    from heard.services.practice_web import start_run

    view = await run_in_threadpool(
        start_run,
        _database(request),
        caller.account,
        request.app.state.engine,
        body.scenario,
        body.seed,
    )
    return view.to_dict()


@router.get("/roleplays/{run_id}", response_model=RolePlayOut, tags=["practice"])
async def get_roleplay(run_id: RowId, caller: CallerDep, request: Request) -> dict[str, Any]:
    from heard.services.practice_web import get_run

    view = await run_in_threadpool(
        get_run, _database(request), caller.account, request.app.state.engine, run_id
    )
    return view.to_dict()


@router.post("/roleplays/{run_id}/replies", response_model=RolePlayOut, tags=["practice"])
async def reply_roleplay(
    run_id: RowId, body: ReplyIn, caller: CallerDep, request: Request
) -> dict[str, Any]:
    """Your next reply: the customer's answer, the emotion gauge, feedback on the reply, and
    the scorecard once the role-play ends."""
    from heard.services.practice_web import reply_to_run

    view = await run_in_threadpool(
        reply_to_run,
        _database(request),
        caller.account,
        request.app.state.engine,
        run_id,
        body.reply,
    )
    return view.to_dict()


@router.get("/drills", response_model=list[DrillOut], tags=["practice"])
async def list_drills(caller: CallerDep) -> list[dict[str, Any]]:  # noqa: ARG001 (signed in)
    from heard.services.practice_web import drills

    return drills()


@router.post("/drills/{item}/answers", response_model=DrillResultOut, tags=["practice"])
async def answer(item: str, body: AnswerIn, caller: CallerDep, request: Request) -> dict[str, Any]:
    """Score your reflection of the customer's message: facts, feeling, form, and an exemplar."""
    from heard.services.practice_web import answer_drill

    return await run_in_threadpool(
        answer_drill,
        _database(request),
        caller.account,
        request.app.state.drill_scorer,
        item,
        body.answer,
    )


@router.get("/progress", response_model=ProgressOut, tags=["practice"])
async def progress(
    caller: CallerDep,
    request: Request,
    trainee: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    """Practice progress per skill (``heard progress --json``): your own by default; a lead may
    name an agent of their team, an admin anyone."""
    result = await run_in_threadpool(views.progress, viewer_of(request, caller), trainee)
    return result.to_dict()


# --- imports ----------------------------------------------------------------------------------


@router.post(
    "/imports",
    response_model=ImportJobOut,
    status_code=202,
    tags=["imports"],
    responses={400: {"model": ErrorOut, "description": "The file name cannot be used."}},
)
async def upload_import(
    caller: CallerDep,
    request: Request,
    file: Annotated[UploadFile, File(description="An export in any supported format.")],
    format: Annotated[str | None, Form(max_length=20)] = None,
) -> dict[str, Any]:
    """Upload an export (admins): it is imported, redacted, stored and scored in the
    background. Poll ``GET /api/v1/imports/{id}`` for its progress and rejects. The file is
    saved under a generated name; a file name with folder parts, a control character, or none
    at all is a 400."""
    view = await start_upload(request, caller.account, file, format)
    return view.to_dict()


@router.get("/imports/{job_id}", response_model=ImportStatusOut, tags=["imports"])
async def import_status(job_id: RowId, caller: CallerDep, request: Request) -> dict[str, Any]:
    """A job's status (queued, importing, scoring, done, failed), its progress and its rejects
    (file, place, field, problem; the first 200)."""
    from heard.services.import_jobs import job_status

    view, rejects = await run_in_threadpool(job_status, _database(request), caller.account, job_id)
    return job_document(view, rejects)
