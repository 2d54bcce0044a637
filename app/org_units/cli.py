import click
from flask.cli import AppGroup

from app.extensions import db
from app.org_units import gso, services
from tenants import system_scope

org_units_cli = AppGroup("org-units", help="The tree of provinces, districts and communes.")


@org_units_cli.command("import")
@click.option("--province", "province_code", help="GSO code of a province, e.g. 38")
@click.option("--district", "district_code", help="GSO code of a district, e.g. 402")
def import_command(province_code: str | None, district_code: str | None) -> None:
    """Load a province or a district from the official list. Running it again changes nothing."""
    if bool(province_code) == bool(district_code):
        raise click.UsageError("Give exactly one of --province or --district.")
    try:
        selection = gso.select(province_code, district_code)
    except gso.UnknownCode as error:
        raise click.BadParameter(f"no unit with code {error} in the official list") from error
    with system_scope("command-line import of the official list"):
        counts = services.import_selection(
            selection,
            lambda done, entry: click.echo(f"  {entry.district.code} {entry.district.name}"),
        )
        db.session.commit()
    click.echo(f"created {counts.created}, updated {counts.updated}, unchanged {counts.unchanged}")
