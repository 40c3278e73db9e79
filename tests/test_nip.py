"""NIP validation: every part of the 18 digits is checked and the user is told which."""

from datetime import date

import pytest

from lms.auth.nip import nip_problems

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    "nip", ["199001012015031001", "198203152006042999", "200002292024011001"]
)
def test_valid_nips_pass(nip):
    assert nip_problems(nip, TODAY) == []


@pytest.mark.parametrize(
    ("nip", "words"),
    [
        ("19900101201503100", "18 digits"),
        ("1990010120150310011", "18 digits"),
        ("19900101201503100a", "digits only"),
        ("１９９００１０１２０１５０３１００１", "digits only"),  # full-width digits
        ("199002312015031001", "birth date"),  # 31 February
        ("199013012015031001", "birth date"),  # month 13
        ("192001012015031001", "birth date"),  # too old to be plausible
        ("199001012015131001", "appointment month"),  # month 13
        ("199001012015001001", "appointment month"),  # month 00
        ("199001012030011001", "not plausible"),  # appointed in the future
        ("199001012000011001", "too soon after the birth"),  # appointed at ten
        ("199001012015033001", "Digit 15"),
        ("199001012015030001", "Digit 15"),
        ("199001012015031000", "cannot be 000"),
    ],
)
def test_invalid_nips_say_what_is_wrong(nip, words):
    problems = nip_problems(nip, TODAY)
    assert problems, nip
    assert any(words in p for p in problems), problems


def test_several_problems_are_all_reported():
    problems = nip_problems("199002312015133000", TODAY)
    assert len(problems) == 4


def _nip(birth="19900101", appointed="201503", sex="1", sequence="001"):
    return birth + appointed + sex + sequence


@pytest.mark.parametrize(
    "nip",
    [
        "199512312019121002",  # the last day of a year, appointed in December, a woman
        "198707152010011999",  # appointed in January, the highest sequence number
        "197411092001071123",
        "193001012000061001",  # born in the first year allowed
        "193005051947011001",  # appointed in the first year allowed, at 17
    ],
)
def test_nips_with_varied_digits_pass(nip):
    assert nip_problems(nip, TODAY) == []


def test_surrounding_spaces_are_ignored():
    assert nip_problems("  199001012015031001 \n", TODAY) == []


@pytest.mark.parametrize(
    ("birth", "accepted"), [("19300101", True), ("19291231", False), ("19310615", True)]
)
def test_birth_year_1930_is_the_first_allowed(birth, accepted):
    problems = nip_problems(_nip(birth=birth, appointed="197001"), TODAY)
    assert (problems == []) is accepted, problems
    if not accepted:
        assert problems == ["The birth date in digits 1-8 of the NIP is not plausible."]


@pytest.mark.parametrize(
    ("appointed", "accepted"),
    [("200601", False), ("200612", False), ("200701", True), ("200812", True)],
)
def test_appointment_at_17_is_allowed_and_at_16_is_too_soon(appointed, accepted):
    # Born in 1990: appointed in 2006 at 16 (too soon), in 2007 at 17, in 2008 at 18.
    problems = nip_problems(_nip(birth="19901231", appointed=appointed), TODAY)
    assert (problems == []) is accepted, problems
    if not accepted:
        assert problems == [
            "The appointment date in the NIP is too soon after the birth date."
        ]


@pytest.mark.parametrize(
    ("appointed", "accepted"),
    [("194612", False), ("194701", True), ("192001", False)],
)
def test_appointments_before_1947_are_not_plausible(appointed, accepted):
    # Even with a birth date that cannot be read, the appointment is judged on its own.
    for birth in ("19300101", "19301340"):
        problems = nip_problems(_nip(birth=birth, appointed=appointed), TODAY)
        appointment = "The appointment year and month in digits 9-14 of the NIP are not plausible."
        assert (appointment not in problems) is accepted, (birth, problems)
        assert not any("too soon" in p for p in problems)


@pytest.mark.parametrize(
    ("appointed", "accepted"),
    [("202611", True), ("202610", True), ("202612", False), ("202701", False)],
)
def test_appointment_in_the_current_month_is_allowed_but_not_later(appointed, accepted):
    problems = nip_problems(_nip(appointed=appointed), TODAY)
    assert (problems == []) is accepted, problems


@pytest.mark.parametrize(("month", "accepted"), [("01", True), ("12", True)])
def test_appointment_months_1_and_12_are_valid(month, accepted):
    assert (nip_problems(_nip(appointed="2015" + month), TODAY) == []) is accepted


def test_born_today_is_not_refused_for_the_birth_date():
    problems = nip_problems(_nip(birth="20261127", appointed="202611"), TODAY)
    assert not any("birth date in digits 1-8" in p for p in problems), problems
    tomorrow = nip_problems(_nip(birth="20261128", appointed="202611"), TODAY)
    assert "The birth date in digits 1-8 of the NIP is not plausible." in tomorrow


def test_today_defaults_to_the_real_date():
    assert nip_problems("199001012015031001") == []
    next_year = date.today().year + 1
    assert nip_problems(_nip(appointed=f"{next_year}01")) != []


@pytest.mark.parametrize(("sex", "accepted"), [("1", True), ("2", True), ("0", False)])
def test_digit_15_is_the_sex_code(sex, accepted):
    problems = nip_problems(_nip(sex=sex), TODAY)
    assert (problems == []) is accepted
    if not accepted:
        assert problems == ["Digit 15 of the NIP must be 1 (man) or 2 (woman)."]


@pytest.mark.parametrize("sequence", ["100", "010", "001", "999"])
def test_sequence_numbers_other_than_000_pass(sequence):
    assert nip_problems(_nip(sequence=sequence), TODAY) == []


def test_each_problem_has_its_own_message():
    assert nip_problems("19900101201503100", TODAY) == [
        "NIP must be exactly 18 digits; this one has 17."
    ]
    assert nip_problems("19900101201503100x", TODAY) == [
        "NIP must contain digits only."
    ]
    assert nip_problems(_nip(sequence="000"), TODAY) == [
        "Digits 16-18 of the NIP (the sequence number) cannot be 000."
    ]
