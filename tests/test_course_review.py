"""check-courses warns about what a reviewer flags mechanically in a quiz, without refusing it."""

import json

import pytest

from lms.activities.registry import activity_types
from lms.content.reader import read_courses
from lms.content.review import review_courses

FRONT = "---\ntitle: Kuis\n---\n"
HINT = "(Moodle and other GIFT readers take it as markup)"


@pytest.fixture
def write_quiz(course_dir):
    """Return a function that writes a quiz into the example course and returns its path."""

    def write(body):
        path = course_dir / "contoh-kursus" / "02-praktik" / "02-kuis.gift"
        path.write_text(FRONT + body, encoding="utf-8")
        return path

    return write


def warnings_for(course_dir):
    return [str(w) for w in review_courses(read_courses(course_dir, activity_types()))]


def test_a_keyed_option_much_longer_than_the_others_is_flagged_with_its_line(
    app, course_dir, write_quiz
):
    quiz = write_quiz(
        "::a:: Apa yang dilakukan petugas? {\n"
        "=Mendengar sampai selesai, mengakui perasaan warga, lalu memeriksa berkasnya\n"
        "~Menyuruh warga antre lagi\n"
        "~Menyalahkan server pusat\n"
        "}\n"
    )
    (warning,) = warnings_for(course_dir)
    assert warning.startswith(f"{quiz}:4: the keyed option is")


def test_options_of_similar_length_are_not_flagged(app, course_dir, write_quiz):
    write_quiz(
        "::a:: Apa yang dilakukan petugas? {\n"
        "=Mendengar warga sampai selesai\n"
        "~Menyuruh warga antre lagi dari awal\n"
        "~Menyalahkan server di pusat data\n"
        "}\n"
    )
    assert warnings_for(course_dir) == []


def test_multiple_answers_whose_right_ones_are_all_much_longer_are_flagged(
    app, course_dir, write_quiz
):
    write_quiz(
        "::a:: Pilih yang benar. {\n"
        "~%50%Mencatat pokok keluhan lalu membacakannya kembali kepada warga\n"
        "~%50%Bertanya terbuka tentang apa yang terjadi saat warga datang\n"
        "~%-50%Memotong\n"
        "~%-50%Mengetik pesan\n"
        "}\n"
    )
    (warning,) = warnings_for(course_dir)
    assert "keyed option" in warning


def test_a_quiz_whose_true_false_keys_are_all_false_is_flagged(
    app, course_dir, write_quiz
):
    quiz = write_quiz("::a:: Satu. {F}\n\n::b:: Dua. {FALSE}\n")
    assert warnings_for(course_dir) == [
        f"{quiz}: all 2 true/false questions are keyed false: a learner can guess them"
    ]


def test_true_false_keys_both_ways_or_a_single_one_are_not_flagged(
    app, course_dir, write_quiz
):
    write_quiz("::a:: Satu. {T}\n\n::b:: Dua. {F}\n")
    assert warnings_for(course_dir) == []
    write_quiz("::a:: Satu. {T}\n")
    assert warnings_for(course_dir) == []


def test_an_unescaped_colon_in_question_text_is_flagged_and_an_escaped_one_is_not(
    app, course_dir, write_quiz
):
    quiz = write_quiz(
        "::Q1 nama\\: boleh:: Baca ini\\: lalu jawab. {T}\n\n"
        "::Q2:: Perhatikan\n"
        "syarat berikut: KTP dan KK. {F}\n"
    )
    assert warnings_for(course_dir) == [
        f"{quiz}:7: unescaped ':' in the question text: write \\: {HINT}"
    ]


def test_a_colon_in_an_answer_or_its_feedback_is_flagged(app, course_dir, write_quiz):
    quiz = write_quiz("::a:: Pilih. {\n=Ya #Tepat: karena benar.\n~Tidak #Salah\n}\n")
    assert warnings_for(course_dir) == [
        f"{quiz}:5: unescaped ':' in the answers: write \\: {HINT}"
    ]


def test_the_colon_of_a_numerical_tolerance_is_markup_and_not_flagged(
    app, course_dir, write_quiz
):
    write_quiz("::a:: Berapa JP dalam 90 menit? {#2:0}\n")
    assert warnings_for(course_dir) == []


def test_check_courses_prints_warnings_but_still_succeeds(
    app, runner, course_dir, write_quiz
):
    quiz = write_quiz("::a:: Satu. {F}\n\n::b:: Dua. {F}\n")
    result = runner.invoke(args=["lms", "check-courses", str(course_dir)])
    assert result.exit_code == 0, result.output
    assert f"warning: {quiz}: all 2 true/false questions are keyed false" in (
        result.stderr
    )
    assert "OK: no problems found." in result.stdout


def test_check_courses_json_lists_the_warnings(app, runner, course_dir, write_quiz):
    quiz = write_quiz("::a:: Satu. {F}\n\n::b:: Dua. {F}\n")
    result = runner.invoke(args=["lms", "check-courses", str(course_dir), "--json"])
    assert result.exit_code == 0, result.output
    (warning,) = json.loads(result.stdout)["warnings"]
    assert warning.startswith(f"{quiz}: all 2 true/false questions")
