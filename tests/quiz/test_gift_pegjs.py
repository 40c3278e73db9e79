"""GIFT written by `to_gift` reads the same in gift-pegjs (npm), an independent GIFT parser."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lms.quiz import parse_gift, to_gift

ROOT = Path(__file__).resolve().parents[2]
PARSER = ROOT / "node_modules" / "gift-pegjs" / "lib" / "gift-parser.js"
SHARED = ROOT.parents[0] / "shared" / "testdata" / "gift"
OWN = sorted((ROOT / "tests" / "data" / "interop").glob("*.gift"))
COURSES = sorted((ROOT / "courses").glob("*/*/*.gift"))
#: Moodle's own GIFT files (read in Moodle's default format), when this machine has them.
MOODLE = sorted(SHARED.glob("moodle_*.gift.txt"))
#: Reads each text of a JSON list on stdin; writes [{"ok": parse} or {"error": message}].
SCRIPT = """
const {parse} = require(process.argv[1]);
const texts = JSON.parse(require("fs").readFileSync(0, "utf8"));
console.log(JSON.stringify(texts.map(t => {
  try { return {ok: parse(t)}; } catch (e) { return {error: e.message}; }
})));
"""
TYPES = {"multichoice": "MC", "multiresponse": "MC", "truefalse": "TF",
         "shortanswer": "Short", "numerical": "Numerical", "matching": "Matching",
         "essay": "Essay", "description": "Description"}  # fmt: skip


def gift_pegjs(texts: list[str]) -> list[dict]:
    """Parse each GIFT text with gift-pegjs in one node process."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    assert PARSER.is_file(), "gift-pegjs is missing: run `npm ci`"
    run = subprocess.run([node, "-e", SCRIPT, str(PARSER)], input=json.dumps(texts),
                         capture_output=True, text=True, check=True, timeout=120)  # fmt: skip
    return json.loads(run.stdout)


def squash(text: str) -> str:
    """Collapse whitespace (gift-pegjs joins lines, and pads a missing word's blank)."""
    return re.sub(r"\s*_____\s*", "_____", re.sub(r"\s+", " ", text)).strip()


def rich(text: str, fmt: str) -> tuple | None:
    return (fmt, squash(text)) if text.strip() else None


def pegjs_rich(value: dict | None) -> tuple | None:
    return rich(value["text"], value["format"]) if value else None


def ours(q: dict) -> dict:
    """Our question as the fields gift-pegjs gives."""
    view = {"type": TYPES[q["type"]], "title": q["name"] or None,
            "stem": rich(q["text"], q["format"])}  # fmt: skip
    if q["type"] != "description":
        view["general"] = rich(q["general_feedback"], q["general_feedback_format"])
    if q["type"] in ("multichoice", "multiresponse"):
        view["choices"] = [(c["fraction"], rich(c["text"], c["format"]),
                            rich(c["feedback"], c["feedback_format"])) for c in q["choices"]]  # fmt: skip
    elif q["type"] == "truefalse":
        view["answer"] = (q["answer"], rich(q["wrong_feedback"], q["wrong_feedback_format"]),
                          rich(q["right_feedback"], q["right_feedback_format"]))  # fmt: skip
    elif q["type"] in ("shortanswer", "numerical"):
        view["choices"] = [(a["fraction"], _value(a), rich(a["feedback"], a["feedback_format"]))
                           for a in q["answers"]]  # fmt: skip
    elif q["type"] == "matching":
        view["pairs"] = [
            (rich(p["text"], p["format"]), p["answer"]) for p in q["pairs"]
        ]
        view["pairs"] += [(None, d["answer"]) for d in q["distractors"]]
    return view


def _value(answer: dict) -> tuple:
    if "kind" not in answer:
        return ("text", squash(answer["text"]))
    if answer["kind"] == "value":
        return ("value", answer["value"], answer["tolerance"])
    if answer["kind"] == "range":
        return ("range", answer["min"], answer["max"])
    return ("any",)


