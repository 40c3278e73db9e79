"""LTI 1.3 tool: platforms (Moodle, Canvas) launch our courses and receive quiz scores back (AGS)."""
