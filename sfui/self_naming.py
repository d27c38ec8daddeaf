"""The identity rule of blind votes: a vote is not counted when an answer names its own model.

An answer names its model when it says the model's id ("Qwen/Qwen3-8B"), an organisation before a
``/`` ("Qwen", "deepseek-ai"), the name after the last one ("Qwen3-8B"), or the maker or family the
id belongs to, from FAMILIES ("I am Qwen", "作为 DeepSeek", "我是通义千问"). Latin words match
case-insensitively on word boundaries (a version may follow: "Qwen3", "GPT-4o"); a short word (at
most three letters: "Yi", "GPT", "GLM") matches only as written, so "yi" in pinyin or "glm" inside
a word do not. Chinese words match anywhere (Chinese has no spaces), a few with a guard
against an idiom ("海纳百川").

Plain Python: no Gradio.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# (words in a model id that say the family, what an answer may call it). The id words are
# lower case and matched against the id's words (or inside it, from five letters on).
FAMILIES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("qwen", "qwq", "alibaba", "tongyi"), ("Qwen", "QwQ", "Tongyi", "通义", "千问", "Alibaba", "阿里巴巴", "阿里云")),
    (("deepseek",), ("DeepSeek", "深度求索")),
    (("glm", "chatglm", "zhipu", "thudm", "zai"), ("GLM", "ChatGLM", "Zhipu", "智谱", "Z.ai")),
    (("kimi", "moonshot", "moonshotai"), ("Kimi", "Moonshot", "月之暗面")),
    (("llama", "meta"), ("Llama", "Meta AI", "Meta Platforms")),
    (("mistral", "mixtral", "mistralai"), ("Mistral", "Mixtral")),
    (("gemma", "gemini", "google"), ("Gemma", "Gemini", "Google", "谷歌")),
    (("claude", "anthropic"), ("Claude", "Anthropic")),
    (("gpt", "openai", "chatgpt"), ("GPT", "ChatGPT", "OpenAI")),
    (("hunyuan", "tencent"), ("Hunyuan", "混元", "Tencent", "腾讯")),
    (("baichuan",), ("Baichuan", "百川")),
    (("yi", "01-ai"), ("Yi", "01.AI", "零一万物")),
    (("internlm", "intern"), ("InternLM", "书生·浦语", "书生浦语", "浦语")),
    (("minimax",), ("MiniMax", "海螺")),
    (("ernie", "baidu"), ("ERNIE", "文心", "Baidu", "百度")),
    (("doubao", "bytedance", "seed"), ("Doubao", "豆包", "ByteDance", "字节跳动")),
    (("step", "stepfun"), ("StepFun", "阶跃星辰")),
)
# Id segments before a "/" that are no organisation ("Pro/deepseek-ai/DeepSeek-V3").
GENERIC_SEGMENTS = frozenset({"pro", "lora", "free", "vendor-a"})
# Chinese words with a guard: (?<!纳)百川 leaves out the idiom 海纳百川.
_GUARDS = {"百川": "(?<!纳)百川", "文心": "文心(?!雕龙)"}
_CJK = re.compile(r"[\u3000-\u9fff]")
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Naming:
    model: str  # the model whose answer names it
    word: str  # what the answer said


def _id_words(model: str) -> set[str]:
    words = set(_WORD.findall(model.lower()))
    words |= {re.match(r"[a-z]*", word).group(0) for word in words}  # type: ignore[union-attr]
    return words


def terms(model: str) -> list[str]:
    """Everything that names ``model``: its id, organisations, name and family words."""
    model = model.strip()
    segments = [segment for segment in model.split("/") if segment]
    found = [model]
    if len(segments) > 1:
        found += [segment for segment in segments[:-1] if segment.lower() not in GENERIC_SEGMENTS]
    if segments:
        found.append(segments[-1])
    lowered, words = model.lower(), _id_words(model)
    for keys, names in FAMILIES:
        if any(key in words or (len(key) >= 5 and key in lowered) for key in keys):
            found += names
    return list(dict.fromkeys(term for term in found if term.strip()))


def _pattern(term: str) -> str:
    if _CJK.search(term):
        return _GUARDS.get(term, re.escape(term))
    body = re.escape(term)
    # A short word only as written; a longer one in any case. A version may follow a family word.
    body = body if len(term) <= 3 else f"(?i:{body})"
    return rf"(?<![A-Za-z0-9_]){body}(?![A-Za-z_])" if not term[-1].isdigit() else \
        rf"(?<![A-Za-z0-9_]){body}(?![A-Za-z0-9_])"


@lru_cache(maxsize=512)
def _matcher(model: str) -> re.Pattern[str]:
    found = sorted(terms(model), key=len, reverse=True)
    return re.compile("|".join(f"(?:{_pattern(term)})" for term in found))


def names_itself(model: str, text: str) -> str | None:
    """The word by which ``text`` (an answer of ``model``) names its own model, or None."""
    if not model.strip() or not text:
        return None
    match = _matcher(model.strip()).search(text)
    return match.group(0) if match else None


def first_naming(answers: list[tuple[str, str]]) -> Naming | None:
    """The first of ``answers`` ((model, text) pairs) that names its own model, or None."""
    for model, text in answers:
        word = names_itself(model, text)
        if word is not None:
            return Naming(model, word)
    return None
