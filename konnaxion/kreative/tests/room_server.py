"""uvicorn serving the real ASGI application (rooms admit their host and invited people).

`python -m konnaxion.kreative.tests.room_server <port>`: what the multi-process room tests and
the room benchmark start, twice, to show that the editor cap holds across server processes.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    import uvicorn

    from config.asgi import application

    uvicorn.run(
        application, host="127.0.0.1", port=int(sys.argv[1]), lifespan="off", log_level="warning"
    )


if __name__ == "__main__":
    main()
