"""Web app fixtures: real services over a private copy of the built data dir, the Starlette test client,
and helpers to log in with an invite code or an admin code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.conftest import copy_data_dir

ADMIN_ID = 900


def settings_for(data_dir: Path, **extra: str):
    from bot.config import Settings

    values = {"WIJKBOT_DATA_DIR": str(data_dir), "WIJKBOT_ADMINS": str(ADMIN_ID), "WIJKBOT_ALLOWED_USERS": "",
              "WIJKBOT_WEB_SECRET": "test-secret", "WIJKBOT_WEB_LOGIN_ATTEMPTS": "50", **extra}  # fmt: skip
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def web_services(built_data_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """One real Services for all web tests (building it loads the models: do it once)."""
    from bot.services import build_services

    data_dir = tmp_path_factory.mktemp("web") / "data"
    copy_data_dir(built_data_dir, data_dir)
    services = build_services(settings_for(data_dir))
    yield services
    services.store.close()


@pytest.fixture(scope="session")
def web_app(web_services):
    from bot.channels.web.app import create_app

    return create_app(web_services)


@pytest.fixture
def client(web_app) -> Iterator[TestClient]:
    with TestClient(web_app, base_url="http://testserver") as test_client:
        yield test_client


def csrf_of(client: TestClient, path: str = "/") -> str:
    """The CSRF token of this client's session, read from a page's form."""
    page = client.get(path)
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert match, page.text[:500]
    return match.group(1)


def new_invite(services) -> str:
    from bot.conversation.access import AccessControl

    return AccessControl(services.settings, services.store).create_invite(ADMIN_ID).code


def admin_code(web_app) -> str:
    return web_app.state.web.logins.create_admin_code(ADMIN_ID).code


def log_in(client: TestClient, code: str) -> None:
    response = client.post("/login", data={"code": code, "csrf": csrf_of(client)}, follow_redirects=False)
    assert response.status_code == 303, response.text[:300]


@pytest.fixture
def member(client: TestClient, web_services) -> TestClient:
    log_in(client, new_invite(web_services))
    return client


@pytest.fixture
def admin(client: TestClient, web_app) -> TestClient:
    log_in(client, admin_code(web_app))
    return client
