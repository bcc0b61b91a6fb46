"""The registries on the staff map: one clustered point layer per asset kind (``geo.map_layers``).

The map asks ``layers_for`` which layers the user may see (the kinds with assets in their scope,
``selectors.assets_visible``), each with a URL that carries a version tag: the number of the
kind's assets in scope and their latest change, hashed with the scope. The points answer is then
the same for as long as the tag is, so it is built once, kept in the cache (gzipped too), and the
browser may keep it for a year (``private``: a user's scope is theirs); a record that changes
changes the tag, and the next map page asks for the new one.

Points are compact: ``{"count", "ids", "lons", "lats"}`` (WGS84, 6 decimals ≈ 0.1 m), the active
assets' representative points, about 25 bytes a point before gzip. What a point is comes with its
popup (``point_popup``): name, code, kind, status, district, and links to its record, history and
cases on the registry's record page.
"""
from __future__ import annotations

import gzip
import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jingzhi.cases.selectors import cases_visible_to
from jingzhi.org.selectors import STAFF_ROLES, user_has_role, user_reads_everything, user_unit_ids

from .kinds import asset_kind, asset_kinds
from .models import AssetStatus
from .selectors import assets_visible

#: Kept in the cache for a day; the version in the key makes a stale answer unreachable anyway.
CACHE_SECONDS = 24 * 3600
#: A fixed colour per kind, so a layer looks the same on every map.
COLOURS = {"toilet": "#1e6b52", "bin": "#7d6608", "street_light": "#b9770e", "road": "#34495e",
           "river": "#1f618d", "construction_site": "#a04000", "parking_lot": "#2e4053",
           "transfer_station": "#6c3483", "rest_place": "#117864", "market": "#922b21",
           "outdoor_ad": "#884ea0", "old_compound": "#5d6d7e", "manhole": "#515a5a",
           "drainage_pipe": "#2874a6", "bridge": "#616a6b"}


def _staff(user) -> bool:
    return user.is_authenticated and user_has_role(user=user, roles=STAFF_ROLES)


def _scope(user) -> str:
    return "all" if user_reads_everything(user=user) else ",".join(str(i) for i in sorted(user_unit_ids(user=user)))


def _active(user):
    return assets_visible(user=user).filter(status=AssetStatus.ACTIVE)


def layer_versions(*, user) -> dict[str, str]:
    """The version tag of every kind with active assets in ``user``'s scope (one grouped query)."""
    scope = _scope(user)
    rows = _active(user).values("kind").annotate(n=Count("pk"), latest=Max("updated_at")).order_by()
    return {row["kind"]: hashlib.sha1(f"{scope}|{row['n']}|{row['latest']}".encode()).hexdigest()[:16]
            for row in rows}


def layers_for(request: HttpRequest) -> list[dict]:
    """The ``geo.map_layers`` provider: a layer per kind in the user's scope, in the kinds' order."""
    if not _staff(request.user):
        return []
    versions = layer_versions(user=request.user)
    popup = reverse("asset-layer-popup", kwargs={"pk": 0}).replace("/0/", "/{id}/")
    return [{"key": kind.code, "label": str(kind.label), "color": COLOURS.get(kind.code, "#1e6b52"),
             "url": f"{reverse('asset-layer-points', kwargs={'kind': kind.code})}?v={versions[kind.code]}",
             "popupUrl": popup}
            for kind in asset_kinds() if kind.code in versions]


def points_payload(*, user, kind: str) -> bytes:
    """The active assets of ``kind`` in ``user``'s scope as compact JSON (UTF-8 bytes)."""
    rows = _active(user).filter(kind=kind).order_by("pk").values_list("pk", "lon", "lat")
    ids, lons, lats = [], [], []
    for pk, lon, lat in rows.iterator(chunk_size=10000):
        ids.append(pk)
        lons.append(round(float(lon), 6))
        lats.append(round(float(lat), 6))
    return json.dumps({"count": len(ids), "ids": ids, "lons": lons, "lats": lats},
                      separators=(",", ":")).encode()


@require_GET
@login_required
def layer_points(request, kind: str):
    """/api/asset-layers/<kind>.json?v=<version>: the kind's points, cached while the version holds."""
    if not _staff(request.user):
        raise PermissionDenied
    try:
        asset_kind(kind)
    except KeyError:
        raise Http404(kind) from None
    version = layer_versions(user=request.user).get(kind, "empty")
    key = f"asset-layer:{kind}:{version}"
    cached = cache.get(key)
    if cached is None:
        raw = points_payload(user=request.user, kind=kind)
        cached = (raw, gzip.compress(raw, compresslevel=6))
        cache.set(key, cached, CACHE_SECONDS)
    raw, packed = cached
    zipped = "gzip" in request.headers.get("Accept-Encoding", "")
    response = HttpResponse(packed if zipped else raw, content_type="application/json")
    if zipped:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding", "Cookie"])
    response["ETag"] = f'"{version}"'
    # The versioned URL never changes meaning: the browser keeps it; any other asks again.
    response["Cache-Control"] = ("private, max-age=31536000, immutable" if request.GET.get("v") == version
                                 else "private, no-cache")
    return response


@require_GET
@login_required
def point_popup(request, pk: int):
    """/api/asset-layers/points/<id>/: what a point is, and its record, history and cases one click away."""
    if not _staff(request.user):
        raise PermissionDenied
    asset = get_object_or_404(assets_visible(user=request.user).select_related("district"), pk=pk)
    kind = asset_kind(asset.kind)
    record = reverse("assets:detail", kwargs={"kind": asset.kind, "pk": asset.pk})
    cases = cases_visible_to(request.user).filter(asset=asset).count()
    return JsonResponse({
        "title": asset.name,
        "rows": [[_("类型"), str(kind.label)], [_("编号"), asset.code], [_("状态"), asset.get_status_display()],
                 [_("所在区"), asset.district.name if asset.district else "—"]],
        "links": [[_("台账记录"), record], [_("历史记录"), f"{record}#history"],
                  [_("相关案件（%(count)s）") % {"count": cases}, f"{record}#cases"]],
    })
