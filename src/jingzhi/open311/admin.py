"""Admins issue, rotate and revoke client apps' keys here. A new key is shown once, in the message
after saving; only its digest is kept."""
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ClientApp, Submission
from .services import client_app_create, client_app_revoke, client_app_rotate


def _show_key(request, app, key):
    messages.warning(request, _("“%(name)s”的新 api_key（只显示这一次，请立即转交）：%(key)s")
                     % {"name": app.name, "key": key})


@admin.register(ClientApp)
class ClientAppAdmin(admin.ModelAdmin):
    list_display = ["name", "contact", "key_prefix", "created_at", "revoked_at"]
    search_fields = ["name", "contact"]
    actions = ["rotate", "revoke"]

    def get_fields(self, request, obj=None):
        return ["name", "contact"] if obj is None else ["name", "contact", "key_prefix", "user", "created_at",
                                                         "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["key_prefix", "user", "created_at", "revoked_at"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        app, key = client_app_create(name=obj.name, contact=obj.contact)
        obj.pk = app.pk
        _show_key(request, app, key)

    @admin.action(description=gettext_lazy("签发新密钥（旧密钥立即失效）"))
    def rotate(self, request, queryset):
        for app in queryset:
            _show_key(request, app, client_app_rotate(app=app))

    @admin.action(description=gettext_lazy("吊销密钥"))
    def revoke(self, request, queryset):
        for app in queryset:
            client_app_revoke(app=app)
        messages.success(request, _("已吊销 %(count)d 个应用的密钥。") % {"count": len(queryset)})


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["case", "client", "created_at"]
    list_filter = ["client"]
    readonly_fields = ["token", "client", "case", "account_id", "media_url", "created_at"]

    def has_add_permission(self, request):
        return False
