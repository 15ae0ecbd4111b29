from collections.abc import Iterator

import pytest
from channels.layers import channel_layers


@pytest.fixture(autouse=True)
def _fresh_channel_layer() -> Iterator[None]:
    """Each asyncio test runs its own event loop: the Redis layer's locks and connections
    belong to one loop, so every test gets a layer of its own."""
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()
