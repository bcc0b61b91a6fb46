from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from jingzhi.geo.models import Area, AreaLevel
from jingzhi.geo.services import grids_generate


def _bbox(text: str) -> tuple[float, ...]:
    values = tuple(float(part) for part in text.split(","))
    if len(values) != 4:
        raise ValueError("bbox needs minlon,minlat,maxlon,maxlat")
    return values


class Command(BaseCommand):
    help = "为区县生成万米单元网格（按街道裁剪，15 位编码）；可重复执行"

    def add_arguments(self, parser):
        parser.add_argument("--district", nargs="+", required=True, metavar="ADCODE")
        parser.add_argument("--size", type=float, default=100.0, help="网格边长（米），默认 100")
        parser.add_argument("--bbox", type=_bbox, default=None, metavar="MINLON,MINLAT,MAXLON,MAXLAT",
                            help="只覆盖此范围（WGS84）")

    def handle(self, *args, district, size, bbox, **options):
        areas = {area.code: area for area in Area.objects.filter(level=AreaLevel.DISTRICT, code__in=district)}
        missing = sorted(set(district) - set(areas))
        if missing:
            raise CommandError(f"unknown district code(s): {', '.join(missing)} (run load_boundaries first)")
        for code in district:
            counts = grids_generate(district=areas[code], size_m=size, bbox=bbox, progress=tqdm)
            self.stdout.write(f"{code} {areas[code].name}: " + ", ".join(f"{n} {key}" for key, n in counts.items()))
