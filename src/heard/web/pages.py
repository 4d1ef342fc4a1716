"""The web pages: server-rendered HTML for agents, leads and admins (Jinja2, autoescaped).

The pages are thin. Each one hands the caller to the same use cases as the JSON API
(:mod:`heard.services.views`), which apply the access rules and record the audit events, and
shapes the results for a template; no rule lives in a page, a template or a hidden link.

- **Signing in.** Pages use the browser session of :mod:`heard.web.auth` (the ``heard_session``
  cookie). A page opened without a valid session is redirected to ``/login`` (303), which signs
  in with a form, under the same rate limit as ``POST /api/v1/session``.
- **CSRF.** Every form that changes something posts the session's CSRF token (``csrf_token``),
  checked by :func:`heard.web.auth.caller` for every POST. The login form has no session yet:
  see :func:`login_form`.
- **Errors** are pages with the API's statuses: 403 for a denial, 404 where "forbidden" would
  tell that the thing exists (a conversation, a role-play), 422 for input, 429 when rate
  limited.
- **Offline.** Everything a page needs comes from this app: one stylesheet and one small script
  under ``/static`` (the pages work without the script: it adds copy buttons, uploads through
  the API and live import progress) and the charts as inline SVG. The Content-Security-Policy
  allows nothing else.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path as FilePath
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from jinja2 import Environment
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from heard.analytics.aggregates import Analysis, Group
from heard.analytics.examples import Highlight, spans
from heard.errors import ForbiddenError, InputError, NotFoundError
from heard.report import charts
from heard.report.format import (
    SIGNAL_LABELS,
    between,
    impact_scale,
    label,
    measure_label,
    percent,
    rho,
    signed,
)
from heard.report.html import (
    adjusted_text,
    examples_of,
    highlight,
    period_range,
    template_environment,
)
from heard.results import MECHANISMS, Assessment
from heard.services import views
from heard.services.accounts import Account
from heard.storage.database import Database
from heard.version import __version__
from heard.web.auth import (
    COOKIE,
    Caller,
    CsrfError,
    NotAuthenticatedError,
    caller,
    set_session_cookie,
    sign_in,
    sign_out,
    viewer_of,
)
from heard.web.batching import check_draft
from heard.web.errors import BadRequestError, RateLimitError
from heard.web.schemas import naive_utc
from heard.web.uploads import public_job, public_reject, start_upload

log = logging.getLogger(__name__)

STATIC = FilePath(__file__).parent / "static"
LOGIN_COOKIE = "heard_login"  # the login form's one-time token (see login_form)
LOGIN_MINUTES = 15
MAX_TEXT = 20_000
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]  # a database id (SQLite's INTEGER range)
HEADERS = {
    "Cache-Control": "no-store",
    # Nothing from another host, no inline script; inline styles for the SVG charts.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
SECTIONS = (("strength", "What works"), ("gap", "What is missing"), ("anti_pattern", "What hurts"))
OUTCOME_TEXT = {
    "resolved": "resolved, the customer is satisfied",
    "escalated": "the customer escalated",
    "out_of_turns": "out of turns",
}


# --- errors as pages -------------------------------------------------------------------------


class PageRoute(APIRoute):
    """A route whose failures are pages, not JSON: no session → /login; a denial → 403 (or
    404) page; bad input → 422 page. Catches what its dependencies raise too (the session and
    CSRF check), so the API's JSON handlers never see a page's errors."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                return await handler(request)
            except NotAuthenticatedError:
                return RedirectResponse(_login_url(request), status_code=303)
            except CsrfError:
                return _error(
                    request,
                    403,
                    "This form has expired",
                    "The form was not sent from this session. Go back, reload the page and "
                    "send it again.",
                )
            except ForbiddenError as error:
                return _error(request, 403, "Not allowed", str(error))
            except NotFoundError as error:
                return _error(request, 404, "Not found", error.message)
            except BadRequestError as error:
                return _error(request, 400, "That did not work", error.message)
            except RateLimitError as error:
                response = _error(request, 429, "Too many requests", str(error))
                response.headers["Retry-After"] = str(error.retry_after)
                return response
            except InputError as error:
                return _error(request, 422, "That did not work", error.message)
            except StarletteHTTPException:
                raise  # the app's own handler
            except RequestValidationError as error:
                first = error.errors()[0] if error.errors() else {}
                where = ".".join(
                    str(p) for p in first.get("loc", ()) if p not in ("body", "path", "query")
                )
                detail = str(first.get("msg", "the request is not valid"))
                return _error(request, 422, "That did not work", f"{where}: {detail}")
            except Exception as error:  # never a stack trace in a page
                reference = secrets.token_hex(6)
                log.error(
                    "unexpected error %s on %s %s",
                    reference,
                    request.method,
                    request.url.path,
                    exc_info=error,
                )
                return _error(
                    request,
                    500,
                    "Something went wrong",
                    f"An internal error (reference {reference}; the server log has details).",
                )

        return page


