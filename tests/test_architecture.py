"""The layering as code can check it: no import cycles among heard's packages or modules, and
only storage writes SQL.

For cycles, every import that can run counts, at a module's top level or inside a function (a
lazy import still ties the two modules together); only imports under ``if TYPE_CHECKING:`` are
left out, since they never run. For SQL, every import counts, those for types too."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).parents[1] / "src"


def _modules() -> dict[str, Path]:
    found = {}
    for path in (SRC / "heard").rglob("*.py"):
        name = ".".join(path.relative_to(SRC).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _runnable(tree: ast.AST) -> list[ast.stmt]:
    """Every import statement in ``tree`` except those under ``if TYPE_CHECKING:``."""
    found: list[ast.stmt] = []
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        pending.extend(ast.iter_child_nodes(node))
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    targets: set[str] = set()
    for node in _runnable(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                names.append(full if full in modules else node.module)
        for name in names:
            while name not in modules and "." in name:
                name = name.rsplit(".", 1)[0]
            if name in modules:
                targets.add(name)
    return targets


def _graph(package_level: bool) -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for target in _imports(path, modules):
            a, b = (
                (".".join(n.split(".")[:2]) for n in (name, target))
                if package_level
                else (name, target)
            )
            if a != b:
                graph[a].add(b)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one member (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(set(graph) | {t for ts in graph.values() for t in ts}):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycles_between_packages() -> None:
    assert _cycles(_graph(package_level=True)) == []


def test_no_import_cycles_between_modules() -> None:
    assert _cycles(_graph(package_level=False)) == []


# Layers above storage: they reach the database only through heard.storage's modules of queries
# and the Database handle, never through SQLAlchemy or the tables.
ABOVE_STORAGE = ("heard.services", "heard.scale", "heard.cli", "heard.web")
SQL = ("sqlalchemy", "heard.storage.tables")
# heard.web modules that still import SQLAlchemy or the tables (to be moved to storage)
SQL_ALLOWED: frozenset[str] = frozenset()


def _sql_imports(path: Path) -> set[str]:
    """The SQLAlchemy and table modules that ``path`` imports, anywhere in it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        found.update(
            name for name in names if any(name == s or name.startswith(f"{s}.") for s in SQL)
        )
    return found


def _writes_sql() -> dict[str, set[str]]:
    return {
        name: imported
        for name, path in _modules().items()
        if name.startswith(ABOVE_STORAGE) and (imported := _sql_imports(path))
    }


def test_only_storage_imports_sqlalchemy_or_the_tables() -> None:
    offenders = {name: sorted(found) for name, found in _writes_sql().items()}
    assert {name: found for name, found in offenders.items() if name not in SQL_ALLOWED} == {}
    assert set(offenders) >= SQL_ALLOWED, "an allowed module no longer needs to be allowed"


def test_storage_keeps_the_domain_model_not_the_readers_records() -> None:
    graph = _graph(package_level=True)
    assert graph["heard.storage"] <= {"heard.analytics", "heard.errors", "heard.model"}


def test_the_sql_check_finds_sql(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from sqlalchemy.orm import Session\n"
        "def f():\n    from heard.storage.tables import Agent\nimport heard.storage.database\n"
    )
    assert _sql_imports(module) == {
        "sqlalchemy.orm",
        "sqlalchemy.orm.Session",
        "heard.storage.tables",
        "heard.storage.tables.Agent",
    }


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def _names(path: Path) -> set[str]:
    """Every ``module.name`` imported by ``path`` (``from m import n`` gives ``m.n``)."""
    found: set[str] = set()
    for node in _runnable(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_the_web_layer_applies_no_access_rule_and_writes_no_audit_row() -> None:
    """Rules and audit belong to the use cases (heard.services.views and friends), so that the
    API and the pages cannot drift apart and a new front end cannot forget one."""
    offending = {
        name: sorted(
            n
            for n in _names(path)
            if n.startswith("heard.services.access") or n == "heard.services.accounts.audit"
        )
        for name, path in _modules().items()
        if name.startswith(("heard.web", "heard.cli"))
    }
    assert {k: v for k, v in offending.items() if v} == {}
