"""The work-unit (OPD) tree, kept by admins: add, rename, move under another unit, retire."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from lms.audit import record
from lms.extensions import db
from lms.forms import Form
from lms.models import User, WorkUnit
from lms.models.types import utcnow
from lms.permissions import require

bp = Blueprint("admin_units", __name__, url_prefix="/admin/units")


class UnitError(ValueError):
    """A change that would break the tree (a loop, a duplicate code, a missing name)."""


@dataclass
class UnitRow:
    """One unit as the tree page shows it: its depth and how many people it holds."""

    unit: WorkUnit
    depth: int
    people: int
    parent_code: str


def unit_tree() -> list[UnitRow]:
    """Return every unit in tree order (parents before children, by name), in two queries."""
    units = db.session.scalars(select(WorkUnit).order_by(WorkUnit.name)).all()
    people = dict(
        db.session.execute(
            select(User.work_unit_id, func.count()).group_by(User.work_unit_id)
        ).all()
    )
    children: dict[int | None, list[WorkUnit]] = {}
    codes = {u.id: u.code for u in units}
    ids = set(codes)
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        children.setdefault(parent, []).append(unit)
    rows: list[UnitRow] = []
    stack = [(u, 0) for u in reversed(children.get(None, []))]
    while stack:  # iterative: a deep tree cannot exhaust the stack
        unit, depth = stack.pop()
        parent_code = codes.get(unit.parent_id, "")
        rows.append(UnitRow(unit, depth, people.get(unit.id, 0), parent_code))
        stack += [(c, depth + 1) for c in reversed(children.get(unit.id, []))]
    return rows


def save_unit(
    unit: WorkUnit | None, code: str, name: str, parent_code: str, actor_id: int
) -> WorkUnit:
    """Add a unit (unit None) or rename/move one; refuse loops and duplicate codes (committed)."""
    code, name, parent_code = (
        code.strip().lower(),
        name.strip(),
        parent_code.strip().lower(),
    )
    if not code or not name or len(code) > 64 or len(name) > 200:
        raise UnitError(_("Give the unit a code and a name."))
    clash = db.session.scalar(select(WorkUnit).where(WorkUnit.code == code))
    if clash is not None and clash is not unit:
        raise UnitError(_("Another unit has the code %(code)s.", code=code))
    parent = None
    if parent_code:
        parent = db.session.scalar(select(WorkUnit).where(WorkUnit.code == parent_code))
        if parent is None:
            raise UnitError(_("No unit has the code %(code)s.", code=parent_code))
    parent_id = parent.id if parent else None
    # Moving a unit under itself or one of its own sub-units would make a loop.
    ancestor, seen = parent, set()
    while ancestor is not None and ancestor.id not in seen:
        if unit is not None and ancestor.id == unit.id:
            raise UnitError(_("A unit cannot be moved under itself or its sub-units."))
        seen.add(ancestor.id)
        ancestor = ancestor.parent
    if unit is None:
        unit = WorkUnit(code=code, name=name, parent_id=parent_id)
        db.session.add(unit)
        db.session.flush()
        record("unit.added", actor_id, unit, code=code, name=name, parent=parent_id)
    else:
        before = {"code": unit.code, "name": unit.name, "parent": unit.parent_id}
        unit.code, unit.name, unit.parent_id = code, name, parent_id
        record("unit.changed", actor_id, unit, before=before,
               after={"code": code, "name": name, "parent": parent_id})  # fmt: skip
    db.session.commit()
    return unit


def retire_unit(unit: WorkUnit, retired: bool, actor_id: int) -> None:
    """Retire a unit (its people keep it; registration no longer offers it) or bring it back."""
    unit.retired_at = utcnow() if retired else None
    record(
        "unit.retired" if retired else "unit.restored", actor_id, unit, code=unit.code
    )
    db.session.commit()


@bp.get("/")
@login_required
def index():
    """Show the unit tree with a form to add a unit."""
    require("admin.view")
    return render_template("admin/units.html", rows=unit_tree(), form=Form())


@bp.post("/")
@login_required
def add():
    """Add a unit under a parent (or at the top)."""
    _check()
    try:
        unit = save_unit(None, request.form.get("code", ""), request.form.get("name", ""),
                         request.form.get("parent", ""), current_user.id)  # fmt: skip
    except UnitError as error:
        flash(str(error), "error")
    else:
        flash(_("Added %(name)s.", name=unit.name), "success")
    return redirect(url_for("admin_units.index"))


@bp.post("/<int:unit_id>")
@login_required
def change(unit_id: int):
    """Rename a unit or move it under another."""
    unit = _unit(unit_id)
    try:
        save_unit(unit, request.form.get("code", unit.code), request.form.get("name", ""),
                  request.form.get("parent", ""), current_user.id)  # fmt: skip
    except UnitError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(_("Saved %(name)s.", name=unit.name), "success")
    return redirect(url_for("admin_units.index"))


@bp.post("/<int:unit_id>/retire")
@login_required
def retire(unit_id: int):
    """Retire a unit, or restore a retired one."""
    unit = _unit(unit_id)
    retire_unit(unit, request.form.get("retired") == "1", current_user.id)
    flash(_("Saved %(name)s.", name=unit.name), "success")
    return redirect(url_for("admin_units.index"))


def _check() -> None:
    require("admin.view")
    if not Form().validate_on_submit():
        abort(400)


def _unit(unit_id: int) -> WorkUnit:
    _check()
    unit = db.session.get(WorkUnit, unit_id)
    if unit is None:
        abort(404)
    return unit
