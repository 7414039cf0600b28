from django.contrib import admin
from django.urls import include, path

from reportsite import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("search.urls")),
    path("", include("sections.urls")),
]

handler404 = "reportsite.views.not_found"
