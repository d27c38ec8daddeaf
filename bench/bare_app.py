"""The bare page: the least a Gradio app needs to show a streamed answer, and the
reference for cold start (it imports gradio and launches a two-component Blocks).

A Chatbot and a Textbox; Enter runs one queued async generator that reads the
upstream's stream (httpx, which Gradio itself imports) and yields the chat, the
question with the answer so far: at once for the first chunk that adds text, then at
most once every INTERVAL seconds, and once more at the end (the fewest frames of an answer
seen to grow). No first step, no other output: its
Enter -> first answer text is the floor the chat apps' first token is measured against
(bench/first_token.py). Its question shows with the first answer text.

Gradio's queue runs every answer at once (no concurrency limit), so the same page is
also the floor for many visitors streaming at once (bench/visitors.py): what Gradio's
queue protocol costs one process, with the least work per answer.

    SILICONFLOW_BASE_URL=http://127.0.0.1:PORT/v1 SILICONFLOW_API_KEY=sk-... python bench/bare_app.py
"""

import asyncio
import json
import os

import gradio as gr
import httpx

BASE_URL = os.environ.get("SILICONFLOW_BASE_URL", "https://api.siliconflow.cn/v1")
HEADERS = {"Authorization": f"Bearer {os.environ.get('SILICONFLOW_API_KEY', '')}"}
MODEL = os.environ.get("SFUI_DEFAULT_MODEL", "Qwen/Qwen3-8B")
HTTP = httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=None))  # one pool for every answer
INTERVAL = 1.0  # seconds between frames after the first: sfui's longest (sfui.chat.FramePacer's max_interval)


async def answer(question, chat):
    body = {"model": MODEL, "stream": True, "messages": [{"role": "user", "content": question}]}
    text, shown_at = "", None
    loop = asyncio.get_running_loop()
    async with HTTP.stream("POST", f"{BASE_URL}/chat/completions", json=body, headers=HEADERS) as stream:
        async for line in stream.aiter_lines():
            if not line.startswith("data: {"):
                continue
            choices = json.loads(line[6:]).get("choices") or [{}]
            delta = (choices[0].get("delta") or {}).get("content")
            if delta:
                text += delta
                if shown_at is None or loop.time() - shown_at >= INTERVAL:
                    shown_at = loop.time()
                    yield [*chat, {"role": "user", "content": question}, {"role": "assistant", "content": text}]
    yield [*chat, {"role": "user", "content": question}, {"role": "assistant", "content": text}]


with gr.Blocks() as demo:
    chatbot = gr.Chatbot(elem_id="chatbot")
    box = gr.Textbox(elem_id="bare-input", show_label=False)
    box.submit(answer, [box, chatbot], chatbot, api_name="chat", concurrency_limit=None)

if __name__ == "__main__":
    demo.queue(default_concurrency_limit=None, status_update_rate=1).launch(max_threads=1024)
