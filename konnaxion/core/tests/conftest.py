"""The live ASGI server of the browser tests, for the sockets' refusals as a browser sees them."""

from konnaxion.web.tests.conftest import _asgi_server, live_server_url  # noqa: F401
