"""The name-word triggers fire always, and the words of the people they missed (issue #16).

PostgreSQL only. Bulk writes (the member import's people upsert, `sinergi.core.bulksql`) run with
`session_replication_role = replica` where the role may, to check foreign keys once per statement
instead of once per row. That setting also silences every ordinary trigger: people written by an import
got no name words and no word pairs (0006, 0007), and the word walks of a name search never found them
(in the demo, 3,800 of 7,677 people). The triggers of `registry_person` that keep the words are now
ENABLE ALWAYS: they fire whatever the session's replication role (foreign-key checks, which are internal
triggers, stay off inside those blocks as intended). pg_restore creates triggers after loading the data,
so a restore copies the word tables as dumped.

The word tables are then rebuilt from `registry_person`: the words and pairs of every person as the
triggers would have written them, and the vocabulary completed.
"""

from django.db import migrations

TRIGGERS = [
    "registry_person_words_ai",
    "registry_person_words_au",
    "registry_person_words_ad",
    "registry_person_words_at",
]

REBUILD = [
    "DELETE FROM registry_person_word",
    "DELETE FROM registry_person_word_pair",
    r"""INSERT INTO registry_person_word (word, name, person_id)
    SELECT DISTINCT w.word, p.name, p.id
    FROM registry_person p CROSS JOIN LATERAL unnest(string_to_array(p.name_key, ' ')) AS w(word)
    WHERE w.word <> ''
    ORDER BY 1, 2, 3""",
    """INSERT INTO registry_person_word_pair (word_a, word_b, name, person_id)
    SELECT a.word, b.word, a.name, a.person_id
    FROM registry_person_word a JOIN registry_person_word b ON b.person_id = a.person_id AND a.word < b.word
    ORDER BY 1, 2, 3, 4""",
    "INSERT INTO registry_name_word (word) SELECT DISTINCT word FROM registry_person_word ON CONFLICT DO NOTHING",
    "ANALYZE registry_person_word",
    "ANALYZE registry_person_word_pair",
    "ANALYZE registry_name_word",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cur:
        for trigger in TRIGGERS:
            cur.execute(f"ALTER TABLE registry_person ENABLE ALWAYS TRIGGER {trigger}")
        for sql in REBUILD:
            cur.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cur:
        for trigger in TRIGGERS:
            cur.execute(f"ALTER TABLE registry_person ENABLE TRIGGER {trigger}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0007_person_word_pairs")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
