"""Time the parser and grader vectors of security issue 18 (findings 1 and 5), one process each.

    .venv/bin/python bench/parser_vectors.py              # every vector, 60 s timeout each
    .venv/bin/python bench/parser_vectors.py --timeout 20 nested-list gift-questions

Each vector is parsed as an import (and the preview) parses it: the activity type's `parse`
(front matter, GIFT/Aiken reader, Markdown and the sanitizer). A vector is either refused
("refused" with the error) or processed ("ok"); the time and the child's peak memory are printed.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FRONT_LESSON = "---\ntitle: Vektor\nminutes: 5\n---\n"
FRONT_QUIZ = "---\ntitle: Vektor\nminutes: 5\n---\n"


def _nested_list(depth: int) -> str:
    return "".join("  " * i + "- x\n" for i in range(depth))


def _nested_list4(depth: int) -> str:
    return "".join("    " * i + "- x\n" for i in range(depth))


#: name -> (file name, text builder); the sizes are the issue's.
VECTORS = {
    "choices-2000-dup": ("k.gift", lambda: "Q {=a " + "~a " * 1999 + "}\n"),
    "choices-5000-dup": ("k.gift", lambda: "Q {=a " + "~a " * 4999 + "}\n"),
    "choices-100k": ("k.gift", lambda: "Q {=b " + "~a " * 100_000 + "}\n"),
    "gift-questions-20k": (
        "k.gift",
        lambda: "".join(f"Soal nomor {n} {{T}}\n\n" for n in range(20_000)),
    ),
    "aiken-choices-5000": (
        "k.aiken",
        lambda: "Q\n" + "A) a\n" * 5000 + "ANSWER: A\n",
    ),
    "nested-list-3000": ("l.md", lambda: _nested_list(3000)),
    "nested-list4-1000": ("l.md", lambda: _nested_list4(1000)),
    "nested-quote-3000": ("l.md", lambda: "> " * 3000 + "x\n"),
    "link-open-50k": ("l.md", lambda: "[a](" * 50_000 + "\n"),
    "b-100k": ("l.md", lambda: "<b>" * 100_000 + "\n"),
    "div-50k": ("l.md", lambda: "<div>" * 50_000 + "\n"),
    "link-refs-20k": (
        "l.md",
        lambda: (
            "".join(f"[r{n}]: http://x/{n}\n" for n in range(20_000))
            + "\n"
            + " ".join(f"[a][r{n}]" for n in range(20_000))
            + "\n"
        ),
    ),
    "link-defs-20k": (
        "l.md",
        lambda: "".join(f"[r{n}]: http://x/{n}\n" for n in range(20_000)),
    ),
    "gift-html-b-100k": ("k.gift", lambda: "[html]" + "<b>" * 100_000 + "{T}\n"),
    "emphasis-50k": ("l.md", lambda: "*a " * 50_000 + "\n"),
    "brackets-50k": ("l.md", lambda: "[" * 50_000 + "\n"),
    "grade-satu-data": ("*satu*data*indonesia*", lambda: "satu data " * 2000),
    "grade-a-a-b-3000": ("*a*a*b*", lambda: "a" * 3000),
    "grade-5-wildcards-20k": ("*a*b*c*d*e*", lambda: "abcd" * 5000),
    "lesson-900k-plain": (
        "l.md",
        lambda: (
            "Paragraf biasa dengan **tebal** dan [tautan](https://x.id).\n\n" * 15_000
        ),
    ),
}


def _blocks(piece: str, count: int = 4, size: int = 31_000) -> str:
    """`count` paragraphs of `piece` repeated to just under MAX_BLOCK_CHARS, blank-line apart."""
    return "\n\n".join(piece * (size // len(piece)) for _ in range(count)) + "\n"


def _quiz_at_limits() -> str:
    """500 questions and 2,000 choices (each with Markdown text and feedback): the most allowed."""
    out = []
    for n in range(500):
        choices = " ".join(f"~*p{n}{c}*#**umpan {c}**" for c in "abc")
        extra = f"=*benar {n}*#**ya**" if n < 500 else ""
        out.append(f"::q{n}:: *Soal* **nomor** {n} {{{extra} {choices}}}####*umum*\n")
    return "\n".join(out)


#: The same shapes kept within every limit, to see what is still processed and how fast.
WITHIN = {
    "in:nested-list-2sp-300": ("l.md", lambda: _nested_list(300)),
    "in:nested-quote-600": ("l.md", lambda: "> " * 600 + "x\n"),
    "in:dash-markers-600": ("l.md", lambda: "- " * 600 + "x\n"),
    "in:b-10k": ("l.md", lambda: "<b>" * 10_000 + "\n"),
    "in:div-6k": ("l.md", lambda: "<div>" * 6_000 + "\n"),
    "in:link-open-8x": ("l.md", lambda: _blocks("[a](")),
    "in:link-ok-8x": ("l.md", lambda: _blocks("[a](b) ")),
    "in:link-title-8x": ("l.md", lambda: _blocks('[a](b "t") ')),
    "in:link-quote-open-8x": ("l.md", lambda: _blocks('[a]("')),
    "in:link-fallback-8x": ("l.md", lambda: _blocks('[a](x"y) ')),
    "in:brackets-8x": ("l.md", lambda: _blocks("[")),
    "in:bracket-pairs-8x": ("l.md", lambda: _blocks("[[]")),
    "in:strong-8x": ("l.md", lambda: _blocks("**a** ")),
    "in:backslash-8x": ("l.md", lambda: _blocks("\\\\")),
    "in:amp-8x": ("l.md", lambda: _blocks("&amp; ")),
    "in:hardbreak-8x": ("l.md", lambda: _blocks("a  \n")),
    "in:span-8x": ("l.md", lambda: _blocks("<span>a</span> ")),
    "in:br-8x": ("l.md", lambda: _blocks("<br>")),
    "in:misnest-8x": ("l.md", lambda: _blocks("<b><i></b></i>")),
    "in:autolink-8x": ("l.md", lambda: _blocks("<http://a.b> ")),
    "in:tag-open-lines": ("l.md", lambda: '<a b=">\n' * 14_000),
    "in:tag-unclosed-lines": ("l.md", lambda: "<http://\n" * 14_000),
    "in:table-8x": (
        "l.md",
        lambda: _blocks("|x|y|\n", size=31_000).replace(
            "|x|y|\n|x|y|", "|x|y|\n|-|-|", 8
        ),
    ),
    "in:list-items-8x": ("l.md", lambda: _blocks("- **a**\n")),
    "in:paragraphs-18k": ("l.md", lambda: "**a**\n\n" * 18_000),
    "in:headings-500-same": ("l.md", lambda: "# a\n\n" * 500 + "x\n\n" * 20_000),
    "in:fences-200": ("l.md", lambda: "```\nx\n```\n\n" * 200 + "y\n\n" * 20_000),
    "in:abbr-100": (
        "l.md",
        lambda: (
            "".join(f"*[A{n}]: x\n" for n in range(100))
            + "\n"
            + _blocks(" ".join(f"A{n}" for n in range(100)) + " ", count=3)
        ),
    ),
    "in:link-refs-1000": (
        "l.md",
        lambda: (
            "".join(f"[r{n}]: /x/{n}\n" for n in range(1000))
            + "\n"
            + _blocks("[a][r1] ", count=3)
        ),
    ),
    "in:gift-questions-20k": ("k.gift", lambda: "S{T}\n\n" * 20_000),
    "in:gift-choices-40k": ("k.gift", lambda: "Q {=b " + "~a " * 40_000 + "}\n"),
    "in:quiz-at-limits": ("k.gift", _quiz_at_limits),
    "in:yaml-deep": ("l.md", lambda: "x\n"),
}


def _run(name: str, queue) -> None:
    from lms.activities.lesson import LessonType
    from lms.activities.quiz import QuizType
    from lms.content.errors import ContentError

    filename, build = {**VECTORS, **WITHIN}[name]
    if filename.startswith("*"):
        _grade(filename, build(), queue)
        return
    front = FRONT_LESSON if filename.endswith(".md") else FRONT_QUIZ
    if name == "in:yaml-deep":
        front = (
            "---\ntitle: V\nminutes: 5\nobjectives: "
            + "[" * 5000
            + "]" * 5000
            + "\n---\n"
        )
    text = front + build()
    kind = LessonType() if filename.endswith(".md") else QuizType()
    started = time.perf_counter()
    try:
        kind.parse(filename, text)
        outcome = "ok"
    except ContentError as exc:
        outcome = "refused: " + str(exc.problems[0])[:90]
    except RecursionError:
        outcome = "RecursionError"
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((len(text.encode()), elapsed, peak, outcome))


def _grade(key: str, response: str, queue) -> None:
    from lms.quiz.grading import shortanswer_matches

    started = time.perf_counter()
    matched = shortanswer_matches(key, response)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((len(response.encode()), elapsed, peak, f"matched={matched}"))


def main() -> None:
    """Run each vector in its own process and print its time, memory and outcome."""
    parser = argparse.ArgumentParser()
    parser.add_argument("names", nargs="*", default=[*VECTORS, *WITHIN])
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    ctx = multiprocessing.get_context("fork")
    print(f"{'vector':22} {'bytes':>9} {'seconds':>9} {'peak MB':>8}  outcome")
    for name in args.names:
        queue = ctx.Queue()
        child = ctx.Process(target=_run, args=(name, queue))
        child.start()
        child.join(args.timeout)
        if child.is_alive():
            child.kill()
            child.join()
            print(
                f"{name:22} {'':>9} {'>' + format(args.timeout, 'g'):>9} {'':>8}  timeout"
            )
            continue
        if queue.empty():
            print(f"{name:22} crashed (exit code {child.exitcode})")
            continue
        size, elapsed, peak, outcome = queue.get()
        print(f"{name:22} {size:>9} {elapsed:>9.3f} {peak:>8.0f}  {outcome}")


if __name__ == "__main__":
    main()
