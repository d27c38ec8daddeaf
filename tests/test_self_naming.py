"""sfui/self_naming.py: an answer that names its own model, in English and Chinese."""

from __future__ import annotations

import pytest

from sfui.self_naming import Naming, first_naming, names_itself, terms


@pytest.mark.parametrize("model,text,word", [
    ("Qwen/Qwen3-8B", "I am Qwen, a large language model.", "Qwen"),
    ("Qwen/Qwen3-8B", "Hi! I'm QWEN3, here to help.", "QWEN"),
    ("Qwen/Qwen3-8B", "As Qwen3-8B, I think so.", "Qwen3-8B"),
    ("Qwen/Qwen3-8B", "我是通义千问，由阿里云开发。", "通义"),
    ("Qwen/Qwen2.5-7B-Instruct", "我是千问。", "千问"),
    ("deepseek-ai/DeepSeek-V3", "作为 DeepSeek，我会尽力回答。", "DeepSeek"),
    ("deepseek-ai/DeepSeek-V3", "作为DeepSeek-V3，我", "DeepSeek-V3"),
    ("deepseek-ai/DeepSeek-V3", "我是深度求索公司开发的助手", "深度求索"),
    ("Pro/deepseek-ai/DeepSeek-R1", "Made by deepseek-ai.", "deepseek-ai"),
    ("THUDM/glm-4-9b-chat", "I am ChatGLM, trained by Zhipu AI.", "ChatGLM"),
    ("zai-org/GLM-4.5", "我是智谱开发的模型", "智谱"),
    ("moonshotai/Kimi-K2-Instruct", "我是 Kimi，由月之暗面开发", "Kimi"),
    ("01-ai/Yi-1.5-34B-Chat", "I am Yi, made by 01.AI.", "Yi"),
    ("openai/gpt-oss-20b", "I'm ChatGPT, by OpenAI.", "ChatGPT"),
    ("openai/gpt-oss-20b", "I am GPT-4o.", "GPT"),
    ("tencent/Hunyuan-A13B-Instruct", "我是腾讯混元大模型", "腾讯"),
    ("baidu/ERNIE-4.5-300B-A47B", "我是文心一言", "文心"),
    ("internlm/internlm2_5-7b-chat", "我是书生·浦语", "书生·浦语"),
    ("MiniMaxAI/MiniMax-M1-80k", "I am MiniMax-M1.", "MiniMax"),
    ("meta-llama/Llama-3.3-70B-Instruct", "I'm Llama, made by Meta AI.", "Llama"),
])
def test_an_answer_that_names_its_own_model(model, text, word):
    assert names_itself(model, text) == word


@pytest.mark.parametrize("model,text", [
    ("Qwen/Qwen3-8B", "The capital of France is Paris."),
    ("Qwen/Qwen3-8B", "I am DeepSeek."),  # another model's name: not its own
    ("Qwen/Qwen3-8B", "the qwenx library"),  # inside another word
    ("01-ai/Yi-1.5-34B-Chat", "yi ge ren zou lu"),  # pinyin: a short name matches only as written
    ("openai/gpt-oss-20b", "the gpt partition table"),
    ("THUDM/glm-4-9b-chat", "an algorithm, a glmixed word"),
    ("baichuan-inc/Baichuan2-13B-Chat", "海纳百川，有容乃大"),  # an idiom, not the maker
    ("Pro/deepseek-ai/DeepSeek-V3", "a pro tip"),  # "Pro/" is no organisation
    ("deepseek-ai/DeepSeek-V3", ""),
])
def test_an_answer_that_does_not(model, text):
    assert names_itself(model, text) is None


def test_terms_of_an_id():
    found = terms("Pro/deepseek-ai/DeepSeek-V3")
    assert found[:3] == ["Pro/deepseek-ai/DeepSeek-V3", "deepseek-ai", "DeepSeek-V3"]
    assert "DeepSeek" in found and "深度求索" in found and "Pro" not in found
    assert "Qwen" in terms("Qwen/Qwen3-8B") and "通义" in terms("Qwen/Qwen3-8B")


def test_the_first_answer_that_names_itself():
    answers = [("Qwen/Qwen3-8B", "Paris."), ("deepseek-ai/DeepSeek-V3", "作为 DeepSeek，巴黎。")]
    assert first_naming(answers) == Naming("deepseek-ai/DeepSeek-V3", "DeepSeek")
    assert first_naming(answers[:1]) is None
