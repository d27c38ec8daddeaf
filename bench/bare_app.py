"""The cold-start reference: a trivial Gradio app that only imports gradio
and launches a one-component Blocks. Nothing an app could skip is in here."""

import gradio as gr

with gr.Blocks() as demo:
    gr.Markdown("Hello")

if __name__ == "__main__":
    demo.launch()
