"""The gridmgmt web app: `create_app()` builds it; nothing connects at import time."""

from flask import Flask

from gridmgmt.config import get_settings
from gridmgmt.keys import SessionKeyMissing
from web import (
    accounts,
    assets,
    audit,
    auth,
    clock,
    county,
    coverage,
    db,
    errors,
    exports,
    field,
    followups,
    grids,
    grids_api,
    households,
    imports,
    mobile,
    nav,
    ogc,
    orgs,
    params,
    postings,
    serving,
    sites,
    tiles,
    townships,
    users,
    villages,
    visits,
    wording,
)


def create_app(config: dict | None = None) -> Flask:
    """A configured app; CONFIG overrides the GRIDMGMT_* settings (tests pass DATABASE_URL).

    Raises SessionKeyMissing when no session key is configured: there is no default one.
    """
    app = Flask(__name__)
    settings = get_settings()
    app.config.from_mapping(
        SECRET_KEY=settings.session_key(),
        DATABASE_URL=settings.url_for(),
        NODE_MODULES=settings.node_modules,
        TIANDITU_KEY=settings.tianditu_key,
        TIANDITU_URL=settings.tianditu_url,
        PUBLIC_LAYERS=settings.public_layers,
        PUBLIC_TOWNSHIPS=settings.public_townships,
        **auth.session_config(settings.secure_cookies),
    )
    if config:
        app.config.update(config)
    if not app.config["SECRET_KEY"]:
        raise SessionKeyMissing()
    db.init_app(app)
    auth.init_app(app)
    params.init_app(app)
    nav.init_app(app)
    clock.init_app(app)
    wording.init_app(app)
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
    app.register_blueprint(orgs.bp)
    app.register_blueprint(grids.bp)
    app.register_blueprint(grids_api.bp)
    imports.init_app(app)
    app.register_blueprint(users.bp)
    app.register_blueprint(postings.bp)
    app.register_blueprint(field.bp)
    app.register_blueprint(followups.bp)
    app.register_blueprint(county.bp)
    serving.init_app(app)
    errors.init_app(app)
    return app
