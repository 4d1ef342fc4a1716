"""Session-wide test settings: the encoder's int8 graph cache goes to a temporary folder, so the
suite never writes into the user's own cache (~/.cache/heard)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    folder = tmp_path_factory.mktemp("heard-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HEARD_CACHE_DIR", str(folder))
        yield
