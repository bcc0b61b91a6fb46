from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jingzhi.plans.services import plan_load

DEFAULT_PLAN = settings.DATA_DIR / "plans" / "zhengzhou-2018.yaml"


class Command(BaseCommand):
    help = "导入工作方案（YAML），可重复执行：再次导入不改变任何数据"

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PLAN))

    def handle(self, *args, path, **options):
        try:
            result = plan_load(path=Path(path))
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"plan: {result['created']} created, {result['updated']} updated, "
                          f"{result['deleted']} deleted")
