"""Instructors' pages: quiz results, statistics, grading by hand and regrading."""
