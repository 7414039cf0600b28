"""The whole archive's GIN index holds the paragraphs with `sample >= 0` (every one): a search
of the whole archive says so to use it, and a sample's count (`sample < stop`) cannot, so the
planner reads the sample's own index however few matches it expects (see
sections.models.ARCHIVE_INDEX_CONDITION).

Built beside the old index without locking the table (CREATE INDEX CONCURRENTLY, which reads
the table twice), which then goes the same way and leaves its name to the new one: searches
and imports go on meanwhile.
"""

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models

NEW = "paragraph_search_gin_new"


class Migration(migrations.Migration):
    # CREATE and DROP INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("sections", "0010_paragraph_sample_indexes"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="paragraph",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(sample__gte=0),
                fields=["search_vector", "year", "country"],
                name=NEW,
            ),
        ),
        RemoveIndexConcurrently(model_name="paragraph", name="paragraph_search_gin"),
        migrations.RenameIndex(
            model_name="paragraph", new_name="paragraph_search_gin", old_name=NEW
        ),
    ]
