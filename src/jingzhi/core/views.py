import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .panels import home_panels, panel_stylesheets


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
