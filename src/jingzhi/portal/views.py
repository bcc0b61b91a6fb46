"""The citizen portal's reporting pages: the home page, the report form (the staff form's
template, ``cases/_report_form.html``), the receipt, the duplicate look-up and following a case.

Thin: the report is ``cases.reporting.case_report`` (anonymous when nobody signed in), the
candidates ``cases.selectors.duplicate_candidates``, following ``cases.following.case_follow``.
A visitor may open the receipts of the reports sent from their browser session; a signed-in
citizen those of their own reports.
"""
from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle
from rest_framework.views import APIView

from jingzhi.cases.errors import CaseActionError
from jingzhi.cases.following import case_follow
from jingzhi.cases.form_fields import FIELD_LABELS
from jingzhi.cases.models import Case, PhotoKind, Source
from jingzhi.cases.reporter_keys import reporter_key
from jingzhi.cases.reporting import case_report
from jingzhi.cases.selectors import categories_grouped, duplicate_candidates, user_follows
from jingzhi.cases.views import REPORT_ROLES
from jingzhi.core.form_errors import field_errors
from jingzhi.core.idempotency import idempotent_form
from jingzhi.core.multipart import serializer_data
from jingzhi.core.uploads import upload_response
from jingzhi.disclosure.selectors import public_stage
from jingzhi.geo.coords import from_wgs84, to_wgs84
from jingzhi.geo.views import public_map_options
from jingzhi.org.models import Role
from jingzhi.org.selectors import user_has_role

from .candidates import candidates_public
from .serializers import DuplicateQuerySerializer, DuplicatesSerializer, PortalReportSerializer

#: The session key listing the numbers reported from this browser (whose receipts it may open).
SESSION_REPORTS = "portal_reports"
#: How many of them a session remembers (the latest).
SESSION_REPORTS_MAX = 50


class ReportThrottle(SimpleRateThrottle):
    """Reports per client address (``portal_reports``): the form is open to anyone, so a script could
    fill the intake queue. Only reports that run count: a copy of a sent form is answered before."""

    scope = "portal_reports"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def _citizen(request):
    """The signed-in citizen who reports, or None: a visitor (or a signed-in user of no reporting role)."""
    user = request.user
    return user if user.is_authenticated and user_has_role(user=user, roles=(Role.CITIZEN,)) else None


def home(request):
    return render(request, "portal/home.html", {
    })


#: The static files whose names change with a deployment: the worker's version (a new one installs afresh).
WORKER_VERSION_FILES = ("cases/report-form.js", "cases/report-drafts.js", "portal/portal.css", "core/jingzhi.css")