router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _login_url(request: Request) -> str:
    """/login, with the page to come back to: the path as the browser sent it (still
    percent-encoded, so that an id with "%2F", "%3F" or "%23" in it comes back the same)."""
    raw = request.scope.get("raw_path")
    target = raw.split(b"?", 1)[0].decode("latin-1") if raw else request.url.path
    if request.method == "GET" and request.url.query:
        target += "?" + request.url.query
    return "/login" if target in ("/", "/login") else f"/login?next={quote(target, safe='')}"


def _safe_next(value: str | None) -> str | None:
    """A local path to go back to after signing in (never another site: no "//", no "\\")."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    if value.startswith(("/login", "/logout")):
        return None
    return value


# --- rendering -------------------------------------------------------------------------------


def _environment() -> Environment:
    environment = template_environment("heard.web")
    environment.filters.update(measure=measure_label)
    environment.globals.update(signal_labels=SIGNAL_LABELS)
    return environment


TEMPLATES = _environment()


def _nav(account: Account) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    if account.role == "agent" or account.agent:
        items.append(("/", "My page"))
    if account.role in ("lead", "admin"):
        items.append(("/team", "Team"))
    if account.role == "admin":
        items.append(("/imports", "Imports"))
    items += [("/check", "Check a draft"), ("/practice", "Role-play"), ("/drills", "Drills")]
    return items


def _page(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    who: Caller | None = getattr(request.state, "page_caller", None)
    account = who.account if who else None
    html = TEMPLATES.get_template(template).render(
        me=account,
        csrf=(who.csrf or "") if who else "",
        nav=_nav(account) if account else [],
        current=request.url.path,
        version=__version__,
        **context,
    )
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def _error(request: Request, status: int, heading: str, message: str) -> HTMLResponse:
    return _page(
        request, "error.html.j2", status=status, heading=heading, message=message, code=status
    )


async def page_caller(request: Request) -> Caller:
    """The signed-in browser user (``NotAuthenticatedError``, hence /login, otherwise). Only
    the session cookie counts: pages are for browsers. For a POST, the CSRF token is checked."""
    who = await caller(request, None, request.cookies.get(COOKIE))
    request.state.page_caller = who
    return who


PageCaller = Annotated[Caller, Depends(page_caller)]


def _database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def _redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303, headers={"Cache-Control": "no-store"})


def _home(account: Account) -> str:
    return "/" if account.role == "agent" else "/team"


# --- evidence --------------------------------------------------------------------------------


def _highlights(text: str, assessment: Assessment, source: str) -> list[Highlight]:
    """The findings' evidence in ``text`` (a span whose offsets do not match is left out)."""
    return [h for f in assessment.findings for h in spans({source: text}, f)]


def _finding_groups(assessment: Assessment) -> list[dict[str, Any]]:
    """Findings by kind (strengths, gaps, anti-patterns), each with the words it rests on."""
    groups = []
    for kind, title in SECTIONS:
        items = [
            {
                "code": f.code,
                "kind": kind,
                "message": f.message,
                "quotes": [{"source": str(e.source), "text": e.text} for e in f.evidence[:3]],
            }
            for f in assessment.findings
            if f.kind == kind
        ]
        groups.append({"kind": kind, "title": title, "found": items})
    return groups


def _trend_text(group: Group) -> str:
    trend = group.trend
    if trend is None or trend.slope is None:
        return "—"
    return f"{trend.arrow} {signed(trend.slope)}"


def _analysis_context(analysis: Analysis | None) -> dict[str, Any]:
    if analysis is None:
        return {"a": None, "conf": 95, "unit": "week", "period_range": ""}
    return {
        "a": analysis,
        "conf": round(analysis.confidence * 100),
        "unit": analysis.unit,
        "period_range": period_range(analysis),
    }


