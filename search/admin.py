"""Alerts in the admin: who follows what, and whether they confirmed (to answer a reader's
question or remove an address on request; deleting one stops its mails)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from search.followed import describe
from search.models import Alert


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["email", "followed_search", "language", "confirmed", "created"]
    list_filter = [("confirmed", admin.EmptyFieldListFilter), "language"]
    search_fields = ["email"]
    readonly_fields = ["email", "search", "language", "site_url", "created", "confirmed"]

    @admin.display(description=_("search"))
    def followed_search(self, alert: Alert) -> str:
        return describe(alert.search)

    def has_add_permission(self, request):
        return False  # only the reader signs up: double opt-in
