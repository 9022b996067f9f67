"""``mapapp apikeys``: issue, list and revoke Open311 API keys."""
import click
from flask.cli import AppGroup

from mapapp.cli.helpers import actor_option, list_command, refused

apikeys = AppGroup("apikeys", help="API keys of Open311 clients (POST /open311/v2/requests).")


@apikeys.command("create")
@click.argument("name")
@actor_option
def apikeys_create(name, actor):
    """Issue a key for NAME; it is printed once and only its hash is kept."""
    from mapapp.db import db
    from mapapp.open311 import apikeys as domain

    with refused():
        info, key = domain.create_key(db.session, name, actor.user_id)
    click.echo(f"created key {info.id} '{info.name}' (shown once, store it now):", err=True)
    click.echo(key)


def _key_line(key) -> str:
    state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
    return f"{key.id:<5} {key.prefix}…  {state:<18} {key.created_at:%Y-%m-%d}  {key.name}"


list_command(apikeys, "mapapp.open311.apikeys:list_keys", _key_line,
             "no API keys yet: create one with `mapapp apikeys create NAME`",
             help="List the keys: id, prefix, name, created, revoked.")


@apikeys.command("revoke")
@click.argument("key_id", type=int)
def apikeys_revoke(key_id):
    """Revoke key KEY_ID: clients using it are refused from now on."""
    from mapapp.db import db
    from mapapp.open311 import apikeys as domain

    with refused():
        info = domain.revoke_key(db.session, key_id)
    click.echo(f"revoked key {info.id} '{info.name}'")
