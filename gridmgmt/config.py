"""One typed settings object; every value can be set with a GRIDMGMT_ variable."""
from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Runtime settings read from GRIDMGMT_* environment variables."""

    model_config = SettingsConfigDict(env_prefix="GRIDMGMT_")

    # None means: run the project-local cluster under var_dir.
    database_url: str | None = None
    var_dir: Path = PROJECT_ROOT / "var"
    pg_port: int = 55432
    pg_user: str = "gridmgmt"
    db_name: str = "gridmgmt"
    test_db_name: str = "gridmgmt_test"
    secret_key: str = "dev-only-change-me"
    # Send session cookies over HTTPS only; turn on behind an HTTPS proxy.
    secure_cookies: bool = False
    # Reverse proxies whose X-Forwarded-For is believed (comma-separated addresses or
    # CIDR blocks, e.g. "127.0.0.1"); none by default: the peer address is the client's.
    trusted_proxies: str = ""
    tianditu_key: str | None = None
    # Villages, groups, roads, grid cells, venues and sites readable without login.
    public_layers: bool = False
    node_modules: Path = PROJECT_ROOT / "node_modules"
    # The largest request body accepted, in megabytes: larger ones get 413 unread.
    max_request_mb: int = 20
    # Visit duties (issue 5): the local time zone that dates visits, the start of the
    # township party committee's term, the distance beyond which a visit is flagged,
    # and hours to attend each 四必到 event type (JSON, e.g. {"emergency": 2}).
    timezone: str = "Asia/Shanghai"
    term_start: date = date(2021, 10, 1)
    visit_far_m: float = 300.0
    attend_hours: dict[str, float] = {}

    def url_for(self, db_name: str | None = None) -> str:
        """SQLAlchemy URL of the configured server, or of the local cluster."""
        if self.database_url:
            if db_name is None:
                return self.database_url
            url = make_url(self.database_url).set(database=db_name)
            return url.render_as_string(hide_password=False)
        name = db_name or self.db_name
        return f"postgresql+psycopg://{self.pg_user}@127.0.0.1:{self.pg_port}/{name}"


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once on first use."""
    return Settings()
