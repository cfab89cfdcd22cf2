"""Django's Redis cache, with one Redis client per connection pool for the process.

Django's `RedisCacheClient.get_client` makes a new `redis.Redis` for every cache call, and
making one fills its table of some 170 response callbacks: more work than the GET it sends (the
public verification pages are served from this cache). A client holds no connection of its own
(it borrows one from the pool for each command), so one per pool serves every call and thread.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    """CACHES' BACKEND for a redis:// URL (settings)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
