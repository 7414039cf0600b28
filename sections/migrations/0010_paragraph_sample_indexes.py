"""The sample leaves the search index for partial GIN indexes of its own, one per
sections.models.SAMPLE_STOPS: a sampled count then walks only its sample's entries, instead of
collecting a range of buckets from the whole archive's index, which cost more than the count.
"""

import django.contrib.postgres.indexes
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sections', '0009_report_metadata'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='paragraph',
            name='paragraph_search_gin',
        ),
        migrations.AddIndex(
            model_name='paragraph',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_vector', 'year', 'country'], name='paragraph_search_gin'),
        ),
        migrations.AddIndex(
            model_name='paragraph',
            index=django.contrib.postgres.indexes.GinIndex(condition=models.Q(('sample__lt', 2)), fields=['search_vector', 'year', 'country'], name='paragraph_sample_2_gin'),
        ),
        migrations.AddIndex(
            model_name='paragraph',
            index=django.contrib.postgres.indexes.GinIndex(condition=models.Q(('sample__lt', 4)), fields=['search_vector', 'year', 'country'], name='paragraph_sample_4_gin'),
        ),
        migrations.AddIndex(
            model_name='paragraph',
            index=django.contrib.postgres.indexes.GinIndex(condition=models.Q(('sample__lt', 8)), fields=['search_vector', 'year', 'country'], name='paragraph_sample_8_gin'),
        ),
        migrations.AddIndex(
            model_name='paragraph',
            index=django.contrib.postgres.indexes.GinIndex(condition=models.Q(('sample__lt', 16)), fields=['search_vector', 'year', 'country'], name='paragraph_sample_16_gin'),
        ),
        migrations.AddIndex(
            model_name='paragraph',
            index=django.contrib.postgres.indexes.GinIndex(condition=models.Q(('sample__lt', 32)), fields=['search_vector', 'year', 'country'], name='paragraph_sample_32_gin'),
        ),
        migrations.AddIndex(
            model_name='paragraph',
            index=django.contrib.postgres.indexes.GinIndex(condition=models.Q(('sample__lt', 64)), fields=['search_vector', 'year', 'country'], name='paragraph_sample_64_gin'),
        ),
        migrations.AddIndex(
            model_name='paragraph',
            index=django.contrib.postgres.indexes.GinIndex(condition=models.Q(('sample__lt', 128)), fields=['search_vector', 'year', 'country'], name='paragraph_sample_128_gin'),
        ),
        migrations.AddIndex(
            model_name='paragraph',
            index=django.contrib.postgres.indexes.GinIndex(condition=models.Q(('sample__lt', 256)), fields=['search_vector', 'year', 'country'], name='paragraph_sample_256_gin'),
        ),
        migrations.AddIndex(
            model_name='paragraph',
            index=django.contrib.postgres.indexes.GinIndex(condition=models.Q(('sample__lt', 512)), fields=['search_vector', 'year', 'country'], name='paragraph_sample_512_gin'),
        ),
    ]
