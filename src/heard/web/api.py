"""``/api/v1``: the HTTP API. Every route checks who is calling and what they may see
(:mod:`heard.services.access`) before it reads, and records reads of other people's data in the
audit log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile
from fastapi import Path as FastApiPath
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from heard.errors import InputError
from heard.report.measures import impact_json, my_signals_json, outcomes_json, team_signals_json
from heard.services import access, dashboard
from heard.services.accounts import Account, audit
from heard.storage.database import Database
from heard.web.auth import CallerDep, set_session_cookie, sign_in, sign_out
from heard.web.batching import check_draft
from heard.web.errors import LoginError, NotFoundError, RateLimitError
from heard.web.schemas import (
    AccountOut,
    AgentOut,
    AssessIn,
    AssessmentOut,
    ConversationOut,
    ConversationSummaryOut,
    DocumentOut,
    ErrorOut,
    LoginIn,
    LoginOut,
    RequestTime,
    ScorecardOut,
    Strict,
    document,
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


def _version(request: Request) -> str:
    return str(request.app.state.engine.model_version)


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
    # AssessmentOut already (the schema test checks it): sent as is, not validated twice.
    body_bytes = await check_draft(
        request, caller.account, body.draft, "\n\n".join(body.customer), "\n".join(body.history)
    )
    return Response(body_bytes, media_type="application/json")


# --- agents, teams, conversations ------------------------------------------------------------


@router.get("/agents", response_model=list[AgentOut], tags=["scores"])
async def agents(caller: CallerDep, request: Request) -> list[dict[str, Any]]:
    """The agents whose data you may see: yourself (agent), your team (lead), everyone (admin)."""
    found = await run_in_threadpool(access.visible_agents, _database(request), caller.account)
    return [{"id": a.id, "name": a.name, "team": a.team} for a in found]


# Help-desk ids and team names may hold "/" (every Twitter agent: "AcmeSupport/JK"), so these
# parameters take the rest of the path, "/" or "%2F" alike; clients percent-encode the rest.
@router.get("/agents/{agent_id:path}/scorecard", response_model=ScorecardOut, tags=["scores"])
async def agent_scorecard(agent_id: str, caller: CallerDep, request: Request) -> dict[str, Any]:
    """An agent's scorecard. The id is percent-encoded in the path (``AcmeSupport%2FJK``; a
    plain "/" works too)."""
    database = _database(request)
    agent = await run_in_threadpool(access.require_agent, database, caller.account, agent_id)
    analysis = await run_in_threadpool(
        dashboard.analysis_for, database, _version(request), [agent.id]
    )
    await run_in_threadpool(audit, database, caller.account, "view_scorecard", f"agent:{agent.id}")
    if analysis is None or not analysis.agents:
        raise NotFoundError(f"no scored replies for agent {agent_id!r}")
    return dashboard.scorecard(analysis.agents[0], "agent")


@router.get("/teams/{team:path}/scorecard", response_model=ScorecardOut, tags=["scores"])
async def team_scorecard(team: str, caller: CallerDep, request: Request) -> dict[str, Any]:
    """A team's scorecard; the name is percent-encoded in the path, like an agent id."""
    database = _database(request)
    access.require_team(caller.account, team)
    members = [a.id for a in access.all_agents(database) if a.team == team]
    analysis = await run_in_threadpool(dashboard.analysis_for, database, _version(request), members)
    await run_in_threadpool(audit, database, caller.account, "view_scorecard", f"team:{team}")
    if analysis is None or not analysis.teams:
        raise NotFoundError(f"no scored replies for team {team!r}")
    return dashboard.scorecard(analysis.teams[0], "team")


