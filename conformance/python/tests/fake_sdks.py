"""Stand-ins for the providers' Python SDKs, of the same shape as the real ones where the
adapters touch them: constructors and method signatures, return types (dicts, pydantic-style
models, generators, stream objects) and exception classes with the real names and hierarchy.
Each records how it was called and does what the test scripts (`Script`)."""

from __future__ import annotations

import contextlib
import importlib
import sys
import types
from typing import Any, Dict, Iterator, List, Optional


class Script:
    """What the stand-in SDK does on its next call, and what it was called with."""

    def __init__(self) -> None:
        self.client_options: List[Dict[str, Any]] = []
        self.calls: List[Dict[str, Any]] = []
        self.returns: Any = None
        self.items: List[Any] = []
        self.raise_after_items: Optional[BaseException] = None
        self.raise_on_call: Optional[BaseException] = None
        self.raise_on_client: Optional[BaseException] = None

    def call(self, name: str, kwargs: Dict[str, Any]) -> None:
        self.calls.append({"method": name, **kwargs})
        if self.raise_on_call is not None:
            raise self.raise_on_call

    def iterate(self) -> Iterator[Any]:
        for item in self.items:
            yield item
        if self.raise_after_items is not None:
            raise self.raise_after_items


# requests' exception hierarchy (requests/exceptions.py), for Prediction Guard's SDK.
class RequestException(IOError):
    def __init__(self, *args: Any, response: Any = None) -> None:
        super().__init__(*args)
        self.response = response


class HTTPError(RequestException):
    pass


class ConnectionError(RequestException):  # noqa: A001 - the name requests uses
    pass


class ChunkedEncodingError(RequestException):
    pass


class Timeout(RequestException):
    pass


class ReadTimeout(Timeout):
    pass


class HTTPResponse:
    def __init__(self, status_code: int, headers: Optional[Dict[str, str]] = None) -> None:
        self.status_code = status_code
        self.headers = headers or {}


def _predictionguard(script: Script) -> Dict[str, types.ModuleType]:
    module = types.ModuleType("predictionguard")
    module.__version__ = "2.11.0"

    class ChatCompletions:
        def create(
            self,
            model,
            messages,
            input=None,
            output=None,
            frequency_penalty=None,
            logit_bias=None,
            max_completion_tokens=100,
            max_tokens=None,
            parallel_tool_calls=None,
            presence_penalty=None,
            reasoning_effort=None,
            stop=None,
            stream=False,
            stream_options=None,
            temperature=1.0,
            tool_choice=None,
            tools=None,
            top_p=0.99,
            top_k=50,
        ):
            arguments = dict(locals())
            arguments.pop("self")
            script.call("chat.completions.create", arguments)
            if stream:
                return script.iterate()  # a generator, as the SDK's stream_generator
            return script.returns

    class PredictionGuard:
        def __init__(self, api_key=None, url=None, timeout=None):
            script.client_options.append({"api_key": api_key, "url": url, "timeout": timeout})
            if script.raise_on_client is not None:
                raise script.raise_on_client
            self.chat = types.SimpleNamespace(completions=ChatCompletions())

    module.PredictionGuard = PredictionGuard
    return {"predictionguard": module}


# Stainless's generated exceptions (gradient/_exceptions.py).
class GradientError(Exception):
    pass


class APIError(GradientError):
    def __init__(self, message, request=None, *, body=None):
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body


class APIStatusError(APIError):
    def __init__(self, message, *, response, body):
        super().__init__(message, None, body=body)
        self.response = response
        self.status_code = response.status_code


class RateLimitError(APIStatusError):
    pass


class NotFoundError(APIStatusError):
    pass


class APIConnectionError(APIError):
    def __init__(self, *, message="Connection error.", request=None):
        super().__init__(message, request, body=None)


class APITimeoutError(APIConnectionError):
    def __init__(self, request=None):
        super().__init__(message="Request timed out.", request=request)


# httpx's transport errors, which a Stainless stream lets through unwrapped.
class TransportError(Exception):
    pass


class ProtocolError(TransportError):
    pass


class RemoteProtocolError(ProtocolError):
    pass


class StainlessModel:
    """A Stainless BaseModel: attributes, and `to_dict()` with the wire names of the set fields."""

    def __init__(self, fields: Dict[str, Any]) -> None:
        self._fields = fields
        for key, value in fields.items():
            setattr(self, key, value)

    def to_dict(self, *, mode="python", use_api_names=True, exclude_unset=True):
        return dict(self._fields)


class StainlessStream:
    def __init__(self, script: Script) -> None:
        self._iterator = script.iterate()
        self.closed = False
        script.stream = self

    def __iter__(self):
        return self._iterator

    def close(self):
        self.closed = True


