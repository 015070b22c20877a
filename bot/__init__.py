"""Penny: a Telegram bot that tracks personal money from plain chat messages."""
