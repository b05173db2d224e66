"""What the field app sends (web.params models): records from the phone, one by one or queued
in its outbox. The desk's query strings and forms are in web.inputs."""

from typing import Annotated, Any

from pydantic import Field

from gridmgmt.domain.followups import MAX_PHOTO_BYTES
from gridmgmt.services.visits.records import MAX_NOTE, VisitInput
from web.params import Code, Id, Latitude, Longitude, Moment, Number, Params, Text


class VisitBody(Params):
    """A visit from the phone."""

    client_id: Code = Field("", title="提交编号")
    household_id: Id | None = Field(None, title="农户编号")
    event_id: Id | None = Field(None, title="事件编号")
    kind: Code = Field(VisitInput.kind, title="走访类型")
    note: Annotated[str, Field(max_length=MAX_NOTE)] | None = Field(None, title="备注")
    lon: Longitude | None = Field(None, title="经度")
    lat: Latitude | None = Field(None, title="纬度")
    # Any finite accuracy is kept: a phone's coarse fix must not cost the visit.
    accuracy_m: Annotated[Number, Field(ge=0)] | None = Field(None, title="定位精度")
    visited_at: Moment | None = Field(None, title="走访时间")


class CheckinBody(Params):
    """A check-in (在村签到) from the phone: the cadre is here, now."""

    client_id: Code = Field("", title="提交编号")
    lon: Longitude = Field(title="经度")
    lat: Latitude = Field(title="纬度")
    accuracy_m: Annotated[Number, Field(ge=0)] | None = Field(None, title="定位精度")
    checked_at: Moment | None = Field(None, title="签到时间")


class EventBody(Params):
    """A 四必到 event reported from the phone."""

    household_id: Id = Field(title="事件所在农户")
    event_type: Code = Field("", title="事件类型")
    reported_at: Moment | None = Field(None, title="上报时间")
    description: Text | None = Field(None, title="情况说明")
    client_id: Code = Field("", title="提交编号")


class OutboxBody(Params):
    """Visits, events, check-ins, meetings, follow-ups and photos queued on a phone, each
    checked on its own (VisitBody, EventBody, ...) so that one bad record is refused alone."""

    visits: Annotated[list[dict[str, Any]], Field(max_length=50)] = Field([], title="走访记录")
    events: Annotated[list[dict[str, Any]], Field(max_length=50)] = Field([], title="事件")
    checkins: Annotated[list[dict[str, Any]], Field(max_length=50)] = Field([], title="签到")
    meetings: Annotated[list[dict[str, Any]], Field(max_length=50)] = Field([], title="组织生活会议")
    followups: Annotated[list[dict[str, Any]], Field(max_length=50)] = Field([], title="跟进事项")
    photos: Annotated[list[dict[str, Any]], Field(max_length=50)] = Field([], title="照片")


class FollowupBody(Params):
    """A follow-up (民情/需跟进) raised at a visit on the phone."""

    client_id: Code = Field("", title="提交编号")
    visit_client_id: Code = Field("", title="走访提交编号")
    category: Code = Field("", title="类别")
    note: Text = Field("", title="跟进事项")


class PhotoBody(Params):
    """A photo taken at a visit, shrunk on the phone, as base64; its size is judged once decoded."""

    client_id: Code = Field("", title="提交编号")
    visit_client_id: Code = Field("", title="走访提交编号")
    data: Annotated[str, Field(max_length=2 * MAX_PHOTO_BYTES)] = Field("", title="照片")
