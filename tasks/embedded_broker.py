"""The embedded broker of `make run`: kombu's SQLAlchemy transport, polled four times a second.

An idle worker on kombu's default polls once a second, so a commune's submission could reach
the district's rollups a second after its commit; on Redis it waits for nothing. The transport
hands its options to `create_engine`, so the interval cannot be one of them: it is set here,
and `broker_settings` sends every `sqla+…` broker URL to this transport.
"""
from kombu.transport import sqlalchemy as kombu_sqlalchemy

SQLALCHEMY_URL_PREFIX = "sqla+"


class Transport(kombu_sqlalchemy.Transport):
    # Seconds between the polls of an idle worker, each a few SELECTs on the SQLite file: an
    # idle worker takes under 1 % of a core (about 2 % at 0.1).
    polling_interval = 0.25


def broker_settings(broker_url: str) -> dict:
    """Celery's settings for `broker_url`. kombu takes a transport's import path from the
    settings only, never from a URL, so an `sqla+…` URL loses its prefix for this transport.
    The URL goes in as the read and write URLs: Celery reads `broker_url` from the environment
    first (CELERY_BROKER_URL), before any setting."""
    if broker_url.startswith(SQLALCHEMY_URL_PREFIX):
        url = broker_url.removeprefix(SQLALCHEMY_URL_PREFIX)
        return {"broker_read_url": url, "broker_write_url": url,
                "broker_transport": f"{__name__}:{Transport.__name__}"}
    return {}
