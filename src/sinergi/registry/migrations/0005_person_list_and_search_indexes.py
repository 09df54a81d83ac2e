"""Indexes for people lists and name search at a million people (issue #16).

- `registry_person_name_id` on (name, id): serves `ORDER BY name, id LIMIT 50` and the keyset seek of the
  people list (registry.selectors.person_list + registry.paging.keyset_page), so a page does not sort the
  whole scope. Both databases.
- PostgreSQL: `pg_trgm` and a GIN trigram index on `name_key`, which serves the name search
  `name_key LIKE '%token%'` (registry.selectors.person_list, tokens of three letters or more).
- SQLite: an FTS5 table with the trigram tokenizer over `name_key` (external content: the rows of
  registry_person), kept by triggers; the name search asks it `MATCH '"token"'` for tokens of three
  letters or more.

A later migration that rebuilds registry_person on SQLite (AlterField, RemoveField …) drops the FTS
triggers: re-run `forwards` from such a migration.

Plain SQL, not model state: the indexes are the database's business, and the SQL differs per vendor.
"""

from django.db import migrations

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS registry_person_fts USING fts5("
    "name_key, content='registry_person', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS registry_person_fts_ai AFTER INSERT ON registry_person BEGIN "
    "INSERT INTO registry_person_fts(rowid, name_key) VALUES (new.id, new.name_key); END",
    "CREATE TRIGGER IF NOT EXISTS registry_person_fts_ad AFTER DELETE ON registry_person BEGIN "
    "INSERT INTO registry_person_fts(registry_person_fts, rowid, name_key) "
    "VALUES ('delete', old.id, old.name_key); END",
    "CREATE TRIGGER IF NOT EXISTS registry_person_fts_au AFTER UPDATE OF name_key ON registry_person BEGIN "
    "INSERT INTO registry_person_fts(registry_person_fts, rowid, name_key) "
    "VALUES ('delete', old.id, old.name_key); "
    "INSERT INTO registry_person_fts(rowid, name_key) VALUES (new.id, new.name_key); END",
    "INSERT INTO registry_person_fts(registry_person_fts) VALUES ('rebuild')",
]
SQLITE_FTS_DROP = [
    "DROP TRIGGER IF EXISTS registry_person_fts_au",
    "DROP TRIGGER IF EXISTS registry_person_fts_ad",
    "DROP TRIGGER IF EXISTS registry_person_fts_ai",
    "DROP TABLE IF EXISTS registry_person_fts",
]
PG_TRGM = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS registry_person_name_key_trgm ON registry_person "
    "USING gin (name_key gin_trgm_ops)",
]
PG_TRGM_DROP = ["DROP INDEX IF EXISTS registry_person_name_key_trgm"]


def forwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cur:
        cur.execute("CREATE INDEX IF NOT EXISTS registry_person_name_id ON registry_person (name, id)")
        vendor = schema_editor.connection.vendor
        for sql in PG_TRGM if vendor == "postgresql" else SQLITE_FTS if vendor == "sqlite" else []:
            cur.execute(sql)


def backwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cur:
        vendor = schema_editor.connection.vendor
        for sql in PG_TRGM_DROP if vendor == "postgresql" else SQLITE_FTS_DROP if vendor == "sqlite" else []:
            cur.execute(sql)
        cur.execute("DROP INDEX IF EXISTS registry_person_name_id")


class Migration(migrations.Migration):
    # After the index pruning: on SQLite its AlterFields rebuild registry_person, which drops triggers.
    dependencies = [("registry", "0004_only_queried_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
