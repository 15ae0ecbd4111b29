"""keenKonnect."""
