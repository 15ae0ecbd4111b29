"""The canonical data model I API: Kreative, keenKonnect, EkoH, Smart Vote."""

ROWS: list = []
