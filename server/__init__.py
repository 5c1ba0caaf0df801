"""peerchat: a real-time, moderated peer-support chat server."""
