"""Crisis resources sent at once to a person who asks for help.

The integrator should switch help_resources() to moderation.resources.resources_for(locale) once the
pipeline branch lands; until then this fixed, international list is what help:request answers with.
"""
from __future__ import annotations

_RESOURCES: tuple[dict[str, str], ...] = (
    {"name": "Emergency services", "contact": "Call your local emergency number (911, 112, 999, 000)",
     "when": "If you or someone else is in danger right now"},
    {"name": "988 Suicide & Crisis Lifeline (US)", "contact": "Call or text 988", "url": "https://988lifeline.org"},
    {"name": "Samaritans and emotional support lines (UK, Ireland, EU)", "contact": "Call 116 123",
     "url": "https://www.samaritans.org"},
    {"name": "Lifeline (Australia)", "contact": "Call 13 11 14", "url": "https://www.lifeline.org.au"},
    {"name": "Find a helpline in your country", "contact": "Free and confidential, worldwide",
     "url": "https://findahelpline.com"},
)


def help_resources() -> tuple[dict[str, str], ...]:
    return tuple(dict(resource) for resource in _RESOURCES)
