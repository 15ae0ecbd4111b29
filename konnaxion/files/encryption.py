"""Encryption at rest of blobs: AES-256-GCM in fixed-size chunks (format in docs/storage.md).

A blob file is a header followed by chunks. Each chunk is `CHUNK_SIZE` bytes of plaintext (the
last one shorter, possibly empty) sealed with the blob's own random data key. The nonce and the
associated data bind the chunk's index, whether it is the final chunk and the header (which holds
the blob's random file id), so chunks cannot be reordered, dropped, appended or moved from one
blob to another without decryption failing. The data key is wrapped (RFC 3394 AES key wrap) by a
master key from the settings; rotating the master key re-wraps data keys and rewrites no blob.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MAGIC = b"KNXBLOB1"
CHUNK_SIZE = 64 * 1024
TAG_SIZE = 16
FILE_ID_SIZE = 16
HEADER = struct.Struct(">8sI16s")  # magic, plaintext chunk size, file id
HEADER_SIZE = HEADER.size
SEALED_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE
DATA_KEY_SIZE = 32

# What an upload's bytes arrive as: read from a socket, or views of the blocks read.
BytesLike = bytes | bytearray | memoryview


class BlobIntegrityError(Exception):
    """A stored blob or its wrapped key failed authentication: tampered, truncated or misfiled."""


@dataclass(frozen=True)
class MasterKey:
    key_id: str
    key: bytes


def _decode_master_key(encoded: str, *, setting: str) -> MasterKey:
    try:
        key = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"{setting} must be base64 of 32 bytes.") from exc
    if len(key) != 32:
        raise ImproperlyConfigured(f"{setting} must be base64 of 32 bytes, not {len(key)}.")
    return MasterKey(key_id=key_id_of(key), key=key)


def key_id_of(key: bytes) -> str:
    """A public identifier of a master key: it tells which key wrapped a data key."""
    return hashlib.sha256(b"konnaxion-storage-master-key\x00" + key).hexdigest()[:16]


def current_master_key() -> MasterKey:
    """The master key new data keys are wrapped with (`KONNAXION_STORAGE_KEY`)."""
    return _decode_master_key(settings.KONNAXION_STORAGE_KEY, setting="KONNAXION_STORAGE_KEY")


def known_master_keys() -> dict[str, MasterKey]:
    """Every master key accepted for unwrapping, by key id: the current one and the old ones."""
    keys = [current_master_key()] + [
        _decode_master_key(encoded, setting="KONNAXION_STORAGE_OLD_KEYS")
        for encoded in settings.KONNAXION_STORAGE_OLD_KEYS
        if encoded.strip()
    ]
    return {master.key_id: master for master in keys}


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def data_key_wrap(data_key: bytes) -> tuple[bytes, str]:
    """Wrap `data_key` under the current master key; returns the wrapped key and the key id."""
    master = current_master_key()
    return aes_key_wrap(master.key, data_key), master.key_id


def data_key_unwrap(wrapped_key: bytes, key_id: str) -> bytes:
    """Unwrap a data key with the master key `key_id`. Raises BlobIntegrityError."""
    master = known_master_keys().get(key_id)
    if master is None:
        raise BlobIntegrityError(
            f"The master key {key_id} is not configured (KONNAXION_STORAGE_OLD_KEYS?)."
        )
    try:
        return aes_key_unwrap(master.key, bytes(wrapped_key))
    except InvalidUnwrap as exc:
        raise BlobIntegrityError(f"The data key does not unwrap under key {key_id}.") from exc


def chunk_count(size: int) -> int:
    """How many chunks hold `size` bytes of plaintext (an empty blob has one empty chunk)."""
    return max(1, -(-size // CHUNK_SIZE))


def sealed_size(size: int) -> int:
    """The size of the stored file for `size` bytes of plaintext."""
    return HEADER_SIZE + size + chunk_count(size) * TAG_SIZE


def _nonce(index: int, final: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if final else b"\x00")


def _associated_data(header: bytes, index: int, final: bool) -> bytes:
    return header + struct.pack(">Q?", index, final)


class ChunkSealer:
    """Encrypts a stream of plaintext chunks for one blob under its data key."""

    def __init__(self, data_key: bytes) -> None:
        self._aead = AESGCM(data_key)
        self.header = HEADER.pack(MAGIC, CHUNK_SIZE, os.urandom(FILE_ID_SIZE))
        self._index = 0

    def seal(self, plaintext: BytesLike, *, final: bool) -> bytes:
        """Seal the next chunk: exactly CHUNK_SIZE bytes, or at most that for the final one."""
        if len(plaintext) > CHUNK_SIZE or (not final and len(plaintext) != CHUNK_SIZE):
            raise ValueError("Only the final chunk may be shorter than CHUNK_SIZE.")
        index = self._index
        self._index += 1
        return self._aead.encrypt(
            _nonce(index, final), plaintext, _associated_data(self.header, index, final)
        )


class ChunkOpener:
    """Decrypts chunks of one blob, given its header and its plaintext size."""

    def __init__(self, data_key: bytes, header: bytes, size: int) -> None:
        if len(header) != HEADER_SIZE:
            raise BlobIntegrityError("The blob header is truncated.")
        magic, chunk_size, _file_id = HEADER.unpack(header)
        if magic != MAGIC or chunk_size != CHUNK_SIZE:
            raise BlobIntegrityError("The blob header is not of a known format.")
        self._aead = AESGCM(data_key)
        self.header = header
        self.size = size
        self.chunks = chunk_count(size)

    def open(self, index: int, sealed: bytes) -> bytes:
        """The plaintext of chunk `index`. Raises BlobIntegrityError if it does not authenticate."""
        if not 0 <= index < self.chunks:
            raise BlobIntegrityError(f"Chunk {index} is outside the blob.")
        final = index == self.chunks - 1
        try:
            plaintext = self._aead.decrypt(
                _nonce(index, final), sealed, _associated_data(self.header, index, final)
            )
        except InvalidTag as exc:
            raise BlobIntegrityError(f"Chunk {index} does not authenticate.") from exc
        expected = self.size - index * CHUNK_SIZE if final else CHUNK_SIZE
        if len(plaintext) != expected:
            raise BlobIntegrityError(f"Chunk {index} has the wrong length.")
        return plaintext
