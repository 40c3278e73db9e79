"""Quizzes as learners take them: attempts, answers, grading, review, regrading and statistics.

The questions themselves (reading GIFT, grading one response) live in `lms.quiz`, which knows
nothing of the database; this package keeps attempts durable and fair around it.
"""
