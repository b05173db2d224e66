"""What each view reads from a query string, a form or a JSON body, as models for web.params.

Defaults come from the domain (GridRules, SiteConfig) where it has them; a
field left out (None) leaves the service's own default in force.
"""

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from geodata.layers import LAYERS
from gridmgmt.domain.branch_rules import RULES
from gridmgmt.domain.county import DEFAULT_SORT, FIGURE_KEYS
from gridmgmt.domain.grid_rules import GridRules
from gridmgmt.domain.site_criteria import SiteConfig
from gridmgmt.domain.site_standards import SiteStandard
from gridmgmt.domain.wording import metric
from gridmgmt.services.grids.reasons import MAX_REASON
from gridmgmt.services.mapdata import features
from gridmgmt.services.orgs.meetings import MAX_ATTENDEES
from web.params import (
    Code,
    Day,
    Distance,
    Id,
    Inline,
    Latitude,
    Longitude,
    Number,
    Offset,
    Params,
    Positive,
    Size,
    Text,
    Version,
    Year,
)


class AuditQuery(Params):
    """The audit log's filters and page."""

    actor: Code | None = Field(None, title="用户")
    action: Code | None = Field(None, title="操作")
    since: Day | None = Field(None, title="起始日期")
    until: Day | None = Field(None, title="截止日期")
    page: Positive = Field(1, title="页码")


class ComplianceQuery(Params):
    """The day and the village or cadre of the township's visit compliance."""

    date: Day | None = Field(None, title="日期")
    village: Code | None = Field(None, title="行政村")
    cadre: Code | None = Field(None, title="干部")


class VillagePlacesQuery(Params):
    """The villages and day of the visits map's households at village zoom."""

    village: Annotated[list[Code], Field(min_length=1, max_length=50)] = Field(title="行政村")
    date: Day | None = Field(None, title="日期")


class CoverageQuery(Params):
    """The village the coverage page focuses on, and the one rule whose problems it lists."""

    village: Code | None = Field(None, title="行政村")
    rule: Literal[tuple(RULES)] | None = Field(None, title="问题类别")


class CountyQuery(Params):
    """The figure the 县级总览 ranks its townships by, worst first."""

    sort: Literal[tuple(FIGURE_KEYS)] = Field(DEFAULT_SORT, title="排序")


class CountyMapQuery(Params):
    """The figure a county briefing map is coloured by, and its paper (A3 landscape unless given)."""

    figure: Literal[tuple(FIGURE_KEYS)] = Field(DEFAULT_SORT, title="着色指标")
    paper: Code = Field("A3", title="纸张")
    orientation: Code = Field("landscape", title="方向")


class OrgLifeQuery(Params):
    """The quarter of a township's 组织生活 (the last whole one when absent)."""

    year: Year | None = Field(None, title="年度")
    quarter: Annotated[int, Field(ge=1, le=4)] | None = Field(None, title="季度")


class MeetingBody(Params):
    """A 组织生活 meeting from the phone, with its check-in at the venue when the phone has a fix."""

    client_id: Code = Field("", title="提交编号")
    org_code: Code = Field(title="党组织编码")
    meeting_type: Code = Field(title="会议类型")
    held_on: Day = Field(title="会议日期")
    venue: Code | None = Field(None, title="地点")
    topic: Text | None = Field(None, title="主题")
    attendee_ids: Annotated[list[Id], Field(max_length=MAX_ATTENDEES)] = Field([], title="参会党员")
    attendees: Annotated[int, Field(ge=0, le=MAX_ATTENDEES)] | None = Field(None, title="参会人数")
    lon: Longitude | None = Field(None, title="经度")
    lat: Latitude | None = Field(None, title="纬度")
    accuracy_m: Annotated[Number, Field(ge=0)] | None = Field(None, title="定位精度")


class PairingBody(Params):
    """A 一帮一 pairing to start, or to end (the same member, household and start with an end date)."""

    member_code: Code = Field(title="党员编码")
    household_code: Code = Field(title="农户编码")
    start_date: Day = Field(title="开始日期")
    end_date: Day | None = Field(None, title="结束日期")


