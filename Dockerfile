FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 FLASK_APP=app:create_app INSTANCE_PATH=/srv/instance
WORKDIR /srv/kehoach
COPY pyproject.toml README.md babel.cfg ./
COPY app ./app
COPY tenants ./tenants
COPY tasks ./tasks
COPY translations ./translations
COPY migrations ./migrations
RUN pip install --no-cache-dir ".[server]" && pybabel compile -d translations \
    && useradd --system --home /srv kehoach && mkdir -p /srv/instance && chown kehoach /srv/instance
USER kehoach
EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "3", "app:create_app()"]
