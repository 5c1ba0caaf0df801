"""Scheduled group sessions led by facilitators: the calendar, the live state machine, facilitation
controls, capacity with a waitlist, and anonymous feedback. State lives in the database (never only in a
process), so it survives restarts and is shared by every server process.
"""
