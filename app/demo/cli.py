import click
from flask.cli import AppGroup

from app.demo.services import load_demo
from app.extensions import db
from tenants import system_scope

demo_cli = AppGroup("demo", help="Demo data for a first run.")


@demo_cli.command("load")
def load_command() -> None:
    """Load Như Xuân, its communes and a user of every role; print the logins."""
    from tasks.reminders import send_reminders

    with system_scope("the demo spans the whole tree"):
        logins = load_demo()
        db.session.commit()
    # Today's reminders at once, as beat's next tick would: the district sees who was reminded.
    send_reminders.run()
    click.echo("Demo logins (username / password / role / unit):")
    for login in logins:
        click.echo(f"  {login.username:<22} {login.password:<10} {login.role:<17} {login.unit}")
