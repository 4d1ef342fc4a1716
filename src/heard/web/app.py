"""The web application: ``create_app`` builds the FastAPI app that ``heard serve`` runs.

The database is opened (and migrated) once, and the scoring models are loaded and warmed up once
at start-up, not per request. Every route lives in :mod:`heard.web.api` (JSON, ``/api/v1``) or
:mod:`heard.web.pages` (server-rendered HTML); both call the same services as the CLI.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Sequence

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from heard.services.config import Config
from heard.storage.database import Database
from heard.version import __version__
from heard.web import errors
from heard.web.api import router as api_router
from heard.web.batching import DraftScorer
from heard.web.limits import (
    BodyLimit,
    ForwardedClient,
    install_rate_limits,
    parse_trusted_proxies,
    trusted_proxies_from_environment,
)
from heard.web.pages import STATIC
from heard.web.pages import router as pages_router

log = logging.getLogger(__name__)
# Drafts that take every path once (the rewrite's verb forms load lemminflect's tables, ~0.3 s),
# so that no real request pays for a first use.
WARM_UP = (
    ("Thanks, I've sorted that for you.", "My order is late."),
    (
        "As I said before, you should have checked the address. Please calm down.",
        "This is the THIRD time my order 48213 hasn't arrived!! Absolutely ridiculous.",
    ),
)

DESCRIPTION = """\
heard's HTTP API: the draft checker, scores and conversations, outcomes, training impact and
wellbeing signals, with the same rules as the web pages.

**Authentication.** Integrations send `Authorization: Bearer heard_…` (a token from
`heard tokens create`). Browsers sign in with `POST /api/v1/session`, which sets an HttpOnly
session cookie; changes made with the cookie must send the returned CSRF token as
`X-CSRF-Token`.

**Who sees what.** An agent sees only their own data; a lead their team (and individual
wellbeing signals only as the team's policy allows); an admin everything. Reads of other
people's data are written to an audit log.

**Errors** are JSON: `{"error": "...", "field": "..."}`.
"""


def create_app(
    database: Database,
    config: Config | None = None,
    *,
    trusted_proxies: Sequence[str] | None = None,
) -> FastAPI:
    """The app over ``database``. ``trusted_proxies``: the IPs or CIDR networks of the reverse
    proxies whose ``X-Forwarded-For`` names the client (``$HEARD_TRUSTED_PROXIES`` when None;
    none trusted when neither is given)."""
    settings = config or Config()
    proxies = (
        trusted_proxies_from_environment()
        if trusted_proxies is None
        else parse_trusted_proxies(trusted_proxies)
    )

    from heard.services.models import assessor, drill_scorer

    engine = assessor(settings.web.tier)  # loaded once, here, not per request
    for draft, customer in WARM_UP:  # and warmed up: lazily loaded tables load now
        engine.assess(draft, customer)
    log.info("models loaded: %s", engine.model_version)
    # The models are millions of long-lived objects: keep them out of the garbage collector's
    # full passes, which otherwise stall every request for hundreds of milliseconds.
    gc.collect()
    gc.freeze()
    app = FastAPI(
        title="heard",
        version=__version__,
        description=DESCRIPTION,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.engine = engine
    # Scoring is CPU-bound Python: one scoring thread per process takes the drafts waiting and
    # scores them in one batch (heard.web.batching), instead of twenty threads sharing the
    # interpreter lock and all finishing late. More processes (--workers) use more cores.
    app.state.drafts = DraftScorer(engine)
    app.state.drill_scorer = drill_scorer(engine)  # its sentence encoder loads on first use
    app.state.database = database
    app.state.config = settings
    install_rate_limits(app)
    errors.install(app)
    app.include_router(api_router)
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(
        BodyLimit,
        max_bytes=settings.web.max_body_kb * 1024,
        upload_bytes=settings.web.max_upload_mb * 1024 * 1024,
    )
    app.add_middleware(ForwardedClient, proxies=proxies)
    app.state.trusted_proxies = proxies
    return app


def app_from_environment() -> FastAPI:
    """The app for each of ``heard serve --workers N``'s processes: the database from
    ``$HEARD_DATABASE_URL``, the settings from ``$HEARD_CONFIG``, the trusted proxies from
    ``$HEARD_TRUSTED_PROXIES`` (``heard serve`` sets them all)."""
    from heard.services.config import load_config
    from heard.storage.database import open_database

    return create_app(open_database(None), load_config(None))