def _gradient(script: Script) -> Dict[str, types.ModuleType]:
    module = types.ModuleType("gradient")
    module.__version__ = "3.10.1"
    module.APIError = APIError
    module.RateLimitError = RateLimitError

    class Completions:
        def create(
            self,
            *,
            messages,
            model,
            frequency_penalty=None,
            logit_bias=None,
            logprobs=None,
            max_completion_tokens=None,
            max_tokens=None,
            metadata=None,
            n=None,
            presence_penalty=None,
            stop=None,
            stream=None,
            stream_options=None,
            temperature=None,
            tool_choice=None,
            tools=None,
            top_logprobs=None,
            top_p=None,
            user=None,
            extra_headers=None,
            extra_query=None,
            extra_body=None,
            timeout=None,
        ):
            arguments = {key: value for key, value in dict(locals()).items() if key != "self" and value is not None}
            script.call("chat.completions.create", arguments)
            if stream:
                return StainlessStream(script)
            return script.returns

    class Gradient:
        def __init__(
            self,
            *,
            access_token=None,
            model_access_key=None,
            agent_access_key=None,
            agent_endpoint=None,
            inference_endpoint=None,
            kbass_endpoint=None,
            base_url=None,
            timeout=None,
            max_retries=2,
            default_headers=None,
            default_query=None,
            http_client=None,
        ):
            script.client_options.append(
                {
                    "model_access_key": model_access_key,
                    "inference_endpoint": inference_endpoint,
                    "base_url": base_url,
                    "timeout": timeout,
                    "max_retries": max_retries,
                }
            )
            self.chat = types.SimpleNamespace(completions=Completions())

        def _parse_retry_after_header(self, response_headers=None):
            value = (response_headers or {}).get("retry-after")
            try:
                return float(value)
            except (TypeError, ValueError):
                return None

    module.Gradient = Gradient
    return {"gradient": module}


# Fern's generated client (octoai 1.x): octoai.core.api_error.ApiError, pydantic-style models.
class ApiError(Exception):
    def __init__(self, *, status_code=None, body=None):
        self.status_code = status_code
        self.body = body

    def __str__(self):
        return "status_code: %s, body: %s" % (self.status_code, self.body)


class FernModel:
    def __init__(self, fields: Dict[str, Any]) -> None:
        self._fields = fields

    def dict(self, **kwargs):
        return dict(self._fields)


class OctoAIEnvironment:
    def __init__(self, *, text_gen, image_gen):
        self.text_gen = text_gen
        self.image_gen = image_gen


OctoAIEnvironment.DEFAULT = OctoAIEnvironment(text_gen="https://text.octoai.run", image_gen="https://image.octoai.run")


def _octoai(script: Script, takes_base_url: bool) -> Dict[str, types.ModuleType]:
    package = types.ModuleType("octoai")
    package.__path__ = []
    package.__version__ = "1.11.0"

    class TextGen:
        def create_chat_completion(
            self,
            *,
            messages,
            model,
            frequency_penalty=None,
            ignore_eos=None,
            logit_bias=None,
            loglikelihood=None,
            logprobs=None,
            max_tokens=None,
            n=None,
            presence_penalty=None,
            repetition_penalty=None,
            response_format=None,
            stop=None,
            stream=None,
            temperature=None,
            top_logprobs=None,
            top_p=None,
            request_options=None,
        ):
            arguments = {key: value for key, value in dict(locals()).items() if key != "self" and value is not None}
            script.call("text_gen.create_chat_completion", arguments)
            return script.returns

        def create_chat_completion_stream(
            self,
            *,
            messages,
            model,
            frequency_penalty=None,
            logit_bias=None,
            logprobs=None,
            max_tokens=None,
            n=None,
            presence_penalty=None,
            response_format=None,
            stop=None,
            temperature=None,
            top_logprobs=None,
            top_p=None,
            request_options=None,
        ):
            arguments = {key: value for key, value in dict(locals()).items() if key != "self" and value is not None}
            script.call("text_gen.create_chat_completion_stream", arguments)
            return script.iterate()

    if takes_base_url:

        class OctoAI:
            def __init__(self, *, api_key=None, base_url=None, timeout=60, httpx_client=None):
                script.client_options.append({"api_key": api_key, "base_url": base_url, "timeout": timeout})
                self.text_gen = TextGen()

    else:

        class OctoAI:  # type: ignore[no-redef]
            def __init__(self, *, api_key=None, environment=OctoAIEnvironment.DEFAULT, timeout=60, httpx_client=None):
                script.client_options.append({"api_key": api_key, "environment": environment, "timeout": timeout})
                self.text_gen = TextGen()

    client = types.ModuleType("octoai.client")
    client.OctoAI = OctoAI
    environment = types.ModuleType("octoai.environment")
    environment.OctoAIEnvironment = OctoAIEnvironment
    return {"octoai": package, "octoai.client": client, "octoai.environment": environment}


@contextlib.contextmanager
def installed(sdk: str, **options: Any) -> Iterator[Script]:
    """The stand-in `sdk` in sys.modules (and its adapter imported afresh) for the block."""
    script = Script()
    modules = {
        "predictionguard": lambda: _predictionguard(script),
        "gradient": lambda: _gradient(script),
        "octoai": lambda: _octoai(script, options.get("takes_base_url", False)),
    }[sdk]()
    adapter_module = "chatwire_driver.adapters." + sdk
    saved = {name: sys.modules.get(name) for name in list(modules) + [adapter_module]}
    sys.modules.update(modules)
    sys.modules.pop(adapter_module, None)
    try:
        script.adapter = importlib.import_module(adapter_module)
        yield script
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
