"""``mapapp city``: configure the city's Open311 endpoint, send concerns there, fetch their status."""
import click
from flask.cli import AppGroup

from mapapp.cli_actor import as_option, resolve

city = AppGroup("city", help="Send concerns to the city's Open311 endpoint and follow their status.")


def _fail(exc):
    fields = "; ".join(f"{name}: {text}" for name, text in getattr(exc, "fields", {}).items())
    return click.ClickException(exc.message + (f" ({fields})" if fields else ""))


@city.command("add-endpoint")
@click.argument("name")
@click.argument("url")
@click.option("--jurisdiction", default=None, help="The city's jurisdiction_id, if it wants one.")
@click.option("--api-key", required=True, help="The key the city issued to us (stored in the database).")
@click.option("--map", "pairs", multiple=True, metavar="SLUG=CODE",
              help="Our category slug = the city's service_code; repeat for each category.")
def add_endpoint(name, url, jurisdiction, api_key, pairs):
    """Store the city's endpoint NAME at URL (the base before requests.json)."""
    from mapapp.db import db
    from mapapp.errors import DomainError
    from mapapp.open311 import city_endpoints

    try:
        endpoint_id = city_endpoints.add_endpoint(
            db.session, name=name, base_url=url, api_key=api_key, jurisdiction_id=jurisdiction,
            service_map=city_endpoints.parse_map(pairs))
    except DomainError as exc:
        raise _fail(exc) from None
    click.echo(f"endpoint {endpoint_id} '{name}' stored")


def _endpoint_id(session, wanted):
    from mapapp.open311.city_endpoints import list_endpoints

    endpoints = [e for e in list_endpoints(session) if e["active"]]
    if wanted:
        endpoints = [e for e in endpoints if wanted in (str(e["id"]), e["name"])]
    if len(endpoints) != 1:
        raise click.ClickException("name the endpoint with --endpoint (id or name)" if endpoints
                                   else "no such active endpoint: add one with `mapapp city add-endpoint`")
    return endpoints[0]["id"]


@city.command("send")
@click.option("--concern", "concern_ids", multiple=True, help="Queue this concern first (repeatable).")
@click.option("--endpoint", default=None, help="Endpoint id or name (needed when there are several).")
@click.option("--max-attempts", default=5, show_default=True)
@click.option("--stale-after", default=600, show_default=True,
              help="Seconds after which a row still 'sending' is marked uncertain (its sender died).")
@as_option
def send(concern_ids, endpoint, max_attempts, stale_after, as_user):
    """Queue the given concerns, then send everything queued or due for a retry.

    The city gets photo and page links only when MAPAPP_PUBLIC_BASE_URL is set (there is no
    request to take the host from here).
    """
    from flask import current_app

    from mapapp.db import db
    from mapapp.errors import DomainError
    from mapapp.open311 import city as domain
    from mapapp.open311.city_client import Open311Client
    from mapapp.open311.city_links import public_links

    actor = resolve(db.session, as_user)
    try:
        if concern_ids:
            queued = domain.queue_concerns(db.session, _endpoint_id(db.session, endpoint), concern_ids)
            for concern_id, reason in queued.skipped.items():
                click.echo(f"skipped {concern_id}: {reason}", err=True)
        with public_links() as links:
            if links is None:
                click.echo("no MAPAPP_PUBLIC_BASE_URL: sending without photo and page links", err=True)
            report = domain.send_pending(
                db.session, Open311Client(), max_attempts=max_attempts, stale_after_seconds=stale_after,
                user_id=actor.user_id, actor=actor.name, links=links,
                include_text=bool(current_app.config.get("CITY_OPEN311_INCLUDE_TEXT", False)))
    except DomainError as exc:
        raise _fail(exc) from None
    for concern_id, ref in report.sent.items():
        click.echo(f"sent {concern_id}: {ref}")
    for concern_id, error in report.failed.items():
        click.echo(f"failed {concern_id}: {error} (kept for retry)", err=True)
    for concern_id, error in report.uncertain.items():
        click.echo(f"uncertain {concern_id}: {error} (check with the city, then "
                   f"`mapapp city mark-sent {concern_id} ID` or `mapapp city send-again {concern_id}`)", err=True)
    click.echo(f"{len(report.sent)} sent, {len(report.failed)} failed, {len(report.uncertain)} uncertain")


@city.command("refresh")
@click.option("--stale-after", default=600, show_default=True,
              help="Seconds after which a row still 'sending' is marked uncertain (its sender died).")
