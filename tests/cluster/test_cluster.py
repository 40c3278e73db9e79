"""Two app nodes behind nginx: sessions, changes, limits, uploads and background work are shared."""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections import Counter
from datetime import date, timedelta

import pytest
import requests
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import ActivityProgress, Course, CourseImage, User
from lms.models.types import utcnow
from tests.cluster.conftest import (
    DEMO,
    Browser,
    cluster_command,
    pretest_taken,
    wait_for_replica,
)

SLUG = "spbe-layanan-digital"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def signed_in(browser: Browser, base: str) -> bool:
    response = browser.get(base, "/account/", allow_redirects=False)
    return response.status_code == 200


def test_nginx_spreads_requests_over_both_nodes(cluster):
    served = Counter(
        requests.get(cluster["CLUSTER_NGINX_URL"] + "/healthz", timeout=5).headers[
            "X-Upstream"
        ]
        for _ in range(10)
    )
    assert len(served) == 2 and min(served.values()) >= 4, served


def test_a_session_made_on_one_node_works_on_the_other_and_ends_on_both(
    cluster, make_person
):
    one, two = cluster["nodes"]
    user, password = make_person()
    browser = Browser()
    assert browser.login(one, user.email, password).status_code == 302
    assert signed_in(browser, two) and signed_in(browser, one)
    browser.post(two, "/logout")
    assert not signed_in(browser, one) and not signed_in(browser, two)


def test_a_deactivated_user_is_signed_out_at_the_next_request_on_any_node(
    cluster, world, make_person
):
    one, two = cluster["nodes"]
    user, password = make_person()
    learner, admin = Browser(), Browser()
    learner.login(two, user.email, password)
    assert signed_in(learner, two)
    admin.login(one, *DEMO["admin"])
    assert (
        admin.post(one, f"/admin/users/{user.id}/active", {"active": "0"}).status_code
        == 302
    )
    assert not signed_in(learner, two) and not signed_in(learner, one)
    assert learner.login(two, user.email, password).status_code != 302


def test_a_course_taken_out_of_the_catalogue_on_one_node_is_gone_on_the_other(cluster):
    one, two = cluster["nodes"]
    instructor, visitor = Browser(), Browser()
    instructor.login(one, *DEMO["instructor"])
    assert f"/courses/{SLUG}/" in visitor.get(two, "/courses/").text
    try:
        instructor.post(one, f"/author/{SLUG}/publish", {"published": "0"})
        assert f"/courses/{SLUG}/" not in visitor.get(two, "/courses/").text
    finally:
        instructor.post(one, f"/author/{SLUG}/publish", {"published": "1"})
    assert f"/courses/{SLUG}/" in visitor.get(two, "/courses/").text


@pytest.fixture
def cohort_world(world, make_person):
    """A running cohort of the demo instructor's course, and a learner not yet in it."""
    from lms.models import Cohort

    course = db.session.scalar(select(Course).where(Course.slug == SLUG))
    cohort = Cohort(course_id=course.id, name=f"Angkatan {uuid.uuid4().hex[:6]}",
                    starts_on=date.today() - timedelta(days=5),
                    ends_on=date.today() + timedelta(days=25))  # fmt: skip
    db.session.add(cohort)
    db.session.commit()
    learner = make_person()
    pretest_taken(learner[0], SLUG)
    return cohort, learner


def test_cohort_changes_on_one_node_are_seen_on_the_other(cluster, world, cohort_world):
    from lms.models import Module

    one, two = cluster["nodes"]
    cohort, (learner, password) = cohort_world
    staff = Browser()
    staff.login(one, *DEMO["instructor"])
    page = f"/cohorts/{cohort.id}/"
    assert learner.email not in staff.get(two, page).text
    assert (
        staff.post(
            one, f"/cohorts/{cohort.id}/members", {"person": learner.email}
        ).status_code
        == 302
    )
    assert (
        learner.email in staff.get(two, page).text
        or learner.name in staff.get(two, page).text
    )

    module = db.session.scalars(
        select(Module).where(Module.course_id == cohort.course_id)
    ).first()
    first, moved = date.today() + timedelta(days=9), date.today() + timedelta(days=12)
    staff.post(
        one, f"/cohorts/{cohort.id}/dues", {f"due-{module.id}": first.isoformat()}
    )
    assert first.isoformat() in staff.get(two, f"/cohorts/{cohort.id}/dues").text
    staff.post(
        two, f"/cohorts/{cohort.id}/dues", {f"due-{module.id}": moved.isoformat()}
    )
    dues = staff.get(one, f"/cohorts/{cohort.id}/dues").text
    assert moved.isoformat() in dues and first.isoformat() not in dues

    # progress through one node; the figures (read on the replica) through the other
    browser = Browser()
    browser.login(one, learner.email, password)
    lesson = _first_lesson(cohort.course_id)
    assert browser.post(one, f"/courses/{SLUG}/{lesson}/complete").status_code == 302
    wait_for_replica(cluster)
    figures = staff.get(two, page + "?refresh=1").text
    average = re.search(r"Rata-rata penyelesaian</dt><dd>(\d+)%", figures)
    assert average and int(average.group(1)) > 0  # the learner's lesson counts


