from django.core.management.base import BaseCommand

from jingzhi.geo.coords import CoordSystem
from jingzhi.geo.management.loading import file_load
from jingzhi.geo.services import zones_load


class Command(BaseCommand):
    help = "导入责任区（GeoJSON，属性 name、duty、unit 单位名称、buffer_m），转换为 WGS84；可重复执行"

    def add_arguments(self, parser):
        parser.add_argument("path", help="GeoJSON FeatureCollection（面或线）")
        parser.add_argument("--coord-system", default=CoordSystem.WGS84, choices=CoordSystem.values,
                            help="文件的坐标系（默认 wgs84）")

    def handle(self, *args, path, coord_system, **options):
        self.stdout.write(file_load(zones_load, path=path, coord_system=coord_system, label="zones"))
