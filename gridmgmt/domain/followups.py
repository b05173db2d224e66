"""Follow-ups (民情 / 需跟进): what a visit raises for someone to act on, and the photos taken.

An item is 待办 when raised, 办理中 once someone takes it up, 已办结 when closed with a note
saying what was done; a closed item stays closed. It is overdue when still open past its
due date (raised + the configured days, default a week). Photos come shrunk from the phone;
the server takes JPEG, PNG or WebP only, up to MAX_PHOTO_BYTES, told apart by their bytes.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from gridmgmt.domain.errors import Conflict, UserError

CATEGORIES = {
    "livelihood": "生活困难",
    "health": "看病就医",
    "elderly_children": "养老托幼",
    "dispute": "矛盾纠纷",
    "infrastructure": "道路水电",
    "environment": "环境卫生",
    "safety": "安全隐患",
    "policy": "政策咨询",
    "other": "其他",
}
STATES = {"open": "待办", "in_progress": "办理中", "closed": "已办结"}
# State → the states it may move to; 已办结 is the end.
TRANSITIONS = {"open": ("in_progress", "closed"), "in_progress": ("closed",), "closed": ()}
DEFAULT_DUE_DAYS = 7
MAX_PHOTO_BYTES = 400 * 1024  # the phone shrinks to 300 KB; the rest is slack for its estimate
PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


class FollowupError(UserError):
    """A follow-up or photo that cannot be taken as given; the message is Chinese."""


class StateConflict(Conflict, FollowupError):
    """The item is not in a state that allows the move (closed, or changed meanwhile)."""


@dataclass(frozen=True)
class FollowupRules:
    """How many days an item may stay open before it is overdue (GRIDMGMT_FOLLOWUP_DUE_DAYS)."""

    due_days: int = DEFAULT_DUE_DAYS

    def due_at(self, raised_at: datetime) -> datetime:
        """When an item raised at RAISED_AT becomes overdue."""
        return raised_at + timedelta(days=self.due_days)


def check_category(category: str) -> str:
    """CATEGORY when it is one of CATEGORIES, else FollowupError."""
    if category not in CATEGORIES:
        raise FollowupError(f"跟进事项类别“{category}”不存在，应为：{'、'.join(CATEGORIES.values())}")
    return category


def next_state(current: str, wanted: str, note: str | None) -> str:
    """WANTED, when an item in CURRENT may move there (closing needs a NOTE); else a refusal."""
    if wanted not in STATES:
        raise FollowupError(f"跟进状态“{wanted}”不存在，应为：{'、'.join(STATES.values())}")
    if wanted not in TRANSITIONS[current]:
        raise StateConflict(f"此事项{STATES[current]}，不能改为“{STATES[wanted]}”")
    if wanted == "closed" and not (note or "").strip():
        raise FollowupError("办结须填写办理情况")
    return wanted


def is_overdue(state: str, due_at: datetime, now: datetime) -> bool:
    """True when an item in STATE, due at DUE_AT, is still not done at NOW."""
    return state != "closed" and now > due_at


def photo_type(data: bytes) -> str:
    """The MIME type of DATA told by its first bytes (JPEG, PNG, WebP); FollowupError for
    anything else, an empty file or one over MAX_PHOTO_BYTES."""
    if not data:
        raise FollowupError("照片是空的，请重新拍摄")
    if len(data) > MAX_PHOTO_BYTES:
        raise FollowupError(f"照片 {len(data) // 1024} KB，超过 {MAX_PHOTO_BYTES // 1024} KB 上限：请压缩后再传")
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    raise FollowupError("只能上传 JPEG、PNG 或 WebP 格式的照片")
