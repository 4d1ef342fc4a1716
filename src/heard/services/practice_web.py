"""Role-play and drills for the web app and API, for a signed-in user.

A role-play in the browser spans many requests, and maybe several server processes, so nothing
lives in memory: a ``PracticeRun`` row keeps the scenario, the seed and the trainee's replies
(redacted), and each request replays the session from them. The same scenario, seed and replies
always give the same session (:mod:`heard.practice.session`), so the replay is exact. When the
session ends it is recorded like any other (``heard progress`` and ``heard impact`` see it),
under the trainee's help-desk agent id when the account has one, else their user name.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from heard.assessment.engine import Assessor
from heard.errors import InputError, NotFoundError
from heard.practice.drills import DrillScorer, load_bank
from heard.practice.scenario import load_library
from heard.practice.session import RolePlay
from heard.privacy import Redactor
from heard.services.accounts import Account, now
from heard.services.practice import record_drills, record_session
from heard.storage import practice as stored
from heard.storage.database import Database

MAX_TURNS = 30


@dataclass(frozen=True)
class RunView:
    id: int
    session: RolePlay

    def to_dict(self) -> dict[str, Any]:
        scenario = self.session.scenario
        state = self.session.state
        document: dict[str, Any] = {
            "id": self.id,
            "scenario": {
                "id": scenario.id,
                "title": scenario.title,
                "persona": scenario.persona.name,
                "channel": scenario.channel,
            },
            "opening": self.session.opening,
            "turns": [turn.to_dict() for turn in self.session.turns],
            "state": state.to_dict(),
            "ended": self.session.ended,
            "outcome": state.outcome,
            "scorecard": None,
        }
        if self.session.ended:
            document["scorecard"] = self.session.scorecard().to_dict()
        return document


def trainee_name(account: Account) -> str:
    return account.agent or account.username


def scenarios() -> list[dict[str, Any]]:
    return [
        {
            "id": s.id,
            "title": s.title,
            "persona": s.persona.name,
            "channel": s.channel,
            "difficulty": s.difficulty,
            "emotion": s.emotion.label,
        }
        for s in sorted(load_library().values(), key=lambda s: s.id)
    ]


def _replay(engine: Assessor, scenario_id: str, seed: int, replies: list[str]) -> RolePlay:
    library = load_library()
    if scenario_id not in library:
        raise InputError(f"no scenario {scenario_id!r}", field="scenario")
    session = RolePlay(library[scenario_id], engine, seed=seed)
    for reply in replies:
        session.reply(reply)
    return session


def start_run(
    database: Database, account: Account, engine: Assessor, scenario_id: str, seed: int | None
) -> RunView:
    chosen = seed if seed is not None else random.SystemRandom().randrange(1_000_000)
    session = _replay(engine, scenario_id, chosen, [])
    with database.session() as db, db.begin():
        run = stored.add_run(
            db, user_id=account.id, scenario=scenario_id, seed=chosen, created_at=now()
        )
        return RunView(run.id, session)


def get_run(database: Database, account: Account, engine: Assessor, run_id: int) -> RunView:
    with database.session() as db:
        run = stored.run_of(db, run_id, account.id)
        if run is None:
            raise NotFoundError(f"no role-play {run_id}")
        return RunView(run.id, _replay(engine, run.scenario, run.seed, list(run.replies)))


def reply_to_run(
    database: Database, account: Account, engine: Assessor, run_id: int, reply: str
) -> RunView:
    """The trainee's next reply: replays the session, plays the reply, and records the session
    when it ends."""
    text = Redactor()(reply).text
    with database.session() as db, db.begin():
        run = stored.run_of(db, run_id, account.id)
        if run is None:
            raise NotFoundError(f"no role-play {run_id}")
        if run.outcome is not None:
            raise InputError(f"the role-play has ended ({run.outcome})", field="reply")
        if len(run.replies) >= MAX_TURNS:
            raise InputError(f"a role-play has at most {MAX_TURNS} replies", field="reply")
        session = _replay(engine, run.scenario, run.seed, list(run.replies))
        session.reply(text)
        stored.add_reply(run, text, session.state.outcome)
        run_id = run.id
    if session.ended:
        record_session(database, trainee_name(account), session)
    return RunView(run_id, session)


def drills() -> list[dict[str, Any]]:
    return [
        {"id": item.id, "message": item.message, "emotion": item.emotion}
        for item in sorted(load_bank().values(), key=lambda i: i.id)
    ]


def answer_drill(
    database: Database, account: Account, scorer: DrillScorer, item_id: str, answer: str
) -> dict[str, Any]:
    bank = load_bank()
    if item_id not in bank:
        raise InputError(f"no drill {item_id!r}", field="item")
    result = scorer.score(bank[item_id], answer)
    record_drills(database, trainee_name(account), [result], [answer])
    return result.to_dict()
