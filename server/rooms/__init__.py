"""Topic rooms: catalogue, membership and presence, messages and history."""
