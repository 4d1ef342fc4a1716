"""Schemathesis against the OpenAPI spec: generated requests to every operation, signed in as an
admin, must never get a server error, and every response must match the spec (status codes,
content types, bodies, headers; invalid data rejected; auth not ignored).

One default check is left out: "positive data acceptance" expects every schema-valid request to
succeed, but the spec cannot say "an agent or team that exists" (``/impact?trained=``) or "a
date after ``since``", and those are answered 422 with the reason, on purpose."""

from __future__ import annotations

from pathlib import Path

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
SLOW = {"/api/v1/outcomes", "/api/v1/impact", "/api/v1/wellbeing/team", "/api/v1/wellbeing/me"}


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
