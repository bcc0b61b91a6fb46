"""Staff pages of the registries: the kinds, a kind's list with filters, an asset's record.

Every page reads through `selectors.assets_visible`, so a district's staff see their district's
assets and those their unit maintains; the plan office, leaders and admins see all.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhi.cases.rules import case_may_create
from jingzhi.cases.selectors import cases_visible_to
from jingzhi.cases.workflow import CaseAction
from jingzhi.core.idempotency import idempotent_form
from jingzhi.geo.views import map_options
from jingzhi.org.selectors import STAFF_ROLES, user_has_role, user_roles

from .exporting import ExportTooLarge, assets_file, problems_file, template_file
from .forms import AssetFilterForm, ImportForm
from .importing import import_columns
from .kinds import AssetKind, asset_kind, asset_kinds
from .models import AssetImport
from .selectors import (
    IMPORT_ROLES,
    AssetFilters,
    asset_imports_visible,
    assets_filter,
    assets_visible,
)
from .tasks import import_queue

PAGE_SIZE = 50
#: The problems of an import shown on its page (all of them are in the download).
PROBLEMS_SHOWN = 200
FILE_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "csv": "text/csv; charset=utf-8"}
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
        "may_import": user_has_role(user=request.user, roles=IMPORT_ROLES),
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
        "may_report": case_may_create(action=CaseAction.REPORT, roles=user_roles(user=request.user)),
        "geometry": {"type": "Feature", "geometry": asset.geometry, "properties": {"name": asset.name}},
    })


def _file_response(content: bytes, *, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FILE_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def asset_export(request, kind, fmt):
    _staff(request)
    kind = _kind(kind)
    form, assets = filtered_assets(request, kind)
    back = redirect(f"{reverse('assets:list', args=[kind.code])}?{request.GET.urlencode()}")
    if form.is_bound and not form.is_valid():
        messages.error(request, _("筛选条件有误，请修正后再导出。"))
        return back
    try:
        content = assets_file(kind=kind, assets=assets, fmt=fmt)
    except ExportTooLarge as error:
        messages.error(request, str(error))
        return back
    return _file_response(content, fmt=fmt, name=f"{kind.code}-{timezone.localdate():%Y%m%d}")


@login_required
def import_template(request, kind, fmt):
    _staff(request)
    kind = _kind(kind)
    return _file_response(template_file(kind=kind, fmt=fmt), fmt=fmt, name=f"{kind.code}-template")


@login_required
@idempotent_form
def asset_import(request, kind):
    """Upload a file; its import runs as a task and its page shows the progress and the report."""
    if not user_has_role(user=request.user, roles=IMPORT_ROLES):
        raise PermissionDenied(_("只有精细办和平台管理员可以导入台账。"))
    kind = _kind(kind)
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                record = import_queue(kind=kind.code, content=upload.read(), file_name=upload.name,
                                      coord_system=form.cleaned_data["coord_system"],
                                      keep_valid=form.cleaned_data["keep_valid"], actor=request.user)
            except DjangoValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                return redirect("assets:import-detail", pk=record.pk)
        status = 400
    columns = [header for _key, header in import_columns(kind)]
    return render(request, "assets/import.html", {"kind": kind, "form": form, "columns": columns}, status=status)


def _visible_import(request, pk) -> AssetImport:
    _staff(request)
    return get_object_or_404(asset_imports_visible(user=request.user), pk=pk)


@login_required
def import_detail(request, pk):
    record = _visible_import(request, pk)
    return render(request, "assets/import_detail.html", {
        "record": record, "kind": asset_kind(record.kind), "problems": record.problems[:PROBLEMS_SHOWN],
    })


@login_required
def import_progress(request, pk):
    """The progress record as JSON, polled by the import page while the import runs."""
    record = _visible_import(request, pk)
    return JsonResponse({"status": record.status, "status_label": record.get_status_display(),
                         "processed": record.processed, "total": record.total, "percent": record.percent,
                         "finished": record.finished})


@login_required
def import_problems(request, pk, fmt):
    record = _visible_import(request, pk)
    return _file_response(problems_file(record=record, fmt=fmt), fmt=fmt, name=f"import-{record.pk}-problems")
