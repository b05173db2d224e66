"""`gridmgmt sites score|select|tour|review|history|reminders|sheet`: 党建示范点."""

import math
from dataclasses import replace
from datetime import date
from pathlib import Path

import click

from gridmgmt.cli import help_text
from gridmgmt.cli.actor import as_option, cli_actor
from gridmgmt.cli.checks import DAY, DISTANCE, YEAR, Finite, Whole
from gridmgmt.cli.choices import LabelledChoice
from gridmgmt.cli.layout import Group
from gridmgmt.config import get_settings
from gridmgmt.db.models import PartyOrg
from gridmgmt.db.session import make_session
from gridmgmt.domain.permissions import Forbidden
from gridmgmt.domain.site_criteria import CRITERIA, SiteConfig
from gridmgmt.domain.site_review import AWARD_LEVELS, STEP_LABELS
from gridmgmt.domain.site_standards import SiteStandard, org_life_review_period
from gridmgmt.domain.vocab import DEMO_SITE_STATUSES, DEMO_SITE_THEMES, REVIEW_STEPS
from gridmgmt.private_files import write_private
from gridmgmt.services.sites.records import org_history, township_reminders
from gridmgmt.services.sites.review import Application, review, reviewer
from gridmgmt.services.sites.selection import (
    TOUR_SPEED_KMH,
    TOUR_STAY_MIN,
    org_ids,
    plan_tour,
    score_sites,
    select_sites,
    selection_rules,
    township_id,
)
from gridmgmt.services.sites.sheet import review_sheet

CRITERION = LabelledChoice(CRITERIA)
STEP = LabelledChoice(REVIEW_STEPS, STEP_LABELS)


class Weight(click.ParamType):
    """项=权重: a scoring criterion (by its name or code) and its new weight, as (code, weight)."""

    name = "项=权重"

    def convert(self, value, param, ctx):
        """VALUE as (criterion code, weight)."""
        if isinstance(value, tuple):
            return value
        item, _, number = value.partition("=")
        try:
            weight = float(number)
        except ValueError:
            weight = math.nan
        code = CRITERION.code_of(item)
        if code is None or not math.isfinite(weight):
            self.fail(f"“{value}”应写成 项=数值，项为 {CRITERION.listing()} 之一", param, ctx)
        return code, weight


def _config_options(fn):
    """Thresholds of the criteria, shared by the commands that score."""
    for option in reversed(
        [
            click.option(
                "--min-area",
                type=Finite(0),
                default=SiteStandard.min_venue_area_m2,
                show_default=True,
                help="村级活动场所面积下限（平方米，硬性条件）",
            ),
            click.option(
                "--corridor-m",
                type=DISTANCE,
                default=SiteConfig.corridor_m,
                show_default=True,
                help="国道、省道、县道两侧范围（米）",
            ),
            click.option(
                "--catchment-m",
                type=DISTANCE,
                default=SiteConfig.catchment_m,
                show_default=True,
                help="示范点服务范围：沿道路走多少米以内（米）",
            ),
            click.option(
                "--weight",
                "weights",
                type=Weight(),
                multiple=True,
                help=f"改评分权重，如 --weight 党员人数=2，可多次使用；评分项：{CRITERION.listing()}",
            ),
        ]
    ):
        fn = option(fn)
    return fn


def _review_period() -> tuple[date, date]:
    """The 组织生活 review period: the whole quarters before today."""
    return org_life_review_period(get_settings().today())


def _config(min_area, corridor_m, catchment_m, weights) -> SiteConfig:
    changed = SiteConfig().weights | dict(weights)
    try:
        standard = SiteStandard(min_venue_area_m2=min_area, org_life_period=_review_period())
        return SiteConfig(standard=standard, corridor_m=corridor_m, catchment_m=catchment_m, weights=changed)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--weight") from exc


def _run(fn):
    """Run FN(session); a user without the right to decide is a Chinese error and exit code 1 (rule
    breaches are UserErrors, which the command line answers itself)."""
    with make_session() as session:
        try:
            return fn(session)
        except Forbidden as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=Group, help=help_text("sites"))
def sites() -> None:
    """The `gridmgmt sites` group."""


