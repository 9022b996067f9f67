"""mapapp: pin findings on neighbourhood walks, keep them in PostGIS, hand them to the city."""
from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints. No work at import time."""
    from mapapp import assets, auth, basemap, config, db, errors, i18n, logs, participants, replica, security
    from mapapp.exports.runner import JobRunner

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
    i18n.init_app(app)
    participants.init_app(app)
    auth.init_app(app)  # the auth blueprint, logins, CSRF and rate limits
    JobRunner(app)  # background exports (app.extensions["export_jobs"])
    for blueprint in _blueprints():
        app.register_blueprint(blueprint)

    from mapapp.cli import register_commands

    register_commands(app)
    return app


def _blueprints():
    """One blueprint per capability."""
    from mapapp.api import bp as api
    from mapapp.basemap import bp as basemap
    from mapapp.capture import bp as capture
    from mapapp.health import bp as health
    from mapapp.join import bp as join
    from mapapp.ogc import bp as ogc
    from mapapp.open311 import bp as open311
    from mapapp.open311.city_pages import bp as city
    from mapapp.organiser import bp as organiser
    from mapapp.photos import bp as photos
    from mapapp.pwa import bp as pwa
    from mapapp.review import bp as review
    from mapapp.tiles import bp as tiles
    from mapapp.vendor import bp as vendor

    return [vendor, basemap, api, capture, photos, organiser, join, pwa, review, open311, city, tiles, ogc, health]
