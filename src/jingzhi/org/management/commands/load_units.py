from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from jingzhi.org.services import units_load


class Command(BaseCommand):
    help = "导入单位名录（YAML），可重复执行"

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(settings.DATA_DIR / "org" / "zhengzhou-units.yaml"))

    def handle(self, *args, path, **options):
        result = units_load(path=Path(path))
        self.stdout.write(f"units: {result['created']} created, {result['updated']} updated")
