from __future__ import annotations

import pytest

from .builder import build, serve_quietly


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    target = tmp_path_factory.mktemp("site")
    result = build(target)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return target, result


@pytest.fixture(scope="session")
def quiet_site(built_site):
    """The built site, served where the browser tests' chromium will run (see serve_quietly)."""
    folder, _ = built_site
    with serve_quietly(folder) as site:
        yield site


@pytest.fixture(scope="session")
def site_url(quiet_site) -> str:
    return quiet_site.url


@pytest.fixture(scope="session")
def site_network(quiet_site):
    return quiet_site.network
