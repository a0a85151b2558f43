"""Delivery channels: each module has deliver(notifications, activity=None)."""
