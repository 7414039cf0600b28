"""The sample leaves the search index for partial GIN indexes of its own, one per
sections.models.SAMPLE_STOPS: a sampled count then walks only its sample's entries, instead of
collecting a range of buckets from the whole archive's index, which cost more than the count.
"""

import django.contrib.postgres.indexes
from django.db import migrations, models

# SAMPLE_STOPS as of this migration (the model's may change in a later one).
STOPS = (2, 4, 8, 16, 32, 64, 128, 256, 512)
FIELDS = ["search_vector", "year", "country"]


class Migration(migrations.Migration):
    dependencies = [
        ("sections", "0009_report_metadata"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="paragraph", name="paragraph_search_gin"),
        migrations.AddIndex(
            model_name="paragraph",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=FIELDS, name="paragraph_search_gin"
            ),
        ),
        *(
            migrations.AddIndex(
                model_name="paragraph",
                index=django.contrib.postgres.indexes.GinIndex(
                    condition=models.Q(("sample__lt", stop)),
                    fields=FIELDS,
                    name=f"paragraph_sample_{stop}_gin",
                ),
            )
            for stop in STOPS
        ),
    ]
