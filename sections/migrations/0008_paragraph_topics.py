"""The ids of a paragraph's section topics on the paragraph row, for the topic facet of a
search without a lookup per match (search.counting); kept by triggers."""

import django.contrib.postgres.fields
from django.db import migrations, models

TOPICS_OF_SECTION = (
    "ARRAY(SELECT st.topic_id FROM sections_section_topics st"
    " WHERE st.section_id = {section} ORDER BY st.topic_id)"
)


def copy_report_function(also: str = "") -> str:
    """The paragraph trigger's function of migration 0007, with `also` after its copy."""
    return f"""
    CREATE OR REPLACE FUNCTION sections_paragraph_copy_report() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        SELECT r.year, r.country, r.language, r.published
          INTO NEW.year, NEW.country, NEW.language, NEW.published
          FROM sections_report r WHERE r.id = NEW.report_id;
        {also}
        RETURN NEW;
    END $$
    """


TRIGGERS = [
    # The copy of the report's fields (migration 0007) now takes the section's topics too.
    copy_report_function(f"NEW.topics := {TOPICS_OF_SECTION.format(section='NEW.section_id')};"),
    f"""
    CREATE FUNCTION sections_section_topics_to_paragraphs() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        changed bigint := coalesce(NEW.section_id, OLD.section_id);
    BEGIN
        UPDATE sections_paragraph SET topics = {TOPICS_OF_SECTION.format(section="changed")}
         WHERE section_id = changed;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER section_topics_to_paragraphs AFTER INSERT OR DELETE OR UPDATE
    ON sections_section_topics FOR EACH ROW
    EXECUTE FUNCTION sections_section_topics_to_paragraphs()
    """,
    "SET CONSTRAINTS ALL IMMEDIATE",
    f"UPDATE sections_paragraph p SET topics = {TOPICS_OF_SECTION.format(section='p.section_id')}",
]
DROP_TRIGGERS = [
    "DROP TRIGGER section_topics_to_paragraphs ON sections_section_topics",
    "DROP FUNCTION sections_section_topics_to_paragraphs()",
    copy_report_function(),
]


class Migration(migrations.Migration):
    dependencies = [("sections", "0007_paragraph_search_filters")]

    operations = [
        migrations.AddField(
            model_name="paragraph",
            name="topics",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.IntegerField(), db_default=models.Value([]), editable=False
            ),
        ),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
    ]
