#!/usr/bin/env python
"""Django's command-line utility, with one clear line when the settings are invalid or the
database cannot be reached."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reportsite.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    from reportsite.dberrors import exit_on_database_error
    from reportsite.env import SettingsError

    with exit_on_database_error():
        try:
            # Load the settings first: Django's command runner would otherwise catch the
            # error, carry on without settings and fail later with a traceback.
            settings.INSTALLED_APPS  # noqa: B018
        except SettingsError as error:
            print(f"error: {error}", file=sys.stderr)
            sys.exit(2)
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
