"""docker-compose.yml cannot be run here (no Docker engine); it is checked by reading it."""
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command(service) -> str:
    value = service["command"]
    return " ".join(value) if isinstance(value, list) else value


def test_it_has_the_five_services(compose):
    assert set(compose["services"]) == {"web", "worker", "beat", "redis", "postgres"}


def test_web_worker_and_beat_share_one_image_and_one_environment(compose):
    services = compose["services"]
    app_services = [services[name] for name in ("web", "worker", "beat")]
    assert len({service["image"] for service in app_services}) == 1
    assert all(service["build"] == "." for service in app_services)
    environments = [service["environment"] for service in app_services]
    assert all(env == environments[0] for env in environments)
    assert environments[0]["DATABASE_URL"].startswith("postgresql://")
    assert environments[0]["CELERY_BROKER_URL"].startswith("redis://redis:")


def test_the_commands_start_gunicorn_a_worker_and_beat(compose):
    services = compose["services"]
    assert "flask db upgrade" in command(services["web"])
    assert "gunicorn" in command(services["web"]) and "app:create_app()" in command(services["web"])
    assert command(services["worker"]).startswith("celery -A tasks.worker worker")
    assert command(services["beat"]).startswith("celery -A tasks.worker beat")


def test_the_modules_the_commands_name_exist():
    assert (ROOT / "tasks" / "worker.py").exists()
    from tasks import worker  # noqa: F401  (builds the app and its Celery app)


def test_every_service_but_beat_has_a_health_check(compose):
    for name in ("web", "worker", "redis", "postgres"):
        assert compose["services"][name]["healthcheck"]["test"], name


def test_services_wait_for_what_they_need_to_be_healthy(compose):
    services = compose["services"]
    assert services["web"]["depends_on"] == {
        "postgres": {"condition": "service_healthy"}, "redis": {"condition": "service_healthy"},
    }
    for name in ("worker", "beat"):
        assert services[name]["depends_on"]["web"] == {"condition": "service_healthy"}
        assert services[name]["depends_on"]["redis"] == {"condition": "service_healthy"}


def test_the_web_health_check_calls_a_route_that_exists(compose, client):
    assert "/healthz" in str(compose["services"]["web"]["healthcheck"]["test"])
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_the_dockerfile_copies_what_the_app_needs():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for folder in ("app", "tenants", "tasks", "translations", "migrations"):
        assert f"COPY {folder} ./{folder}" in dockerfile
