"""Record the links of evidence to standards and indicators in the history.

Until now the history kept each item's fields but not its links, so the picture on an earlier
date could not tell which standards an item supported then. From here on every historical
record carries the links the item had at that moment. For the records written before, the links
were never recorded; they get the links the item has now, the best knowledge there is (links are
made when an item is recorded and rarely changed after). Items deleted before this migration
keep no links: nothing is known of them.
"""

import django.db.models.deletion
import simple_history.models
from django.db import migrations, models


BATCH = 2000


def copy_current_links(apps, schema_editor):
    """Give every earlier historical record of evidence that still exists its present links."""
    model = apps.get_model("picture", "Evidence")
    historical = apps.get_model("picture", "HistoricalEvidence")
    for field, target in (("standards", "standard_id"), ("indicators", "indicator_id")):
        through = getattr(model, field).through
        recorded = apps.get_model("picture", f"HistoricalEvidence_{field}")
        links = {}
        for link_id, owner_id, target_id in through.objects.values_list(
            "id", "evidence_id", target
        ).iterator():
            links.setdefault(owner_id, []).append((link_id, target_id))
        batch = []
        records = (
            historical.objects.exclude(history_type="-").values_list("history_id", "id").iterator()
        )
        for history_id, owner_id in records:
            for link_id, target_id in links.get(owner_id, ()):
                batch.append(
                    recorded(
                        id=link_id,
                        history_id=history_id,
                        evidence_id=owner_id,
                        **{target: target_id},
                    )
                )
            if len(batch) >= BATCH:
                recorded.objects.bulk_create(batch)
                batch = []
        recorded.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ('frameworks', '0001_initial'),
        ('picture', '0002_picture_last_judged'),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalEvidence_indicators',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('evidence', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='picture.evidence')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='picture.historicalevidence')),
                ('indicator', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='picture.indicator')),
            ],
            options={
                'verbose_name': 'HistoricalEvidence_indicators',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalEvidence_standards',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('evidence', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='picture.evidence')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='picture.historicalevidence')),
                ('standard', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='frameworks.standard')),
            ],
            options={
                'verbose_name': 'HistoricalEvidence_standards',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(copy_current_links, migrations.RunPython.noop),
    ]
