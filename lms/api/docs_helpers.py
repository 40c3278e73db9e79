"""Small helpers that document a view's error answers next to its success answer."""

from __future__ import annotations

import http


def problems_documented(blueprint, *codes: int):
    """Document that the view may answer with these problem statuses."""

    def decorate(view):
        for code in codes:
            view = blueprint.alt_response(code, response=http.HTTPStatus(code).name)(
                view
            )
        return view

    return decorate
