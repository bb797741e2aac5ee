"""Custom Scrapy commands (enabled through COMMANDS_MODULE)."""
