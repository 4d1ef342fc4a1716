"""Who may see what. One place for the rules; the API calls these before every read.

- An **agent** sees only their own conversations, scores, practice and wellbeing signals: the
  help-desk agent whose id or name is their account's ``agent``.
- A **lead** sees the agents of their own ``team`` (conversations, scores, practice), their
  team's aggregates, and individual wellbeing signals only as the wellbeing policy allows
  (:mod:`heard.analytics.wellbeing`).
- An **admin** sees everything.

Denials raise ``ForbiddenError``; the API turns it into 403 (or 404 where saying "forbidden" would
tell that the thing exists).
"""

from __future__ import annotations

from dataclasses import dataclass

from heard.errors import ForbiddenError
from heard.services.accounts import Account
from heard.storage.conversations import people
from heard.storage.database import Database


@dataclass(frozen=True)
class AgentRef:
    id: str  # the help-desk agent id
    name: str
    team: str | None


def all_agents(database: Database) -> list[AgentRef]:
    with database.session() as session:
        found = {
            agent_id: AgentRef(agent_id, name or agent_id, team)
            for agent_id, name, team in people(session)
        }
    return sorted(found.values(), key=lambda a: (a.name.casefold(), a.id))


def is_me(account: Account, agent: AgentRef) -> bool:
    if account.agent is None:
        return False
    key = account.agent.casefold()
    return key in (agent.id.casefold(), agent.name.casefold())


def visible_agents(database: Database, account: Account) -> list[AgentRef]:
    """The agents whose conversations and scores ``account`` may read."""
    agents = all_agents(database)
    if account.role == "admin":
        return agents
    if account.role == "lead":
        return [a for a in agents if account.team is not None and a.team == account.team]
    return [a for a in agents if is_me(account, a)]


def own_agent(database: Database, account: Account) -> AgentRef | None:
    """The help-desk agent an account is, when it is one."""
    return next((a for a in all_agents(database) if is_me(account, a)), None)


def require_agent(database: Database, account: Account, agent_id: str) -> AgentRef:
    """The agent, when ``account`` may read their data; ``ForbiddenError`` otherwise."""
    for agent in visible_agents(database, account):
        if agent.id == agent_id:
            return agent
    raise ForbiddenError(f"not allowed to read agent {agent_id!r}")


def require_team(account: Account, team: str) -> None:
    """Team aggregates: a lead's own team, or any team for an admin."""
    if account.role == "admin":
        return
    if account.role == "lead" and account.team == team:
        return
    raise ForbiddenError(f"not allowed to read team {team!r}")


def require_lead(account: Account) -> None:
    if account.role not in ("lead", "admin"):
        raise ForbiddenError("leads and admins only")


def require_admin(account: Account) -> None:
    if account.role != "admin":
        raise ForbiddenError("admins only")


def trainee_names(database: Database, account: Account) -> set[str] | None:
    """The trainee names whose practice ``account`` may read (None: everyone's)."""
    if account.role == "admin":
        return None
    names = {account.username.casefold()}
    for agent in visible_agents(database, account):
        names.update({agent.id.casefold(), agent.name.casefold()})
    if account.agent:
        names.add(account.agent.casefold())
    return names
