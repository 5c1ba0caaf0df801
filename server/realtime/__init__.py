"""Real time: the Socket.IO server and manager, the event gateway, and topic fan-out."""
