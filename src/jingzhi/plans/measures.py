"""Units of measure (计量单位) and the values each admits.

A share is 0–100; a count of things (座, 个, 条, 处 …) is a whole number; a length,
area, density, capacity or duration is any non-negative number. A unit not listed
here is treated as a non-negative number.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Measure:
    maximum: Decimal | None = None
    whole: bool = False


PERCENT = Measure(maximum=Decimal(100))
COUNT = Measure(whole=True)
QUANTITY = Measure()

MEASURES = {
    "%": PERCENT,
    "座": COUNT, "个": COUNT, "条": COUNT, "处": COUNT, "辆": COUNT, "家": COUNT, "次": COUNT,
    "公里": QUANTITY, "万平方米": QUANTITY, "平方米": QUANTITY, "克/平方米": QUANTITY,
    "吨/日": QUANTITY, "分钟": QUANTITY,
}


def measure_of(unit: str) -> Measure:
    return MEASURES.get(unit, QUANTITY)


def measure_validate(*, unit: str, value: Decimal) -> None:
    """Raise a ValidationError (message in the request's language) if ``value`` is impossible in ``unit``."""
    measure = measure_of(unit)
    if value < 0:
        raise ValidationError(_("数值不能为负数。"), code="negative")
    if measure.maximum is not None and value > measure.maximum:
        raise ValidationError(
            _("百分比应在 0 到 %(maximum)s 之间。"), code="above_maximum", params={"maximum": measure.maximum},
        )
    if measure.whole and value != value.to_integral_value():
        raise ValidationError(_("以“%(unit)s”计的数量必须是整数。"), code="not_whole", params={"unit": unit})
