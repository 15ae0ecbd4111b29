"""Real-time collaboration rooms: editor slots and the shared document."""
