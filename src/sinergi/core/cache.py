"""Django's database cache with an atomic `incr`, so rate-limit counters shared by several processes
or servers never lose a hit (Django's own incr is a get then a set, which two processes can interleave).

The row is locked for the read-modify-write: SELECT … FOR UPDATE on PostgreSQL; on SQLite the
transaction begins IMMEDIATE (settings), which takes the database's write lock first. The expiry is
kept (Django's incr would reset it to the default timeout)."""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        qn = connection.ops.quote_name
        table = qn(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {qn('value')} FROM {table} WHERE {qn('cache_key')} = %s AND {qn('expires')} >= %s{lock}",  # noqa: S608 - our table name
                [key, now],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            raw = connection.ops.process_clob(row[0])
            value = pickle.loads(base64.b64decode(raw.encode())) + delta  # noqa: S301 - our own cache rows
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {qn('value')} = %s WHERE {qn('cache_key')} = %s",  # noqa: S608
                [encoded, key],
            )
        return value
