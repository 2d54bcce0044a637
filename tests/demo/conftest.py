"""The demo district, loaded once per test into the test database."""
import functools

import pytest

from app.auth import services as auth_services
from app.demo.services import load_demo
from tenants import system_scope

# The demo's users share one password: hash it once, not 36 times (as tests/browser does).
cached_hash = functools.cache(auth_services.hash_password)


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setattr(auth_services, "hash_password", cached_hash)
    with system_scope("demo test data"):
        load_demo()
        db.session.commit()
    with system_scope("test reads the whole demo"):
        yield
