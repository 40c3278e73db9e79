"""xAPI learning records: statements queued with each learning event and sent to an LRS."""
