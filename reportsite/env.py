"""Tiny helpers that read settings from the environment (after healthchecks.io), strictly.

A value that cannot be what the variable means (`SECURE_SSL_REDIRECT=ture`,
`CONN_MAX_AGE=1m`) raises SettingsError naming the variable and the value, instead of being
read as off or failing with a traceback: manage.py and reportsite/wsgi.py print that one line
and stop. An empty value counts as unset (the default), as in shell `VAR=` lines.
"""

import os
import re

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}
RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")


class SettingsError(ImproperlyConfigured):
    """A setting read from the environment is invalid; the message is one line for people."""


def _value(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return None
    return value.strip()


def envbool(name: str, default: bool) -> bool:
    """Read a yes/no variable: 1/true/yes/on or 0/false/no/off, in any case."""
    value = _value(name)
    if value is None:
        return default
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise SettingsError(f"{name} must be one of 1/0/true/false/yes/no/on/off, not {value!r}")


def envint(name: str, default: int, minimum: int | None = 0) -> int:
    """Read a whole number (at least `minimum`, 0 unless said otherwise)."""
    value = _value(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, not {value!r}")
    return number


def envlist(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list, ignoring blanks."""
    value = _value(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def envrate(name: str, default: str | None) -> str | None:
    """Read a rate limit such as `60/m` (requests per s, m, h or d; `100/5m` per 5 minutes);
    `off` (or 0) turns the limit off and gives None."""
    value = _value(name)
    if value is None:
        return default
    if value.lower() in FALSE:
        return None
    match = RATE.match(value.lower())
    if not match or int(match.group(1)) == 0 or match.group(2) == "0":
        raise SettingsError(
            f"{name} must be a rate such as 60/m (per s, m, h or d) or off, not {value!r}"
        )
    return value.lower()
