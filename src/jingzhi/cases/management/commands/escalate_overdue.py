from django.core.management.base import BaseCommand

from jingzhi.cases.escalation import cases_escalate_overdue


class Command(BaseCommand):
    help = "将超时案件升级至值班长并发送通知（每个环节只升级一次，可随时重复执行）"

    def handle(self, *args, **options):
        self.stdout.write(f"escalated: {cases_escalate_overdue()}")
