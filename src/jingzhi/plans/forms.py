"""Page forms: they parse input; the services decide what is allowed and valid."""
from django import forms
from django.utils.translation import gettext_lazy as _

from jingzhi.core.fields import BoundedFormDateField
from jingzhi.core.limits import LONG_TEXT
from jingzhi.core.uploads import uploads_count_check, uploads_in
from jingzhi.org.models import Unit

from .measures import MEASURES
from .models import Responsibility


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files in one input (the Django documentation's recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgressReportForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("指标"), queryset=None)
    value = forms.DecimalField(label=_("数值"), max_digits=14, decimal_places=2)
    unit = forms.ChoiceField(label=_("计量单位"), choices=[(u, u) for u in MEASURES])
    measured_on = BoundedFormDateField(label=_("截至日期"), widget=date_input())
    comment = forms.CharField(label=_("说明"), max_length=LONG_TEXT, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    evidence = MultipleFileField(label=_("佐证材料（图片或 PDF，可多选）"), required=False)

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = task.indicators.filter(source="")  # live ones are computed
        self.fields["indicator"].label_from_instance = lambda i: f"{i.name}（{i.unit}）"

    def clean(self):
        """Too many files are refused here, before any of them is read."""
        cleaned = super().clean()
        uploads_count_check(uploads_in(cleaned))
        return cleaned


class ChecklistMarkForm(forms.Form):
    done = forms.BooleanField(label=_("已完成"), required=False, initial=True)
    done_on = BoundedFormDateField(label=_("完成日期"), required=False, widget=date_input())
    note = forms.CharField(label=_("完成情况"), max_length=LONG_TEXT, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("佐证材料"), required=False)


class NoticeForm(forms.Form):
    to_unit = forms.ModelChoiceField(label=_("督办对象（牵头单位）"), queryset=None)
    text = forms.CharField(label=_("督办内容"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 3}))
    reply_due = BoundedFormDateField(label=_("回复期限"), widget=date_input())

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        leads = task.task_units.filter(role=Responsibility.LEAD).values("unit")
        self.fields["to_unit"].queryset = Unit.objects.filter(pk__in=leads)


class NoticeReplyForm(forms.Form):
    text = forms.CharField(label=_("回复内容"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("佐证材料"), required=False)


class NoticeReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("处理"), choices=[("accept", _("办结")), ("return", _("退回重办"))],
                                 widget=forms.RadioSelect, initial="accept")
    text = forms.CharField(label=_("意见（退回时必填）"), max_length=LONG_TEXT, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
