"""Scheduled messages: dues reminders, REHAB notices, broadcasts and the cadres' mornings, planned
idempotently and sent through the outbox.

scheduler: APScheduler as a clock, each job calling a planner or the sender; planner: which dues reminders
are due (set-based SQL); dispatch: due reminders re-checked, worded (wording) and queued; broadcasts and
segments: messages to a segment of families; rehab_notices: missed instalments and the card active again;
cadre_mornings: the 07:00 list; templates: WhatsApp's approved templates for outside the 24-hour window.
"""