def _first_lesson(course_id: int) -> str:
    from lms.models import Activity, Module

    module, activity = db.session.execute(
        select(Module.key, Activity.key).join(Activity, Activity.module_id == Module.id)
        .where(Module.course_id == course_id, Activity.type == "lesson",
               Activity.archived_at.is_(None))
        .order_by(Module.position, Activity.position).limit(1)
    ).one()  # fmt: skip
    return f"{module}/{activity.split('/')[-1]}"


def test_rate_limits_and_failed_sign_ins_count_across_both_nodes(
    cluster, world, make_person
):
    one, two = cluster["nodes"]
    user, _ = make_person()
    browser = Browser()
    statuses = [
        browser.login((one, two)[i % 2], user.email, "salah-sekali-ini").status_code
        for i in range(6)
    ]
    assert statuses[:5] == [200] * 5 and statuses[5] == 429, statuses
    db.session.expire_all()
    assert (
        db.session.get(User, user.id).failed_logins == 5
    )  # 3 on one node, 2 on the other


def test_an_image_uploaded_through_one_node_is_served_by_the_other(cluster, world):
    one, two = cluster["nodes"]
    instructor = Browser()
    instructor.login(one, *DEMO["instructor"])
    data = PNG + uuid.uuid4().bytes
    response = instructor.post(one, f"/author/{SLUG}/images",
                               files={"image": ("diagram.png", data, "image/png")})  # fmt: skip
    assert response.status_code == 302
    db.session.expire_all()
    image = db.session.scalar(select(CourseImage).order_by(CourseImage.id.desc()))
    served = requests.get(
        f"{two}/courses/{SLUG}/images/{image.stored_name}", timeout=10
    )
    assert served.status_code == 200 and served.content == data


def test_two_workers_deliver_a_thousand_of_each_exactly_once(
    cluster, world, make_person
):
    from lms.lti.platforms import register_platform
    from lms.models import (
        Activity,
        LtiGradeLink,
        LtiScore,
        OutgoingEmail,
        XapiStatement,
    )
    from tests.lti_platform import LoopbackPlatform
    from tests.sinks import LrsSink, SmtpSink

    rows = 1000
    lrs_port = int(cluster["LMS_XAPI_ENDPOINT"].split(":")[2].split("/")[0])
    with SmtpSink(int(cluster["LMS_SMTP_PORT"])) as smtp, LrsSink(lrs_port) as lrs, \
            LoopbackPlatform() as platform:  # fmt: skip
        record = register_platform(platform.issuer, platform.client_id, platform.deployment_id,
                                   platform.auth_login_url, platform.token_url,
                                   jwks_url=platform.jwks_url)  # fmt: skip
        platform.tool_jwks = requests.get(
            cluster["CLUSTER_NGINX_URL"] + "/lti/jwks.json", timeout=10
        ).json()
        learner, _ = make_person()
        activity = db.session.scalars(select(Activity)).first()
        link = LtiGradeLink(platform_id=record.id, user_id=learner.id, activity_id=activity.id,
                            sub="u-1", lineitem=platform.lineitem)  # fmt: skip
        db.session.add(link)
        db.session.flush()
        run, now = uuid.uuid4().hex[:8], utcnow()
        db.session.add_all(
            [OutgoingEmail(to=f"m{i}-{run}@example.org", subject=run, body="b") for i in range(rows)]
            + [XapiStatement(uuid=str(uuid.uuid4()), verb="v", payload={"id": f"{run}-{i}"})
               for i in range(rows)]
            + [LtiScore(link_id=link.id, payload={"userId": "u-1", "comment": f"{run}-{i}"},
                        created_at=now, next_attempt_at=now, attempts=0, last_error="")
               for i in range(rows)]
        )  # fmt: skip
        db.session.commit()
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline:
            mine = [p for _, _, p in platform.scores if p["comment"].startswith(run)]
            got = (sum(1 for m in smtp.messages if m["Subject"] == run),
                   sum(n for k, n in lrs.snapshot().items() if k.startswith(run)), len(mine))  # fmt: skip
            if min(got) >= rows:
                break
            time.sleep(0.5)
        time.sleep(2)  # anything sent twice would arrive by now
        mail = Counter(m["To"] for m in smtp.messages if m["Subject"] == run)
        assert len(mail) == rows and set(mail.values()) == {1}
        statements = {k: n for k, n in lrs.snapshot().items() if k.startswith(run)}
        assert len(statements) == rows and set(statements.values()) == {1}
        scores = Counter(
            p["comment"] for _, _, p in platform.scores if p["comment"].startswith(run)
        )
        assert len(scores) == rows and set(scores.values()) == {1}


