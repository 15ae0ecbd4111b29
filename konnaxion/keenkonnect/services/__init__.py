"""keenKonnect services: the only code that writes."""
