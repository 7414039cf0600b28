"""Samples by disjoint ranges of buckets: each range between two sample stops, [0, 2),
[2, 4) … [256, 512), gets a GIN index of its own instead of one index per sample 0..stop-1,
so that a count that needs a larger sample than its first reads only the ranges the first
lacked (sections.models.SAMPLE_RANGES). A range's lower bound is written `sample + 0 >= low`,
which does not imply the whole archive's `sample >= 0`: a sample's count still cannot read
the whole archive's index.

Built beside the old indexes without locking the table (CREATE INDEX CONCURRENTLY), which
then go: searches and imports go on meanwhile.
"""

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models
from django.db.models import F
from django.db.models.lookups import GreaterThanOrEqual, LessThan

# As of this migration (the model's may change in a later one).
OLD_STOPS = (2, 4, 8, 16, 32, 64, 128, 256, 512)
RANGES = tuple(zip((0, *OLD_STOPS[:-1]), OLD_STOPS, strict=True))
FIELDS = ["search_vector", "year", "country"]


def sample_range(low: int, stop: int) -> models.Q:
    below = LessThan(F("sample"), stop)
    return models.Q(below) if low == 0 else models.Q(below, GreaterThanOrEqual(F("sample") + 0, low))


class Migration(migrations.Migration):
    # CREATE and DROP INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("sections", "0011_archive_index_condition"),
    ]

    operations = [
        *(
            AddIndexConcurrently(
                model_name="paragraph",
                index=django.contrib.postgres.indexes.GinIndex(
                    condition=sample_range(low, stop),
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
