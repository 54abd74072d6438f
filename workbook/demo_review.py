"""A filled weekly review (复盘) of May 2026 for the demo workbook.

Called at the end of `workbook.demo.seed`; idempotent: a second run only fills in
what is missing (causes left empty, no action items yet).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from accounts.models import User
from workbook import reviews
from workbook.models import ActionItem, ActionItemStatus, ReviewStatus, Workbook

PERIOD = "2026-05"
CAUSES = {
    "sessions": (
        "5 月中旬主力 ASIN 的主图被平台替换，搜索点击率下降；同时 5 月 18 日后"
        "广告预算提前用完，晚间流量断档。会话数比目标少约 14%。"
    ),
    "sales": (
        "销售额落后主要来自会话数不足（见上）；转化率和客单价基本达标，"
        "说明页面和价格不是主因。"
    ),
    "acos": "新品广告组出价过高，长尾词占用了大部分预算，广告销售额没有同步增长。",
    "ad_spend": "预算在月中集中花在新品广告组，否定词没有及时加上。",
}
DEFAULT_CAUSE = "数据与目标差距已确认，原因待与团队一起排查。"
SUMMARY = (
    "5 月的问题集中在流量：会话数落后目标，广告预算分配不均。6 月先恢复主图、"
    "按日控制预算，并每周一检查会话数和 ACoS。"
)
ACTIONS = [
    ("sessions", "恢复主图并提交品牌备案申诉，检查其余 ASIN 的图片", 7, True),
    ("sessions", "广告预算改为按日分配，晚间时段单独设置竞价", 10, False),
    ("acos", "新品广告组降低出价 15%，补充否定关键词", 14, False),
]


def _colleague(workbook: Workbook) -> User:
    people = [
        p for p in reviews.assignable_people(workbook) if p.pk != workbook.owner_id
    ]
    return people[0] if people else workbook.owner


@transaction.atomic
def seed(*, workbook: Workbook, stdout: Any = None) -> None:
    owner = workbook.owner
    review = reviews.review_start(workbook=workbook, user=owner, period_label=PERIOD)
    findings = {f.node_key: f for f in review.findings.all()}
    for finding in findings.values():
        if not finding.cause:
            reviews.finding_update(
                finding=finding,
                user=owner,
                cause=CAUSES.get(finding.node_key, DEFAULT_CAUSE),
            )
    if not ActionItem.objects.filter(review=review).exists():
        colleague = _colleague(workbook)
        for index, (node_key, description, days, done) in enumerate(ACTIONS):
            finding = findings.get(node_key)  # else a general item of the review
            item = reviews.action_item_create(
                review=review,
                user=owner,
                description=description,
                owner=owner if index != 1 else colleague,
                due_date=date(2026, 6, days),
                finding=finding,
            )
            if done:
                reviews.action_item_set_status(
                    item=item, user=owner, status=ActionItemStatus.DONE
                )
    if review.status != ReviewStatus.DONE:
        reviews.review_complete(review=review, user=owner, summary=SUMMARY)
    if stdout is not None:
        stdout.write(f"  workbook demo: review {PERIOD} with {len(findings)} findings")
