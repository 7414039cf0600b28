from django.apps import AppConfig


class ReportsiteConfig(AppConfig):
    """The project package as an app, so that its deployment checks are registered."""

    name = "reportsite"
    verbose_name = "Rights Archive"

    def ready(self) -> None:
        from reportsite import checks  # noqa: F401
