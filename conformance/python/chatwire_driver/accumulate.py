"""A stream's chunks added up into the completion the same request gets without `stream`, by the
rules the chatwire SDKs' accumulator follows (packages/core/src/streaming/accumulate.ts):

- per choice, by `index`: the role a delta named (else `assistant`); `content`, `refusal` and
  `reasoning_content` joined (content null when no piece came, and null rather than "" for a
  choice that calls tools); Prediction Guard's `generated_text` when no content piece came;
  tool-call pieces grouped by their `index` (id, type and name from the first piece that has
  them, arguments joined); the last non-null `finish_reason`; the object form of `logprobs`
  joined, null when every chunk said null, left out for Prediction Guard's per-token number;
- over the stream: id, model and created from the first chunk that has them, the last non-null
  `usage` (null when only nulls came), `system_fingerprint`, and OctoAI's `prompt_logprobs` (the
  log probability of every prompt token, answering `loglikelihood: true`) from the chunk that
  carries them (null when only nulls came).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence


class NotAssemblable(ValueError):
    """The chunks have no chunk's shape, so they add up to no completion."""


def _is_index(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _ToolCall:
    def __init__(self) -> None:
        self.id: Optional[str] = None
        self.type: Optional[str] = None
        self.name: Optional[str] = None
        self.arguments: List[str] = []


class _Choice:
    def __init__(self) -> None:
        self.role: Optional[str] = None
        self.content: Optional[List[str]] = None
        self.refusal: Optional[List[str]] = None
        self.reasoning: Optional[List[str]] = None
        self.generated_text: Optional[str] = None
        self.tool_calls: Dict[int, _ToolCall] = {}
        self.finish_reason: Any = None
        # None: no chunk had the key; "null": only nulls came; "object": the object form came.
        self.logprobs: Optional[str] = None
        # Prediction Guard's shape, where a null logprobs is a token without a number.
        self.numeric_logprobs = False
        self.logprob_content: Any = _ABSENT
        self.logprob_refusal: Any = _ABSENT


class _Absent:
    def __repr__(self) -> str:
        return "absent"


_ABSENT = _Absent()


def _joined(pieces: Optional[List[str]], piece: Any) -> Optional[List[str]]:
    if not isinstance(piece, str):
        return pieces
    if pieces is None:
        pieces = []
    pieces.append(piece)
    return pieces


def _joined_logprobs(entries: Any, more: Any) -> Any:
    if more is _ABSENT:
        return entries
    if not isinstance(more, list):
        return None if entries is _ABSENT else entries
    if entries is _ABSENT or entries is None:
        entries = []
    entries.extend(more)
    return entries


def accumulate(chunks: Sequence[Any]) -> Dict[str, Any]:
    """The completion `chunks` add up to; raises NotAssemblable when they cannot."""
    if not chunks:
        raise NotAssemblable("the stream carried no chunk, so there is no completion to assemble")
    identity: Dict[str, Any] = {}
    usage: Any = _ABSENT
    fingerprint: Any = _ABSENT
    prompt_logprobs: Any = _ABSENT
    choices: Dict[int, _Choice] = {}
    for position, chunk in enumerate(chunks, start=1):
        if not isinstance(chunk, dict):
            raise NotAssemblable("chunk %d is not an object" % position)
        for key in ("id", "model", "created"):
            if not identity.get(key):
                identity[key] = chunk.get(key)
        if "system_fingerprint" in chunk and (fingerprint is _ABSENT or not fingerprint):
            fingerprint = chunk["system_fingerprint"]
        if "usage" in chunk and (chunk["usage"] is not None or usage is _ABSENT):
            usage = chunk["usage"]
        # On the first chunk only, once for all choices; a later null does not take it back.
        if "prompt_logprobs" in chunk and (prompt_logprobs is _ABSENT or prompt_logprobs is None):
            prompt_logprobs = chunk["prompt_logprobs"]
        parts = chunk.get("choices")
        if not isinstance(parts, list):
            raise NotAssemblable("chunk %d has no `choices` array" % position)
        for part in parts:
            index = part.get("index") if isinstance(part, dict) else None
            if not _is_index(index):
                raise NotAssemblable("chunk %d has a choice without an integer index" % position)
            _add(choices.setdefault(index, _Choice()), part, position)
    completion: Dict[str, Any] = {
        "id": identity.get("id") if identity.get("id") is not None else "",
        "object": "chat.completion",
        "created": identity.get("created") if identity.get("created") is not None else 0,
        "model": identity.get("model") if identity.get("model") is not None else "",
        "choices": [_choice_of(index, choices[index]) for index in sorted(choices)],
    }
    if usage is not _ABSENT:
        completion["usage"] = usage
    if fingerprint is not _ABSENT:
        completion["system_fingerprint"] = fingerprint
    if prompt_logprobs is not _ABSENT:
        completion["prompt_logprobs"] = prompt_logprobs
    return completion


def _add(state: _Choice, part: Dict[str, Any], position: int) -> None:
    delta = part.get("delta") if isinstance(part.get("delta"), dict) else {}
    if isinstance(delta.get("role"), str):
        state.role = delta["role"]
    state.content = _joined(state.content, delta.get("content"))
    state.refusal = _joined(state.refusal, delta.get("refusal"))
    state.reasoning = _joined(state.reasoning, delta.get("reasoning_content"))
    tool_calls = delta.get("tool_calls")
    if isinstance(tool_calls, list):
        for piece in tool_calls:
            index = piece.get("index") if isinstance(piece, dict) else None
            if not _is_index(index):
                raise NotAssemblable(
                    "chunk %d has a tool call piece without an integer index" % position
                )
            call = state.tool_calls.setdefault(index, _ToolCall())
            # Providers that repeat the id or name on later pieces repeat it unchanged: keep the first.
            if not call.id and isinstance(piece.get("id"), str):
                call.id = piece["id"]
            if call.type is None and isinstance(piece.get("type"), str):
                call.type = piece["type"]
            function = piece.get("function") if isinstance(piece.get("function"), dict) else {}
            if not call.name and isinstance(function.get("name"), str):
                call.name = function["name"]
            if isinstance(function.get("arguments"), str):
                call.arguments.append(function["arguments"])
    if part.get("finish_reason") is not None:
        state.finish_reason = part["finish_reason"]
    if "logprobs" in part:
        logprobs = part["logprobs"]
        if logprobs is None:
            if state.logprobs is None:
                state.logprobs = "null"
        elif _is_number(logprobs):
            state.numeric_logprobs = True
        elif isinstance(logprobs, dict):
            state.logprobs = "object"
            state.logprob_content = _joined_logprobs(
                state.logprob_content, logprobs.get("content", _ABSENT)
            )
            state.logprob_refusal = _joined_logprobs(
                state.logprob_refusal, logprobs.get("refusal", _ABSENT)
            )
    if "generated_text" in part:
        state.numeric_logprobs = True
        if isinstance(part["generated_text"], str):
            state.generated_text = part["generated_text"]


def _choice_of(index: int, state: _Choice) -> Dict[str, Any]:
    calls = [state.tool_calls[key] for key in sorted(state.tool_calls)]
    content: Optional[str] = "".join(state.content) if state.content is not None else None
    # Servers that open a tool-call answer with `content: ""` answer null unstreamed.
    if content == "" and calls:
        content = None
    if content is None and state.generated_text is not None:
        content = state.generated_text
    message: Dict[str, Any] = {
        "role": state.role if state.role is not None else "assistant",
        "content": content,
    }
    if state.refusal is not None:
        message["refusal"] = "".join(state.refusal)
    if state.reasoning is not None:
        message["reasoning_content"] = "".join(state.reasoning)
    if calls:
        message["tool_calls"] = [
            {
                "id": call.id or "",
                "type": call.type if call.type is not None else "function",
                "function": {"name": call.name or "", "arguments": "".join(call.arguments)},
            }
            for call in calls
        ]
    choice: Dict[str, Any] = {
        "index": index,
        "message": message,
        "finish_reason": state.finish_reason,
    }
    if state.logprobs == "null" and not state.numeric_logprobs:
        choice["logprobs"] = None
    elif state.logprobs == "object":
        logprobs: Dict[str, Any] = {}
        if state.logprob_content is not _ABSENT:
            logprobs["content"] = state.logprob_content
        if state.logprob_refusal is not _ABSENT:
            logprobs["refusal"] = state.logprob_refusal
        choice["logprobs"] = logprobs
    return choice
