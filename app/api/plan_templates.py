"""API: /api/v1/templates."""
from app.api.views import api  # noqa: F401
