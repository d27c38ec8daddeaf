"""The SiliconFlow client, usable without the app: it knows nothing of Gradio,
of the page or of the app's logic.

- ``sse``: bytes -> server-sent events (pure, fuzzed);
- ``chunks``: events -> typed stream events (``events``), think tags split off (``thinktags``);
- ``errors``: one hierarchy for HTTP, network and in-stream failures, each able to
  explain itself in English or Chinese (``messages``); ``http_errors`` maps responses to it;
- ``retries``: when and how long to wait before trying again;
- ``client``: the HTTP client (``SiliconFlowClient``): requests, retries, side endpoints;
- ``stream``: one chat completion read as it arrives (``ChatStream``);
- ``pump``: one blocking stream bridged to asyncio.

Data flows one way: ``sfui.ui`` -> ``sfui`` (the logic) -> ``sfui.api`` -> ``sse``.
"""
