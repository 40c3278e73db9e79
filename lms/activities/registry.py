"""Loading activity types from the `lms.activities` entry-point group onto the app."""

from __future__ import annotations

from importlib.metadata import entry_points

from flask import Flask, current_app

from lms.activities.base import ActivityType

GROUP = "lms.activities"


class ActivityTypeError(RuntimeError):
    """An activity type could not be loaded or clashes with another."""


class ActivityRegistry:
    """The activity types one app knows, by name and by file suffix."""

    def __init__(self, types: dict[str, ActivityType]):
        self.by_name = dict(types)
        self.by_suffix: dict[str, ActivityType] = {}
        for activity_type in types.values():
            for suffix in activity_type.suffixes:
                other = self.by_suffix.get(suffix)
                if other is not None:
                    raise ActivityTypeError(
                        f"activity types {other.name!r} and {activity_type.name!r} "
                        f"both read '{suffix}' files"
                    )
                self.by_suffix[suffix] = activity_type

    def __getitem__(self, name: str) -> ActivityType:
        return self.by_name[name]

    def __contains__(self, name: str) -> bool:
        return name in self.by_name

    def for_filename(self, filename: str) -> ActivityType | None:
        """Return the type that reads `filename`, or None."""
        for suffix, activity_type in self.by_suffix.items():
            if filename.endswith(suffix):
                return activity_type
        return None


def load_activity_types() -> ActivityRegistry:
    """Load every installed activity type; a type that fails to load is an error, not a skip."""
    types: dict[str, ActivityType] = {}
    for entry in entry_points(group=GROUP):
        if entry.name in types:
            continue  # the same distribution seen twice on sys.path
        try:
            cls = entry.load()
        except Exception as exc:
            raise ActivityTypeError(
                f"activity type {entry.name!r} ({entry.value}): {exc}"
            ) from exc
        if not (isinstance(cls, type) and issubclass(cls, ActivityType)):
            raise ActivityTypeError(
                f"activity type {entry.name!r} ({entry.value}) is not an ActivityType subclass"
            )
        instance = cls()
        instance.name = entry.name
        types[entry.name] = instance
    if not types:
        raise ActivityTypeError(
            "no activity types are installed: install the package (pip install -e .) "
            "so its entry points exist"
        )
    return ActivityRegistry(types)


def init_app(app: Flask) -> None:
    """Put the activity registry on the app."""
    app.extensions["lms.activities"] = load_activity_types()
    app.jinja_env.globals["activity_type_label"] = activity_type_label
    app.jinja_env.globals["activity_type_labels"] = activity_type_labels


def activity_types() -> ActivityRegistry:
    """Return the current app's activity registry."""
    return current_app.extensions["lms.activities"]


def activity_type_label(name: str) -> str:
    """Return what people call an activity type, in the interface language."""
    activity_type = activity_types().by_name.get(name)
    return str(activity_type.label or name) if activity_type else name


def activity_type_labels() -> dict[str, str]:
    """Return every type's label by its name, translated once (for a list of many activities)."""
    return {
        name: str(kind.label or name) for name, kind in activity_types().by_name.items()
    }
