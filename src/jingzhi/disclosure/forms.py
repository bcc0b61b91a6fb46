"""The moderators' decision forms (bounded input, errors per field in the request's language)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReviewStatus
from .redaction import Box


class TextDecisionForm(forms.Form):
    status = forms.ChoiceField(label=_("审核结果"), choices=[
        (ReviewStatus.APPROVED, _("公开")), (ReviewStatus.WITHHELD, _("不公开"))])


class PhotoDecisionForm(forms.Form):
    """公开, 不公开 or 打码后公开; the area to blur in percent of the picture (blank: the whole picture)."""

    status = forms.ChoiceField(label=_("审核结果"), choices=[
        (ReviewStatus.APPROVED, _("公开")), (ReviewStatus.REDACTED, _("打码后公开")),
        (ReviewStatus.WITHHELD, _("不公开"))])
    left = forms.FloatField(label=_("打码区域左边（%）"), min_value=0, max_value=100, required=False)
    top = forms.FloatField(label=_("打码区域上边（%）"), min_value=0, max_value=100, required=False)
    width = forms.FloatField(label=_("打码区域宽度（%）"), min_value=1, max_value=100, required=False)
    height = forms.FloatField(label=_("打码区域高度（%）"), min_value=1, max_value=100, required=False)

    AREA = ("left", "top", "width", "height")

    def clean(self):
        data = super().clean()
        given = [name for name in self.AREA if data.get(name) is not None]
        if given and len(given) < len(self.AREA):
            raise forms.ValidationError(_("打码区域须同时填写左边、上边、宽度和高度，或全部留空（整张模糊）。"))
        return data

    def box(self) -> Box | None:
        if self.cleaned_data.get("left") is None:
            return None
        return Box(*(self.cleaned_data[name] for name in self.AREA))

    def error_messages(self) -> list[str]:
        """Each error with its field's label, for the page's message list."""
        return [f"{self.fields[name].label}：{message}" if name != "__all__" else message
                for name, errors in self.errors.items() for message in errors]