class MapQuery(Params):
    """Paper and orientation of a map download (the page's defaults when absent)."""

    paper: Code | None = Field(None, title="纸张")
    orientation: Code | None = Field(None, title="方向")


class CompareQuery(Params):
    """The two plans compared."""

    a: Id | None = Field(None, title="方案 A")
    b: Id | None = Field(None, title="方案 B")


class RouteQuery(Params):
    """Time budget and mode of the grid worker's round (the service's defaults when absent)."""

    hours: Number | None = Field(None, title="时间预算（小时）")
    mode: Code | None = Field(None, title="出行方式")
    start: Code | None = Field(None, title="出发地")
    lon: Longitude | None = Field(None, title="当前经度")
    lat: Latitude | None = Field(None, title="当前纬度")


class ItemsQuery(Params):
    """A page of an OGC collection: limit (lowered to the maximum), offset, bbox text, the
    reference systems of the answer and of the bbox, and a CQL2 text filter."""

    # OGC API Features: a limit above the maximum is lowered, never an error (however large).
    limit: Annotated[Size, AfterValidator(lambda n: min(n, features.MAX_LIMIT))] = Field(
        features.DEFAULT_LIMIT, title="limit"
    )
    offset: Offset = Field(0, title="offset")
    bbox: Code | None = Field(None, title="bbox")
    crs: Code | None = Field(None, title="crs")
    bbox_crs: Code | None = Field(None, alias="bbox-crs", title="bbox-crs")
    filter: Text | None = Field(None, title="filter")
    filter_lang: Code | None = Field(None, alias="filter-lang", title="filter-lang")
    filter_crs: Code | None = Field(None, alias="filter-crs", title="filter-crs")


class ItemQuery(Params):
    """One feature of an OGC collection: the reference system to answer in."""

    crs: Code | None = Field(None, title="crs")


class EditBody(Params):
    """One edit of the grid editor; which fields it needs depends on the action."""

    households: list[Code] | None = Field(None, title="农户")
    to: Code | None = Field(None, title="目标网格")
    group: Code | None = Field(None, title="村民小组")
    cell: Code | None = Field(None, title="网格")
    keep: Code | None = Field(None, title="保留网格")
    other: Code | None = Field(None, title="并入网格")
    cells: list[Code] | None = Field(None, title="重新划分的网格")
    into: Annotated[int, Field(ge=1, le=50)] | None = Field(None, title="划分个数")
    area: dict[str, Any] | None = Field(None, title="区域")
    locked: bool = Field(False, title="锁定")
    seen: dict[Code, Version] | None = Field(None, title="所见网格版本")
    reason: Annotated[str, Field(max_length=MAX_REASON)] | None = Field(None, title="拆分原因")


class UnlockBody(Params):
    """Unlocking households a planner placed by hand: the named ones, or every one."""

    households: list[Code] | None = Field(None, title="农户")
    every: bool = Field(False, title="全部解锁")


class PublishBody(Params):
    """Publishing a plan."""

    allow_no_worker: bool = Field(False, title="允许无网格员")


class AllocateForm(Inline):
    """The allocation form: the plan's name and rules (GridRules' defaults)."""

    name: Annotated[str, Field(max_length=64)] | None = Field(None, title="方案名称")
    target: Number = Field(GridRules.target, title="每格目标")
    min_workload: Number = Field(GridRules.min_workload, alias="min", title="下限")
    max_workload: Number = Field(GridRules.max_workload, alias="max", title="上限")
    must_visit_extra: Number = Field(GridRules.must_visit_extra, title=metric("must_visit_extra"))
    tolerance: Number = Field(GridRules.tolerance, title=metric("tolerance"))


class SiteQuery(Inline):
    """The demo-site page's thresholds (SiteConfig's defaults) and selection rules."""

    corridor_m: Distance = Field(SiteConfig.corridor_m, title=metric("corridor_m"))
    catchment_m: Distance = Field(SiteConfig.catchment_m, title=metric("catchment_m"))
    k: Positive | None = Field(None, title=metric("k"))
    spacing_m: Distance = Field(SiteConfig.min_spacing_m, title="最小间距")
    per_field: Positive | None = Field(None, title="每领域上限")
    per_theme: Positive | None = Field(None, title="每主题上限")
    per_committee: Positive | None = Field(SiteStandard.per_committee, title="每个党委新选上限")
    must: Text = Field("", title="必选党组织编码")


