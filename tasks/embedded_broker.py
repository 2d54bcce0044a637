"""The embedded broker of `make run`: kombu's SQLAlchemy transport, polled ten times a second.

An idle worker on kombu's default polls once a second, so a commune's submission could reach
the district's rollups a second after its commit; on Redis it waits for nothing. The transport
hands its options to `create_engine`, so the interval cannot be one of them: it is set here,
and `broker_settings` sends every `sqla+…` broker URL to this transport.
"""
from kombu.transport import sqlalchemy

SQLALCHEMY_URL_PREFIX = "sqla+"


class Transport(sqlalchemy.Transport):
    polling_interval = 0.1  # seconds between the polls of an idle worker: a few cheap SELECTs


def broker_settings(broker_url: str) -> dict:
    """Celery's settings for `broker_url`. kombu takes a transport's import path from the
    settings only, never from a URL, so an `sqla+…` URL loses its prefix for this transport."""
    if broker_url.startswith(SQLALCHEMY_URL_PREFIX):
        return {"broker_url": broker_url.removeprefix(SQLALCHEMY_URL_PREFIX),
                "broker_transport": f"{__name__}:{Transport.__name__}"}
    return {}
