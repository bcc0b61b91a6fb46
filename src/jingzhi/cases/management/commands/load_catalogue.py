from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jingzhi.cases.catalogue import CatalogueError, catalogue_load


class Command(BaseCommand):
    help = "导入案件部件/事件分类目录（data/cases/catalogue.yaml，可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=settings.DATA_DIR / "cases" / "catalogue.yaml")

    def handle(self, *args, path, **options):
        try:
            counts = catalogue_load(path=path)
        except CatalogueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"catalogue: {counts['created']} created, {counts['updated']} updated, "
                          f"{counts['unchanged']} unchanged")
