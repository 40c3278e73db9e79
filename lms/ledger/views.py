"""The learner's JP page: the year's total against the target, records, external training, exports."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from lms import exports
from lms.extensions import db
from lms.ledger import approvals, records
from lms.ledger.export import ledger_csv, ledger_xlsx
from lms.ledger.forms import KINDS, ExternalTrainingForm, RejectForm
from lms.ledger.proofs import (
    MEDIA_TYPES,
    ProofError,
    delete_proof,
    proof_file,
    save_proof,
)
from lms.models import JpRecord
from lms.permissions import require

bp = Blueprint("ledger", __name__)


def _year() -> int:
    """Return the year asked for in the query string, else the current one."""
    year = request.args.get("year", type=int)
    current = records.local_today().year
    return year if year and 1900 < year <= current + 1 else current


def _render(form: ExternalTrainingForm, year: int, status: int = 200):
    current = records.local_today().year
    return render_template(
        "ledger/mine.html",
        ledger=records.ledger_for(current_user.id, year),
        years=records.ledger_years(current_user.id, current),
        current_year=current,
        form=form,
        delete_form=FlaskForm(),
        kinds=KINDS,
    ), status


@bp.get("/my/jp")
@login_required
def mine():
    """Show the learner's JP for a year against the yearly target, and the form for external training."""
    return _render(ExternalTrainingForm(), _year())


@bp.post("/my/jp")
@login_required
def add():
    """Record external training with its proof."""
    form = ExternalTrainingForm()
    if not form.validate_on_submit():
        return _render(form, _year(), 400)
    uploads = current_app.config["LMS_UPLOADS_DIR"]
    try:
        proof = save_proof(
            form.proof.data.stream,
            uploads,
            current_user.id,
            current_app.config["LMS_MAX_UPLOAD_BYTES"],
        )
    except ProofError as error:
        form.proof.errors.append(_proof_message(error))
        return _render(form, _year(), 400)
    record = records.add_external(
        current_user.id,
        kind=form.kind.data,
        title=form.title.data,
        provider=form.provider.data,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        hours=form.hours.data,
        proof_path=proof,
    )
    approvals.tell_approvers(record, current_user)
    db.session.commit()
    flash(
        _(
            "The training is recorded. It counts in your JP once an approver of your "
            "work unit has approved it."
        ),
        "success",
    )
    return redirect(url_for("ledger.mine", year=record.year))


def _proof_message(error: ProofError) -> str:
    if error.reason == "size":
        limit = current_app.config["LMS_MAX_UPLOAD_BYTES"]
        return _("The file is too large (at most %(size)s KB).", size=limit // 1024)
    if error.reason == "empty":
        return _("The file is empty.")
    return _("Upload a PDF, JPEG or PNG file.")


@bp.post("/my/jp/<int:record_id>/delete")
@login_required
def delete(record_id: int):
    """Delete one of the learner's own external records and its proof."""
    record = records.own_external_record(current_user.id, record_id)
    if record is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    proof, year = record.proof_path, record.year
    records.delete_external(record)
    delete_proof(current_app.config["LMS_UPLOADS_DIR"], proof)
    flash(_("The record is deleted."), "success")
    return redirect(url_for("ledger.mine", year=year))


@bp.get("/jp/records/<int:record_id>/proof")
@login_required
def proof(record_id: int):
    """Send the proof of an external record to its learner or an admin."""
    record = db.session.get(JpRecord, record_id)
    if record is None or not record.proof_path:
        abort(404)
    require("jp_record.view", record)
    path = proof_file(current_app.config["LMS_UPLOADS_DIR"], record.proof_path)
    if path is None:
        abort(404)
    extension = path.suffix.lstrip(".")
    response = send_file(
        path,
        mimetype=MEDIA_TYPES.get(extension, "application/octet-stream"),
        as_attachment=True,
        download_name=f"bukti-jp-{record.id}.{extension}",
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/my/jp.csv")
@login_required
def export_csv():
    """Download the year's ledger as CSV."""
    year = _year()
    data = ledger_csv(records.ledger_for(current_user.id, year))
    return exports.download(data, "csv", f"jp-{year}.csv")


@bp.get("/my/jp.xlsx")
@login_required
def export_xlsx():
    """Download the year's ledger as an XLSX workbook."""
    year = _year()
    data = ledger_xlsx(records.ledger_for(current_user.id, year))
    return exports.download(data, "xlsx", f"jp-{year}.xlsx")


@bp.get("/jp/approvals")
@login_required
def approvals_list():
    """List the external training waiting for the current user's decision."""
    if not approvals.is_approver(current_user):
        abort(403)
    return render_template(
        "ledger/approvals.html",
        pending=approvals.pending_for(current_user),
        kinds=KINDS,
        approve_form=FlaskForm(),
        reject_form=RejectForm(),
    )


@bp.post("/jp/records/<int:record_id>/approve")
@login_required
def approve(record_id: int):
    """Approve external training: its JP count from now on."""
    record = _reviewable(record_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    _decide(record, True, "")
    flash(_("Approved: %(title)s.", title=record.title), "success")
    return redirect(url_for("ledger.approvals_list"))


@bp.post("/jp/records/<int:record_id>/reject")
@login_required
def reject(record_id: int):
    """Reject external training with a reason the learner sees."""
    record = _reviewable(record_id)
    form = RejectForm()
    if not form.validate_on_submit():
        flash(_("Say why the training is rejected."), "error")
        return redirect(url_for("ledger.approvals_list"))
    _decide(record, False, form.reason.data)
    flash(_("Rejected: %(title)s.", title=record.title), "success")
    return redirect(url_for("ledger.approvals_list"))


def _reviewable(record_id: int) -> JpRecord:
    record = approvals.reviewable(record_id)
    if record is None:
        abort(404)
    require("jp_record.review", record)
    return record


def _decide(record: JpRecord, approve: bool, reason: str) -> None:
    try:
        approvals.decide(record, current_user, approve, reason)
    except approvals.ReviewError:
        abort(409)
