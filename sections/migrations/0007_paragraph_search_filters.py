"""Search filters on the paragraph row: the report's year, country, language and published flag,
copied and kept by triggers, a sample bucket, and one GIN index over the vector with them
(btree_gin), so a filtered or sampled search is a single index scan.
"""

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import BtreeGinExtension
import django.db.models.expressions
import django.db.models.functions.comparison
from django.db import migrations, models


# A paragraph takes its report's fields whenever it is written; a report's change of them is
# written through to its paragraphs. Existing rows are filled in once.
TRIGGERS = [
    """
    CREATE FUNCTION sections_paragraph_copy_report() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        SELECT r.year, r.country, r.language, r.published
          INTO NEW.year, NEW.country, NEW.language, NEW.published
          FROM sections_report r WHERE r.id = NEW.report_id;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER paragraph_copy_report BEFORE INSERT OR UPDATE ON sections_paragraph
    FOR EACH ROW EXECUTE FUNCTION sections_paragraph_copy_report()
    """,
    """
    CREATE FUNCTION sections_report_to_paragraphs() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE sections_paragraph
           SET year = NEW.year, country = NEW.country, language = NEW.language,
               published = NEW.published
         WHERE report_id = NEW.id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER report_to_paragraphs AFTER UPDATE OF year, country, language, published
    ON sections_report FOR EACH ROW
    WHEN ((OLD.year, OLD.country, OLD.language, OLD.published)
          IS DISTINCT FROM (NEW.year, NEW.country, NEW.language, NEW.published))
    EXECUTE FUNCTION sections_report_to_paragraphs()
    """,
    # The fill-in must not leave deferred unique checks queued before CREATE INDEX.
    "SET CONSTRAINTS ALL IMMEDIATE",
    """
    UPDATE sections_paragraph p
       SET year = r.year, country = r.country, language = r.language, published = r.published
      FROM sections_report r WHERE r.id = p.report_id
    """,
]
DROP_TRIGGERS = [
    "DROP TRIGGER report_to_paragraphs ON sections_report",
    "DROP FUNCTION sections_report_to_paragraphs()",
    "DROP TRIGGER paragraph_copy_report ON sections_paragraph",
    "DROP FUNCTION sections_paragraph_copy_report()",
]


class Migration(migrations.Migration):
    dependencies = [
        ("sections", "0006_retired_anchor_text"),
    ]

    operations = [
        BtreeGinExtension(),
        migrations.RemoveIndex(
            model_name="paragraph",
            name="paragraph_search_gin",
        ),
        migrations.AddField(
            model_name="paragraph",
            name="country",
            field=models.CharField(db_default="", editable=False, max_length=2),
        ),
        migrations.AddField(
            model_name="paragraph",
            name="language",
            field=models.CharField(db_default="", editable=False, max_length=2),
        ),
        migrations.AddField(
            model_name="paragraph",
            name="published",
            field=models.BooleanField(db_default=False, editable=False),
        ),
        migrations.AddField(
            model_name="paragraph",
            name="year",
            field=models.PositiveSmallIntegerField(db_default=0, editable=False),
        ),
        migrations.AddField(
            model_name="paragraph",
            name="sample",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.comparison.Cast(
                    django.db.models.expressions.CombinedExpression(
                        django.db.models.expressions.CombinedExpression(
                            django.db.models.expressions.CombinedExpression(
                                models.F("id"), "*", models.Value(2654435769)
                            ),
                            "%%",
                            models.Value(4294967296),
                        ),
                        "/",
                        models.Value(4194304),
                    ),
                    models.SmallIntegerField(),
                ),
                output_field=models.SmallIntegerField(),
            ),
        ),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
        migrations.AddIndex(
            model_name="paragraph",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector", "year", "country", "sample"], name="paragraph_search_gin"
            ),
        ),
    ]
