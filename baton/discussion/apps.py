from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "baton.discussion"
    label = "discussion"
