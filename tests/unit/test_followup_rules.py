"""Follow-up rules (issue 12, 民情/需跟进): states and their moves, closing needs a note,
overdue after the due days, photos told apart by their bytes and refused over the limit."""

from datetime import UTC, datetime, timedelta

import pytest

from gridmgmt.domain.errors import Conflict, UserError
from gridmgmt.domain.followups import (
    MAX_PHOTO_BYTES,
    FollowupError,
    FollowupRules,
    StateConflict,
    check_category,
    is_overdue,
    next_state,
    photo_type,
)

RAISED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "current, wanted",
    [("open", "in_progress"), ("open", "closed"), ("in_progress", "closed")],
)
def test_the_allowed_moves(current, wanted):
    assert next_state(current, wanted, "已联系民政办，补助已发放") == wanted


@pytest.mark.parametrize(
    "current, wanted",
    [("closed", "open"), ("closed", "in_progress"), ("in_progress", "open"), ("open", "open"), ("closed", "closed")],
)
def test_a_closed_item_stays_closed_and_nothing_goes_back(current, wanted):
    with pytest.raises(StateConflict) as refused:
        next_state(current, wanted, "说明")
    assert isinstance(refused.value, Conflict) and refused.value.status == 409


@pytest.mark.parametrize("note", [None, "", "   \n"])
def test_closing_needs_a_note(note):
    with pytest.raises(FollowupError, match="办结须填写办理情况") as refused:
        next_state("in_progress", "closed", note)
    assert refused.value.status == 400


def test_taking_an_item_up_needs_no_note():
    assert next_state("open", "in_progress", None) == "in_progress"


def test_an_unknown_state_or_category_is_named():
    with pytest.raises(FollowupError, match="done"):
        next_state("open", "done", "x")
    with pytest.raises(FollowupError, match="weather"):
        check_category("weather")
    assert check_category("health") == "health"


def test_overdue_after_the_due_days_unless_closed():
    rules = FollowupRules(due_days=7)
    due = rules.due_at(RAISED)
    assert due == RAISED + timedelta(days=7)
    assert not is_overdue("open", due, due)  # on the due moment itself: not yet
    assert is_overdue("open", due, due + timedelta(seconds=1))
    assert is_overdue("in_progress", due, due + timedelta(days=30))
    assert not is_overdue("closed", due, due + timedelta(days=30))
    assert FollowupRules().due_days == 7


JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\0" * 100


@pytest.mark.parametrize("data, kind", [(JPEG, "image/jpeg"), (PNG, "image/png"), (WEBP, "image/webp")])
def test_photo_types_by_their_bytes(data, kind):
    assert photo_type(data) == kind


@pytest.mark.parametrize(
    "data, why",
    [
        (b"", "空"),
        (b"GIF89a" + b"\0" * 50, "JPEG、PNG 或 WebP"),
        (b"%PDF-1.7", "JPEG、PNG 或 WebP"),
        (b"RIFF\x10\x00\x00\x00WAVE", "JPEG、PNG 或 WebP"),
        (b"\xff\xd8\xff" + b"\0" * MAX_PHOTO_BYTES, "超过 400 KB"),
    ],
)
def test_other_files_and_big_photos_are_refused_in_chinese(data, why):
    with pytest.raises(UserError, match=why):
        photo_type(data)


def test_a_photo_just_at_the_limit_passes():
    assert photo_type(b"\xff\xd8\xff" + b"\0" * (MAX_PHOTO_BYTES - 3)) == "image/jpeg"
