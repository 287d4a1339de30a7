"""The records of the service (SQLAlchemy 2 ORM) and the few functions that read and write them.

Tables live in people, chats, fieldwork, identity and reminders (base: what every table shares); db and
schema open and migrate the database; ledger and rehab_plans apply the pure rules of rules/ to the records;
promises and visits record and read promises to pay and the cadres' visit reports; identity counts identity
attempts and look-ups (the family lock, the rate limit) and personal_data masks, erases and purges what chats
leave behind; accounts (dashboard sign-in) and figures (the dashboard's monthly rollup, per cadre). This package never sends a message and imports nothing from bot/, handlers/, reminders/ or web/.
"""

from models.base import Base
from models.chats import Chat, ChatFamily, InboundMessage, OutboxMessage
from models.fieldwork import (
    AdminUser,
    AuditEntry,
    Consent,
    Promise,
    RehabInstalment,
    RehabPlan,
    Ticket,
    Visit,
)
from models.figures import FigureMonth
from models.identity import IdentityLookup, VerificationAttempt
from models.imports import ImportJob
from models.people import Assignment, Cadre, DuesRate, Family, Member, Payment
from models.reminders import Broadcast, DeliveryFailure, Reminder

__all__ = [
    "AdminUser", "Assignment", "AuditEntry", "Base", "Broadcast", "Cadre", "Chat", "ChatFamily", "Consent",
    "DeliveryFailure", "DuesRate", "Family", "FigureMonth", "IdentityLookup", "ImportJob", "InboundMessage",
    "Member", "OutboxMessage",
    "Payment", "Promise", "RehabInstalment", "RehabPlan", "Reminder", "Ticket", "VerificationAttempt",
    "Visit",
]
