from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SectionsConfig(AppConfig):
    name = "sections"
    verbose_name = _("Reports")

    def ready(self):
        from sections import receivers  # noqa: F401  (connects the bulk download's receivers)
