"""keenKonnect models, one module per aggregate."""

from konnaxion.keenkonnect.models.blobs import Blob, storage_name_for

__all__ = ["Blob", "storage_name_for"]
