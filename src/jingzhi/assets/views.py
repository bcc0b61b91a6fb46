"""Staff pages of the registries: the kinds, a kind's list with filters, an asset's record.

Every page reads through `selectors.assets_visible`, so a district's staff see their district's
assets and those their unit maintains; the plan office, leaders and admins see all.
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from jingzhi.cases.selectors import cases_visible_to
from jingzhi.geo.views import map_options
from jingzhi.org.selectors import STAFF_ROLES, user_has_role

from .forms import AssetFilterForm
from .kinds import AssetKind, asset_kind, asset_kinds
from .selectors import AssetFilters, assets_filter, assets_visible

PAGE_SIZE = 50
#: Attributes shown as columns of the list (the rest are on the record).
LIST_COLUMNS = 4


def _staff(request) -> None:
    if not user_has_role(user=request.user, roles=STAFF_ROLES):
        raise PermissionDenied(_("此页面仅对工作人员开放。"))


def _kind(code: str) -> AssetKind:
    try:
        return asset_kind(code)
    except KeyError:
        raise Http404(code) from None


@login_required
def kind_index(request):
    _staff(request)
    counts = dict(assets_visible(user=request.user).values_list("kind").annotate(n=Count("pk")).order_by())
    rows = [{"kind": kind, "count": counts.get(kind.code, 0)} for kind in asset_kinds()]
    return render(request, "assets/index.html", {"rows": rows})


def filtered_assets(request, kind: AssetKind):
    """The list page's form and the assets it selects (all, unfiltered, while the form has errors)."""
    form = AssetFilterForm(request.GET or None, kind=kind)
    filters = form.filters() if form.is_bound and form.is_valid() else AssetFilters()
    assets = assets_filter(assets_visible(user=request.user), kind=kind.code, filters=filters)
    return form, assets.select_related("district", "department").order_by("code")


@login_required
def asset_list(request, kind):
    _staff(request)
    kind = _kind(kind)
    form, assets = filtered_assets(request, kind)
    page = Paginator(assets, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    columns = kind.attributes[:LIST_COLUMNS]
    rows = [{"asset": asset, "values": [_shown(spec, asset.attributes.get(spec.name)) for spec in columns]}
            for asset in page.object_list]
    return render(request, "assets/list.html", {
        "kind": kind, "form": form, "page": page, "rows": rows, "columns": columns, "query": query.urlencode(),
    })


def _shown(spec, value) -> str:
    """An attribute value as a person reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(spec.choice_label(item) for item in value)
    return spec.choice_label(str(value)) if spec.type == "choice" else str(value)


@login_required
def asset_detail(request, kind, pk):
    _staff(request)
    kind = _kind(kind)
    asset = get_object_or_404(assets_visible(user=request.user).select_related(
        "district", "subdistrict", "zone", "department"), kind=kind.code, pk=pk)
    attributes = [{"spec": spec, "value": _shown(spec, asset.attributes.get(spec.name))} for spec in kind.attributes]
    events = [{"event": event, "values": [(spec.label, _shown(spec, event.attributes.get(spec.name)))
                                           for spec in kind.attributes if spec.name in event.attributes]}
              for event in asset.events.select_related("actor").order_by("-on", "-id")]
    cases = cases_visible_to(request.user).filter(asset=asset).select_related("category").order_by("-created_at")[:50]
    options = map_options(request)
    options.update(center=[float(asset.lat), float(asset.lon)], zoom=17)
    return render(request, "assets/detail.html", {
        "kind": kind, "asset": asset, "attributes": attributes, "events": events, "cases": cases,
        "keepers": asset.keepers.select_related("user"), "map_options": options,
        "geometry": {"type": "Feature", "geometry": asset.geometry, "properties": {"name": asset.name}},
    })
