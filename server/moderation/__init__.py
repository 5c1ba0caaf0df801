"""Moderation: the pure message pipeline, rate limits and (later) the review queue."""
