from konnaxion.kreative.models.artworks import ArtworkTag, KreativeArtwork
from konnaxion.kreative.models.collab_rooms import CollabChatMessage, CollabDocument
from konnaxion.kreative.models.collab_sessions import CollabSession
from konnaxion.kreative.models.galleries import Gallery, GalleryArtwork
from konnaxion.kreative.models.tags import Tag
from konnaxion.kreative.models.traditions import TraditionEntry

__all__ = [
    "ArtworkTag",
    "CollabChatMessage",
    "CollabDocument",
    "CollabSession",
    "Gallery",
    "GalleryArtwork",
    "KreativeArtwork",
    "Tag",
    "TraditionEntry",
]
