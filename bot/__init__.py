"""The conversation core: messages in, replies out, no provider SDK and no Flask here (see bot/channels)."""
