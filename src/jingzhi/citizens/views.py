"""Citizens' pages under /p/ (mobile-first): sign in by SMS code, 我的上报, delete my account.

Thin: the rules are in ``services`` and ``selectors``; a refusal renders on the page it came from,
in the request's language, with its status (400 bad input, 403, 429 with Retry-After, 503)."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from jingzhi.cases.selectors import cases_followed_by
from jingzhi.cases.workflow import State
from jingzhi.core.errors import DomainError
from jingzhi.core.form_errors import field_errors
from jingzhi.disclosure.selectors import public_stage
from jingzhi.org.authentication import client_ip
from jingzhi.org.models import Role
from jingzhi.org.privacy import mask_phone
from jingzhi.org.selectors import user_has_role

from .errors import SmsCodeResendTooSoon
from .phones import MAX_INPUT_LENGTH
from .selectors import citizen_reports, user_is_citizen_only
from .services import citizen_delete, citizen_sign_in, sms_code_send

#: Reports "我的上报" shows; older ones are in the API (paginated).
MINE_LIMIT = 100
#: The citizens' form fields as the error summary names them.
FIELD_LABELS = {"phone": gettext_lazy("手机号"), "code": gettext_lazy("验证码"), "confirm": gettext_lazy("确认注销")}


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("citizens:mine")


def _refusal(error: DomainError, context: dict) -> tuple[int, dict]:
    context["page_errors"] = [str(error)]
    return error.status_code, context


@require_http_methods(["GET", "POST"])
def sign_in(request):
    """Two steps on one URL: the phone number (sends a code), then the code (signs in)."""
    if request.user.is_authenticated and user_has_role(user=request.user, roles=(Role.CITIZEN,)):
        return redirect(_next_url(request))
    phone = request.POST.get("phone", "")[:MAX_INPUT_LENGTH]
    context = {"phone": phone, "next": _next_url(request), "step": "phone",
               "minutes": max(1, settings.CITIZEN_CODE_TTL_SECONDS // 60)}
    status, retry_after = 200, None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "verify":
                context["step"] = "code"
                user = citizen_sign_in(phone=phone, code=request.POST.get("code", "")[:12])
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect(_next_url(request))
            code = sms_code_send(phone=phone, ip=client_ip(request))
            context.update(step="code", phone=code.phone, masked_phone=mask_phone(code.phone),
                           resend_after=settings.CITIZEN_CODE_RESEND_SECONDS)
        except ValidationError as error:
            context["field_errors"], status = field_errors(error.message_dict, labels=FIELD_LABELS), 400
        except DomainError as error:
            status, context = _refusal(error, context)
            retry_after = getattr(error, "retry_after", None)
            if isinstance(error, SmsCodeResendTooSoon):
                context.update(step="code", resend_after=retry_after)  # the code sent a moment ago still works
    if context["step"] == "code" and "masked_phone" not in context:
        context["masked_phone"] = mask_phone(phone)
    response = render(request, "citizens/login.html", context, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def _citizen_page(view):
    """Signed-in citizens only: others are sent to the SMS sign-in, staff without the role get 403."""
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("citizens:login"))
        if not user_has_role(user=request.user, roles=(Role.CITIZEN,)):
            raise PermissionDenied(_("此页面仅供市民使用。"))
        return view(request, *args, **kwargs)
    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return wrapped


@_citizen_page
def mine(request):
    """我的上报: the citizen's own reports, newest first, the cases they follow ("我也遇到了"), and their
    masked phone number."""
    reports = [{"case": case, "stage": public_stage(case.state),
                "to_rate": case.state == State.CLOSED and not case.satisfaction}
               for case in citizen_reports(user=request.user)[:MINE_LIMIT]]
    followed = [{"case": case, "stage": public_stage(case.state)}
                for case in cases_followed_by(user=request.user)[:MINE_LIMIT]]
    return render(request, "citizens/mine.html", {
        "reports": reports, "followed": followed,
        "masked_phone": mask_phone(request.user.phone) if request.user.phone else "",
        "may_delete": user_is_citizen_only(user=request.user),
    })


@_citizen_page
@require_http_methods(["GET", "POST"])
def account_delete(request):
    """Confirm, then delete: the reports stay, anonymised; the citizen is signed out."""
    context, status = {"report_count": citizen_reports(user=request.user).count()}, 200
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            context["field_errors"] = field_errors({"confirm": [_("请勾选确认注销。")]}, labels=FIELD_LABELS)
            status = 400
        else:
            try:
                citizen_delete(user=request.user)
            except DomainError as error:
                status, context = _refusal(error, context)
            else:
                logout(request)
                messages.success(request, _("账号已注销。您上报的案件仍会处理，但不再与您关联。"))
                return redirect("citizens:login")
    return render(request, "citizens/delete.html", context, status=status)
