"""A seeded, reproducible province-scale data set for the benchmarks.

300 departments with groups and aliases, 3,000 users, 500 plans, 100,000 tasks
with phases, 150,000 assignments, progress reports, with dates spread over five
years around "today". Rows go in with bulk inserts, a few thousand at a time.

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


def progress_reports(rng: random.Random, author: User) -> int:
    started = list(Assignment.objects.filter(progress__gt=0).values_list("pk", "progress", "task__start_date"))
    rows = []
    for pk, progress, start in started:
        at = timezone.make_aware(
            datetime.combine(min(TODAY, start + timedelta(days=rng.randint(5, 200))), datetime.min.time())
        )
        rows.append(
            ProgressReport(
                assignment_id=pk,
                author=author,
                text="按计划推进,已完成阶段性工作。",
                percent=progress,
                review_state="approved",
                reviewer=author,
                reviewed_at=at,
            )
        )
    created = _bulk(ProgressReport, rows)
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
        counts.reports = progress_reports(rng, User.objects.filter(role="member").first())
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
