"""Export to the courses/ format and import back without loss: the round trip is exact."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lms.extensions import db
from tests.authoring_helpers import (
    SLUG,
    activity,
    become_instructor,
    course,
    publish,
    save,
)


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def empty_database() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    db.session.expunge_all()


def test_export_gives_back_the_imported_files(
    runner, import_courses, course_dir, quiz_dir, tmp_path
):
    import_courses(course_dir)
    import_courses(quiz_dir)
    for slug, source in ((SLUG, course_dir), ("kursus-kuis", quiz_dir)):
        result = runner.invoke(
            args=["lms", "export-course", slug, str(tmp_path / "out")]
        )
        assert result.exit_code == 0, result.output
        assert files_under(tmp_path / "out" / slug) == files_under(source / slug)


def test_round_trip_after_editing_in_the_browser(
    client, auth, make_user, runner, import_courses, course_dir, quiz_dir, tmp_path
):
    import_courses(course_dir)
    become_instructor(make_user, auth)
    lesson = activity()
    save(
        client,
        lesson,
        lesson.source
        + "\nDiubah di peramban: ![gambar](/courses/contoh-kursus/images/x.png)\n",
    )
    publish(client, activity())
    client.post(
        f"/author/{SLUG}/modules/new",
        data={"key": "penutup", "title": "Penutup", "intro": "Akhir."},
    )
    client.post(
        f"/author/{SLUG}/modules/penutup/activities/new",
        data={"type": "quiz", "key": "kuis-akhir", "title": "Kuis Akhir"},
    )
    client.post(
        f"/author/{SLUG}/modules/penutup/activities/new",
        data={"type": "lesson", "key": "draf", "title": "Belum Terbit"},
    )
    publish(client, activity("penutup/kuis-akhir"))
    client.post(f"/author/{SLUG}/modules/praktik/move", data={"direction": "up"})
    client.post(
        f"/author/{SLUG}/settings",
        data={
            "title": "Contoh",
            "summary": "S.",
            "jp": "2",
            "language": "id",
            "cohort": "y",
        },
    )

    first = tmp_path / "first"
    assert runner.invoke(args=["lms", "export-course", SLUG, str(first)]).exit_code == 0
    exported = files_under(first / SLUG)
    assert "01-praktik/module.md" in exported
    assert "03-penutup/01-kuis-akhir.gift" in exported
    assert not any("draf" in name for name in exported)  # drafts are not exported
    assert b"Diubah di peramban" in exported["02-pengantar/01-selamat-datang.md"]

    empty_database()
    plans = import_courses(first)
    assert plans[0].new_course
    second = tmp_path / "second"
    assert (
        runner.invoke(args=["lms", "export-course", SLUG, str(second)]).exit_code == 0
    )
    assert files_under(second / SLUG) == exported
    # and importing the same files again changes nothing
    assert not import_courses(second)[0].changed
    assert course().cohort_based is True


def test_export_refuses_to_overwrite_unless_asked(
    runner, import_courses, course_dir, tmp_path
):
    import_courses(course_dir)
    args = ["lms", "export-course", SLUG, str(tmp_path)]
    assert runner.invoke(args=args).exit_code == 0
    (tmp_path / SLUG / "stale.md").write_text("old")
    result = runner.invoke(args=args)
    assert result.exit_code != 0 and "already exists" in result.output
    assert runner.invoke(args=[*args, "--replace"]).exit_code == 0
    assert not (tmp_path / SLUG / "stale.md").exists()
    assert (
        runner.invoke(
            args=["lms", "export-course", "tidak-ada", str(tmp_path)]
        ).exit_code
        != 0
    )


def test_zip_download_holds_the_course_folder(
    client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    become_instructor(make_user, auth)
    response = client.get(f"/author/{SLUG}/export.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert f"{SLUG}/course.md" in names
    assert (
        archive.read(f"{SLUG}/01-pengantar/01-selamat-datang.md")
        == (course_dir / SLUG / "01-pengantar" / "01-selamat-datang.md").read_bytes()
    )
    assert (
        client.get(f"/author/{SLUG}/export.zip").data == response.data
    )  # deterministic


def test_images_travel_with_the_course(
    app, client, auth, make_user, runner, import_courses, course_dir, tmp_path
):
    import shutil

    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
    import_courses(course_dir)
    become_instructor(make_user, auth)
    client.post(
        f"/author/{SLUG}/images",
        data={"image": (io.BytesIO(png), "diagram.png")},
        content_type="multipart/form-data",
    )
    from hashlib import sha256

    url = f"/courses/{SLUG}/images/{sha256(png).hexdigest()}.png"
    lesson = activity()
    save(client, lesson, lesson.source + f"\n![Diagram]({url})\n")
    publish(client, activity())

    first = tmp_path / "first"
    assert runner.invoke(args=["lms", "export-course", SLUG, str(first)]).exit_code == 0
    exported = files_under(first / SLUG)
    assert exported[f"images/{sha256(png).hexdigest()}.png"] == png

    empty_database()
    shutil.rmtree(
        app.config["LMS_UPLOADS_DIR"]
    )  # a new server: nothing uploaded there yet
    import_courses(first)
    second = tmp_path / "second"
    assert (
        runner.invoke(args=["lms", "export-course", SLUG, str(second)]).exit_code == 0
    )
    assert files_under(second / SLUG) == exported
    with client.get(url) as response:  # closing the response closes the file it streams
        assert response.data == png


def test_a_non_image_in_images_is_an_error(runner, course_dir):
    (course_dir / SLUG / "images").mkdir()
    (course_dir / SLUG / "images" / "virus.png").write_bytes(b"MZ\x90\x00" * 10)
    result = runner.invoke(args=["lms", "check-courses", str(course_dir)])
    assert result.exit_code == 1 and "virus.png: bukan gambar" in result.output
