from django.contrib import admin

from sinergi.accounts.models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region", "is_active")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("username", "organisation", "role", "is_active")
    list_filter = ("role",)
    search_fields = ("username", "first_name", "last_name")
    exclude = ("password",)
