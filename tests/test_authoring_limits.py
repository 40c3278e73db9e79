"""Text past a named limit reaches its author as an error naming the limit, never as a 500.

In the browser editor (the save is refused, the problem shown at its line), in the live
preview, in the course and module forms, and in `check-courses` / `import-courses`.
"""

from __future__ import annotations

from sqlalchemy import func, select

from lms.extensions import db
from lms.models import Activity, ActivityRevision, Course
from tests.authoring_helpers import (
    SLUG,
    activity,
    become_instructor,
    course,
    edit_url,
    publish,
    save,
)
from tests.deadline import finishes_within

FRONT = "---\ntitle: Selamat datang\nminutes: 5\n---\n"
DEEP_HTML = "Pembuka.\n\n" + "<div>\n" * 40  # the 33rd <div> is on line 39
DEEP_LIST = "".join("    " * i + "- x\n" for i in range(40))  # the 33rd item: line 37


def test_editor_refuses_to_save_past_a_limit_and_shows_it_at_its_line(
    client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    lesson = activity()
    become_instructor(make_user, auth)
    with finishes_within(3.0):
        response = save(client, lesson, FRONT + DEEP_HTML)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Not saved: fix the problems shown below." in page
    preview = page.split('id="activity-preview"', 1)[1]
    assert "Line 39:" in preview
    assert "the limit is 32 levels (MAX_NESTING)" in preview
    assert db.session.scalar(select(ActivityRevision.id)) is None


def test_live_preview_answers_with_the_limit_not_a_timeout(
    client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    lesson = activity()
    become_instructor(make_user, auth)
    huge = FRONT + "".join("  " * i + "- x\n" for i in range(3000))  # 9 MB
    for text, expected in [
        (huge, "Line 1: The text is 8798 KB; the limit is 128 KB (MAX_TEXT_BYTES)."),
        (FRONT + DEEP_LIST, "Line 37: Nested 33 levels deep"),
        (FRONT + "[a](" * 8_001, "(MAX_BLOCK_CHARS)"),
    ]:
        with finishes_within(3.0):
            response = client.post(
                edit_url(lesson, "preview"), data={"source": text, "version": "1"}
            )
        assert response.status_code == 200
        assert expected in response.get_data(as_text=True)


def test_quiz_preview_counts_questions_before_rendering_any(
    client, auth, make_user, quiz
):
    become_instructor(make_user, auth, slug="kursus-kuis")
    front = quiz.source.split("---\n", 2)
    text = f"---\n{front[1]}---\n" + "S{T}\n\n" * 20_000
    with finishes_within(3.0):
        fragment = client.post(
            edit_url(quiz, "preview"), data={"source": text, "version": "1"}
        ).get_data(as_text=True)
    assert "Questions: 20000, more than the limit of 500 (MAX_QUESTIONS)." in fragment


def test_indonesian_authors_read_the_limit_in_indonesian(
    client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    lesson = activity()
    instructor = become_instructor(make_user, auth)
    instructor.locale = "id"
    db.session.commit()
    fragment = client.post(
        edit_url(lesson, "preview"), data={"source": FRONT + DEEP_LIST, "version": "1"}
    ).get_data(as_text=True)
    assert "Baris 37:" in fragment
    assert "Bertingkat 33 lapis; batasnya 32 lapis (MAX_NESTING)." in fragment


def test_course_and_module_forms_refuse_markdown_past_a_limit(
    client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    become_instructor(make_user, auth)
    before = course().description_html
    response = client.post(
        f"/author/{SLUG}/settings",
        data={"title": "Contoh", "summary": "Ringkas.", "jp": "3", "language": "id",
              "description": DEEP_LIST},
    )  # fmt: skip
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Line 33: Nested 33 levels deep" in page and "(MAX_NESTING)" in page
    assert course().description_html == before
    response = client.post(
        f"/author/{SLUG}/modules/pengantar/edit",
        data={"key": "x", "title": "Pembuka", "intro": "<b>" * 40},
    )
    assert response.status_code == 200
    assert "Line 1: Nested 33 levels deep" in response.get_data(as_text=True)


def test_publishing_a_draft_that_breaks_a_limit_changes_nothing(
    client, auth, make_user, import_courses, course_dir
):
    import_courses(course_dir)
    lesson = activity()
    user = become_instructor(make_user, auth)
    # A draft kept from before the limits: it no longer reads.
    db.session.add(
        ActivityRevision(activity_id=lesson.id, number=2, author_id=user.id,
                         title="x", source=FRONT + DEEP_HTML, summary="lama")
    )  # fmt: skip
    db.session.commit()
    html = lesson.html
    response = publish(client, lesson)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Not published: the draft has problems." in page
    db.session.expire_all()
    assert activity().html == html


def test_check_and_import_courses_name_the_file_line_and_limit(app, runner, course_dir):
    module = course_dir / "contoh-kursus" / "01-pengantar"
    (module / "01-selamat-datang.md").write_text(FRONT + DEEP_LIST)
    (module / "09-besar.md").write_text(FRONT + "a\n\n" * 70_000)
    (course_dir / "contoh-kursus" / "course.md").write_text(
        "---\ntitle: X\nsummary: Y\njp: 1\n---\n" + "> " * 40 + "kutipan\n"
    )
    for command in ("check-courses", "import-courses"):
        with finishes_within(5.0):
            result = runner.invoke(args=["lms", command, str(course_dir)])
        assert result.exit_code == 1
        # The command line speaks the default language; the file, line and limit read alike.
        output = result.output
        assert f"{module / '01-selamat-datang.md'}:37: " in output
        assert f"{module / '09-besar.md'}:1: " in output
        assert f"{course_dir / 'contoh-kursus' / 'course.md'}:6: " in output
        assert output.count("(MAX_NESTING)") == 2
        assert output.count("(MAX_TEXT_BYTES)") == 1
    assert db.session.scalar(select(func.count(Course.id))) == 0
    assert db.session.scalar(select(func.count(Activity.id))) == 0
