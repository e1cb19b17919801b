from __future__ import annotations

import pytest

from .builder import build, serve


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    target = tmp_path_factory.mktemp("site")
    result = build(target)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return target, result


@pytest.fixture(scope="session")
def site_url(built_site):
    folder, _ = built_site
    with serve(folder) as url:
        yield url
