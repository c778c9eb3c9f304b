"""A seeded, reproducible province-scale data set for the benchmarks.

300 departments with groups and aliases, 3,000 users, 500 plans, 100,000 tasks
with phases, 150,000 assignments (made when their plan was issued, nearly all
acknowledged within days), progress reports (an early one, and a recent one from
most departments whose task asks for periodic reports), and the outbox history of
the reminders (daily digests and supervisors' summaries sent over the past working
days, some 催办), with dates spread over five years around "today". Rows go in with
bulk inserts, a few thousand at a time; timestamps that Django fills in itself
(auto_now_add) are set afterwards with one UPDATE per table.

    DATABASE_URL=postgres://…/duban_bench .venv/bin/python bench/datagen.py [--seed 7] [--scale 1.0]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from notifications.items import URGENCY_LABELS, date_label  # noqa: E402
from notifications.models import Notification  # noqa: E402
from notifications.workdays import is_working_day  # noqa: E402
from org.models import Department, DepartmentAlias, DepartmentGroup, Membership, User  # noqa: E402
from plans.models import Clause, Plan  # noqa: E402
from tasks.models import Assignment, Phase, ProgressReport, Task  # noqa: E402
from tasks.rules import State  # noqa: E402

BATCH = 5000
TODAY = date(2026, 11, 25)

BUREAUS = (
    "教育局 发改委 财政局 人社局 编办 工信局 科技局 自然资源局 住建局 卫健委 民政局 公安局 司法局 审计局 "
    "文旅局 体育局 交通局 生态环境局 农业农村局 水务局 应急管理局 市场监管局 统计局 医保局 大数据局 "
    "机关事务管理局 总工会 团委 妇联 残联 科协 关工委 教育督导室 教科院 宣传部 组织部 网信办 文明办 外事办 信访局"
).split()
COUNTIES = "城东区 城中区 城西区 城北区 湟中区 大通县 湟源县 兴庆区 金凤区 西夏区 永宁县 贺兰县".split()
VERBS = "推进 完善 建立 实施 加强 落实 开展 优化 健全 提升".split()
OBJECTS = (
    "学前教育普惠发展 义务教育优质均衡 普通高中多样化 职业教育产教融合 教师队伍建设 课后服务 "
    "校园安全 智慧校园 学生资助 特殊教育 家庭教育指导 劳动教育 体育美育 心理健康教育 教育督导"
).split()
PHASES = (("preparation", "前期筹备阶段"), ("operation", "组织实施阶段"), ("evaluation", "总结评估阶段"))


@dataclass
class Counts:
    departments: int = 0
    users: int = 0
    plans: int = 0
    clauses: int = 0
    tasks: int = 0
    assignments: int = 0
    phases: int = 0
    reports: int = 0
    notifications: int = 0


def _bulk(model, rows):
    created = []
    for i in range(0, len(rows), BATCH):
        created.extend(model.objects.bulk_create(rows[i : i + BATCH], batch_size=BATCH))
    return created


def departments(rng: random.Random) -> list[Department]:
    rows = [Department(name=f"市{b}", kind="bureau") for b in BUREAUS]
    rows += [Department(name=f"{c}政府", kind="government") for c in COUNTIES]
    schools = 300 - len(rows)
    rows += [Department(name=f"{COUNTIES[i % len(COUNTIES)]}第{i + 1}中学", kind="school") for i in range(schools)]
    for row in rows:
        row.normalized_name = row.name
    created = _bulk(Department, rows)
    _bulk(
        DepartmentAlias,
        [
            DepartmentAlias(department=d, name=f"示范{d.name}", normalized_name=f"示范{d.name}")
            for d in created
            if d.kind == "bureau"
        ],
    )
    counties = [d for d in created if d.kind == "government"]
    group = DepartmentGroup.objects.create(name="各县区政府", normalized_name="各县区政府")
    group.members.set(counties)
    group = DepartmentGroup.objects.create(name="各学校", normalized_name="各学校")
    group.members.set([d for d in created if d.kind == "school"])
    return created


def users(rng: random.Random, depts: list[Department], total: int) -> int:
    password = make_password("bench-password-2026")
    rows = [
        User(username=f"sup{i}", role="supervisor", password=password, email=f"sup{i}@bench.local") for i in range(10)
    ]
    rows += [
        User(username=f"view{i}", role="viewer", password=password, email=f"view{i}@bench.local") for i in range(20)
    ]
    rows += [User(username=f"u{i}", password=password, email=f"u{i}@bench.local") for i in range(total - len(rows))]
    created = _bulk(User, rows)
    members = [u for u in created if u.role == "member"]
    memberships = []
    for i, user in enumerate(members):
        dept = depts[i % len(depts)]
        memberships.append(Membership(user=user, department=dept, role="head" if i < len(depts) else "liaison"))
    _bulk(Membership, memberships)
    return len(created)


def _work(rng: random.Random, due: date, start: date):
    """State, progress and completion date as they would be on TODAY."""
    if due < TODAY:
        roll = rng.random()
        if roll < 0.6:
            return State.COMPLETED, 100, due - timedelta(days=rng.randint(0, 60))
        if roll < 0.75:
            return State.COMPLETED, 100, min(TODAY, due + timedelta(days=rng.randint(1, 90)))
        return State.IN_PROGRESS, rng.randint(10, 90), None
    if start > TODAY:
        return State.NOT_STARTED, 0, None
    span = max((due - start).days, 1)
    expected = (TODAY - start).days * 100 // span
    progress = max(0, min(99, expected + rng.randint(-40, 20)))
    return (State.IN_PROGRESS if progress else State.NOT_STARTED), progress, None


def plans_and_tasks(
    rng: random.Random, depts: list[Department], n_plans: int, n_tasks: int, counts: Counts, author: User
) -> None:
    bureaus = [d for d in depts if d.kind == "bureau"]
    others = [d for d in depts if d.kind != "bureau"]
    per_plan = n_tasks // n_plans
    for p in range(n_plans):
        issued = TODAY - timedelta(days=rng.randint(0, 5 * 365 // 2 + 365))
        plan = Plan.objects.create(
            title=f"示范市{rng.choice(OBJECTS)}三年行动方案({issued.year}—{issued.year + 2}年)第{p + 1}号",
            doc_number=f"示教发〔{issued.year}〕{p + 1}号",
            issuer="示范市教育局",
            issued_on=issued,
            status="active",
            content_hash=f"bench-{p}",
            created_by=author,
        )
        sections = _bulk(
            Clause,
            [
                Clause(
                    plan=plan,
                    label=f"{'一二三四五'[s]}、",
                    path=f"{'一二三四五'[s]}、",
                    position=s * (per_plan + 1) + 1,
                    heading="重点任务",
                )
                for s in range(5)
            ],
        )
        clauses, tasks = [], []
        for t in range(per_plan):
            section = sections[t % 5]
            label = f"{t // 5 + 1}."
            text = f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}。"
            clauses.append(
                Clause(
                    plan=plan,
                    parent=section,
                    label=label,
                    path=f"{section.path}/{label}",
                    position=(t % 5) * (per_plan + 1) + 2 + t // 5,
                    heading=text[:-1],
                    text=text,
                )
            )
        clauses = _bulk(Clause, clauses)
        for clause in clauses:
            start = issued + timedelta(days=rng.randint(0, 60))
            due = TODAY + timedelta(days=rng.randint(-900, 900))
            due = max(due, start + timedelta(days=30))
            state, progress, done = _work(rng, due, start)
            tasks.append(
                Task(
                    plan=plan,
                    clause=clause,
                    title=clause.heading,
                    description=clause.text,
                    start_date=start,
                    due_date=due,
                    due_text=f"{due.year}年{due.month}月底前",
                    reporting_cadence=rng.choice(["none", "monthly", "quarterly"]),
                    state=state,
                    progress=progress,
                    completed_on=done,
                )
            )
        tasks = _bulk(Task, tasks)
        assignments, phases = [], []
        for task in tasks:
            lead = rng.choice(bureaus)
            assignments.append(
                Assignment(
                    task=task,
                    department=lead,
                    role="lead",
                    state=task.state,
                    progress=task.progress,
                    completed_on=task.completed_on,
                )
            )
            if rng.random() < 0.5:
                co = rng.choice(others)
                state, progress, done = _work(rng, task.due_date, task.start_date)
                assignments.append(
                    Assignment(task=task, department=co, role="co", state=state, progress=progress, completed_on=done)
                )
            if rng.random() < 1 / 3:
                span = (task.due_date - task.start_date).days
                cuts = [task.start_date + timedelta(days=span * k // 3) for k in range(4)]
                phases += [
                    Phase(
                        task=task,
                        kind=kind,
                        name=name,
                        position=k,
                        start_date=cuts[k],
                        end_date=cuts[k + 1],
                        text=f"{cuts[k]:%Y年%m月}至{cuts[k + 1]:%Y年%m月}",
                    )
                    for k, (kind, name) in enumerate(PHASES)
                ]
        assignments = _bulk(Assignment, assignments)
        _bulk(Phase, phases)
        counts.clauses += len(clauses) + len(sections)
        counts.tasks += len(tasks)
        counts.assignments += len(assignments)
        counts.phases += len(phases)
        counts.plans += 1


def assignment_history() -> None:
    """Assignments are made a few days after their plan is issued, and acknowledged (签收) within days.

    About 2% of older assignments and half of those made in the last ten days are still unacknowledged.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE tasks_assignment a
               SET created_at = LEAST(
                       (p.issued_on + (a.id %% 7) * interval '1 day' + interval '9 hours') AT TIME ZONE 'Asia/Shanghai',
                       %(now)s)
              FROM tasks_task t JOIN plans_plan p ON p.id = t.plan_id
             WHERE t.id = a.task_id
            """,
            {"now": timezone.make_aware(datetime.combine(TODAY, datetime.min.time()))},
        )
        cursor.execute(
            """
            UPDATE tasks_assignment a
               SET acknowledged_at = a.created_at + ((a.id %% 3) * 24 + 2) * interval '1 hour',
                   acknowledged_by_id = (SELECT m.user_id FROM org_membership m
                                          WHERE m.department_id = a.department_id ORDER BY m.user_id LIMIT 1)
             WHERE CASE WHEN a.created_at > %(recent)s THEN a.id %% 2 = 0 ELSE (a.id * 7919) %% 100 >= 2 END
               AND a.created_at + ((a.id %% 3) * 24 + 2) * interval '1 hour' < %(now)s
            """,
            {
                "recent": timezone.make_aware(datetime.combine(TODAY - timedelta(days=10), datetime.min.time())),
                "now": timezone.make_aware(datetime.combine(TODAY, datetime.min.time())),
            },
        )


def progress_reports(rng: random.Random, author: User) -> int:
    """An early report from every started assignment; a recent one from 80% of open ones with a cadence."""
    started = list(
        Assignment.objects.filter(progress__gt=0).values_list(
            "pk", "progress", "state", "task__start_date", "task__reporting_cadence"
        )
    )
    rows = []

    def report(pk, percent, day):
        at = timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=10))
        return ProgressReport(
            assignment_id=pk,
            author=author,
            text="按计划推进,已完成阶段性工作。",
            percent=percent,
            review_state="approved",
            reviewer=author,
            reviewed_at=at,
        )

    for pk, progress, state, start, cadence in started:
        early = min(TODAY, start + timedelta(days=rng.randint(5, 200)))
        rows.append(report(pk, max(1, progress // 2) if state != State.COMPLETED else progress, early))
        if state != State.COMPLETED and cadence != "none" and rng.random() < 0.8:
            rows.append(report(pk, progress, max(early, TODAY - timedelta(days=rng.randint(1, 20)))))
    created = _bulk(ProgressReport, rows)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tasks_progressreport SET submitted_at = reviewed_at - interval '2 hours'")
    return len(created)


def _item(rng: random.Random, row, day: date) -> dict:
    """An outbox item as the sweep writes it (notifications.items), for a past day."""
    assignment_id, task_id, plan_id, plan_title, doc_number, task_title, dept_id, dept, role, due = row
    overdue = due < day
    days = max(1, (day - due).days * 5 // 7) if overdue else max(0, (due - day).days * 5 // 7)
    urgency = "overdue" if overdue else ("today" if days == 0 else ("soon" if days <= 3 else "upcoming"))
    escalation = "head" if overdue and days >= 3 and rng.random() < 0.3 else None
    return {
        "kind": "due",
        "what": "完成时限",
        "urgency": "escalated" if escalation else urgency,
        "escalation": escalation,
        "assignment_id": assignment_id,
        "task_id": task_id,
        "plan_id": plan_id,
        "plan_title": plan_title,
        "plan_doc_number": doc_number,
        "clause": "",
        "task_title": task_title,
        "department_id": dept_id,
        "department": dept,
        "role": role,
        "role_label": "牵头单位" if role == "lead" else "配合单位",
        "deadline": due.isoformat(),
        "days_left": None if overdue else days,
        "days_overdue": days if overdue else None,
        "status": f"已逾期 {days} 个工作日" if overdue else f"还剩 {days} 个工作日",
        "url": f"http://127.0.0.1:8000/tasks/{task_id}/",
    }


def outbox_history(rng: random.Random, working_days: int = 40) -> int:
    """Daily digests and summaries sent over the past working days, a few failed, and some 催办 rows.

    Each liaison hears on about a third of the days, about 1–4 items of their own department's open work.
    """
    open_rows = list(
        Assignment.objects.exclude(state=State.COMPLETED)
        .order_by("id")
        .values_list(
            "pk",
            "task_id",
            "task__plan_id",
            "task__plan__title",
            "task__plan__doc_number",
            "task__title",
            "department_id",
            "department__name",
            "role",
            "task__due_date",
        )
    )
    by_department: dict[int, list] = {}
    for row in open_rows:
        by_department.setdefault(row[6], []).append(row)
    liaisons = list(
        Membership.objects.filter(role="liaison")
        .order_by("user_id")
        .values_list("user_id", "department_id", "user__email")
    )
    supervisors = list(User.objects.filter(role="supervisor").order_by("id").values_list("id", "email"))
    days, day = [], TODAY - timedelta(days=1)
    while len(days) < working_days:
        if is_working_day(day):
            days.append(day)
        day -= timedelta(days=1)
    rows = []
    for day in reversed(days):
        sent = timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=8, minutes=1))
        for user_id, dept_id, address in liaisons:
            candidates = by_department.get(dept_id)
            if not candidates or rng.random() > 0.33:
                continue
            items = [_item(rng, r, day) for r in rng.sample(candidates, min(len(candidates), rng.randint(1, 4)))]
            failed = rng.random() < 0.003
            rows.append(
                Notification(
                    recipient_id=user_id,
                    address=address,
                    kind="digest",
                    for_date=day,
                    subject=f"【督办提醒】{date_label(day)} 您有 {len(items)} 项任务需要关注",
                    items=items,
                    dedup_key=f"daily:{user_id}:{day.isoformat()}",
                    state="failed" if failed else "sent",
                    attempts=5 if failed else 1,
                    last_error="SMTPRecipientsRefused: 550 mailbox unavailable" if failed else "",
                    next_attempt_at=sent,
                    sent_at=None if failed else sent,
                )
            )
        for user_id, address in supervisors:
            items = [_item(rng, r, day) for r in rng.sample(open_rows, 20)]
            rows.append(
                Notification(
                    recipient_id=user_id,
                    address=address,
                    kind="summary",
                    for_date=day,
                    subject=f"【督查日报】{date_label(day)} 督办事项汇总",
                    items=items,
                    totals={"open": len(open_rows), "overdue": len(open_rows) // 3, "unacknowledged": 40, "failed": 3},
                    dedup_key=f"daily:{user_id}:{day.isoformat()}",
                    state="sent",
                    attempts=1,
                    next_attempt_at=sent,
                    sent_at=sent,
                )
            )
    assert set(URGENCY_LABELS) >= {"overdue", "today", "soon", "upcoming", "escalated"}
    created = _bulk(Notification, rows)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE notifications_notification SET created_at = next_attempt_at - interval '1 minute'")
    return len(created)


def generate(*, seed: int = 7, scale: float = 1.0) -> Counts:
    rng = random.Random(seed)
    counts = Counts()
    with transaction.atomic():
        depts = departments(rng)
        counts.departments = len(depts)
        counts.users = users(rng, depts, int(3000 * scale) if scale < 1 else 3000)
        supervisor = User.objects.get(username="sup0")
        plans_and_tasks(rng, depts, max(1, int(500 * scale)), int(100_000 * scale), counts, supervisor)
        # The history below draws from its own generator, so the core data stays as it was for a given seed.
        history = random.Random(seed + 1)
        assignment_history()
        counts.reports = progress_reports(history, User.objects.filter(role="member").first())
        counts.notifications = outbox_history(history)
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = province scale (100,000 tasks)")
    args = parser.parse_args()
    if Plan.objects.exists():
        raise SystemExit(f"database {connection.settings_dict['NAME']} already holds plans; use an empty one")
    started = time.perf_counter()
    counts = generate(seed=args.seed, scale=args.scale)
    print(f"generated in {time.perf_counter() - started:.1f} s: {counts}")


if __name__ == "__main__":
    main()
