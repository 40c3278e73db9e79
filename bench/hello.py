"""The bare Flask app the HTTP benchmark compares against: one route, no database."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    """Say hello."""
    return "hello"
