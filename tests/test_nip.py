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
