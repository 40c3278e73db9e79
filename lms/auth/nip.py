"""The NIP: the 18-digit number of an Indonesian civil servant (PNS).

Digits 1-8 are the birth date (YYYYMMDD), 9-14 the year and month of appointment (TMT CPNS,
YYYYMM), 15 the sex code (1 man, 2 woman) and 16-18 a sequence number (001-999).
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

MIN_BIRTH_YEAR = 1930
MIN_APPOINTMENT_AGE = 17


def nip_problems(nip: str, today: date | None = None) -> list[str]:
    """Return what is wrong with `nip` (an empty list when it is valid)."""
    today = today or date.today()
    nip = nip.strip()
    if not nip.isdigit() or not nip.isascii():
        return [str(_l("NIP must contain digits only."))]
    if len(nip) != 18:
        return [
            str(_l("NIP must be exactly 18 digits; this one has %(n)d.", n=len(nip)))
        ]
    problems = []
    birth = _date_or_none(nip[0:4], nip[4:6], nip[6:8])
    if birth is None:
        problems.append(
            str(_l("Digits 1-8 of the NIP must be a valid birth date (YYYYMMDD)."))
        )
    elif birth.year < MIN_BIRTH_YEAR or birth > today:
        problems.append(
            str(_l("The birth date in digits 1-8 of the NIP is not plausible."))
        )
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12:
        problems.append(
            str(_l("Digits 13-14 of the NIP must be the appointment month (01-12)."))
        )
    elif (year, month) > (
        today.year,
        today.month,
    ) or year < MIN_BIRTH_YEAR + MIN_APPOINTMENT_AGE:
        problems.append(
            str(
                _l(
                    "The appointment year and month in digits 9-14 of the NIP are not plausible."
                )
            )
        )
    elif birth is not None and year - birth.year < MIN_APPOINTMENT_AGE:
        problems.append(
            str(_l("The appointment date in the NIP is too soon after the birth date."))
        )
    if nip[14] not in "12":
        problems.append(str(_l("Digit 15 of the NIP must be 1 (man) or 2 (woman).")))
    if nip[15:18] == "000":
        problems.append(
            str(_l("Digits 16-18 of the NIP (the sequence number) cannot be 000."))
        )
    return problems


def _date_or_none(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None
