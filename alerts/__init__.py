"""Notifications to responsible units: email and WeCom, via a durable outbox."""
