"""The demo angkatan of `make run`: Kepemimpinan Pengawas Angkatan I 2026, under way.

Twenty-five members from several OPDs (the demo learner among them), a coach, a mentor, the demo
supervisor; module due dates around today (the first one past), progress of every kind, real quiz
attempts and an aksi perubahan plan waiting to be graded. Built once: nothing is added when the
cohort exists already.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from lms.assessment import attempts as engine
from lms.assignments.service import grade, submit
from lms.auth.accounts import create_user, get_roles
from lms.cohorts.members import add_member, add_staff
from lms.extensions import db
from lms.learn import progress
from lms.models import Activity, Cohort, CohortModuleDue, Course, Module, User, WorkUnit
from lms.models.types import utcnow

COURSE = "kepemimpinan-pengawas"
NAME = "Kepemimpinan Pengawas Angkatan I 2026"
DOMAIN = "demo.kelasasn.id"
#: email, password, name, NIP, work unit — the coach and the mentor (both can sign in).
COACH = ("coach@demo.kelasasn.id", "demo-coach-2026", "Dra. Yuliana Sari, M.Si.",
         "197507122000032003", "bkpsdm")  # fmt: skip
MENTOR = ("mentor@demo.kelasasn.id", "demo-mentor-2026", "Ir. Bambang Suryadi, M.T.",
          "197803042003121002", "diskominfo")  # fmt: skip
#: name, NIP (birth date, appointment, sex, sequence), work unit, activities done.
MEMBERS = [
    ("Ahmad Fauzi, S.Kom.", "198604172010011003", "diskominfo", 27),
    ("Nurul Hidayah, S.E.", "198811022011012004", "bpkad", 20),
    ("Rizky Pratama, S.T.", "199002142014031001", "dpupr", 18),
    ("Dewi Kartika Sari, S.Sos.", "198709252010122002", "disdukcapil", 15),
    ("Muhammad Iqbal, S.H.", "198512302009011001", "satpolpp", 14),
    ("Siti Rahmawati, S.Pd.", "198903082012022003", "disdik", 12),
    ("Hendra Gunawan, S.STP.", "199105202015071002", "kec-tpi-barat", 11),
    ("Fitri Handayani, S.Kep.", "198808162011012005", "dinkes", 10),
    ("Agus Setiawan, S.AP.", "198402112008011004", "setda", 9),
    ("Yuni Astuti, S.E., M.M.", "198606272010012001", "bapenda", 9),
    ("Teguh Santoso, S.T.", "198710052011011002", "dishub", 8),
    ("Rahmat Hidayat, S.Sos.", "198301242007011003", "dinsos", 7),
    ("Indah Permatasari, S.I.Kom.", "199204182016022001", "diskominfo", 6),
    ("Bayu Saputra, S.Kom.", "199307092018011001", "dpmptsp", 6),
    ("Lestari Wulandari, S.P.", "198912012014022002", "dkp3", 5),
    ("Arif Rahman Hakim, S.H.", "198505152009031002", "inspektorat", 5),
    ("Mega Puspita, S.Psi.", "199010212015032003", "bkpsdm", 4),
    ("Wahyu Hidayat, S.T.", "198808282012121001", "disperkim", 3),
    ("Ratna Dewi, S.E.", "198604062010012006", "diskopumkm", 3),
    ("Eko Prasetyo, S.Si.", "199106132015031004", "dlh", 2),
    ("Sri Wahyuni, S.Sos.", "198702222010122003", "kec-bukit-bestari", 1),
    ("Dedi Kurniawan, S.AP.", "198409192008011005", "kesbangpol", 0),
    ("Novita Anggraini, S.Farm.", "199208302017022002", "rsud", 0),
    ("Fajar Nugroho, S.Kom.", "199401262019031002", "diskominfo", 0),
]
#: Days from today each module is due (the first is past).
DUE_IN_DAYS = (-7, 5, 20, 35, 50)
#: Members (by index) whose aksi perubahan plan waits for the mentor's grade.
SUBMITTERS = (0, 1)
PLAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _account(email, password, name, nip, unit_code) -> User:
    """Return the account with this email, made if missing (with no usable password if None)."""
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        unit = db.session.scalar(select(WorkUnit).where(WorkUnit.code == unit_code))
        if password is not None:
            return create_user(email, name, password, nip=nip, work_unit=unit)
        user = User(email=email, name=name, nip=nip, work_unit=unit, password_hash="!",
                    roles=get_roles(["learner"]), email_confirmed_at=utcnow())  # fmt: skip
        db.session.add(user)
        db.session.flush()
    return user


def _best_answer(question: dict):
    """Return the best response to a choice question (None for other types: left blank)."""
    if question["type"] == "multichoice":
        return max(question["choices"], key=lambda c: c["fraction"])["id"]
    if question["type"] == "multiresponse":
        return [c["id"] for c in question["choices"] if c["fraction"] > 0]
    if question["type"] == "truefalse":
        return question["answer"]
    return None


def _take_quiz(user_id: int, quiz: Activity, well: bool) -> None:
    """Take the quiz: a blank first try for those who do it badly, then a good one."""
    if not well and engine.settings(quiz)["max_attempts"] != 1:
        engine.submit_attempt(engine.start_attempt(user_id, quiz))
    attempt = engine.start_attempt(user_id, quiz)
    for key, item in engine.question_items(attempt).items():
        answer = _best_answer(item["question"])
        if answer is not None:
            engine.save_answer(attempt, key, answer)
    engine.submit_attempt(attempt)


def seed_demo_cohort(today: date) -> Cohort | None:
    """Build the demo angkatan if its course is here and it is not; return it (None: no course)."""
    course = db.session.scalar(select(Course).where(Course.slug == COURSE))
    if course is None:
        return None
    found = db.session.scalar(
        select(Cohort).where(Cohort.course_id == course.id, Cohort.name == NAME)
    )
    if found is not None:
        return found
    cohort = Cohort(course_id=course.id, name=NAME, starts_on=today - timedelta(days=35),
                    ends_on=today + timedelta(days=55))  # fmt: skip
    db.session.add(cohort)
    db.session.commit()
    modules = db.session.scalars(
        select(Module).where(Module.course_id == course.id, Module.archived_at.is_(None))
        .order_by(Module.position)
    ).all()  # fmt: skip
    for module, days in zip(modules, DUE_IN_DAYS, strict=False):
        db.session.add(CohortModuleDue(cohort_id=cohort.id, module_id=module.id,
                                       due_on=today + timedelta(days=days)))  # fmt: skip
    db.session.commit()
    coach, mentor = _account(*COACH), _account(*MENTOR)
    add_staff(cohort, coach, "coach")
    supervisor = db.session.scalar(
        select(User).where(User.email == f"pengawas@{DOMAIN}")
    )
    if supervisor is not None:
        add_staff(cohort, supervisor, "supervisor")
    activities = db.session.scalars(
        select(Activity).where(Activity.course_id == course.id, Activity.is_current())
        .join(Module).order_by(Module.position, Activity.position)
    ).all()  # fmt: skip
    members = [(name, nip, unit, done) for name, nip, unit, done in MEMBERS]
    learner = db.session.scalar(select(User).where(User.email == f"peserta@{DOMAIN}"))
    for index, (name, nip, unit, done) in enumerate(members):
        email = f"{name.split(',')[0].lower().replace(' ', '.')}@{DOMAIN}"
        user = _account(email, None, name, nip, unit)
        plan = next(a for a in activities if a.key.endswith("rancangan-aksi-perubahan"))
        _join(
            cohort,
            user,
            mentor,
            [a for a in activities[:done] if a is not plan],
            well=index % 3 != 2,
        )
        if index in SUBMITTERS:  # waits for the mentor's grade
            submit(
                user.id,
                plan,
                "Rancangan aksi perubahan: layanan antrean daring.",
                PLAN,
                "rancangan.pdf",
            )
    if (
        learner is not None
    ):  # the demo learner: module 1 half done, so it shows as overdue
        _join(cohort, learner, mentor, activities[:2], well=True)
    db.session.commit()
    return cohort


def _join(
    cohort: Cohort, user: User, mentor: User, done: list[Activity], well: bool
) -> None:
    """Add the member and make them do `done` in order (quizzes through real attempts)."""
    add_member(cohort, user, mentor=mentor)
    for activity in done:
        if activity.type == "quiz":
            _take_quiz(user.id, activity, well)
        elif activity.type == "assignment":  # handed in and passed by the mentor
            submission = submit(
                user.id, activity, "Tugas sudah saya kerjakan.", PLAN, "tugas.pdf"
            )
            grade(submission, "passed", "Baik, lanjutkan.", mentor.id)
        else:
            progress.complete_activity(user.id, activity, commit=False)
    db.session.commit()
