"""Scheduled messages: dues reminders and broadcasts, planned idempotently, sent through the outbox."""
