"""Quiz exchange pages: download a quiz as GIFT or Moodle XML, import a Moodle XML file."""

from __future__ import annotations

from flask import Response, abort, render_template, url_for
from flask_login import current_user, login_required

from lms.authoring import quiz_exchange
from lms.authoring.blueprint import activity_or_404, module_or_404, refusal
from lms.authoring.courses import AuthoringError
from lms.authoring.forms import QuizImportForm
from lms.content.errors import ContentError
from lms.content.limits import MAX_MOODLE_XML_BYTES
from lms.input_checks import body_limit
from lms.permissions import require


@login_required
def export_quiz(slug: str, activity_id: int, fmt: str):
    """Download the quiz's questions (as learners take them) as GIFT or Moodle XML."""
    activity = activity_or_404(slug, activity_id)
    if fmt not in quiz_exchange.EXPORT_FORMATS or activity.type != "quiz":
        abort(404)
    require("quiz.export", activity)
    try:
        text = quiz_exchange.export_quiz(activity, fmt)
    except ValueError as error:
        return render_template("authoring/quiz_export_refused.html", course=activity.course,
                               activity=activity, problem=str(error)), 422  # fmt: skip
    name = quiz_exchange.export_name(activity, fmt)
    return Response(text, mimetype=quiz_exchange.EXPORT_FORMATS[fmt][1],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@body_limit(lambda: MAX_MOODLE_XML_BYTES + 65536)
@login_required
def import_quiz(slug: str, key: str):
    """Make a draft quiz from a Moodle XML question file, listing what could not come along."""
    module = module_or_404(slug, key)
    require("quiz.import", module.course)
    form = QuizImportForm()
    if form.validate_on_submit():
        data = form.file.data.read(MAX_MOODLE_XML_BYTES + 1)
        try:
            activity, converted = quiz_exchange.import_moodle_xml(
                module.course, module, form.key.data, form.title.data, data, current_user.id)  # fmt: skip
        except AuthoringError as error:
            form.key.errors.append(refusal(error))
        except ContentError as error:
            form.file.errors.extend(str(p.message) for p in error.problems)
        else:
            edit_url = url_for("authoring.edit_activity", slug=slug, activity_id=activity.id)  # fmt: skip
            return render_template("authoring/quiz_imported.html", course=module.course,
                                   activity=activity, converted=converted, edit_url=edit_url)  # fmt: skip
    status = 422 if form.errors else 200
    limit_kb = MAX_MOODLE_XML_BYTES // 1024
    return render_template("authoring/quiz_import.html", form=form, course=module.course,
                           module=module, limit_kb=limit_kb), status  # fmt: skip
