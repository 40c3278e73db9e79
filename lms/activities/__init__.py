"""Activity types: plugins loaded from the `lms.activities` entry-point group."""
