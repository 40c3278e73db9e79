"""Every parser of user input survives anything: it answers with a clear error or a result, never a crash."""

import string
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.auth.nip import nip_problems
from lms.content.errors import ContentError
from lms.content.frontmatter import FieldSpec, split_front_matter, validate_meta
from lms.content.limits import LimitError
from lms.content.render import render_markdown
from lms.quiz import parse_aiken, parse_gift
from tests.test_sanitize import problems_in

GIFT_ALPHABET = (
    string.ascii_letters
    + string.digits
    + " \n\t{}=~#:%->[]\\/$.,*_'\"`<>&!?()"
    + "áéİ—"
)
ANY = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@ANY
@given(st.text(alphabet=GIFT_ALPHABET, max_size=300))
def test_gift_parser_never_crashes(text):
    try:
        questions = parse_gift(text, "kuis.gift")
    except ContentError as error:
        assert all(p.path == "kuis.gift" and p.message for p in error.problems)
    else:
        assert all("type" in q and "text_html" in q for q in questions)


@ANY
@given(st.text(alphabet=string.ascii_letters + " .):\nABCD", max_size=300))
def test_aiken_parser_never_crashes(text):
    try:
        parse_aiken(text, "kuis.aiken")
    except ContentError as error:
        assert all(p.line is None or p.line >= 1 for p in error.problems)


FIELDS = {
    "title": FieldSpec(str, required=True),
    "minutes": FieldSpec(int, minimum=0),
    "tags": FieldSpec(list),
}


@ANY
@given(st.text(alphabet=string.printable + "—é", max_size=300))
def test_front_matter_never_crashes(body):
    text = "---\n" + body + "\n---\nIsi\n"
    try:
        meta, _, _ = split_front_matter(text, "a.md")
        validate_meta(meta, FIELDS, "a.md", text)
    except ContentError as error:
        assert all(p.path == "a.md" and p.message for p in error.problems)


@ANY
@given(st.text(max_size=400))
def test_markdown_output_is_always_safe(text):
    try:
        html = render_markdown(text)
    except (
        LimitError
    ) as error:  # refused, naming the rule and the line: nothing is shown
        assert str(error) and (error.line is None or error.line >= 1)
    else:
        assert problems_in(html) == []


@ANY
@given(st.text(max_size=30))
def test_nip_check_never_crashes(text):
    assert isinstance(nip_problems(text), list)


@ANY
@given(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2004, 12, 31)),
    st.integers(min_value=18, max_value=21),
    st.integers(min_value=1, max_value=12),
    st.sampled_from("12"),
    st.integers(min_value=1, max_value=999),
)
def test_every_well_formed_nip_is_accepted(birth, age, month, sex, sequence):
    nip = f"{birth:%Y%m%d}{birth.year + age}{month:02d}{sex}{sequence:03d}"
    assert nip_problems(nip, date(2026, 11, 27)) == []


def test_member_csv_check_never_crashes(app, make_unit):
    from datetime import date as day

    from lms.cohorts.member_import import parse_members_csv
    from lms.extensions import db
    from lms.models import Cohort, Course

    make_unit()
    course = Course(slug="k", title="K", summary="", jp=1)
    db.session.add(course)
    db.session.flush()
    cohort = Cohort(
        course_id=course.id, name="A", starts_on=day.today(), ends_on=day.today()
    )
    db.session.add(cohort)
    db.session.commit()

    @ANY
    @given(st.text(alphabet=string.printable + ";é", max_size=400))
    def check(text):
        rows, problems = parse_members_csv(cohort, "NIP,Nama,Email,Unit Kerja\n" + text)
        assert all(isinstance(line, int) and reason for line, reason in problems)
        assert rows or problems

    check()
