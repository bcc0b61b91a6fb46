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
from .selectors import ATTRIBUTE_NOT_PREFIX, ATTRIBUTE_PREFIX, AssetFilters, attribute_filter_name

BOOL_CHOICES = [("", "—"), ("true", _("是")), ("false", _("否"))]
DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def _attribute_field(spec) -> forms.Field:
    """The filter field of one attribute: a yes/no or choice list, else text."""
    if spec.type == "bool":
        field = forms.ChoiceField(choices=BOOL_CHOICES)
    elif spec.type in ("choice", "multichoice"):
        field = forms.ChoiceField(choices=[("", "—"), *((c, spec.choice_label(c)) for c in spec.choices)])
    else:
        field = forms.CharField(max_length=SEARCH_TEXT)
    field.required, field.label = False, spec.label
    return field


class AssetFilterForm(forms.Form):
    """The registry list's filters. Per attribute ``a.<name>`` (has this value) and ``not.<name>`` (has
    not: another value or none). A ``not.`` filter comes from a link (a share's missed records): its
    field is there only when it is set, so the page shows it and it can be cleared. An ``a.`` or
    ``not.`` name the kind has no attribute for is an error, not ignored."""

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
            self.fields[ATTRIBUTE_PREFIX + spec.name] = _attribute_field(spec)
        for spec in kind.attributes:
            name = ATTRIBUTE_NOT_PREFIX + spec.name
            if self.data.get(name):  # set by a link: shown, so that it is seen and can be cleared
                self.fields[name] = _attribute_field(spec)
                self.fields[name].label = _("%(label)s（不是）") % {"label": spec.label}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        if cleaned.get("gained") and not (start and end):
            self.add_error("gained", _("请同时填写变更起止日期。"))
        for name in sorted(self.data):
            attribute = attribute_filter_name(name)
            if attribute is not None and self.kind.attribute(attribute) is None:
                self.add_error(None, _("没有筛选条件 %(name)s：%(kind)s没有“%(attribute)s”这个属性。") % {
                    "name": name, "kind": self.kind.label, "attribute": attribute})
        for spec in self.kind.attributes:
            for name in (ATTRIBUTE_PREFIX + spec.name, ATTRIBUTE_NOT_PREFIX + spec.name):
                if name not in self.fields:
                    continue
                try:
                    value = attribute_value(spec, cleaned.get(name))
                except AttributeInvalid as error:
                    self.add_error(name, str(error))
                    continue
                cleaned[name] = value[0] if isinstance(value, list) else value
        return cleaned

    def _attributes(self, prefix: str) -> tuple[tuple[str, object], ...]:
        data = self.cleaned_data
        return tuple((spec.name, data[prefix + spec.name]) for spec in self.kind.attributes
                     if data.get(prefix + spec.name) is not None)

    def filters(self) -> AssetFilters:
        data = self.cleaned_data
        return AssetFilters(
            q=data["q"], district=data["district"], status=data["status"], as_of=data["as_of"],
            change=data["change"], start=data["start"], end=data["end"], gained=data["gained"],
            attributes=self._attributes(ATTRIBUTE_PREFIX), attributes_not=self._attributes(ATTRIBUTE_NOT_PREFIX),
        )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("文件（Excel .xlsx 或 CSV）"))
    coord_system = forms.ChoiceField(label=_("坐标系（文件无“坐标系”列时）"), choices=CoordSystem.choices,
                                     initial=CoordSystem.WGS84)
    keep_valid = forms.BooleanField(label=_("有问题的行跳过，导入其余正确的行"), required=False)
