"""Quiz questions without a database: read GIFT and Aiken, write GIFT, grade responses.

Every question is a JSON-serializable dict; its text, answers and feedback are stored both raw
and as sanitized HTML (`*_html`), rendered once when the file is read.
"""

from lms.quiz.aiken import parse_aiken, read_aiken
from lms.quiz.export import to_gift
from lms.quiz.gift import parse_gift, read_gift
from lms.quiz.grading import grade, parse_number
from lms.quiz.learner import correct_answer_summary, learner_view

#: Every question type the readers produce; all but "description" are graded.
QUESTION_TYPES = (
    "multichoice",
    "multiresponse",
    "truefalse",
    "shortanswer",
    "numerical",
    "matching",
    "essay",
    "description",
)

__all__ = [
    "QUESTION_TYPES",
    "correct_answer_summary",
    "grade",
    "learner_view",
    "parse_aiken",
    "parse_gift",
    "parse_number",
    "read_aiken",
    "read_gift",
    "to_gift",
]
