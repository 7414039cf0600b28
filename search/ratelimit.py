"""The counts behind the per-client rate limits (search.limits names the limits and counts
requests against them).

django-ratelimit decides (fixed windows per client address, `60/m`, `120/m`; the windows of
different clients end at different seconds); `CounterCache` keeps its counts in PostgreSQL,
in search.models.RateLimitCounter, so that all gunicorn workers share one count per client
and concurrent requests never lose one (an `INSERT … ON CONFLICT` and an
`UPDATE … RETURNING`: two statements a request). Django's own database cache would not do:
its `incr` reads and writes in two steps, and every write counts the table.

The client is `reportsite.clientip.client_ip` (REMOTE_ADDR, or the proxy's header when
CLIENT_IP_HEADER is set); IPv6 clients are counted per /64.
"""

import random

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import connection

# One add() in this many also deletes the rows whose window ended over a minute ago.
SWEEP_ONE_IN = 200


class CounterCache(BaseCache):
    """The part of Django's cache API that django-ratelimit uses (add, incr, get), on the
    RateLimitCounter table, atomically."""

    def __init__(self, location, params):
        super().__init__(params)

    @property
    def table(self) -> str:
        from search.models import RateLimitCounter

        return connection.ops.quote_name(RateLimitCounter._meta.db_table)

    def _seconds(self, timeout) -> float:
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        return 365 * 24 * 3600 if timeout is None else max(0, timeout)

    def _start(self, cursor, key, value, timeout, replace_live: bool) -> bool:
        """Write a count of `value` expiring after `timeout`, over an expired one (and over
        a live one too with `replace_live`); True when it was written."""
        only_expired = "" if replace_live else " WHERE c.expires <= clock_timestamp()"
        cursor.execute(
            f"INSERT INTO {self.table} AS c (key, count, expires)"
            " VALUES (%s, %s, clock_timestamp() + make_interval(secs => %s))"
            " ON CONFLICT (key) DO UPDATE SET count = EXCLUDED.count,"
            f" expires = EXCLUDED.expires{only_expired} RETURNING 1",
            [key, int(value), self._seconds(timeout)],
        )
        return cursor.fetchone() is not None

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        """Start a count unless a live one exists: True when this call started it."""
        key = self.make_and_validate_key(key, version=version)
        with connection.cursor() as cursor:
            added = self._start(cursor, key, value, timeout, replace_live=False)
            if added and random.randrange(SWEEP_ONE_IN) == 0:
                cursor.execute(
                    f"DELETE FROM {self.table}"
                    " WHERE expires < clock_timestamp() - interval '1 minute'"
                )
        return added

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {self.table} SET count = count + %s"
                " WHERE key = %s AND expires > clock_timestamp() RETURNING count",
                [int(delta), key],
            )
            row = cursor.fetchone()
        if row is None:
            raise ValueError(f"Key {key!r} not found")
        return row[0]

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count FROM {self.table} WHERE key = %s AND expires > clock_timestamp()",
                [key],
            )
            row = cursor.fetchone()
        return default if row is None else row[0]

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with connection.cursor() as cursor:
            self._start(cursor, key, value, timeout, replace_live=True)

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table} WHERE key = %s", [key])
            return cursor.rowcount > 0

    def clear(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table}")
