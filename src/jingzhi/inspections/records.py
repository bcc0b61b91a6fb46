"""/inspections/records/: the inspections behind a plan indicator's value (``plan_sources``) or a
district's inspection score in the assessment (``selectors.district_score_source``).

``?measure=<key>&start=&end=`` lists exactly the inspections the measure counts for that window,
``&outcome=met`` or ``missed`` those that met or missed the standard; ``?district=<id>&start=&end=``
the district's inspections of the window, with their mean score (the assessment's 检查考核得分); both
together, the measure's inspections in that district. Always within the viewer's scope
(``selectors.inspections_visible``: for the office and leaders, all of them).
"""
from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Avg
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from jingzhi.org.models import Unit, UnitKind
from jingzhi.org.selectors import STAFF_ROLES, user_has_role

from . import selectors
from .checklists import templates_all
from .plan_sources import INSPECTION_MEASURES, Outcome, inspections_measured

PAGE_SIZE = 50


class RecordsForm(forms.Form):
    measure = forms.ChoiceField(label=_("方案指标"), required=False)
    district = forms.ModelChoiceField(label=_("区"), required=False, queryset=Unit.objects.none())
    start = forms.DateField(label=_("起"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("止"), widget=forms.DateInput(attrs={"type": "date"}))
    outcome = forms.ChoiceField(label=_("结果"), required=False,
                                choices=[("", _("全部计入")), (Outcome.MET, _("达标")), (Outcome.MISSED, _("未达标"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", _("全部检查")), *((key, measure.label)
                                                              for key, measure in INSPECTION_MEASURES.items())]
        self.fields["district"].queryset = Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("code", "name")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        if not cleaned.get("measure") and not cleaned.get("district") and not self.errors:
            self.add_error("measure", _("请选择方案指标或区。"))
        return cleaned


@login_required
def records(request):
    if not user_has_role(user=request.user, roles=STAFF_ROLES):
        raise PermissionDenied
    form = RecordsForm(request.GET or None)
    page = mean = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        listed = selectors.inspections_visible(user=request.user)
        if data["measure"]:
            listed = listed.filter(pk__in=inspections_measured(key=data["measure"], start=data["start"],
                                                               end=data["end"], outcome=data["outcome"]))
        else:
            listed = listed.filter(pk__in=selectors.district_inspections(start=data["start"], end=data["end"]))
        if data["district"]:
            listed = listed.filter(district=data["district"])
        mean = listed.aggregate(mean=Avg("score"))["mean"]
        page = Paginator(listed.prefetch_related("results").order_by("-submitted_at", "-id"),
                         PAGE_SIZE).get_page(request.GET.get("page"))
    names = {code: template.name for code, template in templates_all().items()}
    rows = [(inspection, names.get(inspection.template_code, inspection.template_code))
            for inspection in (page.object_list if page else [])]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "inspections/records.html", {
        "form": form, "page": page, "rows": rows, "mean": mean, "query": query.urlencode()})
