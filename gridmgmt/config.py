"""One typed settings object; every value can be set with a GRIDMGMT_ variable."""

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import URL, make_url

from gridmgmt.keys import read_secret

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Runtime settings read from GRIDMGMT_* environment variables."""

    model_config = SettingsConfigDict(env_prefix="GRIDMGMT_")

    # None means: run the project-local cluster under var_dir.
    database_url: str | None = None
    var_dir: Path = PROJECT_ROOT / "var"
    # Photos and uploaded files, kept beside the database and backed up with it; default var_dir/files.
    files_dir: Path | None = None
    pg_port: int = 55432
    # The local cluster's roles: the app's own (no superuser; owns its databases, runs the
    # migrations) and the cluster superuser (creates databases and extensions only).
    pg_user: str = "gridmgmt_app"
    pg_admin_user: str = "gridmgmt"
    db_name: str = "gridmgmt"
    test_db_name: str = "gridmgmt_test"
    # None: the key file `gridmgmt init` writes. There is no default key.
    secret_key: str | None = None
    # Send session cookies over HTTPS only; turn on behind an HTTPS proxy.
    secure_cookies: bool = False
    # Reverse proxies whose X-Forwarded-For is believed (comma-separated addresses or
    # CIDR blocks, e.g. "127.0.0.1"); none by default: the peer address is the client's.
    trusted_proxies: str = ""
    tianditu_key: str | None = None
    # 天地图's WMTS URL template ({s}, {layer}, {key}, {z}, {x}, {y}); empty: 天地图's own servers.
    tianditu_url: str | None = None
    # Villages, groups, roads, grid cells, venues and sites readable without login,
    # of these townships (codes separated by commas; empty: every township).
    public_layers: bool = False
    public_townships: Annotated[tuple[str, ...], NoDecode] = ()
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
    # Organisations (issue 14): None keeps the default of gridmgmt.domain.branch_rules.CoverageRules
    # (the field of the same name there), e.g. GRIDMGMT_COVERAGE_SPLIT_ABOVE=20.
    coverage_count_mobile: bool | None = None
    coverage_split_above: int | None = None
    coverage_group_size: int | None = None
    coverage_term_years: int | None = None
    coverage_election_warn_days: int | None = None
    coverage_probation_warn_days: int | None = None
    coverage_branch_min_full: int | None = None
    coverage_helper_max_age: int | None = None
    # How far from its org's venue a meeting's check-in still counts as at the venue.
    meeting_venue_m: float = 300.0
    # Days a follow-up (民情/需跟进) may stay open before it is overdue (issue 12).
    followup_due_days: int = 7
    # Resident postings (issue 14, gridmgmt.domain.postings): days before a 第一书记's or
    # 工作队员's two-year term ends from which a reminder shows, days a month in the village
    # (003: 20), and the least work team of a 脱贫村 (003: 2).
    resident_remind_days: int = 60
    resident_days_a_month: int = 20
    work_team_min: int = 2

    @property
    def secrets_dir(self) -> Path:
        """Folder of the generated secrets (0700, files 0600)."""
        return self.var_dir / "secrets"

    @property
    def secret_key_file(self) -> Path:
        """The session key file `gridmgmt init` writes."""
        return self.secrets_dir / "secret_key"

    def password_file(self, role: str) -> Path:
        """The file holding the local cluster's password of ROLE."""
        return self.secrets_dir / f"pg_{role}.password"

    def session_key(self) -> str | None:
        """GRIDMGMT_SECRET_KEY, else the key file's; None when neither is there."""
        return self.secret_key or read_secret(self.secret_key_file)

    @field_validator("public_townships", mode="before")
    @classmethod
    def _codes(cls, value):
        return tuple(code.strip() for code in value.split(",") if code.strip()) if isinstance(value, str) else value

    def today(self) -> date:
        """Today's date in the configured time zone (the date visits and postings go by)."""
        return datetime.now(ZoneInfo(self.timezone)).date()

    @model_validator(mode="after")
    def _files_under_var(self) -> "Settings":
        if self.files_dir is None:
            self.files_dir = self.var_dir / "files"
        return self

    def url_for(self, db_name: str | None = None) -> str:
        """SQLAlchemy URL of the configured server, or of the local cluster as the app's role."""
        if self.database_url:
            if db_name is None:
                return self.database_url
            url = make_url(self.database_url).set(database=db_name)
            return url.render_as_string(hide_password=False)
        return self._local_url(self.pg_user, db_name or self.db_name)

    def admin_url_for(self, db_name: str = "postgres") -> str:
        """URL for creating databases and extensions: the local cluster's superuser, or the server URL."""
        if self.database_url:
            return self.url_for(db_name)
        return self._local_url(self.pg_admin_user, db_name)

    def _local_url(self, role: str, db_name: str) -> str:
        # No password file yet (cluster never started): the server then refuses the login.
        url = URL.create(
            "postgresql+psycopg",
            username=role,
            password=read_secret(self.password_file(role)),
            host="127.0.0.1",
            port=self.pg_port,
            database=db_name,
        )
        return url.render_as_string(hide_password=False)


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once on first use."""
    return Settings()
