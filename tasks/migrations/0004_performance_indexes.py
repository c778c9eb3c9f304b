"""Indexes found by the province-scale benchmarks (docs/performance.md).

report_assignment_latest: an assignment's latest progress report (the reminder sweep's
report cadence, the status reconstruction of past days) is read from the index, newest
first, instead of sorting the assignment's reports.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0003_history"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="progressreport",
            index=models.Index(fields=["assignment", "-submitted_at"], name="report_assignment_latest"),
        ),
    ]
