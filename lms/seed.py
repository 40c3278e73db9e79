"""Seed data: the city's work units and the demo accounts the README lists."""

from __future__ import annotations

from importlib.resources import files

import yaml
from sqlalchemy import select

from lms.auth.accounts import create_user
from lms.extensions import db
from lms.models import User, WorkUnit

#: email, password, roles, NIP, work unit code, name — printed by `lms bootstrap` and in README.md.
DEMO_ACCOUNTS = [
    (
        "admin@demo.kelasasn.id",
        "demo-admin-2026",
        ("admin",),
        None,
        "bkpsdm",
        "Admin Kelas ASN",
    ),
    (
        "pengajar@demo.kelasasn.id",
        "demo-pengajar-2026",
        ("instructor",),
        None,
        "bkpsdm",
        "Rina Pengajar",
    ),
    (
        "pengawas@demo.kelasasn.id",
        "demo-pengawas-2026",
        ("supervisor", "learner"),
        "198203152006041002",
        "bkpsdm",
        "Hendra Pengawas",
    ),
    (
        "peserta@demo.kelasasn.id",
        "demo-peserta-2026",
        ("learner",),
        "199001012015031001",
        "diskominfo",
        "Siti Peserta",
    ),
]


def seed_work_units() -> int:
    """Add the work units from lms/data/work_units.yaml that do not exist yet; return how many."""
    tree = yaml.safe_load(
        files("lms").joinpath("data/work_units.yaml").read_text(encoding="utf-8")
    )
    existing = {u.code: u for u in db.session.scalars(select(WorkUnit))}
    added = 0

    def walk(nodes, parent):
        nonlocal added
        for node in nodes:
            unit = existing.get(node["code"])
            if unit is None:
                unit = WorkUnit(code=node["code"], name=node["name"], parent=parent)
                db.session.add(unit)
                existing[unit.code] = unit
                added += 1
            walk(node.get("children", []), unit)

    walk(tree, None)
    db.session.commit()
    return added


def create_demo_accounts(course_slugs=()):
    """Create the demo accounts that do not exist yet; yield (email, password, roles, created).

    The demo instructor teaches every course in `course_slugs`.
    """
    from lms.auth.accounts import assign_instructor

    for email, password, roles, nip, unit_code, name in DEMO_ACCOUNTS:
        if db.session.scalar(select(User.id).where(User.email == email)):
            yield email, password, roles, False
            continue
        unit = db.session.scalar(select(WorkUnit).where(WorkUnit.code == unit_code))
        create_user(email, name, password, nip=nip, roles=roles, work_unit=unit)
        if "instructor" in roles:
            for slug in course_slugs:
                assign_instructor(email, slug)
        yield email, password, roles, True
