"""Activity types are plugins: a package installed with an `lms.activities` entry point just works."""

import sys
import textwrap

import pytest
from sqlalchemy import select

from lms import create_app
from lms.activities.registry import ActivityTypeError, load_activity_types
from lms.extensions import db
from lms.models import Activity, ActivityProgress, Enrollment

PLUGIN = '''
from markupsafe import Markup, escape

from lms.activities.base import ActivityType, ParsedActivity


class LinkType(ActivityType):
    """An external reading: a link the learner opens; opening the page completes it."""

    suffixes = (".link",)
    complete_on_view = True

    def parse_body(self, path, meta, body, first_line):
        url = body.strip()
        return ParsedActivity(title=meta["title"], minutes=meta["minutes"], spec={"url": url})

    def render(self, activity, progress, **context):
        return Markup('<p class="external-link">') + escape(activity.spec["url"]) + Markup("</p>")
'''


def install_package(root, name, entry, source):
    """Install a tiny distribution the way pip would leave it: a module and its dist-info."""
    (root / f"{name}.py").write_text(textwrap.dedent(source))
    info = root / f"{name}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n"
    )
    (info / "entry_points.txt").write_text(f"[lms.activities]\n{entry}\n")


@pytest.fixture
def installed_plugin(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    install_package(site, "kelas_link_type", "link = kelas_link_type:LinkType", PLUGIN)
    monkeypatch.syspath_prepend(str(site))
    yield
    sys.modules.pop("kelas_link_type", None)


def test_builtin_types_come_from_entry_points():
    registry = load_activity_types()
    assert {"lesson", "quiz"} <= set(registry.by_name)
    assert registry.for_filename("01-a.md").name == "lesson"
    assert registry.for_filename("01-a.gift").name == "quiz"


def test_an_installed_type_works_end_to_end(installed_plugin, database_url, course_dir):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        try:
            assert "link" in app.extensions["lms.activities"]
            (course_dir / "contoh-kursus" / "02-praktik" / "02-bacaan.link").write_text(
                "---\ntitle: Bacaan LAPOR!\nminutes: 10\n---\nhttps://www.lapor.go.id\n"
            )
            runner = app.test_cli_runner()
            result = runner.invoke(
                args=["lms", "check-courses", str(course_dir), "--json"]
            )
            assert '"type": "link"' in result.output, result.output
            assert (
                runner.invoke(args=["lms", "import-courses", str(course_dir)]).exit_code
                == 0
            )
            runner.invoke(
                args=[
                    "lms",
                    "create-user",
                    "ani@example.org",
                    "--name",
                    "Ani",
                    "--password",
                    "kata-sandi-panjang",
                ]
            )
            client = app.test_client()
            client.post(
                "/login",
                data={"login": "ani@example.org", "password": "kata-sandi-panjang"},
            )
            client.post("/courses/contoh-kursus/enroll")
            page = client.get("/courses/contoh-kursus/praktik/bacaan/").get_data(
                as_text=True
            )
            assert '<p class="external-link">https://www.lapor.go.id</p>' in page
            link = db.session.scalar(select(Activity).where(Activity.type == "link"))
            row = db.session.scalar(
                select(ActivityProgress).where(ActivityProgress.activity_id == link.id)
            )
            assert row.completed_at is not None  # complete_on_view
            assert db.session.scalar(select(Enrollment)).completed_activities == 1
        finally:
            from tests.conftest import _empty_all_tables

            _empty_all_tables()
            db.engine.dispose()


def test_a_broken_plugin_fails_loudly(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    install_package(
        site, "kelas_broken_type", "broken = kelas_broken_type:Missing", "X = 1\n"
    )
    monkeypatch.syspath_prepend(str(site))
    with pytest.raises(ActivityTypeError, match="broken"):
        load_activity_types()


def test_two_types_claiming_one_suffix_is_an_error(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    source = "from lms.activities.base import ActivityType\nclass Other(ActivityType):\n    suffixes = ('.md',)\n"
    install_package(site, "kelas_other_type", "other = kelas_other_type:Other", source)
    monkeypatch.syspath_prepend(str(site))
    with pytest.raises(ActivityTypeError, match="'.md'"):
        load_activity_types()
