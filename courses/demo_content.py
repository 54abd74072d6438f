"""The demo course, written from the method's outline, in Chinese and English.

Every text is a `Bi(zh, en)`; both languages share one block structure, so a block
keeps its id across translations (and a trainee's quiz answers and ticks with it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Bi:
    zh: str
    en: str


COURSE_SLUG = "kpi-management"

CATALOGUE = {
    "slug": "courses",
    "title": Bi("课程", "Courses"),
    "intro": Bi(
        "<p>为跨境电商团队设计的 KPI 管理课程：从目标拆解到周复盘，边学边做自己的 KPI 工作簿。</p>",
        "<p>KPI management courses for cross-border e-commerce teams: from "
        "decomposing targets to the weekly review, building your own KPI workbook "
        "as you go.</p>",
    ),
}

COURSE: dict[str, Any] = {
    "slug": COURSE_SLUG,
    "title": Bi(
        "跨境电商团队的 KPI 管理实战",
        "KPI Management for Cross-border E-commerce Teams",
    ),
    "summary": Bi(
        "把年度目标拆到每个平台、每个部门、每个岗位；为每个岗位定三到五个核心 KPI；"
        "用可信的数据看板和每周复盘把差距变成行动。",
        "Break the annual target down to every platform, department and role; give "
        "each role three to five core KPIs; and turn gaps into actions with a "
        "dashboard you trust and a weekly review.",
    ),
    "outcomes": Bi(
        "把公司年度 GMV 和利润目标拆解到季度、月度和各平台\n"
        "为公司、部门、岗位设计 KPI，并写清口径、负责人和数据来源\n"
        "搭建一张团队愿意相信的数据看板\n"
        "主持一次“指标→原因→行动”的周复盘\n"
        "设计既能激励、又不只是扣钱的考核方案",
        "Decompose the company's annual GMV and profit targets by quarter, month and platform\n"
        "Design company, department and role KPIs with definitions, owners and data sources\n"
        "Build a dashboard your team trusts\n"
        "Run a weekly review that goes metric → cause → action\n"
        "Design incentives that motivate rather than only punish",
    ),
    "audience": Bi(
        "跨境电商公司的老板、运营总监、部门负责人，以及负责推动 KPI 落地的内部推动人。",
        "Owners, heads of operations and department leads of cross-border sellers, "
        "and the internal champions who carry KPIs into the company.",
    ),
    "prerequisites": Bi(
        "能导出自己店铺的业务报告（如亚马逊 Business Report）；会用 Excel 的基本功能。",
        "You can export your store's business reports (e.g. Amazon Business "
        "Reports) and use Excel's basics.",
    ),
    "duration": Bi("6 周 · 约 12 小时", "6 weeks · about 12 hours"),
    "level": "foundation",
    "teaching_language": "bilingual",
    "topic": "kpi_design",
    "offers_public_class": True,
    "offers_small_cohort": True,
    "offers_in_house": True,
}

MODULES: list[dict[str, Any]] = [
    {
        "slug": "targets",
        "title": Bi("第一单元 · 目标与拆解", "Module 1 · Targets and decomposition"),
        "summary": Bi(
            "从公司目标出发，自上而下拆解。",
            "Start from the company's targets and decompose them top-down.",
        ),
        "lessons": [
            {
                "slug": "why-kpis",
                "preview": True,
                "minutes": 15,
                "title": Bi(
                    "为什么跨境团队需要 KPI", "Why cross-border teams need KPIs"
                ),
                "summary": Bi(
                    "KPI 是有人负责、有目标、有复盘日期的数字。",
                    "A KPI is a number someone owns, with a target and a review date.",
                ),
                "body": [
                    (
                        "paragraph",
                        Bi(
                            "<p>多平台、多站点、多币种的跨境团队，最常见的问题不是没有数据，而是<b>数据太多、没人负责</b>。KPI 管理把公司的目标变成每个人都知道“我负责哪个数字、目标是多少、什么时候复盘”。</p>",
                            "<p>A team selling on several platforms, sites and currencies rarely lacks data; it has <b>too much data and no owners</b>. KPI management turns the company's targets into something everyone can answer: which number do I own, what is its target, and when do we review it.</p>",
                        ),
                    ),
                    (
                        "heading",
                        {
                            "text": Bi(
                                "好的 KPI 有四个要素", "A good KPI has four parts"
                            ),
                            "level": "h2",
                        },
                    ),
                    (
                        "paragraph",
                        Bi(
                            "<ol><li>口径：怎么算，例如 ACoS = 广告花费 ÷ 广告销售额；</li><li>负责人：一个名字，不是一个部门；</li><li>目标：按月、按平台可比较；</li><li>数据来源：哪张报表、谁导出、多久更新。</li></ol>",
                            "<ol><li>A definition: how it is computed, e.g. ACoS = ad spend ÷ ad sales;</li><li>An owner: a name, not a department;</li><li>A target, comparable by month and platform;</li><li>A data source: which report, who exports it, how often.</li></ol>",
                        ),
                    ),
                    (
                        "video",
                        {
                            "url": "https://www.youtube.com/watch?v=5MgBikgcWnY",
                            "caption": Bi(
                                "导读：KPI 管理全景（12 分钟）",
                                "Overview: KPI management in 12 minutes",
                            ),
                        },
                    ),
                    (
                        "callout",
                        {
                            "kind": "tip",
                            "title": Bi(
                                "先从一个试点团队开始", "Start with one pilot team"
                            ),
                            "body": Bi(
                                "<p>选一两个团队试点约四周，跑通周复盘再全面推广。</p>",
                                "<p>Pilot with one or two teams for about four weeks, get the weekly review working, then roll out.</p>",
                            ),
                        },
                    ),
                    (
                        "quiz",
                        {
                            "question": Bi(
                                "下面哪一项最像一个合格的 KPI？",
                                "Which of these is closest to a proper KPI?",
                            ),
                            "kind": "single",
                            "options": [
                                {
                                    "text": Bi(
                                        "提升店铺表现", "Improve store performance"
                                    ),
                                    "is_correct": False,
                                    "explanation": Bi(
                                        "没有口径、目标和负责人。",
                                        "No definition, target or owner.",
                                    ),
                                },
                                {
                                    "text": Bi(
                                        "美国站 3 月 ACoS ≤ 25%，负责人：广告组 Kevin，数据来自广告报表",
                                        "US site ACoS ≤ 25% in March, owner: Kevin (ads), from the advertising report",
                                    ),
                                    "is_correct": True,
                                    "explanation": Bi(
                                        "口径、目标、负责人、数据来源都齐了。",
                                        "Definition, target, owner and data source are all there.",
                                    ),
                                },
                                {
                                    "text": Bi(
                                        "广告部所有指标都要好",
                                        "Every ads metric must be good",
                                    ),
                                    "is_correct": False,
                                    "explanation": Bi(
                                        "“都重要”等于都不重要。",
                                        "“Everything matters” means nothing does.",
                                    ),
                                },
                            ],
                            "explanation": Bi(
                                "<p>KPI 必须可衡量、有人负责、能复盘。</p>",
                                "<p>A KPI must be measurable, owned and reviewed.</p>",
                            ),
                        },
                    ),
                ],
            },
            {
                "slug": "decompose-targets",
                "preview": False,
                "minutes": 25,
                "title": Bi(
                    "从年度目标拆到月度目标", "From the annual target to the month"
                ),
                "summary": Bi(
                    "按季度、月份、平台和团队拆解目标，并检查自下而上是否对得上。",
                    "Split the target by quarter, month, platform and team, and check the bottom-up sum agrees.",
                ),
                "body": [
                    (
                        "paragraph",
                        Bi(
                            "<p>拆解从公司级目标开始：年度 GMV 与净利润。先按去年的季节性拆到月，再按平台和站点拆，最后落到团队和个人。</p>",
                            "<p>Decomposition starts at the company: annual GMV and net profit. Split it into months using last year's seasonality, then by platform and site, and finally by team and person.</p>",
                        ),
                    ),
                    (
                        "image",
                        {
                            "image": "$image:kpi_tree",
                            "alt_text": Bi(
                                "KPI 树：GMV 拆成流量、转化率和客单价",
                                "KPI tree: GMV split into sessions, conversion and order value",
                            ),
                            "caption": Bi(
                                "销售额 = 流量 × 转化率 × 客单价",
                                "Sales = sessions × conversion rate × average order value",
                            ),
                        },
                    ),
                    (
                        "callout",
                        {
                            "kind": "warning",
                            "title": Bi(
                                "自上而下和自下而上要对账",
                                "Top-down and bottom-up must reconcile",
                            ),
                            "body": Bi(
                                "<p>各团队报上来的目标加总后和公司目标不一致时，要把差异摆出来讨论，而不是悄悄改数。</p>",
                                "<p>When the teams' targets do not add up to the company target, put the difference on the table instead of quietly changing numbers.</p>",
                            ),
                        },
                    ),
                    (
                        "checklist",
                        {
                            "title": Bi("拆解前的准备", "Before you decompose"),
                            "items": [
                                Bi("拿到去年分月的 GMV", "Last year's GMV by month"),
                                Bi(
                                    "确认各站点使用的汇率",
                                    "The FX rates each site uses",
                                ),
                                Bi(
                                    "列出每个平台的负责人", "The owner of each platform"
                                ),
                            ],
                        },
                    ),
                    (
                        "workbook_exercise",
                        {
                            "title": Bi(
                                "在工作簿里拆解你的年度目标",
                                "Decompose your annual target in the workbook",
                            ),
                            "instructions": Bi(
                                "<p>输入年度 GMV 目标，选择“按去年季节性”分配到月份。</p>",
                                "<p>Enter the annual GMV target and allocate it to months by last year's seasonality.</p>",
                            ),
                            "step": "targets",
                        },
                    ),
                ],
            },
        ],
    },
    {
        "slug": "design",
        "title": Bi("第二单元 · 设计 KPI", "Module 2 · Designing KPIs"),
        "summary": Bi(
            "公司、部门、岗位三级 KPI。", "Company, department and role KPIs."
        ),
        "lessons": [
            {
                "slug": "three-levels",
                "preview": False,
                "minutes": 30,
                "title": Bi(
                    "公司、部门、岗位三级 KPI", "Company, department and role KPIs"
                ),
                "summary": Bi(
                    "每个岗位三到五个核心 KPI。", "Three to five core KPIs per role."
                ),
                "body": [
                    (
                        "heading",
                        {"text": Bi("三级结构", "Three levels"), "level": "h2"},
                    ),
                    (
                        "paragraph",
                        Bi(
                            "<ul><li>公司级：GMV、净利润、库存周转；</li><li>部门级：广告 ROAS、仓储成本、新品成功率；</li><li>岗位级：Listing 更新数、客服响应时间、广告 ACoS。</li></ul>",
                            "<ul><li>Company: GMV, net profit, inventory turnover;</li><li>Department: ad ROAS, warehousing cost, new-product success rate;</li><li>Role: listings updated, customer-response time, ad ACoS.</li></ul>",
                        ),
                    ),
                    (
                        "callout",
                        {
                            "kind": "pitfall",
                            "title": Bi(
                                "每个岗位的 KPI 太多", "Too many KPIs per role"
                            ),
                            "body": Bi(
                                "<p>一个人背十个 KPI，等于没有重点。保留三到五个核心指标，其余放进看板观察。</p>",
                                "<p>Ten KPIs for one person means no focus. Keep three to five core KPIs and watch the rest on the dashboard.</p>",
                            ),
                        },
                    ),
                    (
                        "paragraph",
                        Bi(
                            "<p>跨部门指标（例如新品上市成功率）由市场、供应链、运营共同承担，要写明每一个负责人。</p>",
                            "<p>Cross-department KPIs, such as new-product launch success, are shared by marketing, supply chain and operations, and name every owner.</p>",
                        ),
                    ),
                    (
                        "quiz",
                        {
                            "question": Bi(
                                "哪些适合做亚马逊广告专员的岗位 KPI？（多选）",
                                "Which fit as role KPIs for an Amazon ads specialist? (choose all)",
                            ),
                            "kind": "multiple",
                            "options": [
                                {
                                    "text": Bi(
                                        "负责站点的 ACoS", "ACoS of the sites they run"
                                    ),
                                    "is_correct": True,
                                    "explanation": Bi(
                                        "直接受其操作影响。",
                                        "Directly driven by their work.",
                                    ),
                                },
                                {
                                    "text": Bi(
                                        "广告点击率 CTR", "Ad click-through rate (CTR)"
                                    ),
                                    "is_correct": True,
                                    "explanation": Bi(
                                        "可以由创意和关键词改善。",
                                        "Improved by creatives and keywords.",
                                    ),
                                },
                                {
                                    "text": Bi("公司净利润", "Company net profit"),
                                    "is_correct": False,
                                    "explanation": Bi(
                                        "是公司级指标，个人无法单独影响。",
                                        "A company KPI one person cannot move alone.",
                                    ),
                                },
                                {
                                    "text": Bi("仓储成本", "Warehousing cost"),
                                    "is_correct": False,
                                    "explanation": Bi(
                                        "属于供应链部门。", "Belongs to supply chain."
                                    ),
                                },
                            ],
                            "explanation": Bi(
                                "<p>岗位 KPI 应该是这个人能直接影响的数字。</p>",
                                "<p>A role KPI is a number the person can directly move.</p>",
                            ),
                        },
                    ),
                    (
                        "workbook_exercise",
                        {
                            "title": Bi(
                                "为你的团队添加三个岗位 KPI",
                                "Add your team's three role KPIs",
                            ),
                            "instructions": Bi(
                                "<p>从指标库中为你自己的岗位选三个 KPI，写上负责人和数据来源。</p>",
                                "<p>From the metric library, choose three KPIs for your own role and give each an owner and a data source.</p>",
                            ),
                            "step": "role_kpis",
                        },
                    ),
                ],
            },
            {
                "slug": "dont-copy",
                "preview": False,
                "minutes": 20,
                "title": Bi("不要照搬大卖的指标", "Don't copy a big seller's metrics"),
                "summary": Bi(
                    "模板是起点，要按平台、站点和阶段调整。",
                    "Templates are starting points: adjust them by platform, site and stage.",
                ),
                "body": [
                    (
                        "paragraph",
                        Bi(
                            "<p>亚马逊 BSR 排名的逻辑并不适用于独立站；成熟期公司看利润，早期公司看增长。模板是起点，不是答案。</p>",
                            "<p>Amazon Best Seller Rank logic does not fit an independent Shopify store; mature companies weight profit, early ones growth. A template is a starting point, not the answer.</p>",
                        ),
                    ),
                    (
                        "callout",
                        {
                            "kind": "pitfall",
                            "title": Bi(
                                "照搬别人的 KPI", "Copying someone else's KPIs"
                            ),
                            "body": Bi(
                                "<p>别人的指标背后是别人的渠道结构和阶段。先问：这个数字在我们公司由谁影响？</p>",
                                "<p>Another company's KPIs reflect its channels and stage. Ask first: who in our company moves this number?</p>",
                            ),
                        },
                    ),
                    (
                        "downloads",
                        {
                            "heading": Bi("模板与手册", "Templates and manual"),
                            "documents": [
                                {
                                    "document": "$doc:kpi_template",
                                    "description": Bi(
                                        "三级 KPI 设计表，可直接在 Excel 中编辑",
                                        "Three-level KPI design sheet, editable in Excel",
                                    ),
                                },
                                {
                                    "document": "$doc:manual",
                                    "description": Bi(
                                        "Lodestar KPI 手册（计算口径与常见误区）",
                                        "The Lodestar KPI manual: definitions and common pitfalls",
                                    ),
                                },
                            ],
                        },
                    ),
                    (
                        "checklist",
                        {
                            "title": Bi("改模板时检查", "When adapting a template"),
                            "items": [
                                Bi(
                                    "每个指标都适用于我们的平台",
                                    "Every metric applies to our platforms",
                                ),
                                Bi(
                                    "按站点考虑了币种和物流时效",
                                    "Currency and delivery times considered per site",
                                ),
                                Bi(
                                    "每季度回顾一次指标集合",
                                    "The KPI set is reviewed every quarter",
                                ),
                            ],
                        },
                    ),
                ],
            },
        ],
    },
    {
        "slug": "review",
        "title": Bi(
            "第三单元 · 数据、复盘与激励", "Module 3 · Data, reviews and incentives"
        ),
        "summary": Bi(
            "让数据可信，让复盘产生行动。",
            "Make the data trusted and the review produce actions.",
        ),
        "lessons": [
            {
                "slug": "trusted-dashboards",
                "preview": False,
                "minutes": 25,
                "title": Bi("数据看板与数据可信", "Dashboards you can trust"),
                "summary": Bi(
                    "一个错的数字就会让大家不再相信看板。",
                    "One wrong number and nobody trusts the dashboard again.",
                ),
                "body": [
                    (
                        "paragraph",
                        Bi(
                            "<p>看板上的每个数字都要能追溯到来源报表。月度 ACoS 要用当月广告花费之和除以广告销售额之和，而不是把每日 ACoS 取平均。</p>",
                            "<p>Every number on the dashboard must trace back to its source report. A month's ACoS is the month's total ad spend over total ad sales, never the average of daily ACoS.</p>",
                        ),
                    ),
                    (
                        "video",
                        {
                            "url": "https://vimeo.com/76979871",
                            "caption": Bi(
                                "演示：导入业务报告并检查异常值",
                                "Demo: importing a business report and checking outliers",
                            ),
                        },
                    ),
                    (
                        "checklist",
                        {
                            "title": Bi("数据可信检查清单", "Data trust checklist"),
                            "items": [
                                Bi(
                                    "每个指标都写明了数据来源",
                                    "Every metric names its data source",
                                ),
                                Bi("每周一更新数据", "Data is refreshed every Monday"),
                                Bi(
                                    "异常值有人手工抽查", "Outliers are sampled by hand"
                                ),
                            ],
                        },
                    ),
                    (
                        "workbook_exercise",
                        {
                            "title": Bi(
                                "导入你的第一份业务报告",
                                "Import your first business report",
                            ),
                            "instructions": Bi(
                                "<p>从亚马逊或 Shopify 导出上个月的报告并导入工作簿。</p>",
                                "<p>Export last month's report from Amazon or Shopify and import it into your workbook.</p>",
                            ),
                            "step": "data",
                        },
                    ),
                ],
            },
            {
                "slug": "weekly-review",
                "preview": False,
                "minutes": 30,
                "title": Bi(
                    "周复盘：指标 → 原因 → 行动",
                    "The weekly review: metric → cause → action",
                ),
                "summary": Bi(
                    "每个偏离目标的 KPI，找到驱动因素、原因和行动。",
                    "For each off-track KPI: the driver, the cause and the action.",
                ),
                "body": [
                    (
                        "heading",
                        {
                            "text": Bi("复盘的三个问题", "Three questions"),
                            "level": "h2",
                        },
                    ),
                    (
                        "paragraph",
                        Bi(
                            "<p>哪个驱动因素造成了差距？原因是什么？下周做什么、谁负责、何时完成？行动项要一直跟进到完成。</p>",
                            "<p>Which driver explains the gap? What caused it? What do we do next week, who owns it, and by when? Action items are followed until done.</p>",
                        ),
                    ),
                    (
                        "callout",
                        {
                            "kind": "tip",
                            "title": Bi("管理层要在场", "Keep management in the room"),
                            "body": Bi(
                                "<p>管理层参加周会和月会，复盘才不会流于形式。</p>",
                                "<p>When management attends the weekly and monthly reviews, they stay real.</p>",
                            ),
                        },
                    ),
                    (
                        "quiz",
                        {
                            "question": Bi(
                                "销售额未达标，拆解显示转化率下降最多。下一步最好是？",
                                "Sales missed target and conversion fell the most. The best next step?",
                            ),
                            "kind": "single",
                            "options": [
                                {
                                    "text": Bi("增加广告预算", "Raise the ad budget"),
                                    "is_correct": False,
                                    "explanation": Bi(
                                        "流量不是主要驱动因素。",
                                        "Traffic is not the main driver.",
                                    ),
                                },
                                {
                                    "text": Bi(
                                        "查找转化率下降的原因（价格、评价、缺货），并指定负责人行动",
                                        "Find why conversion fell (price, reviews, stock-outs) and assign an owner an action",
                                    ),
                                    "is_correct": True,
                                    "explanation": Bi(
                                        "指标 → 原因 → 行动。",
                                        "Metric → cause → action.",
                                    ),
                                },
                                {
                                    "text": Bi(
                                        "扣掉运营的绩效奖金", "Cut the operator's bonus"
                                    ),
                                    "is_correct": False,
                                    "explanation": Bi(
                                        "KPI 是用来改进的，不只是惩罚。",
                                        "KPIs are for improving, not only punishing.",
                                    ),
                                },
                            ],
                            "explanation": Bi("", ""),
                        },
                    ),
                    (
                        "downloads",
                        {
                            "heading": Bi("复盘模板", "Review template"),
                            "documents": [
                                {
                                    "document": "$doc:review_template",
                                    "description": Bi(
                                        "周复盘记录表", "Weekly review log"
                                    ),
                                }
                            ],
                        },
                    ),
                    (
                        "assignment_link",
                        {
                            "title": Bi(
                                "作业：提交一次周复盘记录",
                                "Homework: submit one weekly review",
                            ),
                            "instructions": Bi(
                                "<p>用你团队上周的数据完成一次复盘，提交给教练点评。</p>",
                                "<p>Run a review on last week's data with your team and submit it for your coach's feedback.</p>",
                            ),
                            "link": "/cohorts/",
                            "due_hint": Bi("第 4 次课前", "Before session 4"),
                        },
                    ),
                ],
            },
            {
                "slug": "incentives",
                "preview": False,
                "minutes": 20,
                "title": Bi(
                    "激励：KPI 不只是用来扣钱",
                    "Incentives: KPIs are not only for punishing",
                ),
                "summary": Bi(
                    "激励方案与反馈机制。", "Incentive design and a feedback channel."
                ),
                "body": [
                    (
                        "paragraph",
                        Bi(
                            "<p>只和罚款挂钩的 KPI 会让大家隐藏问题。把 KPI 与改进行动、成长和奖励一起设计，并允许员工通过公开渠道对口径或目标提出异议。</p>",
                            "<p>KPIs tied only to penalties teach people to hide problems. Design them together with improvement actions, growth and rewards, and let people dispute a definition or target through a visible channel.</p>",
                        ),
                    ),
                    (
                        "callout",
                        {
                            "kind": "pitfall",
                            "title": Bi("没有反馈闭环", "No feedback loop"),
                            "body": Bi(
                                "<p>定了 KPI 却从不复盘、从不调整，KPI 会很快失去意义。</p>",
                                "<p>KPIs that are never reviewed or adjusted soon stop meaning anything.</p>",
                            ),
                        },
                    ),
                    (
                        "quiz",
                        {
                            "question": Bi(
                                "哪些做法有助于 KPI 真正落地？（多选）",
                                "Which help KPIs take hold? (choose all)",
                            ),
                            "kind": "multiple",
                            "options": [
                                {
                                    "text": Bi(
                                        "指定内部推动人", "Name an internal champion"
                                    ),
                                    "is_correct": True,
                                    "explanation": Bi(
                                        "有人持续推动方法落地。",
                                        "Someone carries the method every week.",
                                    ),
                                },
                                {
                                    "text": Bi(
                                        "每季度回顾 KPI 集合",
                                        "Review the KPI set every quarter",
                                    ),
                                    "is_correct": True,
                                    "explanation": Bi(
                                        "业务阶段变了，指标也要变。",
                                        "The KPIs change as the business does.",
                                    ),
                                },
                                {
                                    "text": Bi(
                                        "KPI 未达标一律扣款", "Fine every missed KPI"
                                    ),
                                    "is_correct": False,
                                    "explanation": Bi(
                                        "会让问题被隐藏。",
                                        "It teaches people to hide problems.",
                                    ),
                                },
                            ],
                            "explanation": Bi("", ""),
                        },
                    ),
                    (
                        "checklist",
                        {
                            "title": Bi("激励方案自检", "Incentive plan self-check"),
                            "items": [
                                Bi(
                                    "奖励和改进行动挂钩",
                                    "Rewards are tied to improvement actions",
                                ),
                                Bi(
                                    "有公开的异议渠道",
                                    "There is a visible channel for disputes",
                                ),
                            ],
                        },
                    ),
                ],
            },
        ],
    },
]

SECOND_COURSE: dict[str, Any] = {
    "slug": "amazon-ads-review",
    "title": Bi("亚马逊广告指标与复盘", "Amazon Advertising Metrics and Reviews"),
    "summary": Bi(
        "ACoS、TACoS、ROAS 的口径与取舍，以及广告周复盘的做法。",
        "ACoS, TACoS and ROAS: definitions, trade-offs and the weekly ads review.",
    ),
    "outcomes": Bi(
        "区分 ACoS 与 TACoS，知道何时看哪一个\n用广告报表做一次广告复盘",
        "Tell ACoS from TACoS and know when to use which\nRun an ads review from the advertising report",
    ),
    "audience": Bi(
        "亚马逊广告负责人与运营。", "Amazon advertising leads and operators."
    ),
    "prerequisites": Bi(
        "完成《KPI 管理实战》第一单元。", "Module 1 of KPI Management."
    ),
    "duration": Bi("2 周 · 约 4 小时", "2 weeks · about 4 hours"),
    "level": "intermediate",
    "teaching_language": "zh-hans",
    "topic": "dashboards",
    "offers_public_class": False,
    "offers_small_cohort": True,
    "offers_in_house": False,
    "lessons": [
        {
            "slug": "acos-tacos",
            "preview": True,
            "minutes": 15,
            "title": Bi("ACoS 与 TACoS", "ACoS and TACoS"),
            "summary": Bi(
                "两个指标的口径和用途。", "What each one measures and when to use it."
            ),
            "body": [
                (
                    "paragraph",
                    Bi(
                        "<p>ACoS = 广告花费 ÷ 广告销售额；TACoS = 广告花费 ÷ 总销售额。TACoS 反映广告对整体生意的依赖程度。</p>",
                        "<p>ACoS = ad spend ÷ ad sales; TACoS = ad spend ÷ total sales. TACoS shows how much the whole business leans on ads.</p>",
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "title": Bi("不要平均每日 ACoS", "Never average daily ACoS"),
                        "body": Bi(
                            "<p>月度 ACoS 要用合计值重新计算。</p>",
                            "<p>Recompute a month's ACoS from the month's totals.</p>",
                        ),
                    },
                ),
            ],
        },
    ],
}
