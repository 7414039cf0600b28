"""Backups: `backup_database` dumps the test archive, `restore_database` restores it into a
fresh database on the same server, and every report, section, paragraph (text, number,
ordinal, search vector), retired anchor and every other row, index and sequence comes back
the same; a non-empty database is refused."""

import subprocess
import time
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from reportsite import backup
from sections.ingest.importer import text_hash
from sections.models import Paragraph, Report, RetiredAnchor

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db

# What the brief names, in a readable form (a difference shows the row); everything else is
# compared by the checksum of every table.
QUERIES = {
    "reports": """SELECT id, country, year, language, title, layout, source_name, checksum,
                         published, parse_warnings::text FROM sections_report ORDER BY id""",
    "sections": """SELECT id, report_id, code, title, "order", parent_id
                   FROM sections_section ORDER BY id""",
    "section topics": """SELECT section_id, topic_id FROM sections_section_topics
                         ORDER BY section_id, topic_id""",
    "paragraphs": """SELECT id, report_id, section_id, ordinal, number, text,
                            search_vector::text, analyzer_version
                     FROM sections_paragraph ORDER BY id""",
    "retired anchors": """SELECT report_id, number, successor_number, text_hash
                          FROM sections_retiredanchor ORDER BY report_id, number""",
    "topics": "SELECT * FROM sections_topic ORDER BY id",
}
TABLES = """SELECT table_name FROM information_schema.tables
            WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"""
SCHEMA = {
    # A partial index's predicate is deparsed differently once restored (the same ARRAY
    # cast written another way), so it is compared as present, not as text.
    "indexes": """SELECT indexname, split_part(indexdef, ' WHERE ', 1), indexdef LIKE '% WHERE %'
                  FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1""",
    "constraints": """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
                      FROM pg_constraint WHERE connamespace = 'public'::regnamespace
                      ORDER BY 1, 2""",
    "extensions": "SELECT extname FROM pg_extension ORDER BY 1",
    "sequences": """SELECT sequencename, last_value FROM pg_sequences
                    WHERE schemaname = 'public' ORDER BY 1""",
}


def connect(database: str):
    return psycopg.connect(**backup.connect_kwargs(connection.settings_dict, database))


def table_checksums(conn) -> dict[str, tuple[int, str]]:
    result = {}
    for (table,) in conn.execute(TABLES).fetchall():
        query = sql.SQL(
            "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
            " FROM {} t"
        ).format(sql.Identifier(table))
        result[table] = tuple(conn.execute(query).fetchone())
    return result


@pytest.fixture(scope="module")
def retired_anchors(django_db_setup, django_db_blocker):
    """Retired anchors in the committed archive (its imports retire none), removed after."""
    with django_db_blocker.unblock():
        report = Report.objects.get(country="KZ", year=2021, language="kk")
        highest = max(report.paragraphs.values_list("number", flat=True))
        first = report.paragraphs.order_by("ordinal").first()
        created = [
            RetiredAnchor.objects.create(
                report=report,
                number=highest + 1,
                successor_number=first.number,
                text_hash=text_hash("Алынып тасталған абзац."),
            ),
            RetiredAnchor.objects.create(
                report=report, number=highest + 2, successor_number=highest + 1
            ),
        ]
    yield created
    with django_db_blocker.unblock():
        RetiredAnchor.objects.filter(pk__in=[anchor.pk for anchor in created]).delete()


@pytest.fixture(scope="module")
def restored(retired_anchors, django_db_blocker, tmp_path_factory):
    """(archive path, name of the database it was restored into, figures)."""
    source = connection.settings_dict["NAME"]
    target = f"{source}_restored"
    path = tmp_path_factory.mktemp("backup") / "archive.dump"
    with django_db_blocker.unblock():
        with connect("postgres") as conn:
            conn.autocommit = True
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target))
            )
        out = StringIO()
        started = time.monotonic()
        call_command("backup_database", "--output", str(path), stdout=out)
        dumped = time.monotonic()
        call_command("restore_database", str(path), "--database", target, stdout=out)
        figures = {
            "size": path.stat().st_size,
            "dump_seconds": dumped - started,
            "restore_seconds": time.monotonic() - dumped,
            "output": out.getvalue(),
        }
    yield path, target, figures
    with django_db_blocker.unblock(), connect("postgres") as conn:
        conn.autocommit = True
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target))
        )


