"""mapapp: pin findings on neighbourhood walks, keep them in PostGIS, hand them to the city."""
from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, limits, guards. No work at import time.

    This is the whole wiring: no blueprint registers another or hooks requests beyond its own.
    """
    from mapapp import assets, auth, basemap, config, db, errors, i18n, logs, ogc, security
    from mapapp.auth import ratelimit
    from mapapp.db import replica
    from mapapp.findings import participants
    from mapapp.security import guards, write_limits
    from mapapp import follow, moderation
    from mapapp.exports.runner import JobRunner
    from mapapp.photos import storage as photo_storage

    root = config.project_dir()
    app = Flask(
        __name__,
        static_folder=str(root / "static"),
        template_folder=str(root / "templates"),
    )
    app.config.from_object(config.Defaults)
    app.config.from_prefixed_env("MAPAPP")
    if test_config:
        app.config.update(test_config)
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", config.database_url())
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.secret_key()
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = config.engine_options(app.config)

    assets.init_app(app)  # first: its compression then runs after every other after_request
    logs.init_app(app)
    db.init_app(app)
    replica.init_app(app)  # the map's reads on a streaming replica, when configured
    errors.init_app(app)
    basemap.init_app(app)  # before security: a self-hosted basemap replaces the tile host
    security.init_app(app)
    moderation.init_app(app)  # MODERATION checked at start-up: a wrong mode stops the app here
    i18n.init_app(app)
    participants.init_app(app)
    auth.init_app(app)  # logins, session lifetimes, CSRF
    photo_storage.init_app(app)  # app.extensions["photo_storage"], unless the test config set one
    ogc.init_app(app)  # the OGC feed's defaults
    JobRunner(app)  # background exports (app.extensions["export_jobs"])
    for blueprint in _blueprints():
        app.register_blueprint(blueprint)
    ratelimit.init_app(app)  # the app's limiter (after CSRF, before the guards) and the sign-in limit
    write_limits.init_app(app, _write_blueprints())
    follow.init_app(app)  # the follow link's pages under their own rate limit
    guards.init_app(app)  # parameters and JSON bodies of the machine-facing routes

    from mapapp.cli import register_commands

    register_commands(app)
    return app


def _blueprints():
    """One blueprint per capability (the Open311 API keys' organiser page apart from the API)."""
    from mapapp.api import bp as api
    from mapapp.auth import bp as auth
    from mapapp.basemap import bp as basemap
    from mapapp.capture import bp as capture
    from mapapp.follow import bp as follow
    from mapapp.health import bp as health
    from mapapp.join import bp as join
    from mapapp.moderation.routes import bp as moderation
    from mapapp.ogc import bp as ogc
    from mapapp.open311 import bp as open311, keys_bp as open311_keys
    from mapapp.open311.city.pages import bp as city
    from mapapp.organiser import bp as organiser
    from mapapp.photos import bp as photos, review_bp as photo_review
    from mapapp.pwa import bp as pwa
    from mapapp.review import bp as review
    from mapapp.results import bp as results
    from mapapp.mapdata import bp as tiles
    from mapapp.assets.vendor import bp as vendor

    return [auth, vendor, basemap, api, capture, photos, photo_review, organiser, join, follow, results, pwa, review, moderation,
            open311, open311_keys, city, tiles, ogc, health]


def _write_blueprints():
    """The participant-facing writes, under one budget (mapapp/security/write_limits.py)."""
    from mapapp.api import bp as api
    from mapapp.open311 import bp as open311
    from mapapp.photos import bp as photos

    return [api, photos, open311]
