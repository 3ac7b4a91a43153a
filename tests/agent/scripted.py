"""A scripted OpenAI-compatible client: queued canned replies, no network."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any


def tool_call(name: str, call_id: str | None = None, **args: Any) -> dict[str, Any]:
    return {"name": name, "args": args, "id": call_id or f"call_{name}"}


class ScriptedClient:
    """``client.chat.completions.create(...)`` returns the next scripted message.

    Each script item is a string (a final answer) or a list of ``tool_call(...)`` dicts.
    Every request is kept in ``requests`` so tests can check what the model was shown.
    """

    def __init__(self, script: list[Any]) -> None:
        self.script = list(script)
        self.requests: list[dict[str, Any]] = []
        self.chat = SimpleNamespace(completions=SimpleNamespace(create=self._create))

    def _create(self, **kwargs: Any) -> Any:
        self.requests.append(kwargs)
        if not self.script:
            raise AssertionError("the scripted model was called more often than scripted")
        item = self.script.pop(0)
        if isinstance(item, str):
            message = SimpleNamespace(content=item, tool_calls=None)
        else:
            message = SimpleNamespace(
                content=None,
                tool_calls=[
                    SimpleNamespace(
                        id=c["id"],
                        type="function",
                        function=SimpleNamespace(name=c["name"], arguments=json.dumps(c["args"])),
                    )
                    for c in item
                ],
            )
        return SimpleNamespace(choices=[SimpleNamespace(message=message, finish_reason="stop")])
