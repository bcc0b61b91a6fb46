from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from tqdm import tqdm

from jingzhi.geo.models import Area, AreaLevel
from jingzhi.geo.parsing import subdistrict_codes_read
from jingzhi.geo.services import subdistricts_generate

DEFAULT_CODES = settings.DATA_DIR / "geo" / "zhengzhou_4101_subdistricts.csv"


class Command(BaseCommand):
    help = "按街道代码表把区县划分为街道（生成的边界标记为系统生成）；可重复执行"

    def add_arguments(self, parser):
        parser.add_argument("--codes", default=str(DEFAULT_CODES), help="街道代码表 CSV（code,name,areaCode）")
        parser.add_argument("--district", nargs="*", default=None, metavar="ADCODE",
                            help="只处理这些区县（默认：代码表中有街道的所有已导入区县）")

    def handle(self, *args, codes, district, **options):
        entries = subdistrict_codes_read(Path(codes))
        districts = Area.objects.filter(level=AreaLevel.DISTRICT, code__in=district or list(entries))
        for area in tqdm(list(districts.order_by("code")), desc="sub-districts", unit="district"):
            counts = subdistricts_generate(district=area, entries=entries.get(area.code, []))
            self.stdout.write(f"{area.code} {area.name}: " + ", ".join(f"{n} {key}" for key, n in counts.items()))
