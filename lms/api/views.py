"""Every blueprint of /api/v1, in the order the documentation lists them, set up once."""

from werkzeug.exceptions import HTTPException

from lms.api import (
    assignments,
    cohorts,
    courses,
    discussions,
    gain,
    problems,
    quizzes,
    records,
    surveys,
    teaching,
)
from lms.api.auth import authenticate

BLUEPRINTS = [
    courses.bp,
    quizzes.bp,
    teaching.bp,
    assignments.bp,
    cohorts.bp,
    discussions.bp,
    records.bp,
    surveys.bp,
    gain.bp,
]

for _blueprint in BLUEPRINTS:
    _blueprint.before_request(authenticate)
    _blueprint.register_error_handler(problems.ApiProblem, problems.from_api_problem)
    _blueprint.register_error_handler(HTTPException, problems.from_http_exception)
