"""Settings, read from the environment with defaults that run on one machine.

With nothing set, the app keeps its data in `instance/kehoach.sqlite` and Celery uses an
SQLite-backed broker beside it, so `make run` needs neither PostgreSQL nor Redis.
"""
import os
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", PROJECT_ROOT / "instance"))


def database_url(url: str | None) -> str:
    """Accept the usual `postgres://` and `postgresql://` forms and pick the psycopg 3 driver."""
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'kehoach.sqlite'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def broker_transport_options(broker_url: str) -> dict:
    """Redis re-delivers an unacknowledged task after the visibility timeout; the SQLAlchemy
    transport passes its options to create_engine, so it gets none."""
    if broker_url.startswith(("redis://", "rediss://")):
        return {"visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))}
    return {}


BROKER_URL = os.environ.get(
    "CELERY_BROKER_URL", f"sqla+sqlite:///{INSTANCE_DIR / 'celery-broker.sqlite'}"
)


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-change-me")
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    CELERY = {
        "broker_url": BROKER_URL,
        # Progress and outcome live in the task_runs table, not in a result backend.
        "task_ignore_result": True,
        # A worker killed mid-task leaves its message unacknowledged, so it runs again.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "broker_transport_options": broker_transport_options(BROKER_URL),
        "broker_connection_retry_on_startup": True,
        "timezone": "Asia/Ho_Chi_Minh",
        "beat_schedule_filename": str(INSTANCE_DIR / "celerybeat-schedule"),
    }

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")
    LANGUAGES = ("vi", "en")

    BOOTSTRAP_SERVE_LOCAL = True
    # Slow rural connections: static files are cached for a day, then revalidated.
    SEND_FILE_MAX_AGE_DEFAULT = timedelta(days=1)

    # Production sets FORCE_HTTPS=true: secure cookies, HSTS and redirects to https.
    FORCE_HTTPS = env_flag("FORCE_HTTPS")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = FORCE_HTTPS
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    # A plan with every activity written out is some tens of kB; more is a mistake or an attack,
    # refused before it is read into memory.
    MAX_CONTENT_LENGTH = MAX_FORM_MEMORY_SIZE = 2**20  # whole MB: the refusal says "1 MB"

    API_TOKEN_LIFETIME = timedelta(hours=int(os.environ.get("API_TOKEN_HOURS", "12")))

    # Aggregated reports to the province: how often beat looks for the ones due, and how they
    # leave. With no SMTP_HOST the e-mails are written to OUTBOX_DIR as .eml files, so that
    # `make run` shows what would be sent.
    DISPATCH_TICK_SECONDS = int(os.environ.get("DISPATCH_TICK_SECONDS", "30"))
    # Communes are reminded of a report this many days before its deadline, and daily once late.
    REMINDER_DAYS_BEFORE = int(os.environ.get("REMINDER_DAYS_BEFORE", "3"))
    REMINDER_TICK_SECONDS = int(os.environ.get("REMINDER_TICK_SECONDS", "600"))
    # A rollup still waiting this long after it was asked for lost its refresh (the broker was
    # down, or restarted empty): beat sends it again.
    ROLLUP_RESEND_TICK_SECONDS = int(os.environ.get("ROLLUP_RESEND_TICK_SECONDS", "60"))
    ROLLUP_OVERDUE_SECONDS = int(os.environ.get("ROLLUP_OVERDUE_SECONDS", "120"))
    SMTP_HOST = os.environ.get("SMTP_HOST", "")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "587"))
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_STARTTLS = env_flag("SMTP_STARTTLS", default=True)
    SMTP_TIMEOUT_SECONDS = int(os.environ.get("SMTP_TIMEOUT_SECONDS", "30"))
    MAIL_FROM = os.environ.get("MAIL_FROM", "kehoach@localhost")
    OUTBOX_DIR = os.environ.get("OUTBOX_DIR", str(INSTANCE_DIR / "outbox"))
    # Failed logins: per account and per client address, over a moving window.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    LOGIN_FAILURES_PER_ACCOUNT = os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "5 per 15 minutes")
    LOGIN_FAILURES_PER_ADDRESS = os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "20 per 15 minutes")

    MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
