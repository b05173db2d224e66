"""The gridmgmt web app: `create_app()` builds it; nothing connects at import time."""
from flask import Flask, render_template
from sqlalchemy.exc import OperationalError

from gridmgmt.config import get_settings
from gridmgmt.services.layers import TownshipNotFound
from web import accounts, assets, audit, auth, db, exports, households, mobile, townships, villages
from web import api, coverage, grids, grids_api, nav, ogc, sites, tiles, visits
from web import serving


def create_app(config: dict | None = None) -> Flask:
    """A configured app; CONFIG overrides the GRIDMGMT_* settings (tests pass DATABASE_URL)."""
    app = Flask(__name__)
    settings = get_settings()
    app.config.from_mapping(
        SECRET_KEY=settings.secret_key,
        DATABASE_URL=settings.url_for(),
        NODE_MODULES=settings.node_modules,
        TIANDITU_KEY=settings.tianditu_key,
        PUBLIC_LAYERS=settings.public_layers,
        **auth.session_config(settings.secure_cookies),
    )
    if config:
        app.config.update(config)
    db.init_app(app)
    auth.init_app(app)
    nav.init_app(app)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(assets.bp)
    app.register_blueprint(townships.bp)
    app.register_blueprint(villages.bp)
    app.register_blueprint(households.bp)
    app.register_blueprint(mobile.bp)
    app.register_blueprint(audit.bp)
    app.register_blueprint(tiles.bp)
    app.register_blueprint(ogc.bp)
    app.register_blueprint(sites.bp)
    app.register_blueprint(visits.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(coverage.bp)
    app.register_blueprint(grids.bp)
    app.register_blueprint(grids_api.bp)
    api.init_app(app)
    serving.init_app(app)
    _register_errors(app)
    return app


def _register_errors(app: Flask) -> None:
    @app.errorhandler(404)
    def page_not_found(_error):
        return render_template("error.html", message="页面不存在"), 404

    @app.errorhandler(TownshipNotFound)
    def township_not_found(error):
        return render_template("error.html", message=str(error)), 404

    @app.errorhandler(OperationalError)
    def database_down(error):
        app.logger.error("database unavailable: %s", error.orig)
        return render_template("error.html", message="数据库暂时无法连接，请稍后再试"), 503
