"""Templates of Như Xuân for the template tests; messages compared in English (the source)."""
import pytest
from flask_babel import force_locale

from tenants import system_scope
from tests.factories import make_template


@pytest.fixture(autouse=True)
def english(db):
    """Messages are compared in English (the source language)."""
    with force_locale("en"):
        yield


@pytest.fixture
def published(template):
    """Như Xuân's published 2023 template: the shared `template` of tests/conftest.py."""
    return template


@pytest.fixture
def draft(tree, db):
    with system_scope("test data"):
        template = make_template(tree.district, year=2024, published=False)
        db.session.commit()
    return template
