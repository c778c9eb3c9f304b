from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.delivery import notification_deliver
from notifications.emails import TOTAL_LABELS
from notifications.items import URGENCY_LABELS, date_label, grouped, item_line
from notifications.sweep import sweep_run

STATE_LABELS = {"sent": "已发送", "retry": "发送失败,稍后重试", "failed": "发送失败", "skipped": "已由其他进程处理"}


class Command(BaseCommand):
    help = "运行一次提醒扫描:列出(或发送)此刻应发出的提醒。"

    def add_arguments(self, parser):
        parser.add_argument("--at", help="按此时间扫描(ISO 格式,如 2026-10-08T09:00,默认北京时间),默认现在")
        parser.add_argument("--dry-run", action="store_true", help="只列出将要发送的内容,不写发件箱、不发送")

    def handle(self, *args, at=None, dry_run=False, **options):
        moment = self._moment(at)
        result = sweep_run(at=moment, dry_run=dry_run)
        local = timezone.localtime(moment)
        mode = "试运行,不发送" if dry_run else "发送"
        self.stdout.write(f"提醒扫描 {date_label(result.day)} {local:%H:%M}({mode})")
        if not result.working_day:
            self.stdout.write("今天不是工作日,不发送提醒。")
            return
        if not result.planned:
            self.stdout.write("此刻没有需要发送的提醒。")
            return
        for planned in result.planned:
            user = planned.recipient
            name = f"{user.last_name}{user.first_name}".strip() or user.username
            flag = "(今天已发过,跳过)" if planned.already_written else ""
            self.stdout.write(f"\n→ {name} <{user.email}>{flag}")
            self.stdout.write(f"  {planned.subject}")
            for label, value in planned.totals.items():
                if label != "escalations":
                    self.stdout.write(f"  {TOTAL_LABELS.get(label, label)}: {value}")
            escalations = planned.totals.get("escalations")
            if escalations:
                self.stdout.write(f"  【升级督办汇总】{escalations['assignments']} 项,今日新增 {escalations['new']} 项")
                for row in escalations["departments"]:
                    self.stdout.write(
                        f"    {row['department']}:升级督办 {row['assignments']} 项,今日新增 {row['new']} 项,"
                        f"最长逾期 {row['longest_overdue']} 个工作日,涉及 {row['plans']} 个方案"
                    )
            for group in grouped(planned.items):
                self.stdout.write(f"  【{URGENCY_LABELS[group['urgency']]}】")
                for plan in group["plans"]:
                    self.stdout.write(f"    《{plan['title']}》")
                    for item in plan["items"]:
                        self.stdout.write(f"      · {item_line(item)}")
        new = len(result.new) if dry_run else len(result.written)
        skipped = len(result.planned) - new
        if dry_run:
            self.stdout.write(f"\n共 {new} 封待发送,{skipped} 封今天已发过。")
            return
        self.stdout.write("")
        for notification in result.written:
            outcome = notification_deliver(notification_id=notification.pk)
            self.stdout.write(f"{notification.address}: {STATE_LABELS[outcome.state]} {outcome.error}".rstrip())
        self.stdout.write(f"\n共写入 {new} 封,{skipped} 封今天已发过。")

    def _moment(self, at):
        if not at:
            return timezone.now()
        try:
            moment = datetime.fromisoformat(at)
        except ValueError as exc:
            raise CommandError(f"--at 不是有效的时间:{at}(示例 2026-10-08T09:00)") from exc
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
