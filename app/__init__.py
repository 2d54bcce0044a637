"""The Kế hoạch web application."""
from flask import Flask

from app.config import INSTANCE_DIR, Config


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    register_config(app, overrides)
    register_extensions(app)
    register_tenancy(app)
    register_i18n(app)
    register_security(app)
    register_url_converters(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_cli(app)
    register_celery(app)
    return app


def register_config(app: Flask, overrides: dict | None) -> None:
    from app.json_bodies import JSONProvider

    app.config.from_object(Config)
    if overrides:
        app.config.update(overrides)
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    app.json = JSONProvider(app)


def register_extensions(app: Flask) -> None:
    from app import (
        database,  # noqa: F401  (SQLite collation and pragmas on connect)
        models,  # noqa: F401  (every model, before the first query)
    )
    from app.extensions import bootstrap, compress, csrf, db, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Config.MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    bootstrap.init_app(app)
    compress.init_app(app)


def register_tenancy(app: Flask) -> None:
    import tenants.web
    from app.auth import sessions, throttle

    sessions.init_app(app)
    throttle.init_app(app)
    tenants.web.init_app(app, sessions.scope_for_request)


def register_i18n(app: Flask) -> None:
    from app import i18n

    i18n.init_app(app)


def register_security(app: Flask) -> None:
    from app import security
    from app.request_limits import ChunkedBodyLimit

    security.init_app(app)
    app.wsgi_app = ChunkedBodyLimit(app.wsgi_app, app.config["MAX_CONTENT_LENGTH"])


def register_url_converters(app: Flask) -> None:
    from app.routing import StorableIntConverter

    app.url_map.converters["int"] = StorableIntConverter  # before any route is added


def register_blueprints(app: Flask) -> None:
    from app.api.views import api
    from app.auth.user_admin_views import user_admin
    from app.auth.views import auth
    from app.dispatches.views import dispatches
    from app.home.views import home
    from app.org_units.views import org_units
    from app.plan_templates.views import plan_templates
    from app.plans.document_views import plan_documents
    from app.plans.views import plans
    from app.reminders.views import reminders
    from app.reports.document_views import report_documents
    from app.reports.views import reports
    from app.rollups.views import rollups
    from app.task_runs.views import task_runs

    for blueprint in (home, auth, user_admin, org_units, task_runs, plan_templates, plans,
                      plan_documents, reports, report_documents, rollups, dispatches, reminders, api):
        app.register_blueprint(blueprint)


def register_error_handlers(app: Flask) -> None:
    from app import errors

    errors.init_app(app)


def register_cli(app: Flask) -> None:
    from app.auth.cli import users_cli
    from app.demo.cli import demo_cli
    from app.org_units.cli import org_units_cli
    from app.rollups.cli import rollups_cli

    for group in (org_units_cli, users_cli, demo_cli, rollups_cli):
        app.cli.add_command(group)


def register_celery(app: Flask) -> None:
    from tasks import celery_init_app

    celery_init_app(app)
