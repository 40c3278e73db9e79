"""How path parameters are documented: with the id range the database holds, and an example."""

from __future__ import annotations

from flask_smorest.spec.plugins import FlaskPlugin

from lms.api.lookup import MAX_ID

#: An example of each path parameter: the quiz test course's names, so that trying an endpoint
#: from the documentation (or Schemathesis's examples phase) reaches real objects.
PATH_EXAMPLES = {
    "slug": "kursus-kuis",
    "module_key": "modul",
    "activity_key": "kuis",
    "number": 1,
    "question_key": "ibukota",
    "cohort_id": 1,
    "submission_id": 1,
    "attempt_id": 1,
    "code": "ABCDEFGHJKMNPQRSTVWX",
    "thread_id": 1,
}


class DocumentedPathsPlugin(FlaskPlugin):
    """flask-smorest's Flask plugin, adding ranges and examples to path parameters."""

    def rule_to_params(self, rule):
        params = super().rule_to_params(rule)
        for param in params:
            schema = param.get("schema", {})
            if schema.get("type") == "integer":
                schema.update(minimum=1, maximum=MAX_ID)
            if param["name"] in PATH_EXAMPLES:
                param["example"] = PATH_EXAMPLES[param["name"]]
        return params
