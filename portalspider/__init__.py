"""portalspider: keeps every column of a Chinese government portal fresh."""
