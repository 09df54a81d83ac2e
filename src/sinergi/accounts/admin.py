"""Django admin for organisations and users (superusers only). Every change made here is written to
the audit log like a service write, and nothing can be deleted: deactivate instead."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from sinergi.accounts.forms import NextForm
from sinergi.accounts.models import Organisation, User
from sinergi.core.audit import audit_create, audit_update, snapshot


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        if change:
            audit_update(actor=request.user, obj=obj, before=before, purpose="django admin")
        else:
            audit_create(actor=request.user, obj=obj, purpose="django admin")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name", "kind", "region", "is_active")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(User)
class UserAdmin(AuditedAdmin):
    list_display = ("username", "organisation", "role", "is_active")
    list_filter = ("role",)
    search_fields = ("username", "first_name", "last_name")
    exclude = ("password",)


def _admin_login(request, extra_context=None):
    """The Django admin has no login of its own: it sends people to Sinergi's login, which applies the
    lockout, the second factor and the audit to every login path."""
    target = NextForm(request.GET, request=request).target or reverse("admin:index")
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")


admin.site.login = _admin_login
