"""Shared fixtures of the rollup tests."""
import pytest

from tests.rollups.engine_data import make_nhu_xuan


@pytest.fixture
def nhu_xuan(tree, users, db):
    """Như Xuân's quarterly 2023 template and three communes with approved plans."""
    return make_nhu_xuan(tree, users, db)
