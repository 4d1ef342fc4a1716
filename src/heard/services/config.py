"""heard's settings file: a TOML file with the team's thresholds and wellbeing policy.

Given by ``--config FILE`` or ``$HEARD_CONFIG``; every key is optional, and a missing file
setting keeps the documented default. Unknown sections or keys and values of the wrong type are
errors that name the file, the key and what was expected (a typo must not silently fall back to
a default). See ``docs/wellbeing.md`` for every key::

    [outcomes]
    repeat_days = 7          # a repeat contact: the same customer again within this many days

    [fatigue]                # heard.analytics.fatigue.FatigueSettings
    window_days = 7
    baseline_days = 35
    decline_points = 8.0
    workday_start = 08:00:00
    exposure_emotions = ["frustrated", "anxious"]

    [wellbeing]              # heard.analytics.wellbeing.WellbeingPolicy
    lead_sees = "after_agent"   # never | after_agent | threshold
    grace_days = 3
    min_signals = 2

    [web]                    # heard serve: WebSettings
    session_hours = 12
    login_rate = "10/minute"
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from heard.analytics.fatigue import FatigueSettings
from heard.analytics.repeat import REPEAT_DAYS
from heard.analytics.wellbeing import WellbeingPolicy
from heard.errors import InputError

ENV = "HEARD_CONFIG"


@dataclass(frozen=True)
class WebSettings:
    """``heard serve``: sessions, limits and the scoring tier (see docs/web.md)."""

    tier: str = "fast"
    session_hours: float = 12.0
    cookie_secure: bool = True  # browsers treat http://localhost and 127.0.0.1 as secure too
    max_body_kb: int = 256  # every request but uploads
    max_upload_mb: int = 200  # POST /api/v1/imports
    login_rate: str = "10/minute"  # per client address and user name
    assess_rate: str = "600/minute"  # per user

    def __post_init__(self) -> None:
        if self.tier not in ("fast", "accurate"):
            raise ValueError(f"tier must be fast or accurate, not {self.tier!r}")
        if self.session_hours <= 0 or self.max_body_kb < 1 or self.max_upload_mb < 1:
            raise ValueError("session_hours, max_body_kb and max_upload_mb must be positive")
        for rate in (self.login_rate, self.assess_rate):
            if not re.fullmatch(r"\d+/(second|minute|hour|day)", rate):
                raise ValueError(f"{rate!r} is not a rate like 10/minute")


@dataclass(frozen=True)
class Config:
    repeat_days: int = REPEAT_DAYS
    fatigue: FatigueSettings = field(default_factory=FatigueSettings)
    wellbeing: WellbeingPolicy = field(default_factory=WellbeingPolicy)
    path: Path | None = None
    web: WebSettings = field(default_factory=WebSettings)


_SECTIONS: dict[str, type[Any]] = {
    "fatigue": FatigueSettings,
    "wellbeing": WellbeingPolicy,
    "web": WebSettings,
}


def load_config(path: Path | str | None = None) -> Config:
    """The settings in ``path`` (or ``$HEARD_CONFIG``); the defaults when neither is given."""
    if path is None:
        path = os.environ.get(ENV) or None
    if path is None:
        return Config()
    path = Path(path)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such settings file", where=str(path)) from None
    except OSError as error:
        raise InputError(f"cannot read ({error.strerror})", where=str(path)) from error
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"not valid TOML: {error}", where=str(path)) from error
    where = str(path)
    unknown = sorted(set(document) - {"outcomes", *_SECTIONS})
    if unknown:
        raise InputError(
            f"unknown section(s) {', '.join(unknown)}; expected outcomes, fatigue, wellbeing, web",
            where=where,
        )
    repeat_days = REPEAT_DAYS
    outcomes = _table(document, "outcomes", where)
    if outcomes:
        _known_keys(outcomes, {"repeat_days"}, "outcomes", where)
        repeat_days = outcomes["repeat_days"]
        if isinstance(repeat_days, bool) or not isinstance(repeat_days, int) or repeat_days < 1:
            raise InputError(
                f"{repeat_days!r} is not a whole number of days >= 1",
                where=where,
                field="outcomes.repeat_days",
            )
    built: dict[str, Any] = {}
    for section, kind in _SECTIONS.items():
        table = _table(document, section, where)
        names = {f.name for f in dataclasses.fields(kind)}
        _known_keys(table, names, section, where)
        try:
            built[section] = TypeAdapter(kind).validate_python(table)
        except ValidationError as error:
            first = error.errors()[0]
            key = ".".join(str(part) for part in first["loc"])
            raise InputError(
                first["msg"], where=where, field=f"{section}.{key}" if key else section
            ) from None
        except ValueError as error:
            raise InputError(str(error), where=where, field=section) from None
    return Config(repeat_days, built["fatigue"], built["wellbeing"], path, built["web"])


def _table(document: dict[str, Any], name: str, where: str) -> dict[str, Any]:
    table = document.get(name, {})
    if not isinstance(table, dict):
        raise InputError("must be a [section] table", where=where, field=name)
    return table


def _known_keys(table: dict[str, Any], names: set[str], section: str, where: str) -> None:
    unknown = sorted(set(table) - names)
    if unknown:
        raise InputError(
            f"unknown key(s) {', '.join(unknown)}; expected some of {', '.join(sorted(names))}",
            where=where,
            field=section,
        )