@sites.command("score")
@click.argument("township", metavar="乡镇编码")
@_config_options
def score_command(township, min_area, corridor_m, catchment_m, weights) -> None:
    """给乡镇的候选党组织评分，列出得分明细和不合格原因。"""
    config = _config(min_area, corridor_m, catchment_m, weights)
    scored = _run(lambda s: score_sites(s, township, config))
    click.echo("编码\t名称\t总分\t服务范围加分\t" + "\t".join(CRITERIA.values()) + "\t不合格原因")
    for item in scored:
        c, sc = item.candidate, item.score
        parts = "\t".join(f"{sc.breakdown.get(k, 0):g}" for k in CRITERIA)
        click.echo(f"{c.code}\t{c.name}\t{sc.total:g}\t{sc.catchment_points:g}\t{parts}\t{'；'.join(sc.excluded)}")


@sites.command("select")
@click.argument("township", metavar="乡镇编码")
@click.option("-k", "k", type=Whole(1), required=True, help="示范点总数（含已授牌）")
@click.option(
    "--spacing-m",
    type=DISTANCE,
    default=SiteConfig.min_spacing_m,
    show_default=True,
    help="示范点之间的最小直线距离（米）",
)
@click.option("--per-field", type=Whole(1), default=None, help="每个领域最多几个")
@click.option("--per-theme", type=Whole(1), default=None, help="每个示范主题最多几个")
@click.option(
    "--per-committee",
    type=Whole(1),
    default=SiteStandard.per_committee,
    show_default=True,
    help="每个党委新选最多几个（已授牌的不占名额）",
)
@click.option("--any-committee", is_flag=True, help="不限每个党委新选的个数")
@click.option("--must", multiple=True, metavar="编码", help="必选党组织编码，可多次使用")
@click.option("--greedy", is_flag=True, help="用简单的逐个挑选法（作对照），不求最优")
@click.option("--time-limit", type=Finite(0), default=10.0, show_default=True, help="求解时限（秒）")
@click.option("--tour", "with_tour", is_flag=True, help="同时给出观摩路线")
@_config_options
def select_command(
    township,
    k,
    spacing_m,
    per_field,
    per_theme,
    per_committee,
    any_committee,
    must,
    greedy,
    time_limit,
    with_tour,
    min_area,
    corridor_m,
    catchment_m,
    weights,
) -> None:
    """在满足间距、领域/主题/党委上限、已授牌保留与必选条件下选出若干示范点（-k 个）。"""
    config = _config(min_area, corridor_m, catchment_m, weights)
    standard = replace(config.standard, per_committee=None if any_committee else per_committee)
    config = replace(config, min_spacing_m=spacing_m, standard=standard)

    def work(session):
        scored = score_sites(session, township, config)
        rules = selection_rules(session, k, config, per_field, per_theme, must)
        chosen = select_sites(scored, rules, exact=not greedy, time_limit_s=time_limit)
        by_id = {s.candidate.party_org_id: s for s in scored}
        state = "最优方案" if chosen.optimal else ("逐个挑选法，仅作对照" if greedy else "时限内找到的最好方案")
        click.echo(f"总得分 {chosen.objective:g}（{state}，用时 {chosen.seconds:.2f} 秒）")
        for note in chosen.notes:
            click.echo(f"注意：{note}")
        for org in chosen.ids:
            s = by_id[org]
            click.echo(f"{s.candidate.code}\t{s.candidate.name}\t{s.score.objective:g}")
        if with_tour:
            _echo_tour(plan_tour(session, township, chosen.ids))

    _run(work)


def _echo_tour(tour) -> None:
    click.echo(f"观摩路线（近似最短，车速 {tour.speed_kmh:g} 公里/小时，每点停留 {tour.stay_min:g} 分钟）：")
    for n, stop in enumerate(tour.stops):
        click.echo(
            f"{n}\t{stop.name}\t本段 {stop.leg_m / 1000:.1f} 公里\t累计 {stop.total_m / 1000:.1f} 公里"
            f"\t第 {stop.arrive_min:.0f} 分钟到达"
        )
    if len(tour.stops) > 1:
        click.echo(
            f"返回\t{tour.stops[0].name}\t本段 {tour.back_m / 1000:.1f} 公里\t全程 {tour.round_m / 1000:.1f} 公里"
            f"\t第 {tour.back_min:.0f} 分钟回到"
        )
    for gap in tour.gaps:
        click.echo(f"路网缺口：{gap.describe()}")


