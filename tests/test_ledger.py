"""The JP ledger: course JP and external training per year, against the target, with proofs and exports."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from lms.extensions import db
from lms.ledger.records import jp_totals, local_today
from lms.models import Course, JpRecord

LESSONS = ("pengantar/selamat-datang", "pengantar/cara-belajar", "praktik/latihan")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 32
EXE = b"MZ\x90\x00" + b"\0" * 60


@pytest.fixture
def uploads(app, tmp_path):
    folder = tmp_path / "uploads"
    app.config["LMS_UPLOADS_DIR"] = str(folder)
    return folder


@pytest.fixture
def course(import_courses, course_dir):
    import_courses(course_dir)
    return db.session.scalar(select(Course))


@pytest.fixture
def learner(make_user, auth, uploads):
    user = make_user(email="ani@example.org")
    auth.login("ani@example.org")
    return user


def training(
    hours="8",
    ends_on=None,
    starts_on=None,
    proof=PDF,
    filename="sertifikat.pdf",
    title="Bimtek SAKIP",
):
    ends_on = ends_on or local_today()
    return {
        "kind": "bimtek",
        "title": title,
        "provider": "BPSDM Provinsi Kepulauan Riau",
        "starts_on": (starts_on or ends_on - timedelta(days=2)).isoformat(),
        "ends_on": ends_on.isoformat(),
        "hours": hours,
        "proof": (io.BytesIO(proof), filename),
    }


def post_training(client, **kwargs):
    return client.post(
        "/my/jp", data=training(**kwargs), content_type="multipart/form-data"
    )


def approve_all():
    """Approve every pending record, as an approver would (tests/test_jp_approval.py)."""
    for record in external_records():
        record.status = "approved"
    db.session.commit()


def external_records():
    return db.session.scalars(
        select(JpRecord).where(JpRecord.source == "external")
    ).all()


def test_record_external_training_with_proof(client, learner, uploads):
    response = post_training(client, hours="8.5")
    assert response.status_code == 302
    (record,) = external_records()
    assert record.user_id == learner.id and record.hours == Decimal("8.5")
    assert record.year == local_today().year and record.kind == "bimtek"
    stored = uploads / record.proof_path
    assert stored.read_bytes() == PDF
    assert record.proof_path.startswith("jp/") and "sertifikat" not in record.proof_path
    page = client.get("/my/jp", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "Bimtek SAKIP" in page and "BPSDM Provinsi Kepulauan Riau" in page
    assert "0 of 20 JP" in page and "8.5 JP of external training wait" in page
    approve_all()
    page = client.get("/my/jp", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "8.5 of 20 JP" in page


def test_external_training_counts_in_the_year_it_ended(client, learner):
    last_year = local_today().year - 1
    post_training(
        client, starts_on=date(last_year, 12, 30), ends_on=date(last_year, 12, 31)
    )
    assert external_records()[0].year == last_year
    approve_all()
    page = client.get("/my/jp", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "0 of 20 JP" in page and "Bimtek SAKIP" not in page
    page = client.get(
        f"/my/jp?year={last_year}", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert "8 of 20 JP" in page and "Bimtek SAKIP" in page
    assert f'<option value="{last_year}" selected>' in page


@pytest.mark.parametrize(
    "changes",
    [
        {"hours": "0"},
        {"hours": "-3"},
        {"hours": "1001"},
        {"hours": "banyak"},
        {"hours": "NaN"},
        {"hours": "Infinity"},
        {"ends_on": 1},
        {"starts_on": 0, "ends_on": -1},
        {"title": ""},
    ],
)
def test_bad_training_is_refused(client, learner, uploads, changes):
    for key in ("starts_on", "ends_on"):  # days from today
        if key in changes:
            changes[key] = local_today() + timedelta(days=changes[key])
    response = post_training(client, **changes)
    assert response.status_code == 400
    assert external_records() == []
    assert not (uploads / "jp").exists()


@pytest.mark.parametrize(
    ("content", "filename"),
    [(EXE, "sertifikat.pdf"), (b"\x7fELF" + b"\0" * 40, "bukti.png"), (b"", "a.pdf")],
)
def test_proof_must_really_be_pdf_jpeg_or_png(client, learner, content, filename):
    response = post_training(client, proof=content, filename=filename)
    assert response.status_code == 400 and external_records() == []


@pytest.mark.parametrize(("content", "extension"), [(PNG, "png"), (JPEG, "jpg")])
def test_images_are_accepted_by_their_bytes(client, learner, content, extension):
    post_training(client, proof=content, filename="foto.bin")
    assert external_records()[0].proof_path.endswith(f".{extension}")


def test_proof_size_is_limited_by_config(app, client, learner, uploads):
    app.config["LMS_MAX_UPLOAD_BYTES"] = 1024
    big = PDF + b"0" * 1024
    response = post_training(client, proof=big)
    assert response.status_code == 400 and external_records() == []
    assert post_training(client, proof=PDF).status_code == 302


def test_proof_download_by_owner_and_admin_only(client, auth, make_user, learner):
    post_training(client)
    (record,) = external_records()
    url = f"/jp/records/{record.id}/proof"
    with client.get(url) as response:
        assert response.status_code == 200 and response.data == PDF
        assert response.mimetype == "application/pdf"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    make_user(email="budi@example.org")
    make_user(email="admin@example.org", role="admin")
    auth.login("budi@example.org")
    assert client.get(url).status_code == 403
    auth.login("admin@example.org")
    with client.get(url) as response:
        assert response.data == PDF
    auth.logout()
    assert client.get(url).status_code == 302


def test_learner_deletes_own_external_record_and_its_proof(
    client, auth, make_user, learner, uploads
):
    post_training(client)
    (record,) = external_records()
    stored = uploads / record.proof_path
    make_user(email="budi@example.org")
    auth.login("budi@example.org")
    assert client.post(f"/my/jp/{record.id}/delete").status_code == 404
    assert client.get("/my/jp").get_data(as_text=True).count("Bimtek SAKIP") == 0
    auth.login("ani@example.org")
    assert client.get(f"/my/jp/{record.id}/delete").status_code == 405
    assert client.post(f"/my/jp/{record.id}/delete").status_code == 302
    assert external_records() == [] and not stored.exists()


def test_course_records_cannot_be_deleted(client, learner, course):
    client.post("/courses/contoh-kursus/enroll")
    for key in LESSONS:
        client.post(f"/courses/contoh-kursus/{key}/complete")
    record = db.session.scalar(select(JpRecord))
    assert record.source == "course"
    assert client.post(f"/my/jp/{record.id}/delete").status_code == 404
    assert db.session.scalar(select(func.count(JpRecord.id))) == 1


def test_yearly_total_against_target_from_config(app, client, learner, course):
    app.config["LMS_YEARLY_JP_TARGET"] = 10
    app.config["LMS_MINUTES_PER_JP"] = 60
    client.post("/courses/contoh-kursus/enroll")
    for key in LESSONS:
        client.post(f"/courses/contoh-kursus/{key}/complete")
    post_training(client, hours="4.5")
    approve_all()
    page = client.get("/my/jp", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "5.5 of 10 JP" in page and "4.5 JP to go" in page
    assert 'value="55"' in page and "60 minutes" in page
    post_training(client, hours="6", title="Pelatihan Kepemimpinan")
    approve_all()
    page = client.get("/my/jp", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "11.5 of 10 JP" in page and "yearly target reached" in page


def test_learner_sees_only_own_records(client, auth, make_user, learner):
    post_training(client, title="Milik Ani")
    make_user(email="budi@example.org")
    auth.login("budi@example.org")
    post_training(client, title="Milik Budi")
    page = client.get("/my/jp").get_data(as_text=True)
    assert "Milik Budi" in page and "Milik Ani" not in page
    assert "Milik Ani" not in client.get("/my/jp.csv").get_data(as_text=True)


def test_exports_match_the_page(client, learner, course):
    client.post("/courses/contoh-kursus/enroll")
    for key in LESSONS:
        client.post(f"/courses/contoh-kursus/{key}/complete")
    post_training(client, hours="2.25", title='=HYPERLINK("x")')
    approve_all()
    page = client.get("/my/jp", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "3.25 of 20 JP" in page

    text = client.get("/my/jp.csv", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][-1] == "JP" and len(rows) == 5
    by_title = {row[4]: row[-1] for row in rows[1:3]}
    assert by_title == {"Contoh Kursus": "1", '\'=HYPERLINK("x")': "2.25"}
    assert rows[3][2] == "Total" and rows[3][-1] == "3.25"
    assert rows[4][2] == "Yearly target" and rows[4][-1] == "20"

    response = client.get("/my/jp.xlsx", headers={"Accept-Language": "en"})
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == tuple(rows[0])
    assert [Decimal(str(v[-1])) for v in values[1:]] == [
        Decimal(r[-1]) for r in rows[1:]
    ]
    assert values[2][4] == '\'=HYPERLINK("x")'


def test_jp_totals_sums_per_user_in_one_query(
    make_user, count_queries, learner, course
):
    other = make_user()
    nobody = make_user()
    year = local_today().year
    for user, hours, in_year in (
        (learner, "3", year),
        (learner, "2.5", year),
        (other, "7", year),
        (other, "9", year - 1),
    ):
        db.session.add(
            JpRecord(
                user_id=user.id,
                year=in_year,
                hours=Decimal(hours),
                earned_on=date(in_year, 6, 1),
                source="external",
                title="x",
            )
        )
    db.session.commit()
    with count_queries() as statements:
        totals = jp_totals([learner.id, other.id, nobody.id], year)
    assert len(statements) == 1 and "GROUP BY" in statements[0]
    assert totals == {
        learner.id: Decimal("5.5"),
        other.id: Decimal(7),
        nobody.id: Decimal(0),
    }
    assert jp_totals([], year) == {}


def test_ledger_pages_require_sign_in(client):
    for url in ("/my/jp", "/my/jp.csv", "/my/jp.xlsx", "/my/certificates"):
        assert "/login" in client.get(url).location
