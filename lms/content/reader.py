"""Step one of an import: read course folders into plain data (no database, every error collected)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l

from lms.activities.base import ParsedActivity
from lms.activities.registry import ActivityRegistry
from lms.content.errors import ContentError, ContentProblem
from lms.content.frontmatter import FieldSpec, split_front_matter, validate_meta
from lms.content.image_sizes import image_size, known_images
from lms.content.limits import check_byte_count, reported_in
from lms.content.render import render_markdown

#: A course folder may hold its images here; they are imported as course images (by content hash).
IMAGES_FOLDER = "images"
MAX_IMAGE_BYTES = 10 * 1024 * 1024
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PREFIXED_RE = re.compile(r"^(\d+)-(.+)$")

COURSE_FIELDS = {
    "title": FieldSpec(str, required=True),
    "summary": FieldSpec(str, required=True),
    "jp": FieldSpec(int, required=True, minimum=0),
    "audience": FieldSpec(str, default=""),
    "language": FieldSpec(str, default="id", choices=("id", "en")),
    "category": FieldSpec(str, default=""),
    "cohort": FieldSpec(bool, default=False),
    "objectives": FieldSpec(list, default=list),
}
MODULE_FIELDS = {
    "title": FieldSpec(str, required=True),
    "summary": FieldSpec(str, default=""),
}


@dataclass
class ActivityData:
    """One activity file, read and rendered."""

    key: str
    type: str
    source_path: str
    content_hash: str
    parsed: ParsedActivity
    #: The file's full text, kept so the course can be exported and edited as written.
    source: str = ""


@dataclass
class ModuleData:
    """One module folder with its activities in order."""

    key: str
    title: str
    summary: str
    intro_html: str
    activities: list[ActivityData] = field(default_factory=list)
    source: str = ""


@dataclass
class ImageFile:
    """An image in the course folder's `images/`, imported as a course image."""

    name: str
    data: bytes
    #: As its content says (png, jpg, gif or webp): the suffix of its name once imported.
    extension: str = ""

    @property
    def sha256(self) -> str:
        """Return the hash that names the image once imported."""
        return hashlib.sha256(self.data).hexdigest()

    @property
    def stored_name(self) -> str:
        """Return the name the image is served under once imported."""
        return f"{self.sha256}.{self.extension}"


@dataclass
class CourseData:
    """One course folder, read whole."""

    slug: str
    meta: dict[str, Any]
    description_html: str
    modules: list[ModuleData] = field(default_factory=list)
    source: str = ""
    images: list[ImageFile] = field(default_factory=list)

    @property
    def activities(self) -> list[ActivityData]:
        """Return every activity of the course in order."""
        return [a for m in self.modules for a in m.activities]


def read_courses(path: Path, registry: ActivityRegistry) -> list[CourseData]:
    """Read one course folder, or a folder of course folders; raise ContentError listing every problem."""
    path = Path(path)
    if not path.is_dir():
        raise ContentError(str(path), None, _l("not a folder"))
    if (path / "course.md").exists():
        folders = [path]
    else:
        folders = sorted(
            p
            for p in path.iterdir()
            if p.is_dir() and not p.name.startswith((".", "_"))
        )
    problems: list[ContentProblem] = []
    courses = []
    for folder in folders:
        if _linked(folder, problems):
            continue
        try:
            courses.append(read_course(folder, registry))
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    return courses


def read_course(folder: Path, registry: ActivityRegistry) -> CourseData:
    """Read one course folder."""
    problems: list[ContentProblem] = []
    slug = folder.name
    if not SLUG_RE.match(slug):
        problems.append(
            ContentProblem(
                str(folder),
                None,
                _l("course folder name must be lower-case letters, digits and hyphens"),
            )
        )
    course_file = folder / "course.md"
    if not course_file.exists():
        raise ContentError(str(folder), None, _l("not a course: course.md is missing"))
    if _linked(course_file, problems):
        raise ContentError(problems)
    images_folder = folder / IMAGES_FOLDER
    images = (
        _read_images(images_folder, problems)
        if images_folder.is_dir() and not _linked(images_folder, problems)
        else []
    )
    with known_images(_folder_image_sizes(slug, images)):
        return _read_course_files(folder, slug, images, registry, problems)


def _folder_image_sizes(slug: str, images: list[ImageFile]):
    """Return the lookup of the sizes of the course folder's images, by the URL lessons use."""
    sizes = {
        f"/courses/{slug}/images/{i.stored_name}": image_size(i.data) for i in images
    }
    return sizes.get


def _read_course_files(
    folder: Path, slug: str, images: list[ImageFile], registry, problems: list
) -> CourseData:
    """Read course.md and the module folders (the images are read already)."""
    course_file = folder / "course.md"
    meta, description, first_line = _read_meta(course_file, COURSE_FIELDS, problems)
    course = CourseData(
        slug=slug,
        meta=meta or {},
        description_html=_render(course_file, description, first_line, problems),
        source=course_file.read_text(encoding="utf-8") if meta is not None else "",
        images=images,
    )
    seen_modules: dict[str, str] = {}
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(".") or entry.name == "course.md":
            continue
        if entry.name == IMAGES_FOLDER and entry.is_dir():
            continue  # read already
        if _linked(entry, problems):
            continue
        match = PREFIXED_RE.match(entry.name)
        if not entry.is_dir() or not match or not SLUG_RE.match(match.group(2)):
            problems.append(
                ContentProblem(
                    str(entry),
                    None,
                    _l("expected a module folder named like '01-module-key'"),
                )
            )
            continue
        key = match.group(2)
        if key in seen_modules:
            problems.append(
                ContentProblem(
                    str(entry),
                    None,
                    _l(
                        "module key '%(key)s' is also used by %(other)s",
                        key=key,
                        other=seen_modules[key],
                    ),
                )
            )
            continue
        seen_modules[key] = entry.name
        module = _read_module(entry, key, registry, problems)
        if module is not None:
            course.modules.append(module)
    problems.extend(_repeated_test_roles(course))
    if not course.modules and not problems:
        problems.append(
            ContentProblem(
                str(folder), None, _l("a course needs at least one module folder")
            )
        )
    if problems:
        raise ContentError(problems)
    return course


