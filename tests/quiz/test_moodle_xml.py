"""Moodle XML: ours -> Moodle XML -> ours keeps everything; Moodle's files read as Moodle means them."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_babel import force_locale

from lms.content.errors import ContentError
from lms.content.limits import MAX_CHOICES, MAX_MOODLE_XML_BYTES, MAX_QUESTIONS
from lms.quiz import parse_gift
from lms.quiz.moodle_xml import to_moodle_xml
from lms.quiz.moodle_xml_read import read_moodle_xml

ROOT = Path(__file__).resolve().parents[2]
OWN = ROOT / "tests" / "data" / "interop"
QUIZZES = sorted(OWN.glob("*.gift")) + sorted((ROOT / "courses").glob("*/*/*.gift"))
QUIZZES += sorted((ROOT / "tests" / "data" / "quiz").glob("*/*/*.gift"))


def without_line(questions: list[dict]) -> list[dict]:
    return [{k: v for k, v in q.items() if k != "line"} for q in questions]


def as_interval(question: dict) -> dict:
    """A numerical range min..max is the answer value +- tolerance Moodle stores it as."""
    if question["type"] != "numerical":
        return question
    answers = []
    for answer in question["answers"]:
        if answer["kind"] == "range":
            low, high = answer.pop("min"), answer.pop("max")
            value, tolerance = (low + high) / 2, (high - low) / 2
            answer |= {"kind": "value", "value": value, "tolerance": tolerance}
        answers.append(answer)
    return {**question, "answers": answers}


def body(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text.split("---\n", 2)[2] if text.startswith("---\n") else text


@pytest.mark.parametrize("path", QUIZZES, ids=lambda p: p.name)
def test_ours_to_moodle_xml_to_ours_keeps_everything(app, path: Path) -> None:
    questions = parse_gift(body(path), path.name)
    back, notes = read_moodle_xml(to_moodle_xml(questions).encode(), "x.xml")
    assert notes == []
    assert without_line(back) == [as_interval(q) for q in without_line(questions)]


def test_the_hand_checked_cases_cover_every_type(app) -> None:
    questions = parse_gift(body(OWN / "semua-tipe.gift"), "semua-tipe.gift")
    assert {q["type"] for q in questions} == {
        "multichoice", "multiresponse", "truefalse", "shortanswer", "numerical",
        "matching", "essay", "description",
    }  # fmt: skip


@pytest.fixture
def bank(app) -> tuple[dict[str, dict], list]:
    questions, notes = read_moodle_xml((OWN / "moodle-bank.xml").read_bytes(), "b.xml")
    return {q["name"]: q for q in questions}, notes


def test_a_moodle_bank_reads_every_type_we_grade(bank) -> None:
    questions, _ = bank
    assert [(q["name"], q["type"]) for q in questions.values()] == [
        ("Nilai dasar", "multichoice"), ("Akuntabel", "multiresponse"),
        ("Netralitas (salah)", "truefalse"), ("Ibu kota", "shortanswer"),
        ("JP tahunan", "numerical"), ("Pasangan", "matching"), ("Refleksi", "essay"),
        ("Catatan", "description"),
    ]  # fmt: skip


def test_weights_feedback_formats_and_categories_come_as_moodle_means_them(
    bank,
) -> None:
    q, _ = bank
    mc = q["Nilai dasar"]
    assert mc["format"] == "html" and mc["category"] == "Default for SPBE/Etika"
    assert [(c["fraction"], c["format"]) for c in mc["choices"]] == [
        (1.0, "html"), (0.0, "html"), (-0.3333333, "plain")]  # fmt: skip
    assert mc["choices"][0]["feedback"] == "<p>Benar &amp; tepat.</p>"
    assert mc["choices"][2]["text"] == "KORPRI <lama>"
    assert mc["general_feedback"] == "<p>Lihat SE Menpan RB 20/2021.</p>"
    assert [c["fraction"] for c in q["Akuntabel"]["choices"]] == [0.5, 0.5, -1.0]
    tf = q["Netralitas (salah)"]
    assert tf["answer"] is False
    assert tf["right_feedback"] == "<p>Your answer is correct.</p>"
    assert tf["wrong_feedback"] == "<p>Your answer is incorrect.</p>"
    short = q["Ibu kota"]
    assert short["category"] == "Default for SPBE/Etika/Isian"
    assert short["missing_word"] and short["text"][short["blank_at"] :].startswith(
        "_____"
    )
    assert [(a["text"], a["fraction"]) for a in short["answers"]] == [
        ("Tanjungpinang", 1.0), ("Tanjung*", 0.5)]  # fmt: skip
    numbers = q["JP tahunan"]["answers"]
    assert [(a["kind"], a.get("value"), a.get("tolerance"), a["fraction"]) for a in numbers] == [
        ("value", 20.0, 0.0, 1.0), ("value", 20.0, 2.5, 0.5), ("any", None, None, 0.0)]  # fmt: skip
    matching = q["Pasangan"]
    assert [(p["text"], p["format"], p["answer"]) for p in matching["pairs"]] == [
        ("<p>BKN</p>", "html", "Kepegawaian"), ("**LAN**", "markdown", "Pelatihan")]  # fmt: skip
    assert [d["answer"] for d in matching["distractors"]] == ["Pajak"]


def test_what_cannot_come_along_is_listed_question_by_question(bank) -> None:
    _, notes = bank
    with force_locale("en"):
        listed = {(n.question, str(n.what)) for n in notes}
    assert listed == {
        ("Nilai dasar", "Embedded files (images) left out: 1."),
        ("Nilai dasar", "Hints for further tries left out: 1."),
        ("Nilai dasar", "Tags left out: etika."),
        ("Nilai dasar", "The ID number was left out."),
        ("Nilai dasar", "Its mark of 2 was left out: every question counts the same here."),
        ("Nilai dasar", "Combined feedback (correct, partially correct, incorrect) was left out."),
        ("Ibu kota", "Case-sensitive answers: answers are compared without case here."),
        ("JP tahunan", "Units were left out: answers are plain numbers here."),
        ("Refleksi", "File attachments: answers are written in the browser here."),
        ("Refleksi", "The information for graders was left out."),
        ("Cloze", "Question type 'multianswer' is not graded here."),
        ("Hitung", "Question type 'calculated' is not graded here."),
        ("Tanpa jawaban benar", "Not carried over: No choice is worth full marks."),
    }  # fmt: skip


def test_the_list_speaks_the_interface_language(bank) -> None:
    _, notes = bank
    with force_locale("id"):
        assert str(notes[-1].what) != "Not carried over: No choice is worth full marks."


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<quiz><question type="description"><name><text>&b;</text></name></question></quiz>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<quiz><question type="description"><name><text>&x;</text></name></question></quiz>"""


