"""Input checks at the edge: what a view reads is checked for type, range and length before
any query, and bad input is refused with 400 and a Chinese message naming the parameter.

- No request value (path, query string, form, JSON body; keys too) may hold a NUL byte,
  which PostgreSQL text cannot store; `init_app` installs that check for every route.
- Path values are checked against PathValues, by name, on every request.
- Views that read a query string, a form or a JSON body declare its model (web.inputs)
  with `@accepts` and get the checked model. An `Inline` model does not refuse: a bad
  value keeps its default and is listed in `problems`, for forms that show their errors.
"""

from datetime import date, datetime
from functools import wraps
from typing import Annotated, Any, NoReturn, get_origin

from flask import Flask, current_app, request
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
)
from pydantic_core import PydanticCustomError
from werkzeug.datastructures import MultiDict

from gridmgmt.domain.errors import UserError
from gridmgmt.domain.limits import (
    CALENDAR_TEXT,
    FIRST_DAY,
    INT4_MAX,
    INT8_MAX,
    LAST_DAY,
    MAX_DISTANCE_M,
    in_calendar,
)

# Pydantic's error types → the Chinese reason shown after the parameter's label.
REASONS = {
    "int_parsing": "须为整数",
    "int_type": "须为整数",
    "int_from_float": "须为整数",
    "float_parsing": "须为数字",
    "float_type": "须为数字",
    "finite_number": "须为有限的数字",
    "string_type": "须为文字",
    "bool_parsing": "须为“是”或“否”",
    "bool_type": "须为“是”或“否”",
    "list_type": "须为列表",
    "dict_type": "须为对象",
    "timezone_aware": "须带时区",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "string_too_long": "不能超过 {max_length} 个字",
    "too_long": "不能超过 {max_length} 项",
    "missing": "不能为空",
}
SHOWN_CHARS = 40  # of a refused value, in messages and logs


def _refusal(reason: str) -> PydanticCustomError:
    return PydanticCustomError("refused", reason)


def _not_bool(value: Any) -> Any:
    # Python and pydantic's lax mode take True for 1; an id or a number given as true is a mistake.
    if isinstance(value, bool):
        raise _refusal("须为数字")
    return value


