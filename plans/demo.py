"""Demo data for `make run`. Idempotent: a restart keeps what users changed."""

import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from core.errors import DomainError
from org.models import Department, DepartmentAlias, DepartmentGroup, DepartmentGroupAlias, Membership, User
from org.naming import normalize_name
from plans.importing.registry import default_registry
from plans.models import Plan
from plans.services import DUPLICATE, plan_import_document

log = logging.getLogger(__name__)

DEMO_PASSWORD = "duban-demo-2026"
# Plans from the shared corpus beside the project, when it is there.
CORPUS_DIR = Path(settings.BASE_DIR).parent / "shared" / "corpus"
DEMO_PLAN_FILES = ("004_72fade767b193fd1.txt", "000_d4ef94a5bedde949.txt")
BUNDLED_PLAN = Path(settings.BASE_DIR) / "demo" / "plan.txt"
# The demo plans are confirmed unreviewed: their tasks without a date are followed by quarterly reports.
DEMO_UNDATED_CADENCE = "quarterly"


@dataclass
class SeedReport:
    departments: int = 0
    groups: int = 0
    plans: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _kind_of(name: str) -> str:
    """A directory entry's kind, from how Chinese unit names end."""
    if name.endswith("政府"):
        return Department.Kind.GOVERNMENT
    if name.endswith(("学校", "中学", "小学", "幼儿园", "学院", "大学")):
        return Department.Kind.SCHOOL
    if name.endswith(("办", "办公室", "办公厅", "部")):
        return Department.Kind.OFFICE
    if name.endswith(("局", "委", "委员会", "室", "所", "院")):
        return Department.Kind.BUREAU
    return Department.Kind.OTHER


def seed_directory() -> None:
    """Departments, aliases and groups of a city education system: the importer's default registry."""
    registry = default_registry()
    for entry in registry.departments:
        department, _ = Department.objects.get_or_create(
            normalized_name=normalize_name(entry.name), defaults={"name": entry.name, "kind": _kind_of(entry.name)}
        )
        for alias in entry.aliases:
            key = normalize_name(alias)
            if not Department.objects.filter(normalized_name=key).exists():
                DepartmentAlias.objects.get_or_create(
                    normalized_name=key, defaults={"department": department, "name": alias}
                )
    for entry in registry.groups:
        group, _ = DepartmentGroup.objects.get_or_create(
            normalized_name=normalize_name(entry.name), defaults={"name": entry.name}
        )
        group.members.add(*Department.objects.filter(name__in=entry.members))
        for alias in entry.aliases:
            DepartmentGroupAlias.objects.get_or_create(
                normalized_name=normalize_name(alias), defaults={"group": group, "name": alias}
            )


def _user(username, *, first_name, role=User.Role.MEMBER, department=None, membership=None) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"role": role, "first_name": first_name, "email": f"{username}@duban.local"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    if department is not None:
        Membership.objects.get_or_create(user=user, department=Department.objects.get(name=department), role=membership)
    return user


DEMO_USERS = (
    ("supervisor", "督查科 张督查", dict(role=User.Role.SUPERVISOR)),
    ("liaison", "市教育局联络员 李联络", dict(department="市教育局", membership=Membership.Role.LIAISON)),
    ("liaison2", "市财政局联络员 王联络", dict(department="市财政局", membership=Membership.Role.LIAISON)),
    ("head", "市教育局负责人 赵局长", dict(department="市教育局", membership=Membership.Role.HEAD)),
    ("leader", "分管领导 陈领导(只读)", dict(role=User.Role.VIEWER)),
)


def seed_demo() -> SeedReport:
    seed_directory()
    report = SeedReport()
    for username, description, options in DEMO_USERS:
        _user(username, first_name=description.split()[-1], **options)
        report.logins.append((username, description))
    supervisor = User.objects.get(username="supervisor")
    sources = [CORPUS_DIR / name for name in DEMO_PLAN_FILES if (CORPUS_DIR / name).is_file()] or [BUNDLED_PLAN]
    for path in sources:
        try:
            plan_import_document(
                data=path.read_bytes(), filename=path.name, user=supervisor, undated_cadence=DEMO_UNDATED_CADENCE
            )
        except DomainError as exc:
            if exc.code != DUPLICATE:
                report.notes.append(f"{path.name}: {exc.message_zh}")
    report.departments = Department.objects.count()
    report.groups = DepartmentGroup.objects.count()
    report.plans = Plan.objects.count()
    return report


_CN_DIGITS = "零一二三四五六七八九"


def _chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 23 → 二十三 (up to 99): section labels as documents write them."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else _CN_DIGITS[tens]) + "十" if tens else "") + (_CN_DIGITS[ones] if ones else "")


def demo_task_list(tasks: int, *, per_section: int = 100) -> str:
    """A long task list (任务清单) of `tasks` dated items with their units, for load tests and the bench.

    The units are the demo city's (seed_directory), so nothing is unknown and every task is complete.
    """
    leads = ("市教育局", "市财政局", "市人社局", "市发改委")
    lines = [
        "示范市教育局关于印发示范市教育强市建设任务清单的通知",
        "示教发〔2026〕99号",
        "",
        "示范市教育强市建设任务清单",
        "",
    ]
    sections = -(-tasks // per_section)
    number = 0
    for section in range(1, sections + 1):
        lines.append(f"{_chinese_number(section)}、第{section}组重点任务")
        for item in range(1, min(per_section, tasks - number) + 1):
            number += 1
            lead, co = leads[number % len(leads)], leads[(number + 1) % len(leads)]
            month = 1 + number % 12
            lines.append(
                f"{item}.推进第{number}项建设工作,完善相关制度和保障措施,2027年{month}月底前完成。"
                f"(牵头单位:{lead};配合单位:{co})"
            )
        lines.append("")
    lines.append("示范市教育局")
    lines.append("2026年3月2日")
    return "\n".join(lines) + "\n"
