"""``mapapp city``: configure the city's Open311 endpoint, send concerns there, fetch their status."""
import click
from flask.cli import AppGroup

from mapapp.cli.helpers import actor_option, by_id_or_name, echo_lines, refused

city = AppGroup("city", help="Send concerns to the city's Open311 endpoint and follow their status.")
stale_after_option = click.option(
    "--stale-after", default=600, show_default=True,
    help="Seconds after which a row still 'sending' is marked uncertain (its sender died).")


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
    from mapapp.open311.city import endpoints as domain

    with refused():
        endpoint_id = domain.add_endpoint(
            db.session, name=name, base_url=url, api_key=api_key, jurisdiction_id=jurisdiction,
            service_map=domain.parse_map(pairs))
    click.echo(f"endpoint {endpoint_id} '{name}' stored")


def _endpoint_id(session, wanted):
    from mapapp.open311.city.endpoints import list_endpoints

    endpoints = by_id_or_name((e for e in list_endpoints(session) if e["active"]), wanted)
    if len(endpoints) != 1:
        raise click.ClickException("name the endpoint with --endpoint (id or name)" if endpoints
                                   else "no such active endpoint: add one with `mapapp city add-endpoint`")
    return endpoints[0]["id"]


@city.command("send")
@click.option("--concern", "concern_ids", multiple=True, help="Queue this concern first (repeatable).")
@click.option("--endpoint", default=None, help="Endpoint id or name (needed when there are several).")
@click.option("--max-attempts", default=5, show_default=True)
@stale_after_option
@actor_option
def send(concern_ids, endpoint, max_attempts, stale_after, actor):
    """Queue the given concerns, then send everything queued or due for a retry.

    The city gets photo and page links only when MAPAPP_PUBLIC_BASE_URL is set (there is no
    request to take the host from here).
    """
    from flask import current_app

    from mapapp.db import db
    from mapapp.open311.city.client import Open311Client
    from mapapp.open311.city.links import public_links
    from mapapp.open311.city.queue import queue_concerns
    from mapapp.open311.city.sending import send_pending

    with refused():
        if concern_ids:
            queued = queue_concerns(db.session, _endpoint_id(db.session, endpoint), concern_ids)
            for concern_id, reason in queued.skipped.items():
                click.echo(f"skipped {concern_id}: {reason}", err=True)
        with public_links() as links:
            if links is None:
                click.echo("no MAPAPP_PUBLIC_BASE_URL: sending without photo and page links", err=True)
            report = send_pending(
                db.session, Open311Client(), max_attempts=max_attempts, stale_after_seconds=stale_after,
                user_id=actor.user_id, actor=actor.name, links=links,
                include_text=bool(current_app.config.get("CITY_OPEN311_INCLUDE_TEXT", False)))
    for concern_id, ref in report.sent.items():
        click.echo(f"sent {concern_id}: {ref}")
    for concern_id, error in report.failed.items():
        click.echo(f"failed {concern_id}: {error} (kept for retry)", err=True)
    for concern_id, error in report.uncertain.items():
        click.echo(f"uncertain {concern_id}: {error} (check with the city, then "
                   f"`mapapp city mark-sent {concern_id} ID` or `mapapp city send-again {concern_id}`)", err=True)
    click.echo(f"{len(report.sent)} sent, {len(report.failed)} failed, {len(report.uncertain)} uncertain")


@city.command("refresh")
@stale_after_option
@actor_option
def refresh(stale_after, actor):
    """Fetch the city's status of sent concerns; closed ones become resolved."""
    from mapapp.db import db
    from mapapp.open311.city.client import Open311Client
    from mapapp.open311.city.refresh import refresh_statuses

    report = refresh_statuses(db.session, Open311Client(), stale_after_seconds=stale_after,
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
    from mapapp.open311.city.endpoints import list_endpoints
    from mapapp.open311.city.queue import overview

    echo_lines(list_endpoints(db.session), _endpoint_line)
    echo_lines((row for row in overview(db.session) if row["state"]), _submission_line)


def _endpoint_line(e: dict) -> str:
    state = "active" if e["active"] else "off"
    return (f"endpoint {e['id']} {e['name']} {e['base_url']} ({state}, key …{e['key_end']}, "
            f"{len(e['service_map'])} categories mapped)")


def _submission_line(row: dict) -> str:
    ref = row["service_request_id"] or row["token"] or ""
    extra = f" {row['last_error']}" if row["state"] in ("failed", "uncertain") else ""
    return f"{row['id']} {row['state']:<9} {row['attempts']}x {ref} {row['city_status'] or ''} {row['status']}{extra}"


@city.command("mark-sent")
@click.argument("concern_id")
@click.argument("service_request_id")
@actor_option
def mark_sent(concern_id, service_request_id, actor):
    """An uncertain send DID reach the city: store its SERVICE_REQUEST_ID and hand the concern over."""
    from mapapp.db import db
    from mapapp.open311.city import state

    with refused():
        state.mark_sent(db.session, concern_id, service_request_id, actor.user_id, actor.name)
    click.echo(f"{concern_id}: marked as sent ({service_request_id})")


@city.command("send-again")
@click.argument("concern_id")
@actor_option
def send_again(concern_id, actor):
    """An uncertain send did NOT reach the city (you checked): queue it again for `mapapp city send`."""
    from mapapp.db import db
    from mapapp.open311.city import state

    with refused():
        state.send_again(db.session, concern_id, actor.user_id, actor.name)
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
    from mapapp.open311.city import endpoints as domain

    found = by_id_or_name(domain.list_endpoints(db.session), endpoint)
    if len(found) != 1:
        raise click.ClickException(f"no such endpoint: {endpoint}")
    current = found[0]
    with refused():
        domain.update_endpoint(
            db.session, current["id"], name=current["name"] if name is None else name,
            base_url=url or current["base_url"], api_key=api_key,
            jurisdiction_id=current["jurisdiction_id"] if jurisdiction is None else jurisdiction,
            service_map=domain.parse_map(pairs) if pairs else current["service_map"],
            active=current["active"] if active is None else active)
    click.echo(f"endpoint {current['id']} updated")
