"""The JKN rules as pure functions of data and a date: no session, no clock, no I/O.

programme: the thresholds a branch may override; months: month arithmetic; arrears: what a family owes
and how a payment applies; segments: who pays a segment's dues, members who moved; rehab: instalment plans;
regions: time zones, names and places; identifiers: virtual accounts and masking; display: rupiah, names;
phones: one normaliser for phone numbers; calendar: working days and national holidays; visit_reports: the
cadres' one-line report grammar; task_list: which households a cadre visits today; progress: targets;
reminder_rules: which reminder is due when, and the send window.
"""
