"""Kelas ASN: a learning platform for Indonesia's civil servants."""

from __future__ import annotations

import os

from flask import Flask


def render_migration_item(type_, obj, autogen_context):
    """Write our column types into migrations as plain SQLAlchemy types."""
    from lms.models.types import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the app: every extension and blueprint is named here."""
    # Each app node of a cluster has its own instance folder (scripts/cluster).
    instance = os.environ.get("LMS_INSTANCE_PATH") or None
    app = Flask(__name__, instance_path=instance, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)

    from lms.config import load_config

    app.config.from_mapping(load_config(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)

    from lms import i18n
    from lms.extensions import cache, csrf, db, login_manager, migrate

    db.init_app(app)
    migrations = os.path.join(os.path.dirname(app.root_path), "migrations")
    migrate.init_app(
        app,
        db,
        directory=migrations,
        render_as_batch=True,
        compare_type=True,
        render_item=render_migration_item,
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    cache.init_app(app)  # Redis when LMS_CACHE_URL is set, else in-process
    i18n.init_app(app)

    from lms import navigation, static_files

    static_files.init_app(app)
    navigation.init_app(app)

    from lms import compression, database, input_checks, security
    from lms.activities import registry

    database.init_app(app)
    security.init_app(app)
    input_checks.init_app(app)
    registry.init_app(app)
    compression.init_app(app)

    from lms import api, cli, discussions, errors, outbox
    from lms.admin import outboxes as admin_outboxes
    from lms.admin import units as admin_units
    from lms.admin import views as admin_views
    from lms.assessment import views as assessment_views
    from lms.assignments import views as assignment_views
    from lms.auth import account as account_views
    from lms.auth import views as auth_views
    from lms.authoring import commands as authoring_commands
    from lms.authoring import views as authoring_views
    from lms.certificates import settings as certificate_settings
    from lms.certificates import views as certificate_views
    from lms.cohorts import manage as cohort_admin_views
    from lms.cohorts import views as cohort_views
    from lms.discussions import forum_views
    from lms.discussions import moderation_views as discussion_moderation_views
    from lms.discussions import views as discussion_views
    from lms.gain import views as gain_views
    from lms.health import views as health_views
    from lms.jobs import worker
    from lms.learn import calendar as calendar_views
    from lms.learn import views as learn_views
    from lms.ledger import views as ledger_views
    from lms.lti import commands as lti_commands
    from lms.lti import link_views as lti_link_views
    from lms.lti import views as lti_views
    from lms.offline import views as offline_views
    from lms.surveys import views as survey_views
    from lms.teaching import views as teaching_views
    from lms.xapi import commands as xapi_commands
    from lms.xapi import views as xapi_views

    app.register_blueprint(auth_views.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(admin_views.bp)
    app.register_blueprint(outbox.bp)
    app.register_blueprint(admin_units.bp)
    app.register_blueprint(admin_outboxes.bp)
    app.register_blueprint(learn_views.bp)
    app.register_blueprint(calendar_views.bp)
    app.register_blueprint(health_views.bp)
    app.register_blueprint(assessment_views.bp)
    app.register_blueprint(assignment_views.bp)
    app.register_blueprint(teaching_views.bp)
    app.register_blueprint(authoring_views.bp)
    app.register_blueprint(certificate_views.bp)
    app.register_blueprint(certificate_settings.bp)
    app.register_blueprint(cohort_views.bp)
    app.register_blueprint(cohort_admin_views.bp)
    app.register_blueprint(ledger_views.bp)
    app.register_blueprint(xapi_views.bp)
    app.register_blueprint(lti_views.bp)
    app.register_blueprint(lti_link_views.bp)
    app.register_blueprint(discussion_views.bp)
    app.register_blueprint(discussion_moderation_views.bp)
    app.register_blueprint(forum_views.bp)
    app.register_blueprint(survey_views.bp)
    app.register_blueprint(gain_views.bp)
    app.register_blueprint(offline_views.bp)
    auth_views.init_app(app)
    assessment_views.init_app(app)
    offline_views.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    api.init_app(app)  # /api/v1, its docs, the token pages and `lms create-token`
    xapi_commands.init_app(app)
    lti_commands.init_app(app)
    authoring_commands.init_app(app)  # `lms export-quiz`, `lms import-moodle-xml`
    worker.init_app(app)  # `lms worker`: every background duty
    discussions.init_app(app)  # its settings and `lms send-digests`
    return app
