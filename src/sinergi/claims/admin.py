"""Admin: read-only views of claims for administrators (every change goes through the services)."""

from django.contrib import admin

from sinergi.claims.models import Claim, ClaimCase, Payment


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClaimCase)
class ClaimCaseAdmin(ReadOnlyAdmin):
    list_display = ["reference", "event_type", "event_date", "region"]
    search_fields = ["reference"]


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ["case", "benefit", "status", "amount", "due_on"]
    list_filter = ["benefit", "status"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["claim", "amount", "paid_on"]
