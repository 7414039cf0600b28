"""The whole archive's GIN index holds the paragraphs with `sample >= 0` (every one): a search
of the whole archive says so to use it, and a sample's count (`sample < stop`) cannot, so the
planner reads the sample's own index however few matches it expects (see
sections.models.ARCHIVE_INDEX_CONDITION). Rebuilds that index: about 25 s at 1.5M paragraphs,
without writes to the paragraph table meanwhile.
"""

import django.contrib.postgres.indexes
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sections", "0010_paragraph_sample_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="paragraph", name="paragraph_search_gin"),
        migrations.AddIndex(
            model_name="paragraph",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(sample__gte=0),
                fields=["search_vector", "year", "country"],
                name="paragraph_search_gin",
            ),
        ),
    ]
