"""Authoring in the browser: courses, modules and activities, drafts, revisions, images, export."""
