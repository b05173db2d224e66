"""All tables; importing this module registers them on Base.metadata."""

from gridmgmt.db.models.accounts import ApiToken, AppUser, AuditLog, LoginLimit, LoginSession
from gridmgmt.db.models.base import Base
from gridmgmt.db.models.checkins import Checkin
from gridmgmt.db.models.data_version import DataVersion, DataVersionDue  # noqa: F401 - registers their tables
from gridmgmt.db.models.duties import Duty  # noqa: F401 - registers the duty table
from gridmgmt.db.models.figures import TownshipVisitFigures
from gridmgmt.db.models.followups import Followup, Photo
from gridmgmt.db.models.grids import GridLiaison, GridLock, GridMembership, GridSplitReason  # noqa: F401 - plan membership
from gridmgmt.db.models.orgs import HelpPairing, OrgMeeting
from gridmgmt.db.models.party import Cadre, CadreVillage, EconomicOrg, PartyMember, PartyOrg
from gridmgmt.db.models.places import (
    SENSITIVE_HOUSEHOLD_COLUMNS,
    Household,
    Township,
    Village,
    VillageGroup,
)
from gridmgmt.db.models.sites import DemoSiteReview  # noqa: F401 - registers demo_site_review
from gridmgmt.db.models.waters import Water
from gridmgmt.db.models.work import (
    DemoSite,
    Event,
    GridCell,
    GridPlan,
    Liaison,
    Road,
    RoadVertex,
    Visit,
)

__all__ = [
    "ApiToken",
    "AppUser",
    "AuditLog",
    "Base",
    "Cadre",
    "CadreVillage",
    "Checkin",
    "DemoSite",
    "EconomicOrg",
    "Event",
    "Followup",
    "GridCell",
    "GridPlan",
    "HelpPairing",
    "Household",
    "Liaison",
    "LoginLimit",
    "LoginSession",
    "OrgMeeting",
    "PartyMember",
    "PartyOrg",
    "Photo",
    "Road",
    "RoadVertex",
    "SENSITIVE_HOUSEHOLD_COLUMNS",
    "Township",
    "TownshipVisitFigures",
    "Village",
    "VillageGroup",
    "Visit",
    "Water",
]
