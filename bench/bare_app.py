"""The bare page: the least a Gradio app needs to show a streamed answer, and the
reference for cold start (it imports gradio and launches a two-component Blocks).

A Chatbot and a Textbox; Enter runs one queued async generator that reads the
upstream's stream (httpx, which Gradio itself imports) and yields the chat, the
question with the answer so far, on every chunk that adds text. No first step, no
pacing, no other output: its Enter -> first answer text is the floor the chat apps'
first token is measured against (bench/first_token.py). Its question shows with
the first answer text.

    SILICONFLOW_BASE_URL=http://127.0.0.1:PORT/v1 SILICONFLOW_API_KEY=sk-... python bench/bare_app.py
"""

import json
import os

import gradio as gr
import httpx

BASE_URL = os.environ.get("SILICONFLOW_BASE_URL", "https://api.siliconflow.cn/v1")
HEADERS = {"Authorization": f"Bearer {os.environ.get('SILICONFLOW_API_KEY', '')}"}
MODEL = os.environ.get("SFUI_DEFAULT_MODEL", "Qwen/Qwen3-8B")
HTTP = httpx.AsyncClient(timeout=60)  # one pool for every answer, as the chat apps keep theirs


async def answer(question, chat):
    body = {"model": MODEL, "stream": True, "messages": [{"role": "user", "content": question}]}
    text = ""
    async with HTTP.stream("POST", f"{BASE_URL}/chat/completions", json=body, headers=HEADERS) as stream:
        async for line in stream.aiter_lines():
            if not line.startswith("data: {"):
                continue
            choices = json.loads(line[6:]).get("choices") or [{}]
            delta = (choices[0].get("delta") or {}).get("content")
            if delta:
                text += delta
                yield [*chat, {"role": "user", "content": question}, {"role": "assistant", "content": text}]


with gr.Blocks() as demo:
    chatbot = gr.Chatbot(elem_id="chatbot")
    box = gr.Textbox(elem_id="bare-input", show_label=False)
    box.submit(answer, [box, chatbot], chatbot)

if __name__ == "__main__":
    demo.launch()
