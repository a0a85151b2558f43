from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("calendars", "0002_event_discussion"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="rdates",
            field=models.JSONField(blank=True, default=list),
        ),
    ]
