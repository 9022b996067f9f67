"""``mapapp city``: configure the city's Open311 endpoint, send concerns there, fetch their status."""
import click
from flask.cli import AppGroup

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
def send(concern_ids, endpoint, max_attempts):
    """Queue the given concerns, then send everything queued or due for a retry."""
    from mapapp.db import db
    from mapapp.errors import DomainError
    from mapapp.open311 import city as domain
    from mapapp.open311.city_client import Open311Client

    try:
        if concern_ids:
            queued = domain.queue_concerns(db.session, _endpoint_id(db.session, endpoint), concern_ids)
            for concern_id, reason in queued.skipped.items():
                click.echo(f"skipped {concern_id}: {reason}", err=True)
        report = domain.send_pending(db.session, Open311Client(), max_attempts=max_attempts)
    except DomainError as exc:
        raise _fail(exc) from None
    for concern_id, ref in report.sent.items():
        click.echo(f"sent {concern_id}: {ref}")
    for concern_id, error in report.failed.items():
        click.echo(f"failed {concern_id}: {error} (kept for retry)", err=True)
    click.echo(f"{len(report.sent)} sent, {len(report.failed)} failed")


@city.command("refresh")
def refresh():
    """Fetch the city's status of sent concerns; closed ones become resolved."""
    from mapapp.db import db
    from mapapp.open311 import city as domain
    from mapapp.open311.city_client import Open311Client

    report = domain.refresh_statuses(db.session, Open311Client())
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
            extra = f" {row['last_error']}" if row["state"] == "failed" else ""
            click.echo(f"{row['id']} {row['state']:<7} {row['attempts']}x {ref} {row['city_status'] or ''}"
                       f" {row['status']}{extra}")
