"""``mapapp apikeys``: issue, list and revoke Open311 API keys."""
import click
from flask.cli import AppGroup

from mapapp.cli_actor import as_option, resolve

apikeys = AppGroup("apikeys", help="API keys of Open311 clients (POST /open311/v2/requests).")


@apikeys.command("create")
@click.argument("name")
@as_option
def apikeys_create(name, as_user):
    """Issue a key for NAME; it is printed once and only its hash is kept."""
    from mapapp.db import db
    from mapapp.errors import ValidationFailed
    from mapapp.open311 import apikeys as domain

    try:
        info, key = domain.create_key(db.session, name, resolve(db.session, as_user).user_id)
    except ValidationFailed as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"created key {info.id} '{info.name}' (shown once, store it now):", err=True)
    click.echo(key)


@apikeys.command("list")
def apikeys_list():
    """List the keys: id, prefix, name, created, revoked."""
    from mapapp.db import db
    from mapapp.open311 import apikeys as domain

    keys = domain.list_keys(db.session)
    if not keys:
        click.echo("no API keys yet: create one with `mapapp apikeys create NAME`")
    for key in keys:
        state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
        click.echo(f"{key.id:<5} {key.prefix}…  {state:<18} {key.created_at:%Y-%m-%d}  {key.name}")


@apikeys.command("revoke")
@click.argument("key_id", type=int)
def apikeys_revoke(key_id):
    """Revoke key KEY_ID: clients using it are refused from now on."""
    from mapapp.db import db
    from mapapp.errors import NotFound
    from mapapp.open311 import apikeys as domain

    try:
        info = domain.revoke_key(db.session, key_id)
    except NotFound as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"revoked key {info.id} '{info.name}'")
