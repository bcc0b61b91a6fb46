"""Load everything the demo needs, in dependency order; safe to re-run.

Each app contributes a ``jingzhi.<app>.demo`` module with a
``load_demo(*, stdout)`` function; apps without one are skipped.
"""
import importlib

from django.core.management.base import BaseCommand

DEMO_APPS = ["org", "geo", "assets", "plans", "cases", "inspections", "citizens", "disclosure", "open311",
             "assessment"]


class Command(BaseCommand):
    help = "导入种子方案与演示数据（可重复执行）"

    def handle(self, *args, **options):
        for app in DEMO_APPS:
            try:
                module = importlib.import_module(f"jingzhi.{app}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"jingzhi.{app}.demo":
                    raise
                continue
            self.stdout.write(f"== {app}")
            module.load_demo(stdout=self.stdout)
