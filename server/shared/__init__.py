"""State shared by every process of one deployment, kept in Redis: presence, who is online (and with how
many connections), which moderators watch the queue, rate limits, and the lease that picks the one
process running the once-per-deployment jobs.

Each piece sits behind the interface of its in-process class, so services do not know which one runs.
PostgreSQL stays the only source of truth for anything durable; nothing here must survive a Redis loss.
"""
