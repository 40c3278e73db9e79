"""The job runner: one `flask --app wsgi lms worker` does every background duty (docs/deploy.md)."""
