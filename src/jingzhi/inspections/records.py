"""/inspections/records/: the inspections behind a plan indicator's value (``plan_sources``).

``?measure=<key>&start=&end=`` lists exactly the inspections the measure counts for that window,
``&outcome=met`` or ``missed`` those that met or missed the standard, within the viewer's scope
(``selectors.inspections_visible``: for the office and leaders, all of them).
"""
from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from jingzhi.org.selectors import STAFF_ROLES, user_has_role

from . import selectors
from .checklists import templates_all
from .plan_sources import INSPECTION_MEASURES, Outcome, inspections_measured

PAGE_SIZE = 50


class RecordsForm(forms.Form):
    measure = forms.ChoiceField(label=_("方案指标"))
    start = forms.DateField(label=_("起"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("止"), widget=forms.DateInput(attrs={"type": "date"}))
    outcome = forms.ChoiceField(label=_("结果"), required=False,
                                choices=[("", _("全部计入")), (Outcome.MET, _("达标")), (Outcome.MISSED, _("未达标"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [(key, measure.label) for key, measure in INSPECTION_MEASURES.items()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return cleaned


@login_required
def records(request):
    if not user_has_role(user=request.user, roles=STAFF_ROLES):
        raise PermissionDenied
    form = RecordsForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        ids = inspections_measured(key=data["measure"], start=data["start"], end=data["end"],
                                   outcome=data["outcome"])
        listed = (selectors.inspections_visible(user=request.user).filter(pk__in=ids)
                  .prefetch_related("results").order_by("-submitted_at", "-id"))
        page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    names = {code: template.name for code, template in templates_all().items()}
    rows = [(inspection, names.get(inspection.template_code, inspection.template_code))
            for inspection in (page.object_list if page else [])]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "inspections/records.html", {
        "form": form, "page": page, "rows": rows, "query": query.urlencode()})
