"""A Learning Record Store on loopback, and a checker of the xAPI 1.0.3 statement shape."""

from __future__ import annotations

import base64
import json
import re
import uuid
from datetime import datetime

from tests.loopback import JsonHandler, LoopbackServer

UUID = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
    re.IGNORECASE,
)
DURATION = re.compile(r"^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?"
                      r"(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$")  # fmt: skip
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
STATEMENT_KEYS = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored",
                  "authority", "version", "attachments"}  # fmt: skip
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")


def is_iri(value) -> bool:
    """Tell whether `value` is an absolute IRI (a scheme, then something)."""
    return (
        isinstance(value, str)
        and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", value) is not None
    )


def language_map_problems(where: str, value) -> list[str]:
    if not isinstance(value, dict) or not value:
        return [f"{where}: not a language map"]
    return [f"{where}: bad language map entry {k!r}" for k, v in value.items()
            if not LANGUAGE_TAG.match(k) or not isinstance(v, str)]  # fmt: skip


def extensions_problems(where: str, value) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where}: extensions must be an object"]
    return [
        f"{where}: extension key {k!r} is not an IRI" for k in value if not is_iri(k)
    ]


def agent_problems(where: str, agent, group_allowed=True) -> list[str]:
    if not isinstance(agent, dict):
        return [f"{where}: not an object"]
    kind = agent.get("objectType", "Agent")
    ifis = [k for k in IFIS if k in agent]
    problems = []
    if kind == "Group" and group_allowed:
        for i, member in enumerate(agent.get("member", [])):
            problems += agent_problems(
                f"{where}.member[{i}]", member, group_allowed=False
            )
        if not ifis and not agent.get("member"):
            problems.append(f"{where}: anonymous group without members")
    elif kind != "Agent":
        problems.append(f"{where}: objectType {kind!r}")
    elif len(ifis) != 1:
        problems.append(f"{where}: needs exactly one identifier, has {ifis}")
    if len(ifis) > 1:
        problems.append(f"{where}: more than one identifier")
    if "mbox" in agent and not str(agent["mbox"]).startswith("mailto:"):
        problems.append(f"{where}.mbox: not a mailto IRI")
    if "account" in agent:
        account = agent["account"]
        if not is_iri(account.get("homePage")) or not isinstance(
            account.get("name"), str
        ):
            problems.append(f"{where}.account: needs homePage (IRL) and name")
    return problems


def definition_problems(where: str, definition) -> list[str]:
    problems = []
    for key in ("name", "description"):
        if key in definition:
            problems += language_map_problems(f"{where}.{key}", definition[key])
    if "type" in definition and not is_iri(definition["type"]):
        problems.append(f"{where}.type: not an IRI")
    if "moreInfo" in definition and not is_iri(definition["moreInfo"]):
        problems.append(f"{where}.moreInfo: not an IRL")
    if "extensions" in definition:
        problems += extensions_problems(f"{where}.extensions", definition["extensions"])
    return problems


def object_problems(where: str, obj, sub_allowed=True) -> list[str]:
    if not isinstance(obj, dict):
        return [f"{where}: not an object"]
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        problems = [] if is_iri(obj.get("id")) else [f"{where}.id: not an IRI"]
        return problems + definition_problems(
            f"{where}.definition", obj.get("definition", {})
        )
    if kind in ("Agent", "Group"):
        return agent_problems(where, obj)
    if kind == "StatementRef":
        return [] if UUID.match(str(obj.get("id"))) else [f"{where}.id: not a UUID"]
    if kind == "SubStatement" and sub_allowed:
        problems = agent_problems(f"{where}.actor", obj.get("actor"))
        problems += verb_problems(f"{where}.verb", obj.get("verb"))
        return problems + object_problems(f"{where}.object", obj.get("object"), False)
    return [f"{where}: objectType {kind!r}"]


def verb_problems(where: str, verb) -> list[str]:
    if not isinstance(verb, dict) or not is_iri(verb.get("id")):
        return [f"{where}.id: not an IRI"]
    return (
        language_map_problems(f"{where}.display", verb["display"])
        if "display" in verb
        else []
    )


def result_problems(result) -> list[str]:
    problems = []
    score = result.get("score", {})
    if "scaled" in score and not -1 <= score["scaled"] <= 1:
        problems.append("result.score.scaled: outside -1..1")
    low, high = score.get("min"), score.get("max")
    if low is not None and high is not None and not low < high:
        problems.append("result.score: min not below max")
    raw = score.get("raw")
    if raw is not None and (
        (low is not None and raw < low) or (high is not None and raw > high)
    ):
        problems.append("result.score.raw: outside min..max")
    for key in ("success", "completion"):
        if key in result and not isinstance(result[key], bool):
            problems.append(f"result.{key}: not a boolean")
    if "duration" in result and not DURATION.match(result["duration"]):
        problems.append("result.duration: not an ISO 8601 duration")
    if "extensions" in result:
        problems += extensions_problems("result.extensions", result["extensions"])
    return problems


def context_problems(context) -> list[str]:
    problems = []
    if "registration" in context and not UUID.match(context["registration"]):
        problems.append("context.registration: not a UUID")
    for kind, value in context.get("contextActivities", {}).items():
        if kind not in ("parent", "grouping", "category", "other"):
            problems.append(f"context.contextActivities.{kind}: unknown")
        for i, activity in enumerate(value if isinstance(value, list) else [value]):
            problems += object_problems(
                f"context.contextActivities.{kind}[{i}]", activity, False
            )
    if "extensions" in context:
        problems += extensions_problems("context.extensions", context["extensions"])
    return problems


def statement_problems(statement: dict) -> list[str]:
    """Return every way `statement` breaks the xAPI 1.0.3 statement data model (empty: it conforms)."""
    problems = [f"unknown property {k!r}" for k in statement if k not in STATEMENT_KEYS]
    if "id" in statement and not UUID.match(statement["id"]):
        problems.append("id: not a UUID")
    problems += agent_problems("actor", statement.get("actor"))
    problems += verb_problems("verb", statement.get("verb"))
    problems += object_problems("object", statement.get("object"))
    problems += result_problems(statement.get("result", {}))
    problems += context_problems(statement.get("context", {}))
    if "timestamp" in statement:
        try:
            datetime.fromisoformat(statement["timestamp"])
        except ValueError:
            problems.append("timestamp: not ISO 8601")
    return problems


class LoopbackLrs(LoopbackServer):
    """An LRS on 127.0.0.1 that records each statement it accepts; `failing = True` makes it answer 503."""

    def __init__(self, username="lrs-user", password="lrs-secret"):
        self.received: list[dict] = []
        self.requests = 0
        self.failing = False
        self.expected_auth = (
            "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
        )
        lrs = self

        class Handler(JsonHandler):
            def do_POST(self):
                lrs.requests += 1
                body = self.body()
                if lrs.failing:
                    return self._answer(503, {"error": "down for maintenance"})
                if self.headers.get("Authorization") != lrs.expected_auth:
                    return self._answer(401, {"error": "unauthorized"})
                if self.path != "/xapi/statements" or not self.headers.get(
                    "X-Experience-API-Version", ""
                ).startswith("1.0"):
                    return self._answer(400, {"error": "bad request"})
                statement = json.loads(body)
                lrs.received.append(statement)
                self._answer(200, [statement.get("id") or str(uuid.uuid4())])

        super().__init__(Handler)
        self.endpoint = f"{self.base_url}/xapi/"
