"""python manage.py import_plan PATH [--dry-run] [--format json]"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from plans.readiness import REPORTING_CADENCES
from plans.services import PREVIEW_ONLY_KEYS, parse_to_preview, plan_import_document


class Command(BaseCommand):
    help = "导入实施方案文件(txt/docx/pdf),生成条款、任务、责任分工和阶段。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="方案文件路径;- 表示从标准输入读取")
        parser.add_argument("--dry-run", action="store_true", help="只解析并显示结果,不写入数据库")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--undated",
            choices=[c for c in REPORTING_CADENCES if c != "none"],
            help="没有完成时限的任务标为长期,并按此周期报送进展(不指定时,有这样的任务就不导入)",
        )

    def handle(self, *args, path, dry_run, format, undated=None, **options):
        source = Path(path)
        if path != "-" and not source.is_file():
            raise CommandError(f"找不到文件:{path}")
        data = self.stdin.buffer.read() if path == "-" and hasattr(self.stdin, "buffer") else source.read_bytes()
        try:
            preview, _ = parse_to_preview(data=data, filename=source.name)
            created = [] if dry_run else plan_import_document(data=data, filename=source.name, undated_cadence=undated)
        except DomainError as exc:
            lines = [exc.message_zh] + [
                f"  {m['label']}{m['heading']}:{m['message']}" for m in exc.details.get("missing", [])
            ]
            if exc.details.get("missing"):
                lines.append("可在导入向导中补齐,或用 --undated 周期 把没有时限的任务标为长期。")
            raise CommandError("\n".join(lines)) from exc
        if format == "json":
            self.stdout.write(json.dumps(_public(preview), ensure_ascii=False, indent=2))
            return
        self._print_summary(preview)
        for plan in created:
            self.stdout.write(
                self.style.SUCCESS(f"已导入:《{plan.title}》(编号 {plan.pk},任务 {plan.tasks.count()} 项)")
            )
        if dry_run:
            self.stdout.write("试运行:未写入数据库。")

    def _print_summary(self, preview):
        for plan in preview["plans"]:
            tasks = [c for c in plan["clauses"] if c.get("is_task")]
            self.stdout.write(f"《{plan['title']}》 {plan.get('doc_number') or ''} {plan.get('issued_on') or ''}")
            self.stdout.write(f"  条款 {len(plan['clauses'])} 条,任务 {len(tasks)} 项")
            for clause in plan["clauses"]:
                if clause.get("is_task"):
                    lead = "、".join(clause["lead"]) or "(未识别)"
                    co = "、".join(clause["co"])
                    due = clause.get("due") or "无时限"
                    line = f"  {clause['path']:<14} 牵头:{lead}" + (f" 配合:{co}" if co else "") + f" 时限:{due}"
                    self.stdout.write(line)
                for warning in clause.get("warnings", []):
                    self.stdout.write(self.style.WARNING(f"    ⚠ {clause['path']}:{warning['message']}"))
            for warning in plan.get("warnings", []):
                self.stdout.write(self.style.WARNING(f"  ⚠ {warning['message']}"))
        for warning in preview.get("warnings", []):
            self.stdout.write(self.style.WARNING(f"⚠ {warning['message']}"))


def _public(preview: dict) -> dict:
    """The stable JSON shape, without the database bookkeeping the preview carries."""
    plans = [
        {
            **{k: v for k, v in p.items() if k not in PREVIEW_ONLY_KEYS},
            "clauses": [{k: v for k, v in c.items() if k != "id"} for c in p["clauses"]],
        }
        for p in preview["plans"]
    ]
    return {**preview, "plans": plans}
