"""Certificates of completion: issued once per completed course, verifiable by anyone with the code."""
