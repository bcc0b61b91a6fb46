"""The case search filters: one form parses them for the list page, the API and the export."""
from django import forms
from django.utils.translation import gettext_lazy as _

from jingzhi.core.fields import BoundedFormDateField, CheckboxField
from jingzhi.core.limits import SEARCH_TEXT
from jingzhi.org.models import Unit, UnitKind

from .models import Category, Source
from .plan_sources import CASE_MEASURES, MeasureOutcome
from .selectors import Handling
from .workflow import State


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("关键字"), max_length=SEARCH_TEXT, required=False,
                        help_text=_("案卷号开头、描述或地址"))
    state = forms.ChoiceField(label=_("状态"), choices=[("", _("全部"))] + State.choices, required=False)
    category = forms.ModelChoiceField(
        label=_("小类"), queryset=Category.objects.select_related("category_class"), required=False,
        empty_label=_("全部"))
    district = forms.ModelChoiceField(
        label=_("区"), queryset=Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("code", "name"),
        required=False, empty_label=_("全部"))
    department = forms.ModelChoiceField(
        label=_("处置部门"), queryset=Unit.objects.exclude(kind=UnitKind.COMMUNITY), required=False,
        empty_label=_("全部"))
    grid = forms.RegexField(label=_("网格"), regex=r"^\d{1,15}$", required=False,
                            error_messages={"invalid": _("网格编码只含数字（可输入前缀）。")})
    source = forms.ChoiceField(label=_("来源"), choices=[("", _("全部"))] + Source.choices, required=False)
    overdue = CheckboxField(label=_("仅超时"), required=False)
    date_from = BoundedFormDateField(label=_("上报起"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = BoundedFormDateField(label=_("上报止"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    open = CheckboxField(label=_("仅未办结"), required=False)
    handled_from = BoundedFormDateField(label=_("处置反馈起"), required=False,
                                        widget=forms.DateInput(attrs={"type": "date"}))
    handled_to = BoundedFormDateField(label=_("处置反馈止"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))
    handling = forms.ChoiceField(label=_("处置时效"), choices=[("", _("全部"))] + Handling.choices, required=False,
                                 help_text=_("按处置反馈是否在处置时限内筛选（处置反馈起止日期内）"))
    measure = forms.ChoiceField(
        label=_("方案指标"), required=False, help_text=_("只列计入该工作方案指标的案件"),
        choices=[("", _("全部"))] + [(key, m.label) for key, m in CASE_MEASURES.items()])
    measure_outcome = forms.ChoiceField(label=_("指标结果"), choices=MeasureOutcome.CHOICES, required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        if data.get("handled_from") and data.get("handled_to") and data["handled_from"] > data["handled_to"]:
            self.add_error("handled_to", _("结束日期不能早于开始日期。"))
        if data.get("measure_outcome") and not data.get("measure"):
            self.add_error("measure_outcome", _("请先选择方案指标。"))
        return data
