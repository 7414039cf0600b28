from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from reportsite import views

admin.site.site_header = _("Rights Archive administration")
admin.site.site_title = _("Rights Archive admin")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("reportsite.api")),
    path("", include("search.urls")),
    path("", include("sections.bulk_urls")),
    path("", include("sections.urls")),
]

handler404 = "reportsite.views.not_found"
