"""An in-process cache for Flask-Caching that keeps values as they are, without pickling them.

Flask-Caching's `SimpleCache` pickles every value on `set` and unpickles it on every `get`: for a
cohort's figures (hundreds of member objects with dates and decimals) that costs more than a
third of a cached page. Values stored here are shared between the threads of one process, so
callers must treat them as read-only (or add to them only what any thread would compute alike).
Each app gets its own instance, so tests do not see each other's values.
"""

from __future__ import annotations

from flask_caching.backends.simplecache import SimpleCache


class _AsIs:
    """A serializer that keeps the value itself."""

    def dumps(self, value):
        return value

    def loads(self, value):
        return value


class ProcessCache(SimpleCache):
    """Flask-Caching's in-memory cache, holding values by reference."""

    serializer = _AsIs()