def theirs(q: dict) -> dict:
    """A gift-pegjs question as the same fields."""
    view = {"type": q["type"], "title": q["title"], "stem": pegjs_rich(q["stem"])}
    if q["type"] != "Description":
        view["general"] = pegjs_rich(q["globalFeedback"])
    if q["type"] == "MC":
        view["choices"] = [(_fraction(c), pegjs_rich(c["text"]), pegjs_rich(c["feedback"]))
                           for c in q["choices"]]  # fmt: skip
    elif q["type"] == "TF":
        view["answer"] = (q["isTrue"], pegjs_rich(q["trueFeedback"]),
                          pegjs_rich(q["falseFeedback"]))  # fmt: skip
    elif q["type"] in ("Short", "Numerical"):
        view["choices"] = [(_fraction(c), _pegjs_value(q["type"], c["text"]),
                            pegjs_rich(c["feedback"])) for c in q["choices"]]  # fmt: skip
    elif q["type"] == "Matching":
        view["pairs"] = [(pegjs_rich(p["subquestion"]), p["subanswer"])
                         for p in q["matchPairs"]]  # fmt: skip
    return view


def _fraction(choice: dict) -> float:
    if choice["weight"] is not None:
        return round(choice["weight"] / 100, 7)
    return 1.0 if choice["isCorrect"] else 0.0


def _pegjs_value(kind: str, text: dict) -> tuple:
    if kind == "Short":
        return ("text", squash(text["text"]))
    if text.get("text") == "*":
        return ("any",)
    if text["type"] == "simple":
        return ("value", text["number"], 0.0)
    if text["type"] == "range":
        return ("value", text["number"], text["range"])
    return ("range", text["numberLow"], text["numberHigh"])


def exported(path: Path, default_format: str) -> tuple[list[dict], str]:
    questions = parse_gift(path.read_text(encoding="utf-8"), path.name, default_format=default_format)  # fmt: skip
    return questions, to_gift(questions)


CASES = [(p, "markdown") for p in OWN + COURSES] + [(p, "moodle") for p in MOODLE]


def test_the_project_has_its_own_cases() -> None:
    assert OWN and COURSES


@pytest.fixture(scope="module")
def parsed() -> dict[Path, tuple[list[dict], dict]]:
    pairs = [exported(path, fmt) for path, fmt in CASES]
    results = gift_pegjs([text for _, text in pairs])
    return {path: (questions, result) for (path, _), (questions, _), result
            in zip(CASES, pairs, results, strict=True)}  # fmt: skip


@pytest.mark.parametrize("path", [p for p, _ in CASES], ids=lambda p: p.name)
def test_gift_pegjs_reads_our_export_as_we_do(parsed, path: Path) -> None:
    questions, result = parsed[path]
    assert "error" not in result, result.get("error")
    read = [q for q in result["ok"] if q["type"] != "Category"]
    assert [theirs(q) for q in read] == [ours(q) for q in questions]


def test_markdown_questions_are_tagged_and_the_numerical_catch_all_is_moodles(
    parsed,
) -> None:
    path = OWN[0]
    questions, result = parsed[path]
    by_title = {q["title"]: q for q in result["ok"] if q["type"] != "Category"}
    assert {q["stem"]["format"] for q in by_title.values()} == {"markdown", "plain"}
    text = to_gift(questions)
    assert "\t~#Skala indeks SPBE adalah 1 sampai 5.\n" in text
    assert "*" not in text.split("::Indeks::")[1].split("::Pasangan::")[0]


def test_categories_are_written_for_moodle(parsed) -> None:
    _, result = parsed[OWN[0]]
    assert result["ok"][0] == {"type": "Category", "title": "Pelatihan SPBE/Dasar"}


@pytest.mark.parametrize("path", OWN, ids=lambda p: p.name)
def test_gift_to_ours_to_gift_keeps_everything(path: Path) -> None:
    questions, text = exported(path, "markdown")
    again = parse_gift(text, "kembali.gift")
    strip = [{k: v for k, v in q.items() if k != "line"} for q in questions]
    assert [{k: v for k, v in q.items() if k != "line"} for q in again] == strip
    assert to_gift(again) == text
