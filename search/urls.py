from django.urls import path

from search import alert_views, views

app_name = "search"
urlpatterns = [
    path("search/", views.search_page, name="page"),
    path("search/feed/", views.search_feed, name="feed"),
    path("search/export.<slug:fmt>", views.search_export, name="export"),
    path("api/search", views.search_api, name="api"),
    path("alerts/subscribe/", alert_views.alert_signup, name="alert_signup"),
    path("alerts/confirm/<str:token>/", alert_views.alert_confirm, name="alert_confirm"),
    path(
        "alerts/unsubscribe/<str:token>/",
        alert_views.alert_unsubscribe,
        name="alert_unsubscribe",
    ),
]
