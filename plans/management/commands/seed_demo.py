"""Demo data: a city education system's departments, demo users, and plans from the corpus."""

from django.core.management.base import BaseCommand
from django.db import transaction

from plans.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "载入演示数据:单位、演示用户和示例方案(可重复运行)。"

    def handle(self, *args, **options):
        with transaction.atomic():
            report = seed_demo()
        self.stdout.write(f"演示单位 {report.departments} 个,单位组 {report.groups} 个,方案 {report.plans} 个。")
        self.stdout.write(f"演示账号(密码均为 {DEMO_PASSWORD}):")
        for username, description in report.logins:
            self.stdout.write(f"  {username:<12} {description}")
        for note in report.notes:
            self.stdout.write(self.style.WARNING(note))
