"""The issuing office, signatory and logo an admin sets for new certificates (stored, audited)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from lms.audit import record
from lms.extensions import db
from lms.files import sniff, store
from lms.forms import Form
from lms.models import CertificateSettings
from lms.models.types import utcnow
from lms.permissions import require

bp = Blueprint("admin_certificates", __name__, url_prefix="/admin/certificates")
#: Logos are PNG or JPEG (what the PDF can draw), at most this large.
LOGO_TYPES = ("png", "jpg")
MAX_LOGO_BYTES = 512 * 1024


class SettingsForm(Form):
    """The office that issues certificates and who signs them."""

    issuer = StringField(
        _l("Issuing office"), validators=[DataRequired(), Length(max=200)]
    )
    signatory_name = StringField(
        _l("Signatory's name"), validators=[DataRequired(), Length(max=200)]
    )
    signatory_title = StringField(
        _l("Signatory's title"), validators=[DataRequired(), Length(max=200)]
    )
    signatory_nip = StringField(
        _l("Signatory's NIP"),
        validators=[
            Optional(),
            Regexp(r"^\d{18}$", message=_l("A NIP has 18 digits.")),
        ],
    )
    logo = FileField(
        _l("Logo (PNG or JPEG, at most 512 KB; empty keeps the current one)")
    )


def current_settings() -> CertificateSettings | None:
    """Return the settings new certificates copy, if an admin has saved any."""
    return db.session.scalar(
        select(CertificateSettings).order_by(CertificateSettings.id)
    )


def save_settings(
    form: SettingsForm, logo: bytes | None, actor_id: int
) -> CertificateSettings:
    """Store the settings (and a new logo under a new name); audited, committed."""
    settings = current_settings() or CertificateSettings()
    db.session.add(settings)
    settings.issuer = form.issuer.data.strip()
    settings.signatory_name = form.signatory_name.data.strip()
    settings.signatory_title = form.signatory_title.data.strip()
    settings.signatory_nip = form.signatory_nip.data or None
    if logo:
        # A new file each time: certificates issued earlier keep drawing their own logo.
        settings.logo_path = store(logo, "certificate-logos", sniff(logo))
    settings.updated_at, settings.updated_by_id = utcnow(), actor_id
    db.session.flush()
    record("certificate.settings", actor_id, settings, issuer=settings.issuer,
           signatory=settings.signatory_name, logo=settings.logo_path)  # fmt: skip
    db.session.commit()
    return settings


def _logo_bytes(form: SettingsForm) -> bytes | None:
    """Return the uploaded logo, or None; add an error to the form when it is not a usable image."""
    upload = form.logo.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    data = upload.read(MAX_LOGO_BYTES + 1)
    kind = sniff(data)
    if (
        len(data) > MAX_LOGO_BYTES
        or kind is None
        or kind.extension not in LOGO_TYPES
        or not _readable_image(data)
    ):
        form.logo.errors.append(_("Upload a PNG or JPEG image of at most 512 KB."))
    return data


def _readable_image(data: bytes) -> bool:
    """Tell whether Pillow can read the image (the PDF draws it with Pillow)."""
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (OSError, ValueError, SyntaxError):  # what Pillow raises for damaged files
        return False
    return True


@bp.route("/", methods=["GET", "POST"])
@login_required
def edit():
    """Show and save the issuing office, signatory and logo of new certificates."""
    require("admin.view")
    settings = current_settings()
    form = SettingsForm(obj=settings)
    if form.validate_on_submit():
        logo = _logo_bytes(form)
        if not form.logo.errors:
            save_settings(form, logo, current_user.id)
            flash(_("Saved. New certificates carry these details."), "success")
            return redirect(url_for("admin_certificates.edit"))
    return render_template("admin/certificates.html", form=form, settings=settings)


def logo_file(relative: str):
    """Return the absolute path of a stored logo, or abort 404."""
    from lms.files import open_stored

    if not relative.startswith("certificate-logos/"):
        abort(404)
    try:
        path = open_stored(relative)
    except FileNotFoundError:
        abort(404)
    if not path.is_file():
        abort(404)
    return path
