"""Course content: reading course folders, rendering Markdown safely, syncing into the database."""
