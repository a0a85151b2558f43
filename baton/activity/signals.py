from django.dispatch import Signal

# Sent by record_activity() inside the writer's transaction, with `activity`. Receivers that
# enqueue work (the notifications fan-out) thereby commit or roll back with the change itself.
activity_recorded = Signal()
