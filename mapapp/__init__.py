"""mapapp: pin findings on neighbourhood walks, keep them in PostGIS, hand them to the city."""
from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints. No work at import time."""
    from mapapp import assets, config, db, errors, participants, security
    from mapapp.api import bp as api_bp
    from mapapp.capture import bp as capture_bp
    from mapapp import auth
    from mapapp.join import bp as join_bp
    from mapapp.organiser import bp as organiser_bp
    from mapapp.photos import bp as photos_bp
    from mapapp.pwa import bp as pwa_bp
    from mapapp.vendor import bp as vendor_bp

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

    assets.init_app(app)  # first: its compression then runs after every other after_request
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = config.engine_options(app.config)
    from mapapp import logs
    logs.init_app(app)
    db.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    from mapapp import i18n
    i18n.init_app(app)
    participants.init_app(app)
    app.register_blueprint(vendor_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(capture_bp)
    app.register_blueprint(photos_bp)
    auth.init_app(app)
    app.register_blueprint(organiser_bp)
    from mapapp.exports.runner import JobRunner
    JobRunner(app)  # background exports (app.extensions["export_jobs"])
    app.register_blueprint(join_bp)
    app.register_blueprint(pwa_bp)
    from mapapp.review import bp as review_bp
    app.register_blueprint(review_bp)
    from mapapp.open311 import bp as open311_bp
    app.register_blueprint(open311_bp)
    from mapapp.open311.city_pages import bp as city_bp
    app.register_blueprint(city_bp)
    app.register_blueprint(__import__("mapapp.tiles", fromlist=["bp"]).bp)
    from mapapp.health import bp as health_bp
    app.register_blueprint(health_bp)

    from mapapp.cli import register_commands

    register_commands(app)
    return app
