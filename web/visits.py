"""走访: the grid worker's due list, map, one-tap visit record and route; the township's compliance."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from gridmgmt.config import get_settings
from gridmgmt.domain.duties import PERIODS, SCOPES, TARGETS, DutyError
from gridmgmt.domain.permissions import may
from gridmgmt.domain.vocab import CADRE_ROLES, EVENT_TYPES, MUST_VISIT_FLAGS
from gridmgmt.domain.wording import file_name
from gridmgmt.maps.styles import ROADS
from gridmgmt.services.field.outbox import event_answer, visit_answer
from gridmgmt.services.visits.compliance import cadre_code, township_compliance
from gridmgmt.services.visits.desk import leader_summary, overdue_map, village_places
from gridmgmt.services.visits.duties import list_duties, set_duty
from gridmgmt.services.visits.events import EventReport, record_field_visit, report_event
from gridmgmt.services.visits.records import Fix, VisitInput, require_in_scope
from gridmgmt.services.visits.residence import CheckinInput, record_checkin, township_residence
from gridmgmt.services.visits.routes import MODES, STARTS, plan_route
from gridmgmt.services.visits.settings import VisitSettings
from gridmgmt.services.visits.workbook import ReportFilter, export_workbook, report_tables
from web.auth import current_actor, permission_required, require_township
from web.db import get_session
from web.downloads import XLSX, attachment
from web.field_inputs import CheckinBody, EventBody, VisitBody
from web.inputs import ComplianceQuery, DutyForm, RouteQuery, VillagePlacesQuery
from web.params import accepts

bp = Blueprint("visits", __name__)
# Rows of each list on the page, the most urgent first; the workbook has them all.
SHOWN_ROWS = 100


def visit_settings() -> VisitSettings:
    """The visit settings of the configuration, for the services that date visits."""
    return VisitSettings.of(get_settings())


def _cadre_code() -> str | None:
    return cadre_code(get_session(), current_user.cadre_id)


@bp.get("/m/visits")
@permission_required("record_visits")
def today():
    """Today's due list of the logged-in grid worker, grouped by 村民小组 and urgent first, on a map;
    a tap opens the visit sheet; a route button. The page is a shell: its data is the phone's
    working set (web/field.py), so it opens with no signal."""
    return render_template("visits/today.html", modes=MODES, starts=STARTS)


def _visit_from(body: VisitBody) -> VisitInput:
    fix = None if body.lon is None or body.lat is None else Fix(body.lon, body.lat, body.accuracy_m)
    return VisitInput(
        client_id=body.client_id,
        cadre_id=current_user.cadre_id,
        visited_at=body.visited_at or datetime.now(ZoneInfo("UTC")),
        household_id=body.household_id,
        kind=body.kind,
        note=body.note or None,
        fix=fix,
    )


@bp.post("/api/visits")
@permission_required("record_visits")
@accepts(body=VisitBody)
def record(body: VisitBody):
    """Record a visit (or an event attendance) from JSON; a retried client_id stays single."""
    stored, created = record_field_visit(get_session(), _visit_from(body), visit_settings(), body.event_id)
    return visit_answer(stored, created), 201 if created else 200


@bp.post("/api/checkins")
@permission_required("record_visits")
@accepts(body=CheckinBody)
def check_in(body: CheckinBody):
    """Record that the logged-in cadre is in the village at the fix (在村签到, evidence of days in
    the village); a retried client_id returns the first check-in (200) instead of a second."""
    stored = store_checkin(body)
    return stored, 201 if stored["created"] else 200


def store_checkin(body: CheckinBody) -> dict:
    """Store a check-in from JSON or the phone's outbox once; what the server holds."""
    fix = Fix(body.lon, body.lat, body.accuracy_m)
    at = body.checked_at or datetime.now(ZoneInfo("UTC"))
    stored, created = record_checkin(get_session(), CheckinInput(body.client_id, current_user.cadre_id, at, fix))
    return {
        "id": stored.id,
        "client_id": str(stored.client_id),
        "created": created,
        "village_id": stored.village_id,
        "checked_at": stored.checked_at.isoformat(),
    }


@bp.post("/api/events")
@permission_required("record_visits")
@accepts(body=EventBody)
def report(body: EventBody):
    """Report a 四必到 event at a household the worker answers for; its deadline follows its type.
    A retried client_id returns the first event (200) instead of a second one."""
    settings = visit_settings()
    require_in_scope(get_session(), current_user.cadre_id, body.household_id, settings.today())
    # The phone's time of the first tap: a report resent later keeps when it was made.
    event, created = report_event(
        get_session(),
        EventReport(
            body.event_type,
            current_user.cadre_id,
            body.reported_at or datetime.now(ZoneInfo("UTC")),
            household_id=body.household_id,
            description=body.description or None,
            client_id=body.client_id,
        ),
        settings,
    )
    return event_answer(event, created), 201 if created else 200