def _repeated_test_roles(course: CourseData) -> list[ContentProblem]:
    """Refuse a second pretest or posttest in one course (learning gain pairs one of each)."""
    seen: dict[str, str] = {}
    problems = []
    for activity in course.activities:
        role = (
            activity.parsed.spec.get("settings", {}).get("role")
            if activity.type == "quiz"
            else None
        )
        if role in seen:
            problems.append(ContentProblem(activity.source_path, 1, f"a course has one {role}; {seen[role]} is one already"))  # fmt: skip
        elif role:
            seen[role] = activity.source_path
    return problems


def _read_images(folder: Path, problems: list[ContentProblem]) -> list[ImageFile]:
    """Read the course's images; anything that is not a PNG, JPEG, GIF or WebP image is an error."""
    from lms.files import sniff

    images = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(".") or _linked(entry, problems):
            continue
        data = entry.read_bytes() if entry.is_file() else b""
        kind = sniff(data)
        if kind is None or kind.extension not in ("png", "jpg", "gif", "webp"):
            problems.append(
                ContentProblem(
                    str(entry), None, _l("not an image (PNG, JPEG, GIF or WebP)")
                )
            )
        elif len(data) > MAX_IMAGE_BYTES:
            problems.append(
                ContentProblem(
                    str(entry),
                    None,
                    _l("larger than %(n)s MB", n=MAX_IMAGE_BYTES // 1024 // 1024),
                )
            )
        else:
            images.append(ImageFile(entry.name, data, kind.extension))
    return images


def _read_meta(
    path: Path, fields: dict, problems: list[ContentProblem]
) -> tuple[dict | None, str, int]:
    """Read a course or module file: (front matter or None, body, file line of the body)."""
    try:
        with reported_in(str(path)):
            check_byte_count(path.stat().st_size)
        text = path.read_text(encoding="utf-8")
        meta, body, first_line = split_front_matter(text, str(path))
        return validate_meta(meta, fields, str(path), text), body, first_line
    except ContentError as exc:
        problems.extend(exc.problems)
        return None, "", 1


def _render(path: Path, body: str, first_line: int, problems: list) -> str:
    """Render a course or module file's Markdown body; a limit passed is one more problem."""
    try:
        with reported_in(str(path), first_line):
            return render_markdown(body)
    except ContentError as exc:
        problems.extend(exc.problems)
        return ""


def _read_module(
    folder: Path, key: str, registry: ActivityRegistry, problems: list
) -> ModuleData | None:
    module_file = folder / "module.md"
    if not module_file.exists():
        problems.append(
            ContentProblem(
                str(folder),
                None,
                _l("module.md is missing (it holds the module's title)"),
            )
        )
        return None
    if _linked(module_file, problems):
        return None
    meta, intro, first_line = _read_meta(module_file, MODULE_FIELDS, problems)
    module = ModuleData(
        key=key,
        title=(meta or {}).get("title", ""),
        summary=(meta or {}).get("summary", ""),
        intro_html=_render(module_file, intro, first_line, problems),
        source=module_file.read_text(encoding="utf-8") if meta is not None else "",
    )
    seen: dict[str, str] = {}
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(".") or entry.name == "module.md":
            continue
        if _linked(entry, problems):
            continue
        activity_type = registry.for_filename(entry.name) if entry.is_file() else None
        stem = (
            entry.name[: -len(_suffix(entry.name, activity_type))]
            if activity_type
            else ""
        )
        match = PREFIXED_RE.match(stem)
        if activity_type is None or not match or not SLUG_RE.match(match.group(2)):
            suffixes = ", ".join(sorted(registry.by_suffix))
            problems.append(
                ContentProblem(
                    str(entry),
                    None,
                    _l(
                        "expected an activity file named like '01-key' with one of: %(s)s",
                        s=suffixes,
                    ),
                )
            )
            continue
        activity_key = f"{key}/{match.group(2)}"
        if activity_key in seen:
            problems.append(
                ContentProblem(
                    str(entry),
                    None,
                    _l(
                        "activity key '%(key)s' is also used by %(other)s",
                        key=activity_key,
                        other=seen[activity_key],
                    ),
                )
            )
            continue
        seen[activity_key] = entry.name
        try:
            with reported_in(str(entry)):
                check_byte_count(entry.stat().st_size)
            text = entry.read_text(encoding="utf-8")
            parsed = activity_type.parse(str(entry), text)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        digest = hashlib.sha256(f"{activity_type.name}\0{text}".encode()).hexdigest()
        module.activities.append(
            ActivityData(
                activity_key, activity_type.name, str(entry), digest, parsed, text
            )
        )
    return module


def _linked(path: Path, problems: list[ContentProblem]) -> bool:
    """Refuse a symbolic link: a course is its folder's own files, never a file from elsewhere."""
    if not path.is_symlink():
        return False
    problems.append(
        ContentProblem(
            str(path),
            None,
            _l(
                "is a symbolic link; course files must be real files inside the course folder"
            ),
        )
    )
    return True


def _suffix(filename: str, activity_type) -> str:
    return next(s for s in activity_type.suffixes if filename.endswith(s))
