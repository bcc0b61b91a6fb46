"""Forms of the registry pages: the list's filters (fields built from the kind's attributes)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jingzhi.core.fields import BoundedFormDateField
from jingzhi.core.limits import SEARCH_TEXT
from jingzhi.geo.coords import CoordSystem
from jingzhi.geo.models import Area, AreaLevel

from .attributes import AttributeInvalid, attribute_value
from .kinds import AssetKind
from .models import AssetChange, AssetStatus
from .selectors import ATTRIBUTE_PREFIX, AssetFilters

BOOL_CHOICES = [("", "—"), ("true", _("是")), ("false", _("否"))]
DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class AssetFilterForm(forms.Form):
    q = forms.CharField(label=_("编号/名称"), required=False, max_length=SEARCH_TEXT)
    district = forms.ChoiceField(label=_("所在区"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", "—"), *AssetStatus.choices])
    as_of = BoundedFormDateField(label=_("状态日期"), required=False, widget=DATE_INPUT)
    change = forms.ChoiceField(label=_("变更"), required=False, choices=[("", "—"), *AssetChange.choices])
    start = BoundedFormDateField(label=_("变更起"), required=False, widget=DATE_INPUT)
    end = BoundedFormDateField(label=_("变更止"), required=False, widget=DATE_INPUT)
    gained = forms.ChoiceField(label=_("期间内新增"), required=False)

    def __init__(self, *args, kind: AssetKind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["gained"].choices = [("", "—"), *((spec.name, spec.label) for spec in kind.attributes
                                                      if spec.type == "bool")]
        self.fields["district"].choices = [("", "—"), *Area.objects.filter(level=AreaLevel.DISTRICT)
                                           .order_by("code").values_list("code", "name")]
        for spec in kind.attributes:
            name = ATTRIBUTE_PREFIX + spec.name
            if spec.type == "bool":
                field = forms.ChoiceField(choices=BOOL_CHOICES)
            elif spec.type in ("choice", "multichoice"):
                field = forms.ChoiceField(choices=[("", "—"), *((c, spec.choice_label(c)) for c in spec.choices)])
            else:
                field = forms.CharField(max_length=SEARCH_TEXT)
            field.required, field.label = False, spec.label
            self.fields[name] = field

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        if cleaned.get("gained") and not (start and end):
            self.add_error("gained", _("请同时填写变更起止日期。"))
        for spec in self.kind.attributes:
            name = ATTRIBUTE_PREFIX + spec.name
            try:
                value = attribute_value(spec, cleaned.get(name))
            except AttributeInvalid as error:
                self.add_error(name, str(error))
                continue
            cleaned[name] = value[0] if isinstance(value, list) else value
        return cleaned

    def filters(self) -> AssetFilters:
        data = self.cleaned_data
        return AssetFilters(
            q=data["q"], district=data["district"], status=data["status"], as_of=data["as_of"],
            change=data["change"], start=data["start"], end=data["end"], gained=data["gained"],
            attributes=tuple((spec.name, data[ATTRIBUTE_PREFIX + spec.name]) for spec in self.kind.attributes
                             if data.get(ATTRIBUTE_PREFIX + spec.name) is not None),
        )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("文件（Excel .xlsx 或 CSV）"))
    coord_system = forms.ChoiceField(label=_("坐标系（文件无“坐标系”列时）"), choices=CoordSystem.choices,
                                     initial=CoordSystem.WGS84)
    keep_valid = forms.BooleanField(label=_("有问题的行跳过，导入其余正确的行"), required=False)
