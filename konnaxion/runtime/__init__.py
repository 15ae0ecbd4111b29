"""How the project runs: embedded PostgreSQL and Redis by default, and the process supervisor."""