@sites.command("tour")
@click.argument("township", metavar="乡镇编码")
@click.argument("codes", nargs=-1, required=True, metavar="党组织编码")
@click.option(
    "--speed-kmh", type=Finite(0, min_open=True), default=TOUR_SPEED_KMH, show_default=True, help="车速（公里/小时）"
)
@click.option("--stay-min", type=Finite(0), default=TOUR_STAY_MIN, show_default=True, help="每个示范点停留（分钟）")
def tour_command(township, codes, speed_kmh, stay_min) -> None:
    """从乡镇政府驻地出发、沿道路依次观摩所列示范点的最短路线。"""
    _run(lambda s: _echo_tour(plan_tour(s, township, org_ids(s, codes), speed_kmh, stay_min)))


@sites.command(
    "review",
    help=f"记录一个评审环节。\n\n环节：{STEP.listing()}。复审保留、限期整改、摘牌为年度复审；"
    "退回整改、不通过、撤销上一步须用 --comment 写明原因。申报、授牌、复审保留须达到创建标准。",
)
@click.argument("org_code", metavar="党组织编码")
@click.argument("step", type=STEP, metavar="环节")
@click.option("--user", "username", required=True, metavar="用户名", help="评审人用户名（须为示范点评审角色）")
@click.option("--year", type=YEAR, default=None, help="年度（默认今年）")
@click.option("--level", type=LabelledChoice(AWARD_LEVELS), default=None, help="授牌级别")
@click.option("--theme", type=LabelledChoice(DEMO_SITE_THEMES), default=None, help="示范主题（申报时）")
@click.option("--highlight", default=None, metavar="文字", help="亮点（申报时，一支部一亮点）")
@click.option("--comment", default=None, metavar="文字", help="评审意见；退回整改、不通过、撤销时为原因")
@click.option("--contact-point/--no-contact-point", default=None, help="是否党建工作联系点（申报时注明）")
@click.option("--secretary-model/--no-secretary-model", default=None, help="是否书记示范点（申报时注明）")
def review_command(
    org_code, step, username, year, level, theme, highlight, comment, contact_point, secretary_model
) -> None:
    """Record review STEP of ORG_CODE's demo site by USERNAME."""
    stated = Application(theme, highlight, contact_point, secretary_model)

    def work(session):
        standard = SiteStandard(org_life_period=_review_period())
        user = reviewer(session, username)
        site = review(session, user, org_code, step, year, level, comment, stated=stated, standard=standard)
        org = session.get(PartyOrg, site.party_org_id)
        click.echo(f"{org.name}（{org_code}）：{STEP_LABELS[step]}，现为“{DEMO_SITE_STATUSES[site.status]}”")

    _run(work)


@sites.command("history")
@click.argument("org_code", metavar="党组织编码")
def history_command(org_code) -> None:
    """一个示范点的全部评审记录。"""

    def work(session):
        for h in org_history(session, org_code):
            click.echo(
                f"{h.decided_at:%Y-%m-%d %H:%M}\t{h.year}年\t{h.label}\t{AWARD_LEVELS.get(h.level, '')}"
                f"\t{h.decided_by}\t{h.comment or ''}{'（已撤销）' if h.undone else ''}"
            )

    _run(work)


@sites.command("reminders")
@click.argument("township", metavar="乡镇编码")
@click.option("--date", "on", type=DAY, default=None, help="日期（默认今天）")
def reminders_command(township, on) -> None:
    """按创建时间表（动员部署、申报、验收、年度复审）列出提醒。"""
    today = on.date() if on else date.today()
    found = _run(lambda s: township_reminders(s, township_id(s, township), today))
    for r in found:
        click.echo(f"{'【已逾期】' if r.kind == 'overdue' else '【提醒】'}{r.message}")
    if not found:
        click.echo("暂无提醒")


@sites.command("sheet")
@click.argument("township", metavar="乡镇编码")
@click.option(
    "-o",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    metavar="文件",
    help="输出文件（仅本账户可读）",
)
@_config_options
@as_option
def sheet_command(township, output, min_area, corridor_m, catchment_m, weights, as_user) -> None:
    """导出评审表（Excel）：候选评分明细与评审记录（含评审人）；须用 --as 指明操作人，记入审计日志。"""
    config = _config(min_area, corridor_m, catchment_m, weights)

    def work(session):
        actor = cli_actor(session, as_user, "review_sites", township=township)
        return review_sheet(
            session, township, score_sites(session, township, config), config, actor=actor, tz=get_settings().timezone
        )

    write_private(output, _run(work))
    click.echo(f"已写入 {output}")
