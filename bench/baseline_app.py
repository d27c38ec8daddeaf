"""The baseline: the chat app most people would write first.

``gr.ChatInterface`` over the ``openai`` SDK, streaming by yielding the text
so far on every chunk, with Gradio's default queue settings. It is written the
way Gradio's own "creating a chatbot fast" guide does it, with no sabotage and
no tuning. The benchmark runs it against the same fake upstream as sfui:

    SILICONFLOW_BASE_URL=http://127.0.0.1:PORT/v1 SILICONFLOW_API_KEY=sk-... python bench/baseline_app.py
"""

import os

import gradio as gr
from openai import OpenAI

client = OpenAI(
    base_url=os.environ.get("SILICONFLOW_BASE_URL", "https://api.siliconflow.cn/v1"),
    api_key=os.environ.get("SILICONFLOW_API_KEY", ""),
)
MODEL = os.environ.get("SFUI_DEFAULT_MODEL", "Qwen/Qwen3-8B")


def chat(message, history):
    # Gradio hands over openai-style dicts; keep only what the API needs.
    messages = [{"role": m["role"], "content": m["content"]} for m in history]
    messages.append({"role": "user", "content": message})
    stream = client.chat.completions.create(model=MODEL, messages=messages, stream=True)
    partial = ""
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            partial += chunk.choices[0].delta.content
            yield partial


demo = gr.ChatInterface(chat, title="Chat with SiliconFlow")

if __name__ == "__main__":
    demo.launch()
