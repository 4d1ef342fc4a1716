"""Drafts checked together: concurrent ``POST /assess`` requests share one engine call.

The engine scores a batch much faster per reply than one reply at a time (the rule families
and the linear models run vectorised over the batch). The scorer takes every draft waiting when
it is free, up to ``MAX_BATCH``, scores them in one ``assess_many`` call on its own thread, and
answers each request with its own result. A lone draft is scored at once: nothing waits to
fill a batch, so a quiet server answers as fast as before.
"""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from fastapi import Request

from heard.assessment.engine import Assessor
from heard.services.accounts import Account
from heard.web.errors import RateLimitError
from heard.web.limits import hit

MAX_BATCH = 32


@dataclass
class _Draft:
    reply: str
    context: str
    history: str
    done: asyncio.Future[bytes] = field(repr=False)


class DraftScorer:
    """Scores drafts in batches on one thread (one per server process)."""

    def __init__(self, engine: Assessor) -> None:
        self.engine = engine
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="heard-scorer")
        self._queue: asyncio.Queue[_Draft] | None = None
        self._task: asyncio.Task[None] | None = None

    async def score(self, reply: str, context: str, history: str = "") -> bytes:
        """The assessment of one draft, as the JSON contract's UTF-8 bytes."""
        loop = asyncio.get_running_loop()
        if self._queue is None or self._task is None or self._task.done():
            self._queue = asyncio.Queue()
            self._task = loop.create_task(self._run(self._queue))
        draft = _Draft(reply, context, history, loop.create_future())
        await self._queue.put(draft)
        return await draft.done

    async def _run(self, queue: asyncio.Queue[_Draft]) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await queue.get()]
            while len(batch) < MAX_BATCH and not queue.empty():
                batch.append(queue.get_nowait())
            results = await loop.run_in_executor(self.executor, self._score, batch)
            for draft, result in zip(batch, results, strict=True):
                if draft.done.done():
                    continue
                if isinstance(result, BaseException):
                    draft.done.set_exception(result)
                else:
                    draft.done.set_result(result)

    def _score(self, batch: list[_Draft]) -> list[bytes | Exception]:
        """Each draft's JSON, or its error: a draft the engine refuses fails alone (the batch
        is then scored one by one)."""
        try:
            return self._assess(batch)
        except Exception:
            out: list[bytes | Exception] = []
            for draft in batch:
                try:
                    out.extend(self._assess([draft]))
                except Exception as error:
                    out.append(error)
            return out

    def _assess(self, batch: list[_Draft]) -> list[bytes | Exception]:
        histories = [d.history for d in batch]
        assessments = self.engine.assess_many(
            [(d.reply, d.context) for d in batch],
            histories=histories if any(histories) else None,
        )
        return [json.dumps(a.to_dict(), ensure_ascii=False).encode("utf-8") for a in assessments]


async def check_draft(
    request: Request, account: Account, reply: str, context: str, history: str = ""
) -> bytes:
    """The draft checker for the API and the page alike: the user's rate limit, then the
    assessment as the JSON contract's bytes."""
    settings = request.app.state.config.web
    if not hit(request.app, "assess", settings.assess_rate, str(account.id)):
        raise RateLimitError("too many drafts checked; slow down", retry_after=60)
    scorer: DraftScorer = request.app.state.drafts
    return await scorer.score(reply, context, history)