# --- sign in and out -------------------------------------------------------------------------


def login_form(
    request: Request,
    *,
    status: int = 200,
    error: str | None = None,
    username: str = "",
    next_: str | None = None,
) -> HTMLResponse:
    """The sign-in form, with a one-time token against login CSRF.

    A forged cross-site form could otherwise sign the victim's browser in as the attacker. The
    form carries a random token that is also set in a short-lived cookie (HttpOnly,
    SameSite=Strict, path /login); POST /login accepts the form only when both match. Another
    site can neither read the token nor set the cookie, and a Strict cookie is not sent with a
    cross-site POST at all (the double-submit pattern, with no server-side state).
    """
    token = secrets.token_urlsafe(24)
    response = _page(
        request,
        "login.html.j2",
        status=status,
        error=error,
        username=username,
        next=_safe_next(next_),
        login_token=token,
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=LOGIN_MINUTES * 60,
        httponly=True,
        secure=request.app.state.config.web.cookie_secure,
        samesite="strict",
        path="/login",
    )
    return response


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: str | None = None) -> Response:
    cookie = request.cookies.get(COOKIE)
    if cookie:
        try:
            who = await caller(request, None, cookie)
        except NotAuthenticatedError:
            pass
        else:
            return _redirect(_safe_next(next) or _home(who.account))
    return login_form(request, next_=next)


@router.post("/login", response_class=HTMLResponse)
async def login_submit(
    request: Request,
    username: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    login_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str | None, Form(max_length=2000)] = None,
) -> Response:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not login_token or not hmac.compare_digest(expected, login_token):
        return login_form(
            request,
            status=403,
            error="The sign-in form expired. Please sign in again.",
            username=username,
            next_=next,
        )
    if not username or not password:
        return login_form(
            request, status=422, error="Enter your user name and password.", username=username
        )
    attempt = await sign_in(request, username, password)  # the API's budget and audit
    if attempt.limited:
        response = login_form(
            request,
            status=429,
            error="Too many sign-in attempts. Wait a minute and try again.",
            username=username,
            next_=next,
        )
        response.headers["Retry-After"] = "60"
        return response
    if attempt.account is None:
        return login_form(
            request,
            status=401,
            error="Wrong user name or password.",
            username=username,
            next_=next,
        )
    signed_in = _redirect(_safe_next(next) or _home(attempt.account))
    set_session_cookie(request, signed_in, attempt.token)
    signed_in.delete_cookie(LOGIN_COOKIE, path="/login")
    return signed_in


@router.post("/logout")
async def logout(who: PageCaller, request: Request) -> Response:  # noqa: ARG001 (signed in, CSRF checked)
    response = _redirect("/login")
    await sign_out(request, response)
    return response


# --- an agent's own page ---------------------------------------------------------------------


def _skills_by_period(analysis: Analysis, last: int = 6) -> dict[str, Any]:
    """The share of replies showing each mechanism and the commonest strengths, per period."""
    periods = [p for p in analysis.periods if p.period is not None][-last:]
    strengths = sorted(
        (f for f in analysis.overall.replies.findings if f.kind == "strength" and f.rate.k),
        key=lambda f: -f.rate.k,
    )[:4]
    rows = [
        {
            "label": label(name),
            "cells": [percent(p.replies.mechanism(name).shown.rate) for p in periods],
        }
        for name in MECHANISMS
    ]
    for finding in strengths:
        values = []
        for p in periods:
            rate = p.replies.finding(finding.code)
            values.append(percent(rate.rate.rate) if rate else "—")
        rows.append({"label": label(finding.code), "cells": values})
    heads = [f"{p.period.start:%d %b}" for p in periods if p.period is not None]
    return {"periods": heads, "rows": rows}