@router.get("/conversations", response_model=list[ConversationSummaryOut], tags=["scores"])
async def conversations(
    caller: CallerDep,
    request: Request,
    agent: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[dict[str, Any]]:
    """Conversations you may see, newest first; ``agent`` narrows them to one agent."""
    database = _database(request)
    if agent is not None:
        ids = [(await run_in_threadpool(access.require_agent, database, caller.account, agent)).id]
    else:
        ids = [
            a.id for a in await run_in_threadpool(access.visible_agents, database, caller.account)
        ]
    found = await run_in_threadpool(
        dashboard.conversations_of, database, _version(request), ids, limit=limit, offset=offset
    )
    await run_in_threadpool(
        audit,
        database,
        caller.account,
        "list_conversations",
        f"agent:{agent}" if agent else "agents:visible",
        {"count": len(found)},
    )
    return [vars(c) for c in found]


@router.get("/conversations/{key:path}", response_model=ConversationOut, tags=["scores"])
async def conversation(key: str, caller: CallerDep, request: Request) -> dict[str, Any]:
    """One conversation with every message and each reply's assessment. A conversation you may
    not see is "not found", like one that does not exist."""
    database = _database(request)
    detail = await run_in_threadpool(
        dashboard.conversation_detail, database, _version(request), key
    )
    visible = {
        a.id for a in await run_in_threadpool(access.visible_agents, database, caller.account)
    }
    if detail is None or not (detail[2] & visible):
        raise NotFoundError(f"no conversation {key!r}")
    brief, messages, _ = detail
    await run_in_threadpool(
        audit, database, caller.account, "view_conversation", f"conversation:{key}"
    )
    return {**vars(brief), "messages": messages}


# --- outcomes, impact, wellbeing -------------------------------------------------------------


@router.get("/outcomes", response_model=DocumentOut, tags=["measure"])
async def outcomes(caller: CallerDep, request: Request) -> DocumentOut:
    """Empathy against CSAT, resolution, repeat contact and escalation (``heard outcomes
    --json``): a lead's team, or the whole help desk for an admin."""
    from heard.services.outcomes import outcomes_report

    access.require_lead(caller.account)
    team = None if caller.account.role == "admin" else caller.account.team
    config = request.app.state.config
    report = await run_in_threadpool(
        lambda: outcomes_report(
            _database(request), _version(request), repeat_days=config.repeat_days, team=team
        )
    )
    await run_in_threadpool(
        audit, _database(request), caller.account, "view_outcomes", f"team:{team or '*'}"
    )
    return document(outcomes_json(report))


@router.get("/impact", response_model=DocumentOut, tags=["measure"])
async def impact(
    caller: CallerDep,
    request: Request,
    trained: Annotated[list[str], Query(min_length=1, max_length=50)],
    since: RequestTime,
    until: RequestTime | None = None,
) -> DocumentOut:
    """Training impact (``heard impact --json``). A lead may name only their own team's agents.
    ``since`` and ``until`` are ISO 8601 dates or times (UTC unless they carry an offset) from
    1900 to 2999."""
    from heard.services.impact import resolve_trained, training_impact

    access.require_lead(caller.account)
    database = _database(request)
    people = await run_in_threadpool(resolve_trained, database, trained)
    if caller.account.role != "admin":
        mine = {a.id for a in access.visible_agents(database, caller.account)}
        if not set(people) <= mine:
            raise access.ForbiddenError("a lead may measure training of their own team only")
    config = request.app.state.config
    report = await run_in_threadpool(
        lambda: training_impact(
            database,
            _version(request),
            trained=trained,
            since=since,
            until=until,
            repeat_days=config.repeat_days,
        )
    )
    await run_in_threadpool(
        audit, database, caller.account, "view_impact", "agents:" + ",".join(sorted(people))
    )
    return document(impact_json(report))


@router.get("/wellbeing/me", response_model=DocumentOut, tags=["wellbeing"])
async def my_wellbeing(caller: CallerDep, request: Request) -> DocumentOut:
    """Your own fatigue signals, all of them, with suggestions. Reading them records that you
    have seen them (which is what lets the policy show them to a lead later)."""
    from heard.services.wellbeing import my_signals

    database = _database(request)
    agent = await run_in_threadpool(access.own_agent, database, caller.account)
    if agent is None:
        raise NotFoundError("your account is not linked to a help-desk agent")
    config = request.app.state.config
    mine = await run_in_threadpool(
        lambda: my_signals(database, _version(request), agent.id, settings=config.fatigue)
    )
    return document(my_signals_json(mine))


@router.get("/wellbeing/team", response_model=DocumentOut, tags=["wellbeing"])
async def team_wellbeing(
    caller: CallerDep,
    request: Request,
    team: Annotated[str | None, Query(max_length=200)] = None,
) -> DocumentOut:
    """A team's counts per signal, and individual signals only as the wellbeing policy allows
    (docs/wellbeing.md). A lead sees their own team; an admin any team, or everyone."""
    from heard.services.wellbeing import team_signals

    access.require_lead(caller.account)
    if caller.account.role == "lead":
        team = caller.account.team
    elif team is not None:
        access.require_team(caller.account, team)
    database = _database(request)
    config = request.app.state.config
    shared = await run_in_threadpool(
        lambda: team_signals(
            database,
            _version(request),
            team=team,
            settings=config.fatigue,
            policy=config.wellbeing,
        )
    )
    await run_in_threadpool(
        audit,
        database,
        caller.account,
        "view_wellbeing",
        f"team:{team or '*'}",
        {"shared": [s.agent_id for s in shared.shared]},
    )
    return document(team_signals_json(shared))


# --- practice: role-play and drills --------------------------------------------------------


class RolePlayIn(Strict):
    scenario: str = Field(min_length=1, max_length=100, description="A scenario id.")
    seed: int | None = Field(default=None, ge=0, le=2**31 - 1, description="Chooses lines.")


class ReplyIn(Strict):
    reply: str = Field(min_length=1, max_length=5000)


class AnswerIn(Strict):
    answer: str = Field(min_length=1, max_length=2000)


@router.get("/scenarios", response_model=list[DocumentOut], tags=["practice"])
async def list_scenarios(caller: CallerDep) -> list[DocumentOut]:  # noqa: ARG001 (signed in)
    from heard.services.practice_web import scenarios

    return [document(s) for s in scenarios()]


@router.post("/roleplays", response_model=DocumentOut, status_code=201, tags=["practice"])
async def start_roleplay(body: RolePlayIn, caller: CallerDep, request: Request) -> DocumentOut:
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
    return document(view.to_dict())


@router.get("/roleplays/{run_id}", response_model=DocumentOut, tags=["practice"])
async def get_roleplay(run_id: RowId, caller: CallerDep, request: Request) -> DocumentOut:
    from heard.services.practice_web import RunNotFoundError, get_run

    try:
        view = await run_in_threadpool(
            get_run, _database(request), caller.account, request.app.state.engine, run_id
        )
    except RunNotFoundError as error:
        raise NotFoundError(error.message) from None
    return document(view.to_dict())


@router.post("/roleplays/{run_id}/replies", response_model=DocumentOut, tags=["practice"])
async def reply_roleplay(
    run_id: RowId, body: ReplyIn, caller: CallerDep, request: Request
) -> DocumentOut:
    """Your next reply: the customer's answer, the emotion gauge, feedback on the reply, and
    the scorecard once the role-play ends."""
    from heard.services.practice_web import RunNotFoundError, reply_to_run

    try:
        view = await run_in_threadpool(
            reply_to_run,
            _database(request),
            caller.account,
            request.app.state.engine,
            run_id,
            body.reply,
        )
    except RunNotFoundError as error:
        raise NotFoundError(error.message) from None
    return document(view.to_dict())


@router.get("/drills", response_model=list[DocumentOut], tags=["practice"])
async def list_drills(caller: CallerDep) -> list[DocumentOut]:  # noqa: ARG001 (signed in)
    from heard.services.practice_web import drills

    return [document(d) for d in drills()]


@router.post("/drills/{item}/answers", response_model=DocumentOut, tags=["practice"])
async def answer(item: str, body: AnswerIn, caller: CallerDep, request: Request) -> DocumentOut:
    """Score your reflection of the customer's message: facts, feeling, form, and an exemplar."""
    from heard.services.practice_web import answer_drill

    result = await run_in_threadpool(
        answer_drill,
        _database(request),
        caller.account,
        request.app.state.drill_scorer,
        item,
        body.answer,
    )
    return document(result)


@router.get("/progress", response_model=DocumentOut, tags=["practice"])
async def progress(
    caller: CallerDep,
    request: Request,
    trainee: Annotated[str | None, Query(max_length=200)] = None,
) -> DocumentOut:
    """Practice progress per skill (``heard progress --json``): your own by default; a lead may
    name an agent of their team, an admin anyone."""
    from heard.services.practice import trainee_progress
    from heard.services.practice_web import trainee_name

    database = _database(request)
    name = trainee or trainee_name(caller.account)
    allowed = await run_in_threadpool(access.trainee_names, database, caller.account)
    if allowed is not None and name.casefold() not in allowed:
        raise access.ForbiddenError(f"not allowed to read {name!r}'s practice")
    if name != trainee_name(caller.account):
        await run_in_threadpool(audit, database, caller.account, "view_practice", f"trainee:{name}")
    result = await run_in_threadpool(trainee_progress, database, name)
    return document(result.to_dict())


# --- imports ----------------------------------------------------------------------------------


@router.post(
    "/imports",
    response_model=DocumentOut,
    status_code=202,
    tags=["imports"],
    responses={400: {"model": ErrorOut, "description": "The file name cannot be used."}},
)
async def upload_import(
    caller: CallerDep,
    request: Request,
    file: Annotated[UploadFile, File(description="An export in any supported format.")],
    format: Annotated[str | None, Form(max_length=20)] = None,
) -> DocumentOut:
    """Upload an export (admins): it is imported, redacted, stored and scored in the
    background. Poll ``GET /api/v1/imports/{id}`` for its progress and rejects. The file is
    saved under a generated name; a file name with folder parts, a control character, or none
    at all is a 400."""
    access.require_admin(caller.account)
    view = await start_upload(request, caller.account, file, format)
    return document(view.to_dict())


@router.get("/imports/{job_id}", response_model=DocumentOut, tags=["imports"])
async def import_status(job_id: RowId, caller: CallerDep, request: Request) -> DocumentOut:
    """A job's status (queued, importing, scoring, done, failed), its progress and its rejects
    (file, place, field, problem; the first 200)."""
    from heard.services.import_jobs import job_status

    try:
        view, rejects = await run_in_threadpool(
            job_status, _database(request), caller.account, job_id
        )
    except InputError as error:
        raise NotFoundError(error.message) from None
    return document(job_document(view, rejects))
