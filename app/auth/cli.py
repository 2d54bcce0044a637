import click
from flask.cli import AppGroup

from app.auth import services
from app.auth.models import Role
from app.config import Config
from app.extensions import db
from app.org_units.queries import get_by_code
from tenants import system_scope

users_cli = AppGroup("users", help="User accounts.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--unit", "unit_code", help="GSO code of the user's home unit (none for admin)")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--full-name", default="")
@click.option("--locale", type=click.Choice(Config.LANGUAGES), default="vi")
def create_command(username, role, unit_code, password, full_name, locale) -> None:
    """Create a user, e.g. the first admin: flask users create admin --role admin."""
    with system_scope("command-line user administration"):
        unit = get_by_code(unit_code) if unit_code else None
        if unit_code and unit is None:
            raise click.BadParameter(f"no unit with code {unit_code}; import it first", param_hint="--unit")
        try:
            user = services.create_user(username, password, Role(role), unit, full_name, locale)
        except services.UserError as error:
            raise click.ClickException(str(error)) from error
        db.session.commit()
    click.echo(f"created {user.username} ({user.role})")
