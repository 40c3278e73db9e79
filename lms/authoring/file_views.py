"""Course files: uploading and serving images, downloading the course as a zip."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.authoring import export, uploads
from lms.authoring.blueprint import course_or_404
from lms.authoring.forms import ImageForm
from lms.input_checks import body_limit
from lms.learn.lookup import find_course
from lms.permissions import require


# Refuse a grossly oversized body before reading it; the exact limit is checked on the file.
@body_limit(lambda: current_app.config["LMS_MAX_UPLOAD_BYTES"] + 65536)
@login_required
def images(slug: str):
    """Upload images for the course and list them with the Markdown that shows them."""
    course = course_or_404(slug)
    form = ImageForm()
    if form.validate_on_submit():
        upload = form.image.data
        try:
            image = uploads.store_image(
                course,
                upload.stream,
                upload.filename,
                current_user.id,
                current_app.config["LMS_UPLOADS_DIR"],
                current_app.config["LMS_MAX_UPLOAD_BYTES"],
            )
        except uploads.UploadError as exc:
            form.image.errors.append(str(exc))
        else:
            flash(_("Image uploaded: %(name)s", name=image.original_name), "success")
            return redirect(url_for("authoring.images", slug=slug))
    status = 422 if form.image.errors else 200
    return render_template(
        "authoring/images.html",
        course=course,
        form=form,
        images=uploads.course_images(course),
    ), status


@login_required
def export_zip(slug: str):
    """Download the course in the `courses/` folder format (published content only)."""
    course = course_or_404(slug)
    return Response(
        export.zip_course(course),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{course.slug}.zip"'},
    )


def image(slug: str, name: str):
    """Serve a course image to whoever may see the course."""
    course = find_course(slug)
    if course is None or not uploads.STORED_NAME_RE.match(name):
        abort(404)
    require("course.view", course)
    stored = uploads.find_image(course, name)
    if stored is None:
        abort(404)
    path = uploads.image_path(current_app.config["LMS_UPLOADS_DIR"], course.id, name)
    if not path.exists():
        abort(404)
    response = send_file(
        path,
        mimetype=stored.content_type,
        etag=stored.sha256,
        conditional=True,
        max_age=365 * 24 * 3600,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    visibility = "public" if course.published else "private"
    response.headers["Cache-Control"] = f"{visibility}, max-age=31536000, immutable"
    return response