def _excerpt(text: str, words: int = 10) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _home_view(viewer: views.Viewer, config: Any) -> dict[str, Any] | None:
    from heard.practice.drills import load_bank
    from heard.practice.scenario import load_library

    agent = views.own_agent(viewer)
    if agent is None and viewer.account.role != "agent":
        return None
    context: dict[str, Any] = {"agent": agent, "g": None, **_analysis_context(None)}
    if agent is not None:
        _, analysis = views.agent_analysis(viewer, agent.id)
        if analysis is not None and analysis.agents:
            group = analysis.agents[0]
            context.update(_analysis_context(analysis))
            context.update(
                g=group,
                trend_text=_trend_text(group),
                skills=_skills_by_period(analysis),
                examples=examples_of(group),
                charts={
                    "trends": charts.team_trends(analysis),
                    "distribution": charts.score_distribution(analysis),
                },
            )
        context["conversations"] = views.conversations(viewer, agent=agent.id, limit=10)
        wellbeing, note = None, ""
        try:  # the agent sees their own signals first: this records that they have
            wellbeing = views.my_wellbeing(viewer, config.fatigue)
        except InputError as error:
            note = error.message
        context.update(
            wellbeing=wellbeing,
            wellbeing_note=note or "No replies to look at yet.",
            fired=[s for s in wellbeing.fatigue.signals if s.fired] if wellbeing else [],
            window_days=config.fatigue.window_days,
        )
    progress = views.progress(viewer)
    library, bank = load_library(), load_bank()
    recommended = [
        ("/practice?scenario=" + quote(s), f"Role-play: {library[s].title}")
        for s in progress.scenarios
        if s in library
    ] + [
        (f"/drills/{quote(d)}", f"Listening drill: “{_excerpt(bank[d].message)}”")
        for d in progress.drill_items[:2]
        if d in bank
    ]
    context.update(progress=progress, recommended=recommended)
    return context


@router.get("/", response_class=HTMLResponse)
async def home(who: PageCaller, request: Request) -> Response:
    """An agent's page: their trend, examples, conversations, practice and wellbeing."""
    view = await run_in_threadpool(_home_view, viewer_of(request, who), request.app.state.config)
    if view is None:  # a lead or admin who is not also a help-desk agent
        return _redirect("/team")
    return _page(request, "home.html.j2", **view)


def _conversation_view(viewer: views.Viewer, key: str) -> dict[str, Any]:
    brief, messages = views.conversation(viewer, key)
    shown = []
    for message in messages:
        text = str(message["text"])
        stored = message["assessment"]
        assessment = Assessment.from_dict(stored, reply=text) if stored else None
        shown.append(
            {
                **message,
                "html": highlight(text, _highlights(text, assessment, "reply"))
                if assessment
                else escape(text),
                "score": assessment.score if assessment else None,
                "groups": _finding_groups(assessment) if assessment else [],
            }
        )
    return {"brief": brief, "messages": shown}


@router.get("/conversations/{key:path}", response_class=HTMLResponse)
async def conversation(key: str, who: PageCaller, request: Request) -> Response:
    """One conversation, each reply with its findings marked in the text. One the caller may
    not see is "not found", like the API. The key takes the rest of the path: a conversation id
    may hold "/" (the links percent-encode everything else)."""
    view = await run_in_threadpool(_conversation_view, viewer_of(request, who), key)
    return _page(request, "conversation.html.j2", **view)


# --- the draft checker -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Checked:
    score: int
    emotion: str
    intensity: float | None
    truncated: bool
    draft_html: Markup
    customer_html: Markup
    tips: list[dict[str, str]]
    rewrite: str
    groups: list[dict[str, Any]]


def _checked(result: Assessment) -> _Checked:
    draft, customer = result.reply, result.context
    return _Checked(
        score=result.score,
        emotion=result.customer.emotion.label,
        intensity=result.customer.emotion.intensity,
        truncated=result.truncated,
        draft_html=highlight(draft, _highlights(draft, result, "reply")),
        customer_html=highlight(customer, _highlights(customer, result, "context")),
        tips=[tip.to_dict() for tip in result.tips],
        rewrite=result.rewrite,
        groups=_finding_groups(result),
    )


@router.get("/check", response_class=HTMLResponse)
async def check_page(who: PageCaller, request: Request) -> Response:  # noqa: ARG001 (signed in)
    return _page(request, "check.html.j2", customer="", draft="", result=None, error=None)


