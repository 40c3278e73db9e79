"""Administrators' pages: the audit log and account unlocking."""