@as_option
def refresh(stale_after, as_user):
    """Fetch the city's status of sent concerns; closed ones become resolved."""
    from mapapp.db import db
    from mapapp.open311 import city as domain
    from mapapp.open311.city_client import Open311Client

    actor = resolve(db.session, as_user)
    report = domain.refresh_statuses(db.session, Open311Client(), stale_after_seconds=stale_after,
                                     user_id=actor.user_id, actor=actor.name)
    for concern_id in report.uncertain:
        click.echo(f"uncertain {concern_id}: sending was interrupted (check with the city)", err=True)
    for concern_id, status in report.updated.items():
        click.echo(f"{concern_id}: {status}")
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    click.echo(f"{len(report.updated)} checked, {len(report.resolved)} resolved")
    if report.errors:
        raise SystemExit(1)


@city.command("status")
def status():
    """List endpoints and the concerns queued, sent or failed."""
    from mapapp.db import db
    from mapapp.open311 import city as domain
    from mapapp.open311.city_endpoints import list_endpoints

    for e in list_endpoints(db.session):
        state = "active" if e["active"] else "off"
        click.echo(f"endpoint {e['id']} {e['name']} {e['base_url']} ({state}, key …{e['key_end']}, "
                   f"{len(e['service_map'])} categories mapped)")
    for row in domain.overview(db.session):
        if row["state"]:
            ref = row["service_request_id"] or row["token"] or ""
            extra = f" {row['last_error']}" if row["state"] in ("failed", "uncertain") else ""
            click.echo(f"{row['id']} {row['state']:<9} {row['attempts']}x {ref} {row['city_status'] or ''}"
                       f" {row['status']}{extra}")


@city.command("mark-sent")
@click.argument("concern_id")
@click.argument("service_request_id")
@as_option
def mark_sent(concern_id, service_request_id, as_user):
    """An uncertain send DID reach the city: store its SERVICE_REQUEST_ID and hand the concern over."""
    from mapapp.db import db
    from mapapp.errors import DomainError
    from mapapp.open311 import city_state

    try:
        actor = resolve(db.session, as_user)
        city_state.mark_sent(db.session, concern_id, service_request_id, actor.user_id, actor.name)
    except DomainError as exc:
        raise _fail(exc) from None
    click.echo(f"{concern_id}: marked as sent ({service_request_id})")


@city.command("send-again")
@click.argument("concern_id")
@as_option
def send_again(concern_id, as_user):
    """An uncertain send did NOT reach the city (you checked): queue it again for `mapapp city send`."""
    from mapapp.db import db
    from mapapp.errors import DomainError
    from mapapp.open311 import city_state

    try:
        actor = resolve(db.session, as_user)
        city_state.send_again(db.session, concern_id, actor.user_id, actor.name)
    except DomainError as exc:
        raise _fail(exc) from None
    click.echo(f"{concern_id}: queued again; run `mapapp city send`")


@city.command("edit-endpoint")
@click.argument("endpoint")
@click.option("--name", default=None)
@click.option("--url", default=None, help="The base before requests.json.")
@click.option("--jurisdiction", default=None, help="The city's jurisdiction_id ('' to drop it).")
@click.option("--api-key", default=None, help="A new key (the stored one is kept when left out).")
@click.option("--map", "pairs", multiple=True, metavar="SLUG=CODE", help="Replaces the whole mapping.")
@click.option("--active/--inactive", default=None, help="Switch the endpoint on or off.")
def edit_endpoint(endpoint, name, url, jurisdiction, api_key, pairs, active):
    """Change ENDPOINT (id or name); options left out keep their value."""
    from mapapp.db import db
    from mapapp.errors import DomainError
    from mapapp.open311 import city_endpoints

    found = [e for e in city_endpoints.list_endpoints(db.session) if endpoint in (str(e["id"]), e["name"])]
    if len(found) != 1:
        raise click.ClickException(f"no such endpoint: {endpoint}")
    current = found[0]
    try:
        city_endpoints.update_endpoint(
            db.session, current["id"], name=current["name"] if name is None else name,
            base_url=url or current["base_url"], api_key=api_key,
            jurisdiction_id=current["jurisdiction_id"] if jurisdiction is None else jurisdiction,
            service_map=city_endpoints.parse_map(pairs) if pairs else current["service_map"],
            active=current["active"] if active is None else active)
    except DomainError as exc:
        raise _fail(exc) from None
    click.echo(f"endpoint {current['id']} updated")
