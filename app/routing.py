"""URL converters shared by every route."""
from werkzeug.routing import IntegerConverter

from app.database import INTEGER_MAX


class StorableIntConverter(IntegerConverter):
    """`<int:…>` of every route: a number beyond what an integer column holds names no row,
    so the URL matches no route (404) instead of reaching the database (SQLite's driver fails
    on a number past 64 bits)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", INTEGER_MAX)
        super().__init__(url_map, *args, **kwargs)
