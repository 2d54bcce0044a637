"""JSON as the app reads and writes it."""
from flask.json.provider import DefaultJSONProvider


class JSONProvider(DefaultJSONProvider):
    # Vietnamese stays readable, and shorter, in the API.
    ensure_ascii = False

    def loads(self, s, **kwargs):
        """A body nested deeper than Python's decoder goes is not JSON the app can read: a
        ValueError, which `request.get_json` turns into a 400 like any unreadable body (a
        RecursionError was a server error)."""
        try:
            return super().loads(s, **kwargs)
        except RecursionError as error:
            raise ValueError("JSON nested too deeply") from error
