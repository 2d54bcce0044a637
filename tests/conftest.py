"""Fixtures: the app on a fresh database (SQLite, or PostgreSQL when TEST_DATABASE_URL is
set), migrated with the real migrations; a client; sign-in; a small tree of units."""
import contextvars
import os
import uuid
from contextlib import contextmanager

import flask.globals
import pytest
import sqlalchemy as sa
from celery import Task as CeleryTask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from kombu.exceptions import OperationalError as BrokerUnreachable

from app import create_app
from app.auth.throttle import login_throttle
from app.config import Config
from app.extensions import db as _db
from tenants import system_scope
from tests import factories
from tests.services import unavailable

TEST_PASSWORD = factories.TEST_PASSWORD


@contextmanager
def _postgres_database(server_url: str):
    """A database of our own on the server of TEST_DATABASE_URL, dropped at the end."""
    url = sa.make_url(server_url).set(drivername="postgresql+psycopg")
    name = f"kehoach_test_{uuid.uuid4().hex[:8]}"
    admin_engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin_engine.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        unavailable(f"PostgreSQL at TEST_DATABASE_URL cannot be reached: {error}")
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin_engine.connect() as connection:
            connection.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"
            ), {"name": name})
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin_engine.dispose()


def pytest_runtest_setup(item):
    """Tests of what only PostgreSQL has (its locks, its planner): `make test` runs them in its PostgreSQL run and deselects
    them in its SQLite run; a plain run on SQLite skips them."""
    if item.get_closest_marker("postgresql") and not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("PostgreSQL only (its locks, its planner): set TEST_DATABASE_URL to run it")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    server_url = os.environ.get("TEST_DATABASE_URL")
    if server_url:
        with _postgres_database(server_url) as url:
            yield url
    else:
        # A file, not :memory:, so a live server thread and a worker process share it.
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, as in a real server, even though the test
    itself runs inside one (Flask would otherwise reuse the test's, sharing `g`)."""

    def open(self, *args, **kwargs):
        def in_fresh_context():
            flask.globals._cv_app.set(None)
            # Read streamed bodies (compressed files) while the request's context exists.
            return FlaskClient.open(self, *args, buffered=True, **kwargs)

        return contextvars.copy_context().run(in_fresh_context)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
        # Tasks sent by views stay in memory; tests/tasks runs a real worker on Redis.
        "CELERY": {**Config.CELERY, "broker_url": "memory://", "broker_transport_options": {}},
    })
    app.test_client_class = IsolatedClient
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def db(app):
    """The database, emptied after the test."""
    # The tasks it sends go to this app's Celery, even after a test made an app of its own
    # (a new Celery becomes the current one, which shared tasks are sent through).
    app.extensions["celery"].set_current()
    app.extensions["celery"].set_default()
    with app.app_context():
        yield _db
        _db.session.remove()
        with _db.engine.begin() as connection:
            for table in reversed(_db.metadata.sorted_tables):
                connection.execute(table.delete())
    login_throttle_reset(app)


def login_throttle_reset(app):
    with app.app_context():
        login_throttle().reset()


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def csrf_enabled(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def tree(db):
    """Thanh Hóa with two districts: Như Xuân (Bình Lương, Yên Cát) and Như Thanh (Hải Long)."""
    with system_scope("test data"):
        tree = factories.make_tree()
        db.session.commit()
    return tree


@pytest.fixture
def users(tree, db):
    """One user of each role, named after the role and where it sits."""
    with system_scope("test data"):
        users = factories.make_users(tree)
        db.session.commit()
    return users


@pytest.fixture
def template(tree, db):
    """Như Xuân's published 2023 template (quarterly reports, ten days' deadline), committed."""
    with system_scope("test data"):
        template = factories.make_template(tree.district)
        db.session.commit()
    return template


def statements_run(engine, action) -> int:
    """How many SQL statements `action()` sends: a page that reads one more query per row it
    lists sends more as its rows grow."""
    count = 0

    def counted(*_args):
        nonlocal count
        count += 1

    sa.event.listen(engine, "before_cursor_execute", counted)
    try:
        action()
    finally:
        sa.event.remove(engine, "before_cursor_execute", counted)
    return count


def login(client, username: str, password: str = TEST_PASSWORD):
    """Sign in as `username`, signing whoever was signed in out first: the sign-in page sends a
    signed-in user home without signing anyone in."""
    client.post("/logout")
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


@pytest.fixture
def login_as(client, users):
    def _login_as(key: str):
        login(client, users[key].username)
        return users[key]

    return _login_as


def api_token(client, username: str, password: str = TEST_PASSWORD) -> dict:
    response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


@pytest.fixture
def as_user(client, users):
    """Headers with a bearer token for one of the `users`."""
    return lambda key: api_token(client, users[key].username)


@pytest.fixture
def outbox(app, tmp_path):
    """Where e-mails go with no SMTP server configured: one .eml per message."""
    folder = tmp_path / "outbox"
    saved = app.config["OUTBOX_DIR"], app.config["SMTP_HOST"]
    app.config["OUTBOX_DIR"], app.config["SMTP_HOST"] = str(folder), ""
    yield folder
    app.config["OUTBOX_DIR"], app.config["SMTP_HOST"] = saved


@pytest.fixture
def tasks_run_at_once(app):
    """Celery tasks run where they are sent, as a free worker would run them at once."""
    celery = app.extensions["celery"]
    celery.conf.task_always_eager = True
    yield
    celery.conf.task_always_eager = False


def refused_send(*args, **kwargs):
    raise BrokerUnreachable("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@pytest.fixture
def broker_down(monkeypatch):
    """`with broker_down():` sending any Celery task fails inside the block, as it does when the
    broker cannot be reached."""
    @contextmanager
    def down():
        with monkeypatch.context() as patched:
            patched.setattr(CeleryTask, "apply_async", refused_send)
            yield

    return down
