#!/usr/bin/env python
"""Django's command-line utility, with one clear line when the database cannot be reached."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reportsite.settings")
    from django.core.management import execute_from_command_line

    from reportsite.dberrors import exit_on_database_error

    with exit_on_database_error():
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
