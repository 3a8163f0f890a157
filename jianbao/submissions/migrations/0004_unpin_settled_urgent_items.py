"""Urgent items already adopted, published or archived are no longer pinned on top of the inbox."""

from django.db import migrations

SETTLED = ["adopted", "published", "archived"]


def unpin(apps, schema_editor):
    submission = apps.get_model("submissions", "Submission")
    submission.objects.filter(state__in=SETTLED, urgency_rank=1).update(urgency_rank=0)


def repin(apps, schema_editor):
    submission = apps.get_model("submissions", "Submission")
    submission.objects.filter(state__in=SETTLED, urgency="urgent").update(urgency_rank=1)


class Migration(migrations.Migration):
    dependencies = [("submissions", "0003_sent_back_state_and_comments")]

    operations = [migrations.RunPython(unpin, repin)]
