"""API: /api/v1/plans."""
from app.api.views import api  # noqa: F401
