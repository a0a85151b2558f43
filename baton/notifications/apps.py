from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "baton.notifications"
    label = "notifications"

    def ready(self) -> None:
        from baton.activity.signals import activity_recorded
        from baton.notifications.fanout import on_activity_recorded

        activity_recorded.connect(on_activity_recorded, dispatch_uid="baton.notifications.fan_out")
