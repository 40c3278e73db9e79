"""The course library in courses/ reads and imports cleanly, and each course is built as promised."""

from pathlib import Path

from sqlalchemy import func, select

from lms.activities.registry import activity_types
from lms.content.reader import read_courses
from lms.content.review import review_courses
from lms.extensions import db
from lms.models import Activity, Course

LIBRARY = Path(__file__).resolve().parents[1] / "courses"
EXPECTED = {
    "spbe-layanan-digital",
    "komunikasi-pelayanan-publik",
    "kebijakan-publik",
    "kepemimpinan-pengawas",
    "literasi-digital-dan-data",
}
MIXED_TYPES = {"multichoice", "multiresponse", "truefalse", "shortanswer", "matching"}


def test_library_reads_and_every_course_is_complete(app):
    courses = {c.slug: c for c in read_courses(LIBRARY, activity_types())}
    assert EXPECTED <= set(courses)
    for slug in EXPECTED:
        course = courses[slug]
        assert 3 <= len(course.modules) <= 6, slug
        minutes = sum(a.parsed.minutes for a in course.activities)
        # JP is honest: within one JP of the estimated learning time (1 JP = 45 minutes)
        assert abs(course.meta["jp"] * 45 - minutes) <= 45, (
            slug,
            course.meta["jp"],
            minutes,
        )
        for module in course.modules:
            quizzes = [a for a in module.activities if a.type == "quiz"]
            lessons = [a for a in module.activities if a.type == "lesson"]
            assert quizzes and lessons, f"{slug}/{module.key}"
            questions = [q for quiz in quizzes for q in quiz.parsed.spec["questions"]]
            assert len(questions) >= 8, f"{slug}/{module.key}"
            assert MIXED_TYPES <= {q["type"] for q in questions}, f"{slug}/{module.key}"
            for lesson in lessons:
                assert lesson.parsed.objectives, lesson.key
                assert (
                    "Referensi" in lesson.parsed.html
                    and "Refleksi" in lesson.parsed.html
                ), lesson.key
    assert courses["kepemimpinan-pengawas"].meta["cohort"] is True


def test_library_teaches_what_the_city_programme_asks(app):
    courses = {c.slug: c for c in read_courses(LIBRARY, activity_types())}
    assert set(courses) == EXPECTED
    modules = {f"{c.slug}/{m.key}": m for c in courses.values() for m in c.modules}
    assert "komunikasi-pelayanan-publik/mendengar-warga" in modules
    assert "kebijakan-publik/kemitraan-perguruan-tinggi" in modules
    # Hands-on: every module of the digital literacy course collects practical work.
    for module in courses["literasi-digital-dan-data"].modules:
        assert any(a.type == "assignment" for a in module.activities), module.key
    keys = {a.key for c in courses.values() for a in c.activities}
    assert {
        "analisis-dan-policy-brief/tugas-policy-brief",
        "transformasi-layanan-kota/tugas-peta-layanan-as-is-to-be",
        "mendengar-warga/tugas-analisis-skm",
    } <= keys


def library_questions(courses):
    return [
        q
        for course in courses.values()
        for activity in course.activities
        if activity.type == "quiz"
        for q in activity.parsed.spec["questions"]
    ]


def test_every_library_quiz_shuffles_questions_and_answers(app):
    courses = read_courses(LIBRARY, activity_types())
    for activity in (a for c in courses for a in c.activities if a.type == "quiz"):
        settings = activity.parsed.spec["settings"]
        assert settings["shuffle_questions"] and settings["shuffle_answers"], (
            activity.source_path
        )


def test_library_quizzes_cannot_be_gamed_mechanically(app):
    courses = read_courses(LIBRARY, activity_types())
    # No keyed option much longer than the others, no one-way true/false quiz, no unescaped ':'.
    assert [str(w) for w in review_courses(courses)] == []
    questions = library_questions({c.slug: c for c in courses})
    keys = [q["answer"] for q in questions if q["type"] == "truefalse"]
    assert len(keys) >= 20 and max(keys.count(True), keys.count(False)) <= 0.6 * len(
        keys
    )
    # The keyed option is not systematically the longest (by chance: one in four).
    single = [q for q in questions if q["type"] == "multichoice"]
    keyed_longest = [q for q in single if _keyed_is_longest(q)]
    assert len(keyed_longest) <= 0.4 * len(single)


def _keyed_is_longest(question) -> bool:
    lengths = [(len(c["text"]), c["fraction"] == 1) for c in question["choices"]]
    longest = max(length for length, _ in lengths)
    return any(keyed and length == longest for length, keyed in lengths)


def test_library_imports(app, import_courses):
    import_courses(LIBRARY)
    assert db.session.scalar(select(func.count(Course.id))) >= 4
    assert db.session.scalar(select(func.count(Activity.id))) >= 50
    (plan, *_) = import_courses(LIBRARY)
    assert not plan.changed


def test_every_library_course_is_evaluated_and_measures_learning_gain(app):
    for course in read_courses(LIBRARY, activity_types()):
        roles = [
            a.parsed.spec["settings"].get("role")
            for a in course.activities
            if a.type == "quiz"
        ]
        assert roles.count("pretest") == 1 and roles.count("posttest") == 1, course.slug
        first, last = course.activities[0], course.modules[-1].activities
        assert first.parsed.spec["settings"]["role"] == "pretest", course.slug
        pre = next(a for a in course.activities if a.key.endswith("/pre-test"))
        post = next(a for a in course.activities if a.key.endswith("/post-test"))
        # the same questions before and after, drawn from every module's quiz
        assert [q["key"] for q in pre.parsed.spec["questions"]] == [
            q["key"] for q in post.parsed.spec["questions"]
        ]
        assert len(pre.parsed.spec["questions"]) == 2 * len(course.modules), course.slug
        (survey,) = [a for a in last if a.type == "survey"]
        spec = survey.parsed.spec
        assert spec["settings"]["anonymous"] and spec["settings"]["min_responses"] == 5
        sections = [i["title"] for i in spec["items"] if i["kind"] == "section"]
        assert sections == [
            "Materi",
            "Fasilitator",
            "Penyelenggaraan",
            "Manfaat bagi pekerjaan",
            "Saran",
        ]
        assert any(i.get("facilitator") for i in spec["items"]), course.slug