def service_worker(request):
    """The portal's service worker (``portal/sw.js``), served under /p/ so that its scope is the
    portal: the report page opens without a network (docs/portal.md)."""
    names = "|".join(static(name) for name in WORKER_VERSION_FILES)
    config = {"version": hashlib.sha256(names.encode()).hexdigest()[:12], "staticUrl": settings.STATIC_URL,
              "pages": [reverse("portal:home"), reverse("portal:report")]}
    response = render(request, "portal/sw.js", {"config": json.dumps(config), "version": config["version"]},
                      content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # the browser checks for a new worker on each visit
    return response


def _remember(request, number: str) -> None:
    numbers = [n for n in request.session.get(SESSION_REPORTS, []) if n != number]
    request.session[SESSION_REPORTS] = [*numbers, number][-SESSION_REPORTS_MAX:]


@idempotent_form
def report(request):
    """The citizen's report form; staff who report are sent to theirs (the same form, staff fields)."""
    if request.user.is_authenticated and user_has_role(user=request.user, roles=REPORT_ROLES):
        return redirect("cases:report")
    citizen = _citizen(request)
    errors, status = [], 200
    throttle = ReportThrottle()
    if request.method == "POST" and not throttle.allow_request(request, None):
        minutes = max(1, round((throttle.wait() or 60) / 60))
        errors, status = [_("上报过于频繁，请 %(minutes)d 分钟后再试。") % {"minutes": minutes}], 429
    elif request.method == "POST":
        serializer = PortalReportSerializer(data=serializer_data(request, PortalReportSerializer))
        if serializer.is_valid():
            try:
                case = case_report(reporter=citizen, source=Source.CITIZEN, **serializer.validated_data)
            except DjangoValidationError as error:
                errors = field_errors(error.message_dict, labels=FIELD_LABELS)
            else:
                _remember(request, case.number)
                return redirect("portal:receipt", number=case.number)
        else:
            errors = field_errors(serializer.errors, labels=FIELD_LABELS)
        status = 400
    response = render(request, "portal/report.html", {
        "errors": errors, "values": request.POST, "categories_grouped": categories_grouped(),
        "map_options": public_map_options(request, areas_url=reverse("disclosure:areas")),
        "max_photos": settings.PORTAL_MAX_PHOTOS,
        "ask_contact": citizen is None,
        "duplicates_url": reverse("portal:duplicates"), "follow_url": reverse("portal:follow", args=["NUMBER"]),
    }, status=status)
    if status == 429:
        response["Retry-After"] = str(int(throttle.wait() or 60))
    return response


def _own_report(request, number: str) -> Case:
    """A case reported from this browser session or by the signed-in user; 404 otherwise."""
    case = get_object_or_404(Case.objects.select_related("category__category_class", "district"), number=number)
    mine = request.user.is_authenticated and case.reporter_id == request.user.pk
    if not mine and number not in request.session.get(SESSION_REPORTS, []):
        raise Http404
    return case


def receipt(request, number: str):
    case = _own_report(request, number)
    key = reporter_key(case)  # an anonymous report: the private link to rate it once closed
    return render(request, "portal/receipt.html", {
        "case": case, "photos": case.photos.filter(kind=PhotoKind.REPORT).exclude(thumbnail=""),
        "stage": public_stage(case.state), "case_url": reverse("disclosure:case", args=[case.number]),
        "rate_url": request.build_absolute_uri(reverse("disclosure:rate-anonymous", args=[case.number, key]))
        if key else "",
    })


def receipt_photo(request, number: str, pk: int):
    """The thumbnail of a photo of one's own report, for its receipt."""
    case = _own_report(request, number)
    photo = get_object_or_404(case.photos.exclude(thumbnail=""), pk=pk)
    return upload_response(photo.thumbnail)


class DuplicatesView(APIView):
    """Open cases of the category near a place, before a report is sent ("我也遇到了").

    Public and rate-limited (``portal_duplicates``, per client address); shows no personal data."""

    authentication_classes = []  # public: the same answer for everyone, limited per client address
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "portal_duplicates"

    @extend_schema(parameters=[DuplicateQuerySerializer], responses=DuplicatesSerializer, tags=["portal"], auth=[])
    def get(self, request):
        query = DuplicateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        lon, lat = to_wgs84(lon=data["lon"], lat=data["lat"], coord_system=data["coord_system"])
        map_lon, map_lat = from_wgs84(lon=lon, lat=lat, coord_system=settings.MAP_TILE_COORD_SYSTEM)
        candidates = duplicate_candidates(category=data["category"], lon=lon, lat=lat)
        return Response(DuplicatesSerializer({
            "radius_m": data["category"].duplicate_radius_m, "point": {"lon": map_lon, "lat": map_lat},
            "candidates": candidates_public(candidates),
        }).data)


def follow(request, number: str):
    """GET: what following means, and the button (or the way to sign in: the citizens' SMS
    sign-in, back here after); POST: follow."""
    case = get_object_or_404(Case.objects.select_related("category__category_class"), number=number)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            case_follow(case=case, user=request.user)
        except CaseActionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已关注案件 %(number)s，办理进展将通知您。") % {"number": case.number})
        return redirect("portal:follow", number=case.number)
    return render(request, "portal/follow.html", {
        "case": case, "following": user_follows(user=request.user, case=case),
        "stage": public_stage(case.state), "login_url": f"{reverse('citizens:login')}?next={request.path}",
        "case_url": reverse("disclosure:case", args=[case.number]),
    })
