"""Control characters are refused at the edge, and a failed write leaves no uploaded file behind."""

import io

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms import files
from lms.extensions import db
from lms.models import AuditEvent, JpRecord
from tests.test_ledger import PDF, training

ANONYMOUS_PROBES = [
    "/verify/AB%00CD",
    "/courses/ab%00cd/",
    "/api/v1/certificates/AB%00CD",
    "/api/v1/courses/ab%00cd",
    "/courses/?q=a%00b",
    "/courses/?a%01=b",
]


@pytest.mark.parametrize("path", ANONYMOUS_PROBES)
def test_a_control_character_in_the_address_is_a_400(client, path):
    response = client.get(path, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response.mimetype == "application/problem+json"
        assert "control character" in response.json["detail"]
    else:
        assert "control character" in response.get_data(as_text=True)


def test_sign_in_with_a_nul_is_refused_before_the_database(client, make_user):
    make_user(email="ani@example.org")
    response = client.post("/login", data={"login": "ani\x00@example.org", "password": "x"},
                           headers={"Accept-Language": "en"})  # fmt: skip
    assert response.status_code == 400
    assert "form field login" in response.get_data(as_text=True)
    tried = select(AuditEvent.id).where(AuditEvent.action.startswith("auth."))
    assert db.session.scalar(tried) is None  # no sign-in was even tried


def test_the_message_is_in_indonesian_by_default(client):
    page = client.get("/verify/AB%00CD").get_data(as_text=True)
    assert "karakter kendali" in page and "control character" not in page


def test_form_text_may_hold_line_breaks_and_tabs(client, make_user, auth):
    make_user(email="ani@example.org")
    auth.login("ani@example.org")
    response = client.post("/my/jp", data=training(title="Bimtek\tSAKIP\r\nhari 1"),
                           content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 302


@pytest.mark.parametrize(
    "changes, where",
    [
        ({"title": "Bimtek\x00SAKIP"}, "form field title"),
        ({"title": "Bimtek\x1b[31m"}, "form field title"),
        ({"filename": "sertifikat\x00.pdf"}, "file name of proof"),
    ],
)
def test_a_control_character_in_a_form_or_file_name_changes_nothing(
    app, client, make_user, auth, tmp_path, changes, where
):
    app.config["LMS_UPLOADS_DIR"] = str(tmp_path / "uploads")
    make_user(email="ani@example.org")
    auth.login("ani@example.org")
    response = client.post("/my/jp", data=training(**changes), content_type="multipart/form-data",
                           headers={"Accept-Language": "en"})  # fmt: skip
    assert response.status_code == 400
    assert where in response.get_data(as_text=True)
    assert db.session.scalar(select(JpRecord.id)) is None
    assert not (tmp_path / "uploads").exists() or not any(
        (tmp_path / "uploads").rglob("*.pdf")
    )


def test_a_control_character_in_a_json_body_is_a_422(client, make_user):
    from lms.api.tokens import create_token

    user = make_user()
    _row, token = create_token(user, "probe", "write")
    response = client.post(
        "/api/v1/enrollments",
        json={"course": "contoh-kursus", "note": ["ok", {"deep": "a\x00b"}]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert "NUL" in response.json["detail"]
    assert "/note/1/deep" in response.json["detail"]


def test_an_upload_whose_row_fails_to_commit_leaves_no_file(
    app, client, make_user, auth, tmp_path, monkeypatch
):
    from lms.ledger import records

    app.config["LMS_UPLOADS_DIR"] = str(tmp_path / "uploads")
    make_user(email="ani@example.org")
    auth.login("ani@example.org")

    def failing(*args, **kwargs):
        db.session.add(JpRecord(user_id=None))  # refused by the database: no user
        db.session.commit()

    monkeypatch.setattr(records, "add_external", failing)
    with pytest.raises(IntegrityError):
        client.post("/my/jp", data=training(), content_type="multipart/form-data")
    assert not list((tmp_path / "uploads").rglob("*.pdf"))


def test_written_files_stay_only_when_their_transaction_commits(app, tmp_path):
    kind = files.sniff(PDF)
    app.config["LMS_UPLOADS_DIR"] = str(tmp_path / "uploads")
    kept = files.store(PDF, "probe", kind)
    db.session.commit()
    dropped = files.store(PDF, "probe", kind)
    db.session.rollback()
    root = tmp_path / "uploads"
    assert (root / kept).read_bytes() == PDF
    assert not (root / dropped).exists()


def test_csv_exports_say_their_charset_once(client, make_user, auth):
    make_user(email="ani@example.org")
    auth.login("ani@example.org")
    response = client.get("/my/jp.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith(
        "attachment; filename=jp-"
    )


def test_a_download_name_outside_ascii_is_encoded(app):
    from lms.exports import download

    with app.test_request_context():
        response = download(b"a", "csv", 'Angkatan "I" Tanjungpinang–2026.csv')
    disposition = response.headers["Content-Disposition"]
    assert (
        "filename*=UTF-8''Angkatan%20%22I%22%20Tanjungpinang%E2%80%932026.csv"
        in disposition
    )
    assert "\n" not in disposition and io.StringIO(disposition).read().isascii()