def test_the_archive_is_written_whole_and_private(restored):
    path, target, figures = restored
    assert path.read_bytes().startswith(b"PGDMP")
    assert path.stat().st_mode & 0o777 == 0o600
    assert not list(path.parent.glob(".*.partial"))
    assert f"wrote {path}" in figures["output"]
    assert f"restored {path} into database {target}" in figures["output"]


def test_the_round_trip_gives_back_every_report_paragraph_and_anchor(restored):
    _, target, figures = restored
    with connect(connection.settings_dict["NAME"]) as original, connect(target) as copy:
        for name, query in QUERIES.items():
            before, after = original.execute(query).fetchall(), copy.execute(query).fetchall()
            assert after == before, name
        counts = {name: len(original.execute(query).fetchall()) for name, query in QUERIES.items()}
        assert counts["reports"] == 3 and counts["retired anchors"] == 2
        assert counts["paragraphs"] == Paragraph.objects.count()
        # Every row of every table, the schema and where the sequences stand.
        checksums = table_checksums(original)
        assert table_checksums(copy) == checksums
        for name, query in SCHEMA.items():
            assert copy.execute(query).fetchall() == original.execute(query).fetchall(), name
        rows = sum(count for count, _ in checksums.values())
    print(
        f"\nbackup round trip: {figures['size'] / 1e6:.2f} MB dumped in "
        f"{figures['dump_seconds']:.2f} s, restored in {figures['restore_seconds']:.2f} s; "
        f"{len(checksums)} tables, {rows} rows compared ({counts})"
    )


def test_search_works_on_the_restored_database(restored):
    _, target, _ = restored
    words = "SELECT DISTINCT lexeme FROM sections_paragraph, unnest(search_vector) ORDER BY 1"
    # `sample >= 0`: the whole archive's index condition (sections.models), true of every row.
    query = (
        "SELECT id FROM sections_paragraph WHERE search_vector @@ %s::tsquery AND sample >= 0"
        " ORDER BY id"
    )
    with connect(connection.settings_dict["NAME"]) as original, connect(target) as copy:
        lexemes = [row[0] for row in original.execute(words).fetchall()]
        assert copy.execute(words).fetchall() == [(lexeme,) for lexeme in lexemes]
        for lexeme in lexemes[:: max(1, len(lexemes) // 20)]:
            literal = "'" + lexeme.replace("'", "''") + "'"
            found = original.execute(query, [literal]).fetchall()
            assert found and copy.execute(query, [literal]).fetchall() == found, lexeme
        # The planner uses the GIN index on the restored copy too.
        copy.execute("SET enable_seqscan = off")
        plan = "\n".join(row[0] for row in copy.execute("EXPLAIN " + query, [literal]))
        assert "paragraph_search_gin" in plan


def test_restoring_into_a_database_that_is_not_empty_is_refused(restored):
    path, target, _ = restored
    before = (Report.objects.count(), Paragraph.objects.count())
    for database in [[], ["--database", target]]:
        with pytest.raises(CommandError) as error:
            call_command("restore_database", str(path), *database)
        message = str(error.value)
        assert "\n" not in message
        assert "is not empty" in message and "--force" in message
    assert (Report.objects.count(), Paragraph.objects.count()) == before


def test_force_restores_over_a_database_holding_the_same_archive(restored):
    path, target, _ = restored
    with connect(target) as copy:
        copy.execute("DELETE FROM sections_retiredanchor")
        copy.commit()
    call_command("restore_database", str(path), "--database", target, "--force", stdout=StringIO())
    with connect(connection.settings_dict["NAME"]) as original, connect(target) as copy:
        assert table_checksums(copy) == table_checksums(original)


def test_a_file_that_is_no_archive_is_refused_by_name(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a dump")
    with pytest.raises(CommandError, match=r"notes\.txt is not a pg_dump archive"):
        call_command("restore_database", str(path), "--database", "never_created")


def test_make_targets_run_the_commands():
    def dry_run(*args):
        result = subprocess.run(
            ["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        return result.stdout + result.stderr

    assert "manage.py backup_database --output 'x.dump'" in dry_run("backup", "OUTPUT=x.dump")
    assert "manage.py restore_database 'x.dump'" in dry_run("restore", "FILE=x.dump")
    assert "--database 'other' --force" in dry_run("restore", "FILE=x", "DB=other", "FORCE=1")
    # -o install: check the usage line without the dependency check of the venv.
    usage = subprocess.run(
        ["make", "-s", "-o", "install", "restore"], cwd=ROOT, capture_output=True, text=True
    )
    assert usage.returncode != 0 and "usage: make restore FILE=" in usage.stderr
