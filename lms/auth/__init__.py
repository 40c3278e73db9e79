"""Accounts: sign-in, registration, NIP and password rules."""
