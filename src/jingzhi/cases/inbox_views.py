"""The notification page (通知) of every signed-in user, staff and citizens alike, and its two
POST forms: mark one read, mark all read. Thin: the inbox comes from ``selectors.notifications_of``
(the user's own only), the writes from ``inbox``."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jingzhi.core.paging import list_page
from jingzhi.org.models import Role
from jingzhi.org.selectors import user_roles

from .inbox import notification_mark_read, notifications_mark_all_read
from .selectors import notifications_of

PAGE_SIZE = 30


def case_link(notification, *, public: bool) -> str:
    """Where an entry leads: staff to the staff case page; citizens (``public``) to the public case
    page of the ``disclosure`` app (named by URL, which the app above registers: no import), which
    also shows the cases they follow and lets them rate a closed report."""
    if notification.case_id is None:
        return ""
    if public:
        try:
            return reverse("disclosure:case", args=[notification.case.number])
        except NoReverseMatch:  # the public pages are not installed
            pass
    return reverse("cases:detail", args=[notification.case_id])


def _public_links(user) -> bool:
    """A citizen, or anyone else without a staff role: the staff case pages are not theirs."""
    return not (user_roles(user=user) - {Role.CITIZEN})


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    notifications = notifications_of(request.user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    page = list_page(request, notifications, size=PAGE_SIZE)
    public = _public_links(request.user)
    for notification in page.object_list:
        notification.link = case_link(notification, public=public)
    return render(request, "cases/notifications.html", {
        "page": page, "unread_only": unread_only})


def _back(request):
    """Back to the inbox page the form was on (a local URL only), else to the inbox."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def read(request, pk: int):
    notification = get_object_or_404(notifications_of(request.user), pk=pk)
    notification_mark_read(notification=notification, now=timezone.now())
    if request.POST.get("open") and notification.case_id:
        return redirect(case_link(notification, public=_public_links(request.user)))
    return _back(request)


@login_required
@require_POST
def read_all(request):
    count = notifications_mark_all_read(user=request.user, now=timezone.now())
    messages.success(request, _("已将 %(count)d 条通知标为已读。") % {"count": count})
    return _back(request)
