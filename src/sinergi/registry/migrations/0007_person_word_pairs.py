"""Word pairs: the people of a two-token name search in list order (issue #16).

PostgreSQL only. A search for two tokens ("budi santoso") matched through the trigram index, which
intersects the trigrams of both tokens: 137 people of a million, but 2 ms of reading posting lists of
common trigrams ("san", "ant") for every page, the costliest page of the name search.

`registry_person_word_pair` (word_a, word_b, name, person_id) holds, for each person, every pair of two
different words of the `name_key` (word_a < word_b), with the person's `name`: about one pair per
person (most names have two words; 1.1 in the load test's million). Its primary key walks the people of one pair in the list's order
(name, id). A person whose name contains both tokens has either one word containing both (a walk of
`registry_person_word`) or two different words, one containing each (a walk of this table):
`registry.selectors.person_search_narrow` merges both kinds of walk.

Kept by the same statement-level triggers as the words (0006), which are replaced here: one
set-based INSERT … SELECT per statement, in key order.
"""

from importlib import import_module

from django.db import migrations

# the words of the rows of `rows` (their name_key split on spaces), as (word, name, person_id): name_key
# separates its words by one space (registry.normalize), and string_to_array splits them in 0.19 s per
# 100,000 names where 0006's regexp_split_to_table took 0.33 s
_WORDS = r"""SELECT DISTINCT w.word, n.name, n.id AS person_id
        FROM {rows} CROSS JOIN LATERAL unnest(string_to_array(n.name_key, ' ')) AS w(word)
        WHERE w.word <> ''{where}"""

# from the CTE `words`: its rows into registry_person_word and their pairs into registry_person_word_pair
# (data-modifying CTEs run once, whether or not the statement reads them), new words into the vocabulary.
# No ON CONFLICT on the words and pairs: the rows are a new person's (an id never seen) or a renamed
# person's whose old rows the trigger deleted first, and DISTINCT leaves one row per word; the
# speculative insertion that ON CONFLICT needs costs 0.33 s per 100,000 people.
_ADD = """added AS (
        INSERT INTO registry_person_word (word, name, person_id)
        SELECT word, name, person_id FROM words ORDER BY 1, 2, 3
      ), paired AS (
        INSERT INTO registry_person_word_pair (word_a, word_b, name, person_id)
        SELECT a.word, b.word, a.name, a.person_id
        FROM words a JOIN words b ON b.person_id = a.person_id AND a.word < b.word
        ORDER BY 1, 2, 3, 4
      )
      INSERT INTO registry_name_word (word) SELECT DISTINCT word FROM words ON CONFLICT DO NOTHING;"""

_CHANGED = "(o.name IS DISTINCT FROM n.name OR o.name_key IS DISTINCT FROM n.name_key)"

PG_PAIRS = [
    "CREATE TABLE registry_person_word_pair ("
    " word_a varchar(200) NOT NULL, word_b varchar(200) NOT NULL, name varchar(200) NOT NULL,"
    " person_id bigint NOT NULL, PRIMARY KEY (word_a, word_b, name, person_id))",
    "CREATE INDEX registry_person_word_pair_person ON registry_person_word_pair (person_id)",
    r"""CREATE OR REPLACE FUNCTION registry_person_words_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      WITH words AS MATERIALIZED ("""
    + _WORDS.format(rows="new_rows n", where="")
    + "), "
    + _ADD
    + """
      RETURN NULL;
    END $$""",
    r"""CREATE OR REPLACE FUNCTION registry_person_words_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- only the rows whose name or key changed (most updates of a person touch neither); the DELETEs
      -- and the INSERT are separate statements, so the INSERT sees the old words gone
      PERFORM 1 FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE """
    + _CHANGED
    + """ LIMIT 1;
      IF NOT FOUND THEN
        RETURN NULL;
      END IF;
      DELETE FROM registry_person_word pw USING new_rows n JOIN old_rows o ON o.id = n.id
        WHERE pw.person_id = n.id AND """
    + _CHANGED
    + """;
      DELETE FROM registry_person_word_pair pp USING new_rows n JOIN old_rows o ON o.id = n.id
        WHERE pp.person_id = n.id AND """
    + _CHANGED
    + """;
      WITH words AS MATERIALIZED ("""
    + _WORDS.format(rows="new_rows n JOIN old_rows o ON o.id = n.id", where=" AND " + _CHANGED)
    + "), "
    + _ADD
    + """
      RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION registry_person_words_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM registry_person_word pw USING old_rows o WHERE pw.person_id = o.id;
      DELETE FROM registry_person_word_pair pp USING old_rows o WHERE pp.person_id = o.id;
      RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION registry_person_words_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM registry_person_word;
      DELETE FROM registry_person_word_pair;
      DELETE FROM registry_name_word;
      RETURN NULL;
    END $$""",
    # the people already registered
    """INSERT INTO registry_person_word_pair (word_a, word_b, name, person_id)
    SELECT a.word, b.word, a.name, a.person_id
    FROM registry_person_word a JOIN registry_person_word b ON b.person_id = a.person_id AND a.word < b.word
    ORDER BY 1, 2, 3, 4""",
]

# back to 0006's functions (its own statements, as replacements) and no pair table
PG_PAIRS_DROP = [
    *(
        sql.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
        for sql in import_module("sinergi.registry.migrations.0006_person_name_words").PG_WORDS
        if sql.startswith("CREATE FUNCTION")
    ),
    "DROP TABLE IF EXISTS registry_person_word_pair",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cur:
        for sql in PG_PAIRS:
            cur.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cur:
        for sql in PG_PAIRS_DROP:
            cur.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_person_name_words")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
