"""Test harness: every test gets a fresh, migrated database, on SQLite and on PostgreSQL.

PostgreSQL runs when MOOT_TEST_POSTGRES_URL names a server (an admin connection URL, e.g.
postgresql://moot@127.0.0.1:55432/postgres); .ci/run starts one. Under CI it is required.
Each database is cloned from a template that was migrated and bootstrapped once per session.
"""

from __future__ import annotations

import os
import shutil
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest  # noqa: E402
from sqlalchemy import create_engine, text, update  # noqa: E402

# Starlette's TestClient still works with httpx; its advice to switch is noise in every run.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from moot.actions.site import do_bootstrap  # noqa: E402
from moot.config import Settings  # noqa: E402
from moot.db import tables as t  # noqa: E402
from moot.db.engine import Database, make_engine, normalise_url  # noqa: E402
from moot.db.migrate import upgrade  # noqa: E402
from tests.helpers import ApiClient  # noqa: E402

PG_ADMIN_URL = os.environ.get("MOOT_TEST_POSTGRES_URL", "")
DATABASES = ["sqlite"] + (["postgresql"] if PG_ADMIN_URL else [])
PUBLIC_URL = "http://moot.test"
ADMIN_NAME, ADMIN_PASSWORD = "admin", "admin-password-1"

if os.environ.get("CI") and not PG_ADMIN_URL:
    raise pytest.UsageError("CI must run the suite on PostgreSQL too: set MOOT_TEST_POSTGRES_URL")


def base_settings(database_url: str, **changes: object) -> Settings:
    return Settings(database_url=database_url, public_url=PUBLIC_URL, setup_site_name="Moot Test",
                    setup_admin_username=ADMIN_NAME, setup_admin_password=ADMIN_PASSWORD,
                    validate_responses=True, threads=4).replace(**changes)


def _prepare_template(url: str) -> None:
    db = Database(make_engine(url, pool_size=1))
    try:
        upgrade(db)
        do_bootstrap(db, base_settings(url))
        with db.write() as conn:
            # As Lemmy's own API tests do: open registration and limits out of the way.
            conn.execute(update(t.local_site).values(registration_mode="Open"))
            conn.execute(update(t.local_site_rate_limit).values(
                message=9999, post=9999, register=9999, image=9999, comment=9999, search=9999,
                import_user_settings=9999))
    finally:
        db.dispose()


class _SqliteDatabases:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.template = root / "template.db"
        _prepare_template(f"sqlite:///{self.template}")

    def new(self) -> str:
        path = self.root / f"{uuid.uuid4().hex}.db"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"

    def drop(self, url: str) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)


class _PostgresDatabases:
    def __init__(self, admin_url: str, worker: str) -> None:
        self.admin = create_engine(normalise_url(admin_url), isolation_level="AUTOCOMMIT")
        self.base = admin_url.rsplit("/", 1)[0]
        self.template = f"moot_tpl_{worker}_{uuid.uuid4().hex[:6]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.template}"'))
        _prepare_template(f"{self.base}/{self.template}")

    def new(self) -> str:
        name = f"moot_t_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}" '
                              "STRATEGY FILE_COPY"))
        return f"{self.base}/{name}"

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def _database_factories(tmp_path_factory: pytest.TempPathFactory,
                        worker_id: str) -> Iterator[dict[str, object]]:
    factories: dict[str, object] = {"sqlite": _SqliteDatabases(tmp_path_factory.mktemp("db"))}
    if PG_ADMIN_URL:
        factories["postgresql"] = _PostgresDatabases(PG_ADMIN_URL, worker_id)
    yield factories
    if PG_ADMIN_URL:
        factories["postgresql"].close()  # type: ignore[attr-defined]


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest,
                 _database_factories: dict[str, object]) -> Iterator[str]:
    factory = _database_factories[request.param]
    url = factory.new()  # type: ignore[attr-defined]
    yield url
    factory.drop(url)  # type: ignore[attr-defined]


@pytest.fixture
def settings(database_url: str) -> Settings:
    return base_settings(database_url)


@pytest.fixture
def app(settings: Settings) -> Iterator[object]:
    from moot.app import create_app

    application = create_app(settings)
    yield application
    application.state.ctx.db.dispose()


@pytest.fixture
def api(app: object) -> Iterator[ApiClient]:
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as client:  # type: ignore[arg-type]
        yield ApiClient(client)


@pytest.fixture
def admin(api: ApiClient) -> str:
    """A token of the site's setup admin."""
    return api.login(ADMIN_NAME, ADMIN_PASSWORD)
