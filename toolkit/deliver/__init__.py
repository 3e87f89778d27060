"""Sending outbox items to outside services over HTTP (the SMS gateway)."""
