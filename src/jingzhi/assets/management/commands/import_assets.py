"""manage.py import_assets KIND FILE: the page's import from the command line, with a progress bar."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from jingzhi.assets.importing import assets_import
from jingzhi.assets.kinds import asset_kind, asset_kinds
from jingzhi.assets.tables import TableInvalid, table_read
from jingzhi.geo.coords import CoordSystem

#: A file on the server may be larger than an upload through the page.
COMMAND_MAX_BYTES = 500 * 1024 * 1024


class Command(BaseCommand):
    help = "导入设施台账文件（Excel .xlsx 或 CSV）：逐行校验，有问题时不导入（除非 --keep-valid），列出行、列和原因"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[kind.code for kind in asset_kinds()])
        parser.add_argument("file", type=Path)
        parser.add_argument("--coord-system", choices=CoordSystem.values, default=CoordSystem.WGS84,
                            help="文件没有“坐标系”列时的坐标系")
        parser.add_argument("--keep-valid", action="store_true", help="跳过有问题的行，导入其余正确的行")
        parser.add_argument("--generated", action="store_true", help="标记为演示生成的记录")

    def handle(self, *args, kind, file, coord_system, keep_valid, generated, **options):
        try:
            header, rows = table_read(file.read_bytes(), max_bytes=COMMAND_MAX_BYTES)
        except OSError as error:
            raise CommandError(str(error)) from None
        except TableInvalid as error:
            raise CommandError(str(error)) from None
        with tqdm(total=len(rows), unit="行", disable=options["verbosity"] == 0) as bar:
            def progress(done, total):
                bar.update(done - bar.n)
            try:
                outcome = assets_import(kind=asset_kind(kind), header=header, rows=rows, coord_system=coord_system,
                                        keep_valid=keep_valid, generated=generated, progress=progress)
            except TableInvalid as error:
                raise CommandError(str(error)) from None
        for problem in outcome.problems:
            self.stderr.write(f"第 {problem.row} 行 {problem.column}：{problem.message}")
        self.stdout.write(f"{outcome.total} 行，导入 {outcome.created} 条，问题 {len(outcome.problems)} 个")
        if outcome.problems and not keep_valid:
            raise CommandError("文件有问题，未导入任何记录（可用 --keep-valid 导入其余正确的行）")
