"""Name words: the people of a name search in list order without reading every match (issue #16).

PostgreSQL only. The trigram index (0005) finds the people whose `name_key` contains a token, but a page
of a common name ("siti": 20,000 of a million) must read and sort every match to give the first 50 in
(name, id) order. Two tables, kept by statement-level triggers on registry_person, give those 50 by
reading about 50 index entries:

- `registry_person_word` (word, name, person_id): one row per distinct word of a person's `name_key`,
  with the person's `name`; its primary key (word, name, person_id) walks the people of one word in
  the list's order (name, id), from a keyset cursor, backwards too. The index on person_id serves the
  triggers' deletes.
- `registry_name_word` (word): every word ever seen, with a trigram index: the words that contain a
  token ('siti' -> siti, pasiti …). A token without spaces lies inside one word of the name, so the
  people whose name contains it are exactly the people of those words.

`registry.selectors.person_search_narrow` merges the walks of those words. A word that no longer names
anyone stays in `registry_name_word` and only walks an empty range.

The triggers are per statement, over the statement's transition tables, so a bulk import or COPY
adds its words in one set-based INSERT … SELECT (in the key's order: the index pages are filled in turn,
not at random). TRUNCATE (the test runner's flush) empties both tables.
"""

from django.db import migrations

PG_WORDS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE registry_person_word ("
    " word varchar(200) NOT NULL, name varchar(200) NOT NULL, person_id bigint NOT NULL,"
    " PRIMARY KEY (word, name, person_id))",
    "CREATE INDEX registry_person_word_person ON registry_person_word (person_id)",
    "CREATE TABLE registry_name_word (word varchar(200) PRIMARY KEY)",
    "CREATE INDEX registry_name_word_trgm ON registry_name_word USING gin (word gin_trgm_ops)",
    # the words of the inserted rows (their name_key split on spaces), and new words into the vocabulary
    r"""CREATE FUNCTION registry_person_words_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      WITH added AS (
        INSERT INTO registry_person_word (word, name, person_id)
        SELECT DISTINCT w.word, n.name, n.id
        FROM new_rows n CROSS JOIN LATERAL regexp_split_to_table(n.name_key, '\s+') AS w(word)
        WHERE w.word <> ''
        ORDER BY 1, 2, 3
        ON CONFLICT DO NOTHING
        RETURNING word
      )
      INSERT INTO registry_name_word (word) SELECT DISTINCT word FROM added ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$""",
    r"""CREATE FUNCTION registry_person_words_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- only the rows whose name or key changed (most updates of a person touch neither); the DELETE
      -- and the INSERT are two statements, so the INSERT sees the deleted words gone
      PERFORM 1 FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE o.name IS DISTINCT FROM n.name OR o.name_key IS DISTINCT FROM n.name_key LIMIT 1;
      IF NOT FOUND THEN
        RETURN NULL;
      END IF;
      DELETE FROM registry_person_word pw USING new_rows n JOIN old_rows o ON o.id = n.id
        WHERE pw.person_id = n.id
          AND (o.name IS DISTINCT FROM n.name OR o.name_key IS DISTINCT FROM n.name_key);
      WITH added AS (
        INSERT INTO registry_person_word (word, name, person_id)
        SELECT DISTINCT w.word, n.name, n.id
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        CROSS JOIN LATERAL regexp_split_to_table(n.name_key, '\s+') AS w(word)
        WHERE w.word <> ''
          AND (o.name IS DISTINCT FROM n.name OR o.name_key IS DISTINCT FROM n.name_key)
        ORDER BY 1, 2, 3
        ON CONFLICT DO NOTHING
        RETURNING word
      )
      INSERT INTO registry_name_word (word) SELECT DISTINCT word FROM added ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$""",
    """CREATE FUNCTION registry_person_words_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM registry_person_word pw USING old_rows o WHERE pw.person_id = o.id;
      RETURN NULL;
    END $$""",
    """CREATE FUNCTION registry_person_words_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM registry_person_word;
      DELETE FROM registry_name_word;
      RETURN NULL;
    END $$""",
    "CREATE TRIGGER registry_person_words_ai AFTER INSERT ON registry_person"
    " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_person_words_insert()",
    "CREATE TRIGGER registry_person_words_au AFTER UPDATE ON registry_person"
    " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION registry_person_words_update()",
    "CREATE TRIGGER registry_person_words_ad AFTER DELETE ON registry_person"
    " REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registry_person_words_delete()",
    "CREATE TRIGGER registry_person_words_at AFTER TRUNCATE ON registry_person"
    " FOR EACH STATEMENT EXECUTE FUNCTION registry_person_words_truncate()",
    # the people already registered
    r"""INSERT INTO registry_person_word (word, name, person_id)
    SELECT DISTINCT w.word, p.name, p.id
    FROM registry_person p CROSS JOIN LATERAL regexp_split_to_table(p.name_key, '\s+') AS w(word)
    WHERE w.word <> ''""",
    "INSERT INTO registry_name_word (word) SELECT DISTINCT word FROM registry_person_word",
]
PG_WORDS_DROP = [
    "DROP TRIGGER IF EXISTS registry_person_words_at ON registry_person",
    "DROP TRIGGER IF EXISTS registry_person_words_ad ON registry_person",
    "DROP TRIGGER IF EXISTS registry_person_words_au ON registry_person",
    "DROP TRIGGER IF EXISTS registry_person_words_ai ON registry_person",
    "DROP FUNCTION IF EXISTS registry_person_words_truncate()",
    "DROP FUNCTION IF EXISTS registry_person_words_delete()",
    "DROP FUNCTION IF EXISTS registry_person_words_update()",
    "DROP FUNCTION IF EXISTS registry_person_words_insert()",
    "DROP TABLE IF EXISTS registry_name_word",
    "DROP TABLE IF EXISTS registry_person_word",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cur:
        for sql in PG_WORDS:
            cur.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cur:
        for sql in PG_WORDS_DROP:
            cur.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_person_list_and_search_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