class ReviewForm(Inline):
    """One review step of a demo site."""

    org: Code = Field("", title="党组织编码")
    step: Code = Field("", title="评审步骤")
    year: Year | None = Field(None, title="年度")
    level: Code | None = Field(None, title="授牌级别")
    comment: Text | None = Field(None, title="意见")
    theme: Code | None = Field(None, title="示范主题")
    highlight: Text | None = Field(None, title="亮点")
    contact_point: bool | None = Field(None, title="党建工作联系点")
    secretary_model: bool | None = Field(None, title="书记示范点")


class DutyForm(Inline):
    """A visit duty, created or changed."""

    code: Annotated[str, Field(max_length=32)] = Field("", title="职责编码")
    name: Annotated[str, Field(max_length=128)] = Field("", title="名称")
    scope: Code | None = Field(None, title="范围")
    target: Code | None = Field(None, title="对象")
    period: Code | None = Field(None, title="周期")
    cadre_roles: Annotated[list[Code], Field(max_length=100)] = Field([], title="干部类别")
    flags: Annotated[list[Code], Field(max_length=100)] = Field([], title="必访标记")
    active: bool = Field(False, title="启用")


def _layer_name(value: str) -> str:
    if value not in LAYERS:
        raise PydanticCustomError("refused", "须为可导入的图层之一")
    return value


class ImportForm(Params):
    """The 数据导入 page's dry run: the layer, the township, the file's CRS, and whether to update and repair."""

    layer: Annotated[Code, AfterValidator(_layer_name)] = Field(title="图层")
    township: Code | None = Field(None, title="乡镇")
    crs: Code | None = Field(None, title="坐标系")
    update: bool = Field(False, title="更新已有记录")
    fix_geometry: bool = Field(False, title="修复几何")


class GridImportForm(Params):
    """Existing grids on the 数据导入 page: the township, the new plan's name, the file's CRS."""

    township: Code = Field(title="乡镇")
    name: Annotated[str, Field(max_length=64)] = Field(title="方案名称")
    crs: Code | None = Field(None, title="坐标系")


Password = Annotated[str, Field(max_length=256)]


class AccessForm(Inline):
    """A user's role and scope (township or county, cadre), changed by an admin."""

    role: Code = Field("", title="角色")
    township: Code = Field("", title="乡镇")
    county: Code = Field("", title="县")
    cadre: Code = Field("", title="干部编码")


class NewUserForm(AccessForm):
    """A user added by an admin: name, role, scope and a first password."""

    username: Code = Field("", title="用户名")
    password: Password = Field("", title="密码")


class ActiveForm(Inline):
    """Enable (true) or disable a user."""

    active: bool = Field(False, title="启用")


class OwnPasswordForm(Inline):
    """A user's own password change: the current one and the new one twice."""

    current: Password = Field("", title="当前密码")
    new: Password = Field("", title="新密码")
    again: Password = Field("", title="再次输入新密码")


class PostingForm(Inline):
    """A posting added on the 驻村包村 page: cadre, village, kind and its first and last day."""

    cadre: Code = Field("", title="干部")
    village: Code = Field("", title="行政村")
    kind: Code = Field("", title="类型")
    start: Day | None = Field(None, title="开始日期")
    end: Day | None = Field(None, title="结束日期")


class EndPostingForm(Inline):
    """The last day of a posting being ended (default: today)."""

    end: Day | None = Field(None, title="结束日期")


class FollowupQuery(Params):
    """Which follow-ups a list shows: the open ones (default) or all."""

    state: Literal["open", "all"] = Field("open", title="范围")


class FollowupOwner(Params):
    """The cadre a follow-up is handed to (改派) and the version the user saw."""

    owner: Id = Field(title="负责人")
    version: Version = Field(title="版本")


class FollowupMove(Params):
    """A follow-up's next state, the note (needed to close) and the version the user saw."""

    state: Code = Field(title="状态")
    note: Text | None = Field(None, title="办理情况")
    version: Version = Field(title="版本")