def question(kind: str = "truefalse", answers: int = 2) -> str:
    options = "".join(
        f'<answer fraction="{100 if n == 0 else 0}"><text>{"true" if n == 0 else "false"}</text></answer>'
        for n in range(answers)
    )
    return f'<question type="{kind}"><questiontext><text>Q</text></questiontext>{options}</question>'


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (BOMB, "DTD"),
        (EXTERNAL, "DTD"),
        (b"<quiz><question>", "not well-formed"),
        (b"<html><body/></html>", "<quiz>"),
        (b" " * (MAX_MOODLE_XML_BYTES + 1), "MAX_MOODLE_XML_BYTES"),
        (("<quiz>" + question() * (MAX_QUESTIONS + 1) + "</quiz>").encode(), "MAX_QUESTIONS"),
        (("<quiz>" + question(answers=MAX_CHOICES + 1) + "</quiz>").encode(), "MAX_CHOICES"),
    ],
    ids=["entity-expansion", "external-entity", "broken", "not-moodle", "too-big",
         "too-many-questions", "too-many-answers"],
)  # fmt: skip
def test_files_past_a_bound_are_refused_naming_it(
    app, data: bytes, message: str
) -> None:
    with pytest.raises(ContentError) as error:
        read_moodle_xml(data, "bank.xml")
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("path", "category"),
    [
        ("$course$/top/Default for SPBE/Etika", "Default for SPBE/Etika"),
        ("$course$/Iota/Kappa", "Iota/Kappa"),  # Moodle 3 files have no "top"
        ("$system$/top", None),
        ("$cat1$/top/Umum", "Umum"),
        ("Tanpa/Konteks", "Tanpa/Konteks"),
    ],
)
def test_category_paths_of_every_moodle_version(app, path: str, category) -> None:
    data = f"""<quiz><question type="category"><category><text>{path}</text></category></question>
    <question type="description"><questiontext><text>Catatan</text></questiontext></question></quiz>"""
    [question], _ = read_moodle_xml(data.encode(), "c.xml")
    assert question["category"] == category


def test_a_descriptions_feedback_is_listed_as_left_out(app) -> None:
    data = b"""<quiz><question type="description"><name><text>Catatan</text></name>
    <questiontext format="html"><text>Bacaan.</text></questiontext>
    <generalfeedback format="html"><text>Umpan balik.</text></generalfeedback></question></quiz>"""
    [question], notes = read_moodle_xml(data, "d.xml")
    assert question["general_feedback"] == ""
    with force_locale("en"):
        assert [(n.question, str(n.what)) for n in notes] == [
            ("Catatan", "The general feedback of a description was left out.")
        ]
