"""Samples by disjoint ranges of buckets, and the whole archive's index by `id > 0`.

Each range between two sample stops, [0, 2), [2, 4) … [256, 512), gets a GIN index of its
own instead of one index per sample 0..stop-1: a count that needs a larger sample than its
first then reads only the ranges the first lacked (sections.models.SAMPLE_RANGES). A range
implies `sample >= 0`, the old condition of the whole archive's index, which now holds the
paragraphs with `id > 0` (every one), so that a sample's count still cannot read it.

Built beside the old indexes without locking the table (CREATE INDEX CONCURRENTLY), which
then go: searches and imports go on meanwhile.
"""

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models

# As of this migration (the model's may change in a later one).
OLD_STOPS = (2, 4, 8, 16, 32, 64, 128, 256, 512)
RANGES = tuple(zip((0, *OLD_STOPS[:-1]), OLD_STOPS, strict=True))
FIELDS = ["search_vector", "year", "country"]
NEW = "paragraph_search_gin_new"


class Migration(migrations.Migration):
    # CREATE and DROP INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("sections", "0011_archive_index_condition"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="paragraph",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(id__gt=0), fields=FIELDS, name=NEW
            ),
        ),
        RemoveIndexConcurrently(model_name="paragraph", name="paragraph_search_gin"),
        migrations.RenameIndex(
            model_name="paragraph", new_name="paragraph_search_gin", old_name=NEW
        ),
        *(
            AddIndexConcurrently(
                model_name="paragraph",
                index=django.contrib.postgres.indexes.GinIndex(
                    condition=models.Q(sample__gte=low, sample__lt=stop),
                    fields=FIELDS,
                    name=f"paragraph_sample_{low}_{stop}_gin",
                ),
            )
            for low, stop in RANGES
        ),
        *(
            RemoveIndexConcurrently(model_name="paragraph", name=f"paragraph_sample_{stop}_gin")
            for stop in OLD_STOPS
        ),
    ]
