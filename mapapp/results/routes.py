"""Thin routes of the public results: the walk's page, its map data, feeds, widget, overview."""
import hashlib

from flask import current_app, render_template, request

from mapapp.db import read_session
from mapapp.join import walk_when
from mapapp.results import bp, pages, queries
from mapapp.results.pages import ResultsNotPublic, visible_walk
from mapapp.results.readers import embed_origins, reader_response
from mapapp.results.syndication import feed_document, feed_link
from mapapp.security import content_security_policy

ATOM = "application/atom+xml; charset=utf-8"


@bp.errorhandler(ResultsNotPublic)
def not_public(_err):
    return reader_response(render_template("results/not_found.html"), 404)


@bp.context_processor
def template_context():
    return {"keep_lang": pages.keep_lang(), "feed_link": feed_link}


@bp.get("/results")
def overview():
    walks = queries.published_walks(read_session())
    return reader_response(render_template("results/overview.html", walks=walks))


@bp.get("/results/feed.atom")
def city_feed():
    return reader_response(feed_document(None), content_type=ATOM)


@bp.get("/w/<join_code>/results")
def walk_results(join_code):
    walk, publication, preview = visible_walk(join_code)
    summary = pages.walk_summary(walk)
    photos = pages.labelled(queries.photos(read_session(), publication["id"]))
    body = render_template(
        "results/walk.html", walk=walk, publication=publication, preview=preview, summary=summary,
        photos=photos, concerns=pages.walk_concerns(walk), map_config=pages.map_config(walk),
        snippet=pages.embed_snippet(walk), open_graph=pages.open_graph(walk, summary, photos, walk_when(walk, zone=True)),
    )
    return reader_response(body, preview=preview)


@bp.get("/w/<join_code>/results/findings.geojson")
def walk_findings(join_code):
    walk, publication, preview = visible_walk(join_code)
    labels = pages.category_labels(pages.walk_summary(walk))
    body = queries.findings_geojson(read_session(), publication["id"], labels)
    etag = hashlib.sha256(body.encode()).hexdigest()[:32]
    if request.if_none_match.contains(etag):
        response = reader_response("", 304, preview=preview)
    else:
        response = reader_response(body, content_type="application/geo+json", preview=preview)
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache" if not preview else "private, no-store"
    return response


@bp.get("/w/<join_code>/results/feed.atom")
def walk_feed(join_code):
    walk, publication, preview = visible_walk(join_code)
    return reader_response(feed_document(walk, publication["published_at"]), content_type=ATOM, preview=preview)


@bp.get("/w/<join_code>/results/embed")
def embed(join_code):
    walk, publication, preview = visible_walk(join_code)
    summary = pages.walk_summary(walk)
    body = render_template("results/embed.html", walk=walk, preview=preview, summary=summary,
                           concerns=pages.walk_concerns(walk))
    response = reader_response(body, preview=preview)
    response.headers["Content-Security-Policy"] = content_security_policy(
        current_app.config.get("TILE_URL") or "", frame_ancestors=embed_origins(current_app.config.get("EMBED_ORIGINS")))
    return response

