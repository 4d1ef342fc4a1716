"""The OpenAPI spec: every response of ``/api/v1`` is typed, field by field; and Schemathesis
against it: generated requests to every operation, signed in as an admin, must never get a server
error, and every response must match the spec (status codes, content types, bodies, headers;
invalid data rejected; auth not ignored).

One default check is left out: "positive data acceptance" expects every schema-valid request to
succeed, but the spec cannot say "an agent or team that exists" (``/impact?trained=``) or "a
date after ``since``", and those are answered 422 with the reason, on purpose."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from heard.services.accounts import create_token, create_user
from heard.services.config import Config, WebSettings
from heard.storage.database import open_database
from heard.web.app import create_app
from support.measure_export import write_export

TOKEN: dict[str, str] = {}
# What a schema is when it says something: a type, a reference, a choice of schemas or a value.
TYPED = {"type", "$ref", "anyOf", "oneOf", "allOf", "enum", "const"}
SLOW = {"/api/v1/outcomes", "/api/v1/impact", "/api/v1/wellbeing/team", "/api/v1/wellbeing/me"}


@pytest.fixture(scope="module")
def openapi(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The spec the app serves (over an empty database: the spec does not depend on the data)."""
    folder: Path = tmp_path_factory.mktemp("openapi")
    database = open_database(f"sqlite:///{folder / 'heard.db'}")
    spec: dict[str, Any] = create_app(database, Config()).openapi()
    database.close()
    return spec


def untyped(
    schema: dict[str, Any], spec: dict[str, Any], where: str, seen: frozenset[str]
) -> list[str]:
    """The places in ``schema`` that do not say what they hold: an object open to any extra
    field (``extra="allow"``, ``dict[str, Any]``), an object naming no fields and no type of
    value, or a value of any type (``Any``). A map of typed values (``dict[str, float]``) is
    typed; ``$ref``s are followed once each."""
    if "$ref" in schema:
        name = schema["$ref"].rpartition("/")[2]
        if name in seen:
            return []
        return untyped(
            spec["components"]["schemas"][name], spec, f"{where} → {name}", seen | {name}
        )
    found = [] if schema.keys() & TYPED else [f"{where}: any value"]
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for part in schema.get(key, []):
            found += untyped(part, spec, where, seen)
    if isinstance(schema.get("items"), dict):
        found += untyped(schema["items"], spec, f"{where}[]", seen)
    for name, field in schema.get("properties", {}).items():
        found += untyped(field, spec, f"{where}.{name}", seen)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict) and extra:
        found += untyped(extra, spec, f"{where}{{}}", seen)
    elif extra is True or extra == {}:
        found.append(f"{where}: open to any extra field")
    elif schema.get("type") == "object" and not schema.get("properties"):
        found.append(f"{where}: an object with no fields named")
    return found


def test_every_response_of_the_api_is_typed(openapi: dict[str, Any]) -> None:
    """Every 2xx body of every ``/api/v1`` operation names each of its fields and their types,
    all the way down, so the spec (and a client generated from it) says what comes back."""
    bodies = 0
    problems = []
    for path, operations in openapi["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if not status.startswith("2"):
                    continue
                for content in response.get("content", {}).values():
                    bodies += 1
                    where = f"{method.upper()} {path} {status}"
                    problems += untyped(content.get("schema", {}), openapi, where, frozenset())
    assert bodies >= 20
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> schemathesis.schemas.BaseSchema:
    from heard.services.imports import import_export
    from heard.services.models import assessor
    from heard.services.scoring import score_pending

    folder: Path = tmp_path_factory.mktemp("schema")
    write_export(folder / "export.jsonl")
    database = open_database(f"sqlite:///{folder / 'heard.db'}")
    import_export(database, folder / "export.jsonl")
    score_pending(database, assessor("fast"))
    create_user(database, "root", "correct horse battery", role="admin")
    TOKEN["admin"] = create_token(database, "root", "schemathesis")[0]
    # generous limits: the fuzzer sends many requests a second
    config = Config(web=WebSettings(login_rate="100000/minute", assess_rate="100000/minute"))
    return schemathesis.openapi.from_asgi("/api/openapi.json", create_app(database, config))


def test_every_operation_keeps_to_the_spec(api_schema: schemathesis.schemas.BaseSchema) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 12
    headers = {"Authorization": f"Bearer {TOKEN['admin']}"}
    for operation in operations:
        slow = operation.path in SLOW  # each call runs a whole analysis

        @given(case=operation.as_strategy())
        @settings(
            max_examples=4 if slow else 25,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        check()
