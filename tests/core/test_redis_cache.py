"""The Redis cache keeps one client per connection pool (core/redis_cache.py); no server is
needed to make clients, which connect only to send a command."""

from core.limit_store import RedisCounterStore
from core.redis_cache import RedisCache


def test_every_call_gets_the_same_client_of_the_one_pool():
    cache = RedisCache("redis://127.0.0.1:6399/0", {})._cache
    client = cache.get_client()
    assert cache.get_client("any key") is client
    assert cache.get_client(write=True) is client  # one server: reads and writes share its pool
    assert client.connection_pool is cache._get_connection_pool(write=True)


def test_each_server_has_its_own_client():
    cache = RedisCache(["redis://127.0.0.1:6399/0", "redis://127.0.0.1:6398/0"], {})._cache
    writer = cache.get_client(write=True)
    reader = cache.get_client()  # the second server: the first takes the writes
    assert reader is not writer
    assert reader.connection_pool is cache._get_connection_pool(write=False)
    assert cache.get_client() is reader


def test_the_limits_redis_store_is_this_cache():
    assert issubclass(RedisCounterStore, RedisCache)
