"""The review status machine and the yearly timeline reminders."""

from datetime import date

import pytest

from gridmgmt.domain.site_review import Decision, ReviewError, decide, reminders


def test_full_path_to_award_and_re_review():
    status = None
    for step in ("apply", "preliminary", "inspect"):
        status = decide(step, status, 2026).to_status
    assert status == "inspected"
    award = decide("award", status, 2026, level="county")
    assert award == Decision("award", "inspected", "awarded", 2026, "county")
    assert decide("rectify", "awarded", 2027, award_year=2026).to_status == "rectifying"
    assert decide("keep", "rectifying", 2028, award_year=2026).to_status == "awarded"
    assert decide("revoke", "awarded", 2029, award_year=2026).to_status == "revoked"
    assert decide("apply", "revoked", 2030).to_status == "applied"


@pytest.mark.parametrize(
    "step, status, message",
    [
        ("award", "preliminary", "当前状态为“初审”，不能进行“授牌”（需先完成：实地验收）"),
        ("award", "applied", "需先完成：实地验收"),
        ("inspect", "applied", "需先完成：初审"),
        ("preliminary", None, "当前状态为“未申报”"),
        ("apply", "awarded", "不能进行“申报”"),
        ("keep", "inspected", "不能进行“复审：保留”"),
        ("rectify", "rectifying", "不能进行“复审：限期整改”"),
        ("fly", "applied", "未知的评审环节"),
    ],
)
def test_no_skipping_steps(step, status, message):
    with pytest.raises(ReviewError, match=message.replace("（", "\\（").replace("）", "\\）")):
        decide(step, status, 2026, level="county")


def test_award_needs_a_level():
    with pytest.raises(ReviewError, match="镇级、县级或市级"):
        decide("award", "inspected", 2026)
    with pytest.raises(ReviewError):
        decide("award", "inspected", 2026, level="province")


def test_re_review_once_a_year_from_the_year_after_award():
    with pytest.raises(ReviewError, match="2026年授牌的示范点从2027年起复审"):
        decide("keep", "awarded", 2026, award_year=2026)
    with pytest.raises(ReviewError, match="2027年已复审"):
        decide("revoke", "rectifying", 2027, award_year=2026, last_re_review_year=2027)


def test_reminders_follow_the_timeline():
    sites = {
        1: ("applied", None, None),
        2: ("preliminary", None, None),
        3: ("awarded", 2025, None),
        4: ("awarded", 2025, 2026),
        5: ("awarded", 2026, None),
    }
    march = reminders(date(2026, 3, 20), sites)
    assert [(r.kind, r.phase) for r in march] == [("due", "动员部署")]
    assert march[0].message == "动员部署将于03月31日截止（还有11天）"
    june = reminders(date(2026, 6, 25), sites)
    assert [(r.kind, r.phase, r.site_ids) for r in june] == [("due", "验收", (1, 2)), ("due", "年度复审", (3,))]
    july = reminders(date(2026, 7, 11), sites)
    assert [(r.kind, r.site_ids) for r in july] == [("overdue", (1, 2)), ("overdue", (3,))]
    assert july[0].message == "验收已于07月10日截止，仍有2个示范点未完成初审或实地验收"
    assert reminders(date(2026, 9, 1), {}) == []
    # No awarded site: no re-review reminder, but the inspection deadline still shows.
    assert [r.phase for r in reminders(date(2026, 6, 25), {})] == ["验收"]