@pytest.mark.parametrize("how", ["stop-node", "kill-node"])
def test_a_node_stopped_mid_traffic_loses_no_acknowledged_write(
    cluster, world, make_person, how
):
    """Learners complete lessons through nginx while node 1 stops (or dies); node 2 takes all."""
    from lms.models import Activity, Module

    nginx = cluster["CLUSTER_NGINX_URL"]
    course = db.session.scalar(select(Course).where(Course.slug == SLUG))
    lessons = [f"{m}/{a.split('/')[-1]}" for m, a in db.session.execute(
        select(Module.key, Activity.key).join(Module, Module.id == Activity.module_id)
        .where(Module.course_id == course.id, Activity.type == "lesson", Activity.archived_at.is_(None))
    ).all()]  # fmt: skip
    people = [make_person() for _ in range(6)]
    for user, _password in people:
        pretest_taken(user, SLUG)
    acknowledged: set[tuple[int, str]] = set()
    errors: list[str] = []
    served_after: Counter = Counter()
    stopped, done = threading.Event(), threading.Event()
    ready = threading.Barrier(len(people) + 1)  # everyone signed in before node 1 goes

    def learner(user, password):
        browser = Browser()
        signed = browser.login(nginx, user.email, password).status_code == 302
        browser.post(nginx, f"/courses/{SLUG}/enroll")
        ready.wait()
        assert signed
        for lesson in lessons * 20:
            if done.is_set():
                break
            after = stopped.is_set()
            path = f"/courses/{SLUG}/{lesson}/complete"
            try:
                try:
                    response = browser.post(nginx, path)
                except (
                    requests.ConnectionError
                ):  # nginx closed a kept-alive connection:
                    response = browser.post(nginx, path)  # resent, as a browser does
            except requests.RequestException as cut:  # cut off by the killed node
                errors.append(f"broken {type(cut).__name__}")  # not acknowledged
                continue
            if response.status_code >= 500:
                errors.append(
                    f"{response.status_code} {response.headers.get('X-Upstream')}"
                )
            elif (
                response.status_code == 302
                and "/login" not in response.headers["Location"]
            ):
                acknowledged.add((user.id, lesson))
            if after and response.status_code < 500:  # answered once node 1 was down
                served_after[response.headers.get("X-Upstream")] += 1

    threads = [threading.Thread(target=learner, args=p) for p in people]
    for t in threads:
        t.start()
    try:
        ready.wait()
        time.sleep(3)
        cluster_command(how, "1")
        stopped.set()
        time.sleep(4)
    finally:
        done.set()
        for t in threads:
            t.join()
        cluster_command("start-node", "1")
    db.session.expire_all()
    stored = {
        (user_id, f"{m}/{a.split('/')[-1]}")
        for user_id, m, a in db.session.execute(
            select(ActivityProgress.user_id, Module.key, Activity.key)
            .join(Activity, Activity.id == ActivityProgress.activity_id)
            .join(Module, Module.id == Activity.module_id)
            .where(ActivityProgress.user_id.in_([u.id for u, _ in people]),
                   ActivityProgress.completed_at.is_not(None))
        ).all()
    }  # fmt: skip
    assert acknowledged and acknowledged <= stored, len(acknowledged - stored)
    if (
        how == "stop-node"
    ):  # taken out of nginx first, then stopped: nobody sees an error
        assert not errors, errors[:5]
    else:  # a crash fails the requests it held (not acknowledged, so nothing is lost); no others
        assert len(errors) <= len(people) and all(
            e.startswith(("502", "broken")) for e in errors
        ), errors
    node_one = cluster["nodes"][0].removeprefix("http://")
    late = {
        addr
        for addr, _ in served_after.items()
        if addr and node_one in addr.split(", ")[-1]
    }
    assert sum(served_after.values()) > 0 and not late - {None}, served_after
    count = db.session.scalar(select(func.count(ActivityProgress.id)).where(
        ActivityProgress.user_id.in_([u.id for u, _ in people])))  # fmt: skip
    assert count == len(stored)


def test_figures_counted_on_one_node_are_kept_in_redis_for_the_other(
    cluster, world, cohort_world
):
    import redis

    one, two = cluster["nodes"]
    cohort, _ = cohort_world
    staff = Browser()
    staff.login(one, *DEMO["instructor"])
    first = staff.get(one, f"/cohorts/{cohort.id}/").text
    shared = redis.Redis.from_url(cluster["LMS_CACHE_URL"])
    assert shared.keys(
        f"kelas-asn:cohort-figures:{cohort.id}:*"
    )  # not in node 1's memory
    stamp = re.search(r'class="as-of">([^<·]+)', first).group(1)
    assert (
        stamp in staff.get(two, f"/cohorts/{cohort.id}/").text
    )  # node 2 did not recount