@router.post("/check", response_class=HTMLResponse)
async def check_draft_form(
    who: PageCaller,
    request: Request,
    customer: Annotated[str, Form(max_length=MAX_TEXT)] = "",
    draft: Annotated[str, Form(max_length=MAX_TEXT)] = "",
) -> Response:
    """The draft checker as a form: the same engine, thread and rate limit as POST
    /api/v1/assess; the draft shown with its evidence marked, the tips and the rewrite."""
    customer, draft = customer.replace("\r\n", "\n"), draft.replace("\r\n", "\n")
    if not customer.strip() or not draft.strip():
        return _page(
            request,
            "check.html.j2",
            status=422,
            customer=customer,
            draft=draft,
            result=None,
            error="Paste both the customer's message and your draft.",
        )
    result = Assessment.from_dict(
        json.loads(await check_draft(request, who.account, draft, customer)),
        reply=draft,
        context=customer,
    )
    return _page(
        request,
        "check.html.j2",
        customer=customer,
        draft=draft,
        result=_checked(result),
        error=None,
    )


# --- role-play and drills --------------------------------------------------------------------


@router.get("/practice", response_class=HTMLResponse)
async def practice(
    who: PageCaller,  # noqa: ARG001 (signed in)
    request: Request,
    scenario: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    from heard.services.practice_web import scenarios

    return _page(
        request, "practice.html.j2", scenarios=scenarios(), chosen=scenario or "", error=None
    )


@router.post("/practice")
async def start_practice(
    who: PageCaller,
    request: Request,
    scenario: Annotated[str, Form(max_length=100)],
    seed: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    from heard.services.practice_web import scenarios, start_run

    chosen: int | None = None
    if seed.strip():
        if not seed.strip().isdigit() or int(seed) > 2**31 - 1:
            return _page(
                request,
                "practice.html.j2",
                status=422,
                scenarios=scenarios(),
                chosen=scenario,
                error="The seed is a whole number from 0 to 2147483647, or empty.",
            )
        chosen = int(seed)
    view = await run_in_threadpool(
        start_run, _database(request), who.account, request.app.state.engine, scenario, chosen
    )
    return _redirect(f"/practice/{view.id}")


def _run_context(document: dict[str, Any]) -> dict[str, Any]:
    from heard.practice.customer import BOILING, CALM
    from heard.practice.scenario import load_library

    start = load_library()[document["scenario"]["id"]]
    previous = start.emotion.intensity
    for turn in document["turns"]:
        now = turn["state"]["intensity"]
        if now < previous - 0.005:
            turn["moved"] = "calmed down"
        elif now > previous + 0.005:
            turn["moved"] = "got angrier"
        else:
            turn["moved"] = "felt the same"
        previous = now
    return {
        "run": document,
        "calm": CALM,
        "boiling": BOILING,
        "max_turns": start.max_turns,
        "outcome_text": OUTCOME_TEXT.get(document["outcome"] or "", "in progress"),
    }


@router.get("/practice/{run_id}", response_class=HTMLResponse)
async def practice_run(run_id: RowId, who: PageCaller, request: Request) -> Response:
    from heard.services.practice_web import get_run

    view = await run_in_threadpool(
        get_run, _database(request), who.account, request.app.state.engine, run_id
    )
    return _page(request, "practice_run.html.j2", error=None, **_run_context(view.to_dict()))


@router.post("/practice/{run_id}")
async def practice_reply(
    run_id: RowId,
    who: PageCaller,
    request: Request,
    reply: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """The trainee's next reply; then back to the role-play's page (post, redirect, get)."""
    from heard.services.practice_web import get_run, reply_to_run

    database, engine = _database(request), request.app.state.engine
    try:
        await run_in_threadpool(reply_to_run, database, who.account, engine, run_id, reply)
    except InputError as error:  # an empty reply, or the role-play has ended
        view = await run_in_threadpool(get_run, database, who.account, engine, run_id)
        return _page(
            request,
            "practice_run.html.j2",
            status=422,
            error=error.message,
            **_run_context(view.to_dict()),
        )
    return _redirect(f"/practice/{run_id}#latest")


@router.get("/drills", response_class=HTMLResponse)
async def drills_page(who: PageCaller, request: Request) -> Response:  # noqa: ARG001 (signed in)
    from heard.services.practice_web import drills

    return _page(request, "drills.html.j2", drills=drills())


def _drill(item: str) -> tuple[dict[str, Any], str | None]:
    from heard.services.practice_web import drills

    items = drills()
    for number_, found in enumerate(items):
        if found["id"] == item:
            following = items[(number_ + 1) % len(items)]["id"] if len(items) > 1 else None
            return found, following
    raise NotFoundError(f"There is no drill {item!r}.")


@router.get("/drills/{item}", response_class=HTMLResponse)
async def drill_page(item: str, who: PageCaller, request: Request) -> Response:  # noqa: ARG001 (signed in)
    found, following = _drill(item)
    return _page(
        request,
        "drill.html.j2",
        item=found,
        next_item=following,
        answer="",
        result=None,
        facts=[],
        error=None,
    )


@router.post("/drills/{item}", response_class=HTMLResponse)
async def drill_answer(
    item: str,
    who: PageCaller,
    request: Request,
    answer: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    from heard.practice.drills import load_bank
    from heard.services.practice_web import answer_drill

    found, following = _drill(item)
    context: dict[str, Any] = {"item": found, "next_item": following, "answer": answer}
    if not answer.strip():
        return _page(
            request,
            "drill.html.j2",
            status=422,
            result=None,
            facts=[],
            error="Write your reflection first.",
            **context,
        )
    result = await run_in_threadpool(
        answer_drill, _database(request), who.account, request.app.state.drill_scorer, item, answer
    )
    facts = [
        {"text": fact.text, "caught": bool(result["facts"].get(fact.id))}
        for fact in load_bank()[item].facts
    ]
    return _page(request, "drill.html.j2", result=result, facts=facts, error=None, **context)


# --- the team dashboard ----------------------------------------------------------------------


def _outcomes_view(report: Any) -> dict[str, Any]:
    items = []
    for a in report.analyses:
        items.append(
            {
                "outcome": a.outcome,
                "label": measure_label(a.outcome),
                "n": a.n,
                "rho": rho(a.empathy.rho),
                "interval": between(a.empathy.low, a.empathy.high, rho),
                "adjusted": adjusted_text(a) if a.n else "",
                "notes": list(a.warnings),
            }
        )
    return {"conversations": report.conversations, "rows": items}


def _impact_view(report: Any) -> dict[str, Any]:
    rows = []
    for e in report.estimates:
        scale, unit = impact_scale(e.metric)
        value = None if e.estimate is None else e.estimate * scale
        low = None if e.low is None else e.low * scale
        high = None if e.high is None else e.high * scale
        rows.append(
            {
                "metric": e.metric,
                "label": measure_label(e.metric),
                "estimate": "—" if value is None else f"{signed(value)} {unit}",
                "interval": between(low, high),
                "clear": low is not None and high is not None and (low > 0 or high < 0),
            }
        )
    warnings = list(dict.fromkeys(w for e in report.estimates for w in e.warnings))
    return {
        "trained": [name for _, name in report.trained],
        "comparison": report.comparison,
        "rows": rows,
        "warnings": warnings,
    }


def _wellbeing_view(shared: Any, window_days: int) -> dict[str, Any]:
    counts = shared.counts
    people = []
    for person in shared.shared:
        allowed = set(person.visibility.signals)
        people.append(
            {
                "agent_id": person.agent_id,
                "name": person.name,
                "why": person.visibility.reason,
                "signals": [
                    {
                        "label": SIGNAL_LABELS.get(s.name, label(s.name)),
                        "reason": s.reason,
                        "suggestion": s.suggestion,
                    }
                    for s in person.fatigue.signals
                    if s.name in allowed
                ],
            }
        )
    return {
        "as_of": shared.as_of,
        "window_days": window_days,
        "policy": shared.policy.describe(),
        "counts": counts,
        "rows": [(SIGNAL_LABELS.get(n, label(n)), c) for n, c in counts.fired_counts],
        "shared": people,
    }


def _parse_day(value: str | None, what: str) -> datetime | None:
    """The form's date ``what`` (YYYY-MM-DD) as its midnight, UTC; ``InputError`` naming it
    when it is not a date, or out of the range times may have."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{what} is not a date (YYYY-MM-DD)", field=what) from None
    try:
        return naive_utc(datetime.combine(day, time(0)))
    except ValueError as error:
        raise InputError(f"{what} {error}", field=what) from None


def _impact(
    viewer: views.Viewer,
    config: Any,
    trained: Sequence[str],
    since: str | None,
    until: str | None,
) -> tuple[dict[str, Any] | None, dict[str, Any], str | None]:
    """The training impact for the form's agents (a lead: their own team's only)."""
    if not trained and not since:
        return None, {}, None
    try:
        if not trained:
            raise InputError("tick at least one trained agent", field="trained")
        start = _parse_day(since, "since")
        if start is None:
            raise InputError("give the date of the training", field="since")
        end = _parse_day(until, "until")
        report = views.impact(
            viewer, trained=trained, since=start, until=end, repeat_days=config.repeat_days
        )
    except InputError as error:
        return None, {}, error.message
    found = {
        "impact": charts.impact_chart(report),
        "impact_skills": charts.impact_estimates_chart(report),
    }
    return _impact_view(report), found, None


def _team_view(
    viewer: views.Viewer,
    config: Any,
    team: str | None,
    impact_form: tuple[Sequence[str], str | None, str | None],
) -> dict[str, Any]:
    team = views.chosen_team(viewer, team)
    teams = views.teams(viewer)
    context: dict[str, Any] = {"team": team, "teams": teams}
    if team is None:
        return context
    if team not in teams:
        raise NotFoundError(f"There is no team {team!r}.")
    members = views.team_members(viewer, team)
    analysis = views.team_analysis(viewer, team)
    found_charts: dict[str, Any] = {
        "trends": None,
        "agents": None,
        "calmed": None,
        "impact": None,
        "impact_skills": None,
    }
    if analysis is not None:
        found_charts.update(
            trends=charts.team_trends(analysis),
            agents=charts.agent_means(analysis),
            calmed=charts.calmed_rates(analysis),
        )
    outcomes = views.outcomes(viewer, team=team, repeat_days=config.repeat_days)
    found_charts["outcomes"] = charts.outcomes_chart(outcomes)
    trained, since, until = impact_form
    impact, impact_charts, error = _impact(viewer, config, trained, since, until)
    found_charts.update(impact_charts)
    shared = views.team_wellbeing(
        viewer, team=team, settings=config.fatigue, policy=config.wellbeing
    )
    context.update(_analysis_context(analysis))
    context.update(
        members=members,
        charts=found_charts,
        outcomes=_outcomes_view(outcomes),
        impact=impact,
        impact_form={
            "trained": list(trained),
            "since": since or "",
            "until": until or "",
            "error": error,
        },
        wellbeing=_wellbeing_view(shared, config.fatigue.window_days),
        examples=examples_of,
        trend_text=_trend_text,
    )
    return context


@router.get("/team", response_class=HTMLResponse)
async def team_dashboard(
    who: PageCaller,
    request: Request,
    team: Annotated[str | None, Query(max_length=200)] = None,
    trained: Annotated[list[str] | None, Query(max_length=50)] = None,
    since: Annotated[str | None, Query(max_length=10)] = None,
    until: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    """A lead's team (an admin: any team, ``?team=NAME``): trends, scorecards with examples,
    de-escalation, outcomes, a training-impact form and the wellbeing the policy shares. A
    training-impact form with a bad date is answered 422, with the error on the page."""
    view = await run_in_threadpool(
        _team_view,
        viewer_of(request, who),
        request.app.state.config,
        team or None,
        (trained or [], since or None, until or None),
    )
    form = view.get("impact_form") or {}
    return _page(request, "team.html.j2", status=422 if form.get("error") else 200, **view)


# --- imports (admins) ------------------------------------------------------------------------


@router.get("/imports", response_class=HTMLResponse)
async def imports_page(who: PageCaller, request: Request) -> Response:
    from heard.services.import_jobs import upload_formats

    return _page(request, "imports.html.j2", formats=upload_formats(who.account))


@router.post("/imports")
async def upload(
    who: PageCaller,
    request: Request,
    file: Annotated[UploadFile, File()],
    format: Annotated[str | None, Form(max_length=20)] = None,
) -> Response:
    """The upload form without the script (with it, the form posts to POST /api/v1/imports,
    whose body limit allows large exports). The same checks of the file name as the API."""
    view = await start_upload(request, who.account, file, format)
    return _redirect(f"/imports/{view.id}")


@router.get("/imports/{job_id}", response_class=HTMLResponse)
async def import_job(job_id: RowId, who: PageCaller, request: Request) -> Response:
    from heard.services.import_jobs import job_status

    view, rejects = await run_in_threadpool(job_status, _database(request), who.account, job_id)
    return _page(
        request,
        "import_job.html.j2",
        job=public_job(view),
        rejects=[public_reject(r, view.filename) for r in rejects[:200]],
        running=view.status not in ("done", "failed"),
    )
