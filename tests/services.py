"""Reaching the services some tests need. Under CI=true a missing service fails the test;
on a developer's machine it skips the test with the reason."""
import os
import socket
from urllib.parse import urlsplit

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this must not be skipped)")
    pytest.skip(reason)


def port_open(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), 2):
            return True
    except OSError:
        return False


def redis_url() -> str:
    """TEST_REDIS_URL, or a Redis on this machine's default port."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    if not port_open(url, 6379):
        unavailable(f"no Redis at {url} (set TEST_REDIS_URL) to run a real Celery worker against")
    return url
