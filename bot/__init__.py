"""The conversation core: messages in, replies out, no provider SDK and no Flask here (see bot/channels).

messages: Incoming, Outgoing, Reply; conversation: one path in (dedupe, chat, step, handlers, replies
queued); keywords: matching what people type; outbox: every outgoing message a row first; sender and
limiter: sending those rows within each provider's limits; settings, clock, runtime: the service's
configuration, time and wired parts; channels/: the provider adapters (Telegram, WhatsApp, web).
"""
