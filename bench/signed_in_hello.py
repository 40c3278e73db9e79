"""Kelas ASN plus one route that needs sign-in and does nothing else: the floor of a signed-in page.

`bench/http_pages.py` runs it beside the app to show what the session, Flask-Login's user load and
the response hooks cost before a page does any work of its own.
"""

from flask_login import login_required

from lms import create_app

app = create_app()


@login_required
def signed_in_hello() -> str:
    """Say hello to a signed-in user."""
    return "hello"


app.add_url_rule("/bench/signed-in-hello", "bench_signed_in_hello", signed_in_hello)