def _iso_day(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise _refusal("须写成 年-月-日，如 2026-05-15") from None
    return value


def _iso_moment(value: Any) -> Any:
    # Only ISO 8601 text: pydantic would also read a bare number as seconds since 1970.
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise _refusal("须为 ISO 8601 时间（如 2026-01-15T10:00:00+08:00）") from None


def _calendar(day: date) -> date:
    # A moment is judged by its own (local) date: converting year 1 to UTC would overflow.
    if not in_calendar(day if type(day) is date else day.date()):
        raise _refusal(f"须在 {CALENDAR_TEXT} 之间")
    return day


Positive = Annotated[int, BeforeValidator(_not_bool), Field(ge=1, le=INT4_MAX)]
Id = Positive  # a row id: PostgreSQL integer
Offset = Annotated[int, BeforeValidator(_not_bool), Field(ge=0, le=INT8_MAX)]
Size = Annotated[int, BeforeValidator(_not_bool), Field(ge=1)]  # a page size: the model lowers a large one
Version = Annotated[int, BeforeValidator(_not_bool), Field(ge=0, le=INT4_MAX)]
Year = Annotated[int, BeforeValidator(_not_bool), Field(ge=FIRST_DAY.year, le=LAST_DAY.year)]
Number = Annotated[float, BeforeValidator(_not_bool), Field(allow_inf_nan=False)]
Distance = Annotated[Number, Field(ge=0, le=MAX_DISTANCE_M)]  # metres
Longitude = Annotated[Number, Field(ge=-180, le=180)]
Latitude = Annotated[Number, Field(ge=-90, le=90)]
Day = Annotated[date, BeforeValidator(_iso_day), AfterValidator(_calendar)]
Moment = Annotated[AwareDatetime, BeforeValidator(_iso_moment), AfterValidator(_calendar)]
Code = Annotated[str, Field(max_length=64)]  # codes, names, choices
Text = Annotated[str, Field(max_length=2000)]  # notes, comments, descriptions
Path = Annotated[str, Field(max_length=1024)]  # file paths of static files


class Params(BaseModel):
    """Base of the request models: unknown keys are ignored, checked values are frozen."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class Inline(Params):
    """A form whose bad values keep their defaults and are listed in `problems` (every field
    needs a default)."""

    _problems: list[str] = PrivateAttr(default_factory=list)

    @property
    def problems(self) -> list[str]:
        """What was wrong with the form, in Chinese, one entry per bad value."""
        return self._problems


class PathValues(Params):
    """Every variable of every URL rule, by name; a rule with a new name must add it here."""

    code: Code | None = Field(None, title="编码")
    county: Annotated[str, Field(pattern=r"^[0-9]{6}$")] | None = Field(None, title="县编码")
    plan_id: Id | None = Field(None, title="方案编号")
    user_id: Id | None = Field(None, title="用户编号")
    token_id: Id | None = Field(None, title="令牌编号")
    posting_id: Id | None = Field(None, title="安排编号")
    followup_id: Id | None = Field(None, title="跟进事项编号")
    photo_id: Id | None = Field(None, title="照片编号")
    action: Code | None = None
    kind: Code | None = None
    fmt: Code | None = None
    collection_id: Code | None = Field(None, title="数据集")
    fid: Code | None = Field(None, title="要素编号")
    layer: Code | None = Field(None, title="图层")
    z: Code | None = None
    x: Code | None = None
    y: Code | None = None
    rest: Path | None = Field(None, alias="_path")
    package: Code | None = None
    filename: Path | None = None
    token: Code | None = Field(None, title="上传编号")


def _shown(value: Any) -> str:
    """VALUE for a message: control characters escaped, cut to SHOWN_CHARS."""
    text = value if isinstance(value, str) else repr(value)
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def _reason(found: dict) -> str:
    if found["type"] == "refused":  # our own checks: the message is Chinese already
        return found["msg"]
    limits = {k: f"{v:g}" if isinstance(v, float) else v for k, v in found.get("ctx", {}).items()}
    return REASONS.get(found["type"], "格式有误").format(**limits)


def problems(model: type[Params], error: ValidationError) -> list[str]:
    """ERROR in Chinese, one line per bad value: the parameter's label, why, the value given."""
    labels = {(f.alias or name): f.title or (f.alias or name) for name, f in model.model_fields.items()}
    lines = []
    for found in error.errors():
        key = str(found["loc"][0]) if found["loc"] else ""
        given = "" if found["type"] == "missing" else f"：{_shown(found['input'])}"
        lines.append(f"{labels.get(key, key)}{_reason(found)}{given}")
    return lines


def refuse(message: str) -> NoReturn:
    """End the request with 400 and MESSAGE: JSON for JSON clients, else the error page."""
    current_app.logger.info("400 %s %s: %s", request.method, request.path, message)
    # web/errors.py answers it in Chinese (JSON or the error page), never with Werkzeug's English 400 page.
    raise UserError(message)


def _form_values(model: type[Params], source: MultiDict) -> dict:
    """Query-string or form values, stripped, empty ones left out; all values of list fields."""
    values = {}
    for key in source:
        given = [v.strip() for v in source.getlist(key) if v.strip()]
        field = model.model_fields.get(key)
        if given:
            values[key] = given if field and get_origin(field.annotation) is list else given[0]
    return values


def parse(model: type[Params], source: MultiDict | dict | Any) -> Params:
    """SOURCE (a query string or form, path values or a JSON body) checked against MODEL;
    400 when it does not fit (an Inline model lists the problems instead)."""
    values = _form_values(model, source) if isinstance(source, MultiDict) else source
    if not isinstance(values, dict):
        refuse("请求须为 JSON 对象")
    try:
        return model.model_validate(values)
    except ValidationError as error:
        found, bad = problems(model, error), {e["loc"][0] for e in error.errors() if e["loc"]}
    if not issubclass(model, Inline):
        refuse("；".join(found))
    checked = model.model_validate({k: v for k, v in values.items() if k not in bad})
    checked._problems = found
    return checked


READERS = {"query": lambda: request.args, "form": lambda: request.form, "body": lambda: request.get_json(silent=True)}


def accepts(**models: type[Params]):
    """Check the query string, form or JSON body (keywords query, form, body) against MODELS
    before the view runs; the view gets the checked models under the same keywords."""

    def decorate(view):
        @wraps(view)
        def checked(*args, **kwargs):
            given = {source: parse(model, READERS[source]()) for source, model in models.items()}
            return view(*args, **kwargs, **given)

        checked.params = models  # what the view reads, for the tests that feed every route
        return checked

    return decorate


def has_nul(value: Any) -> bool:
    """True when VALUE (text, or lists and objects of it, keys too) holds a NUL byte."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return False


def _check_request() -> None:
    body = request.get_json(silent=True) if request.is_json else None
    given = (request.view_args or {}, request.args.to_dict(flat=False), request.form.to_dict(flat=False), body)
    if any(has_nul(values) for values in given):
        refuse("请求含有不允许的空字符（NUL）")
    parse(PathValues, request.view_args or {})


def init_app(app: Flask) -> None:
    """Check every request for NUL bytes and its path values before its view runs."""
    app.before_request(_check_request)
