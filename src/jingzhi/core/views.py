import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .panels import home_panels, panel_stylesheets

# 大字模式 (适老化): remembered in this cookie for a year; core/base.html reads it to class <html> before the
# first paint, and core/a11y.js sets it without a reload. Not HttpOnly: the script writes it too.
LARGE_TEXT_COOKIE = "jz_text"
LARGE_TEXT_VALUE = "large"


#: How long a browser or proxy keeps /favicon.ico's redirect (the file it leads to is hashed: kept a year).
FAVICON_REDIRECT_MAX_AGE = 24 * 3600


def favicon(request):
    """/favicon.ico, which browsers and tools ask for on their own (pages name it with ``<link rel=icon>``):
    a permanent redirect to the static file under its hashed name."""
    response = HttpResponsePermanentRedirect(static("core/favicon.ico"))
    response["Cache-Control"] = f"public, max-age={FAVICON_REDIRECT_MAX_AGE}"
    return response


@login_required
def home(request):
    """The user's numbers and to-dos, one panel per app that has some for them (``panels``)."""
    panels = home_panels(request)
    return render(request, "core/home.html", {"panels": panels, "stylesheets": panel_stylesheets(panels)})


def login_locked(request, original_response=None, credentials=None):
    """django-axes' answer when a locked-out username tries the login page or the admin's (the
    ``AXES_LOCKOUT_CALLABLE``): 429 with when to try again, instead of the login form's error."""
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    response = render(request, "registration/locked.html", {
        "failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": math.ceil(seconds / 60),
    }, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


@require_POST
def display_mode(request):
    """The header's 大字模式 switch without JavaScript: flips the remembered mode and goes back to ``next``
    (a page of this site, else home). With JavaScript core/a11y.js does the same in place."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = redirect(target)
    if request.COOKIES.get(LARGE_TEXT_COOKIE) == LARGE_TEXT_VALUE:
        response.delete_cookie(LARGE_TEXT_COOKIE, samesite="Lax")
    else:
        response.set_cookie(LARGE_TEXT_COOKIE, LARGE_TEXT_VALUE, max_age=365 * 24 * 3600, samesite="Lax",
                            secure=request.is_secure())
    return response