@bp.get("/api/visits/route")
@permission_required("record_visits")
@accepts(query=RouteQuery)
def route(query: RouteQuery):
    """Today's round for the logged-in grid worker: ?hours=4&mode=walk|drive&start=here|home|base,
    from here with &lon=&lat= (the phone's position)."""
    settings = visit_settings()
    here = None if query.lon is None or query.lat is None else (query.lon, query.lat)
    options = query.model_dump(exclude_none=True, exclude={"lon", "lat"})
    planned = plan_route(get_session(), _cadre_code(), settings.today(), settings, here=here, **options)
    return {
        "start": planned.start,
        "closed": planned.closed,
        "stops": planned.stops,
        "length_m": planned.length_m,
        "travel_min": round(planned.travel_s / 60),
        "service_min": round(planned.service_s / 60),
        "left_out": planned.left_out,
        "base": planned.base,
        "line": planned.line,
        "gaps": [{**gap.as_dict(), "text": gap.describe()} for gap in planned.gaps],
    }


def _tables(code: str, query: ComplianceQuery):
    """The township's compliance on ?date= (default today), narrowed to ?village= / ?cadre= codes,
    and its tables; 403 outside the user's township, 404 unknown."""
    require_township(code)
    settings = visit_settings()
    comp = township_compliance(get_session(), code, query.date or settings.today(), settings)
    days = township_residence(get_session(), comp)
    return comp, report_tables(comp, ReportFilter(query.village, query.cadre), days)


@bp.get("/townships/<code>/visits")
@permission_required("view_compliance")
@accepts(query=ComplianceQuery)
def township(code: str, query: ComplianceQuery):
    """The township's compliance on a date: the leader's summary (worst first) beside the map of
    overdue shares per 村民小组, then the lists by urgency, each folded."""
    comp, tables = _tables(code, query)
    return render_template(
        "visits/township.html",
        comp=comp,
        tables=tables,
        summary=leader_summary(comp, ReportFilter(query.village, query.cadre)),
        map_data=overdue_map(get_session(), comp),
        road_styles=ROADS,
        shown_rows=SHOWN_ROWS,
        may_edit_duties=may(current_user.role, "edit_duties"),
        may_export=may(current_user.role, "export_maps"),
    )


@bp.get("/townships/<code>/visits/households")
@permission_required("view_compliance")
@accepts(query=VillagePlacesQuery)
def village_households(code: str, query: VillagePlacesQuery):
    """The households of the ?village= codes (repeated) by their most urgent status (no flag), for
    the map at village zoom."""
    require_township(code)
    settings = visit_settings()
    day = query.date or settings.today()
    return {"villages": query.village, "households": village_places(get_session(), code, query.village, day, settings)}


@bp.get("/townships/<code>/visits.xlsx")
@permission_required("view_compliance")
@accepts(query=ComplianceQuery)
def download(code: str, query: ComplianceQuery):
    """The same tables as an Excel workbook (no 必访 household is named; head names are: audited)."""
    comp, tables = _tables(code, query)
    data = export_workbook(get_session(), current_actor(), comp, tables)
    return attachment(data, XLSX, file_name("visits", code, comp.day, ext="xlsx"))


@bp.get("/duties")
@permission_required("edit_duties")
def duties():
    """The visit duties (who, scope, targets, how often), each editable, a form for a new one,
    and the 四必到 deadlines per event type (set in the configuration)."""
    return render_template(
        "visits/duties.html",
        duties=list_duties(get_session()),
        roles=CADRE_ROLES,
        scopes=SCOPES,
        targets=TARGETS,
        flags=MUST_VISIT_FLAGS,
        periods=PERIODS,
        attend=visit_settings().attend.table(),
        event_types=EVENT_TYPES,
    )


@bp.post("/duties")
@permission_required("edit_duties")
@accepts(form=DutyForm)
def save_duty(form: DutyForm):
    """Create or change one duty from the form; refused with the reason when it breaks a rule."""
    code = form.code
    try:
        if form.problems:
            raise DutyError("；".join(form.problems))
        if not code or not form.name:
            raise DutyError("请填写职责编码和名称")
        set_duty(get_session(), code, **form.model_dump(exclude={"code"}))
        flash(f"已保存职责“{form.name}”", "info")
    except DutyError as exc:
        flash(f"未保存：{exc}", "error")
    return redirect(url_for("visits.duties"))
