"""Users of the sample township and their personal access tokens, for API tests."""

from sqlalchemy import select

from gridmgmt.db.models import Cadre, CadreVillage, Village
from gridmgmt.services.accounts.users import add_user, create_token
from tests.web.sample import TOWNSHIP_CODE

PASSWORD = "password-123"


def _east_village_worker(session) -> str:
    """A grid worker's cadre, posted (包村) to 东村 only; returns the cadre code."""
    east = session.scalars(select(Village).where(Village.name == "东村")).one()
    cadre = Cadre(township_id=east.township_id, code="C-EAST", name="李四", cadre_role="grid_worker")
    session.add(cadre)
    session.flush()
    session.add(CadreVillage(cadre_id=cadre.id, village_id=east.id, assignment="bao_cun"))
    session.commit()
    return cadre.code


def token_for(session, role: str) -> dict[str, str]:
    """The Authorization header of a new ROLE user of the sample township.

    Grid workers are posted to 东村 only.
    """
    cadre = _east_village_worker(session) if role == "grid_worker" else None
    township = None if role == "admin" else TOWNSHIP_CODE
    add_user(session, f"{role}-user", role, PASSWORD, township_code=township, cadre_code=cadre)
    return {"Authorization": f"Bearer {create_token(session, f'{role}-user')}"}
