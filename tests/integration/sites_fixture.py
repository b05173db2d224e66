"""A hand-measured township for the demo-site tests.

Roads: a 县道 along 23.90°N from the seat (115.70°E) to 115.72°E, split at 115.71°E
(two edges of about 1018 m), and a 村道 north from 115.71°E to 23.91°N (about 1108 m).
At 23.9°N 0.001° of longitude is about 101.8 m and 0.001° of latitude about 110.8 m.

Venues: A 0.001° north of the 县道 midpoint (in the corridor), B 0.0005° east of the
村道 halfway up (outside the 300 m corridor), C 0.001° south of the second 县道 edge;
A is 150 m², B 100 m² (excluded), C 200 m² and an enterprise branch; every venue has all of
八有 and 六有. STATED is an application that meets the theme and 亮点 rule. Each branch held its
组织生活 (002 二(三)) in every month and quarter of the last two years up to today, so the pages
(which check it over the quarters before today) see it met.
"""

from datetime import date

from gridmgmt.db.models import (
    AppUser,
    DemoSite,
    Household,
    OrgMeeting,
    PartyMember,
    PartyOrg,
    Road,
    Township,
    Village,
)
from gridmgmt.domain.site_standards import ALL_HAVES
from gridmgmt.network.topology import build_topology
from gridmgmt.services.sites.review import Application

TOWN = "441500100000"
BOX = "SRID=4326;MULTIPOLYGON(((115.69 23.89,115.73 23.89,115.73 23.92,115.69 23.92,115.69 23.89)))"
STATED = Application("industry", "党员带头种辣椒")
VENUES = {"A": (115.705, 23.901), "B": (115.7105, 23.905), "C": (115.718, 23.899)}
# H1, H4 near A; H3 by the 村道 near B; H2 by the second 县道 edge near C.
HOMES = {"H1": (115.703, 23.9002), "H2": (115.719, 23.8998), "H3": (115.7102, 23.904), "H4": (115.706, 23.8995)}


def point(xy) -> str:
    return f"SRID=4326;POINT({xy[0]} {xy[1]})"


def months_back(today: date, count: int) -> list[date]:
    """The first days of the COUNT months up to TODAY's, oldest first."""
    index = today.year * 12 + today.month - 1
    return [date((index - n) // 12, (index - n) % 12 + 1, 1) for n in range(count - 1, -1, -1)]


def hold_org_life(session, org_id: int, today: date) -> None:
    """Every 组织生活 meeting 002 二(三) asks of a branch with a committee, on the 5th of each of the
    24 months up to TODAY: 支委会 and 主题党日 monthly, 党员大会 and 党课 in each quarter's first month."""
    for first in months_back(today, 24):
        kinds = ["committee_meeting", "theme_day"]
        kinds += ["general_meeting", "party_lecture"] if first.month in (1, 4, 7, 10) else []
        session.add_all(OrgMeeting(party_org_id=org_id, meeting_type=k, held_on=first.replace(day=5)) for k in kinds)


def add_township(session) -> dict[str, int]:
    """The township above; returns party-org ids by venue letter."""
    town = Township(code=TOWN, name="示范镇", geom=BOX, seat=point((115.70, 23.90)))
    session.add(town)
    session.flush()
    village = Village(township_id=town.id, code="441500100201", name="西村", geom=BOX)
    session.add(village)
    session.add_all(
        [
            Road(
                township_id=town.id,
                code="X1a",
                road_class="county",
                geom="SRID=4326;LINESTRING(115.70 23.90, 115.71 23.90)",
            ),
            Road(
                township_id=town.id,
                code="X1b",
                road_class="county",
                geom="SRID=4326;LINESTRING(115.71 23.90, 115.72 23.90)",
            ),
            Road(
                township_id=town.id,
                code="C1",
                road_class="village",
                geom="SRID=4326;LINESTRING(115.71 23.90, 115.71 23.91)",
            ),
        ]
    )
    session.flush()
    build_topology(session)
    ids = {}
    for letter, xy in VENUES.items():
        area = {"A": 150, "B": 100, "C": 200}[letter]
        field = "enterprise" if letter == "C" else "rural"
        org = PartyOrg(
            township_id=town.id,
            code=f"P{letter}",
            name=f"{letter}党支部",
            org_type="branch",
            field=field,
            committee_size=3,
            venue=point(xy),
            venue_area_m2=area,
            **dict.fromkeys(ALL_HAVES, True),
        )
        session.add(org)
        session.flush()
        session.add_all(
            PartyMember(party_org_id=org.id, code=f"{letter}{n}", name="党员", status="full") for n in range(10)
        )
        ids[letter] = org.id
        hold_org_life(session, org.id, date.today())
    session.add_all(
        Household(village_id=village.id, code=code, head="户主", geom=point(xy)) for code, xy in HOMES.items()
    )
    session.commit()
    return ids


def add_user(session, username: str, role: str) -> AppUser:
    """An active user with ROLE."""
    user = AppUser(username=username, password_hash="x", role=role)
    session.add(user)
    session.commit()
    return user


def site_of(session, org_id: int) -> DemoSite | None:
    """The demo_site row of party org ORG_ID, if any."""
    return session.query(DemoSite).filter_by(party_org_id=org_id).one_or_none()
