from django.core.management.base import BaseCommand

from jingzhi.geo.coords import CoordSystem
from jingzhi.geo.management.loading import file_load
from jingzhi.geo.services import boundaries_load


class Command(BaseCommand):
    help = "导入行政区边界（GeoJSON，DataV 属性），转换为 WGS84；可重复执行"

    def add_arguments(self, parser):
        parser.add_argument("path", help="GeoJSON FeatureCollection（属性 adcode、name、level）")
        parser.add_argument("--coord-system", default=CoordSystem.GCJ02, choices=CoordSystem.values,
                            help="文件的坐标系（DataV 数据为 gcj02）")

    def handle(self, *args, path, coord_system, **options):
        self.stdout.write(file_load(boundaries_load, path=path, coord_system=coord_system, label="areas"))
