# The indexes of the keyset-paged lists (bench/plans/README.md has the plans before and after).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_extension_status_cancelled"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="task",
            name="task_inbox_idx",
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["created_at", "id"], name="case_created_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["centre", "created_at", "id"], name="case_centre_created_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(
                    ("status__in", ["accepted", "in_review", "pending_decision", "suspended"])
                ),
                fields=["due_date", "id"],
                name="case_open_due_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                fields=["department", "status", "due_date", "id"], name="task_inbox_keyset_idx"
            ),
        ),
    ]
