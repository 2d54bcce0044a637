"""The request size limit (MAX_CONTENT_LENGTH) for bodies sent without a Content-Length.

Werkzeug refuses a body whose Content-Length is over the limit, but reads a chunked one only up
to the limit and takes what it read as the whole body: a form cut there was saved cut. This
middleware reads such a body first, up to one byte over the limit, and hands it on with its
length, so that Flask refuses it (413, in the user's language) or reads it whole."""
import io


class ChunkedBodyLimit:
    def __init__(self, wsgi_app, limit: int):
        self.wsgi_app = wsgi_app
        self.limit = limit

    def __call__(self, environ, start_response):
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not environ.get("CONTENT_LENGTH") and environ.get("wsgi.input_terminated"):
            body = _read_at_most(environ["wsgi.input"], self.limit + 1)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            # No longer chunked: Werkzeug ignores the length of a body that says it is.
            del environ["wsgi.input_terminated"], environ["HTTP_TRANSFER_ENCODING"]
        return self.wsgi_app(environ, start_response)


def _read_at_most(stream, size: int) -> bytes:
    chunks, left = [], size
    while left > 0:
        chunk = stream.read(min(left, 64 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
