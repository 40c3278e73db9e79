"""The installable app (manifest, service worker) and what saving courses for offline needs."""

from __future__ import annotations

import hashlib
import json

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf

from lms.extensions import db
from lms.learn.lookup import course_and_enrollment
from lms.offline.images import lesson_html
from lms.offline.manifest import SCRIPTS, offline_manifest
from lms.offline.sync import QueueError, apply_completions, read_queue
from lms.permissions import require
from lms.static_files import static_url

bp = Blueprint("offline", __name__)

#: The app's colour (the header's), for the browser's bar and the splash screen.
THEME_COLOUR = "#0b5c8a"


@bp.get("/manifest.webmanifest")
def web_manifest():
    """Describe the installable app to the browser ("Tambahkan ke layar utama")."""
    manifest = {
        "name": "Kelas ASN",
        "short_name": "Kelas ASN",
        "description": _("Learning for the civil servants of Tanjungpinang, online and offline."),
        "lang": str(get_locale()),
        "start_url": url_for("learn.catalog"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": "#f6f8fa",
        "icons": [
            {"src": static_url(f"icons/icon-{size}.png"), "sizes": f"{size}x{size}",
             "type": "image/png", "purpose": "any maskable"}
            for size in (192, 512)
        ],
    }  # fmt: skip
    response = current_app.response_class(
        json.dumps(manifest, ensure_ascii=False), mimetype="application/manifest+json"
    )
    response.cache_control.no_cache = True
    return response


@bp.get("/sw.js")
def service_worker():
    """Serve the service worker from the site's root, so that it may serve every page."""
    response = send_from_directory(current_app.static_folder, "sw.js", max_age=0)
    response.headers["Service-Worker-Allowed"] = "/"
    response.cache_control.no_cache = True
    return response


@bp.get("/offline/")
def fallback():
    """Say that a page not saved needs a connection, and list the courses saved on the device."""
    return render_template("offline/fallback.html")


@bp.get("/courses/<slug>/offline.json")
@login_required
def course_manifest(slug: str):
    """List what saving the course downloads (for an enrolled learner only)."""
    course, enrollment = course_and_enrollment(slug, current_user.id)
    if course is None:
        abort(404)
    require("course.save_offline", course, enrollment)
    manifest = offline_manifest(course, current_user.id, current_user.data_saver)
    body = json.dumps(manifest, ensure_ascii=False, sort_keys=True)
    response = current_app.response_class(body, mimetype="application/json")
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:20])
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response.make_conditional(request)


@bp.get("/offline/token")
@login_required
def token():
    """Give the page script a fresh CSRF token for sending what was queued offline."""
    response = jsonify(csrf_token=generate_csrf())
    response.cache_control.no_store = True
    return response


@bp.post("/offline/progress")
@login_required
def sync_progress():
    """Apply the completions a learner queued offline (CSRF-checked; a resend counts once)."""
    try:
        queue = read_queue(request.get_json(silent=True))
    except QueueError as problem:
        return jsonify(error=str(problem)), 400
    accepted, refused = apply_completions(current_user._get_current_object(), queue)
    response = jsonify(accepted=accepted, refused=refused)
    response.cache_control.no_store = True
    return response


@bp.post("/account/data-saver")
@login_required
def data_saver():
    """Turn "Hemat data" on or off for the signed-in user."""
    if FlaskForm().validate_on_submit():
        current_user.data_saver = request.form.get("data_saver") == "1"
        db.session.commit()
        if current_user.data_saver:
            flash(
                _("Data saver is on: lesson images load only when you tap them."),
                "success",
            )
        else:
            flash(_("Data saver is off."), "success")
    return redirect(url_for("account.index"))


def no_store_for_quizzes(response):
    """Keep quiz pages (they show answers) out of every cache on the device."""
    if request.blueprint == "assessment":
        response.cache_control.no_store = True
        response.cache_control.private = True
    return response


def init_app(app: Flask) -> None:
    """Offer `lesson_html()` and the offline scripts to templates; keep quiz pages out of caches."""
    app.jinja_env.globals["lesson_html"] = lesson_html
    app.jinja_env.globals["offline_scripts"] = SCRIPTS
    app.after_request(no_store_for_quizzes)
