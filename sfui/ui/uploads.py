"""The pictures a visitor attaches to a message, as Gradio hands them over, read
with sfui.images (:func:`read_attachments`).

Gradio stores each attached file in its upload cache as soon as it is attached,
and ``/gradio_api/file=<path>`` serves any file there to whoever has the path,
with no check of whose upload it is. So an upload lives only until Send has read
it: :func:`discard` deletes it (and its folder, which Gradio makes per upload),
and the picture goes on only as a ``data:`` URL in the visitor's own chat
history. Files attached but never sent are swept by the Blocks' ``delete_cache``
(see ``UPLOAD_SWEEP``).

Gradio itself refuses uploads over ``UPLOAD_LIMIT`` (its own message, in
English): well above ``sfui.images.MAX_BYTES``, so that a file a little too big
gets sfui's own refusal, with its size and the limit, in the visitor's language.
"""

from __future__ import annotations

import base64
import os
import tempfile
from dataclasses import dataclass
from typing import Any

from gradio.utils import get_upload_folder

from ..images import MAX_BYTES, ImageInputError, PreparedImage, prepare_path
from ..params import InputError

UPLOAD_LIMIT = 2 * MAX_BYTES
# delete_cache=(every, older than) in seconds: attachments never sent go within the hour.
UPLOAD_SWEEP = (900, 3600)
_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif"}


@dataclass(frozen=True)
class Attachment:
    path: str
    name: str  # the file's name on the visitor's machine


def message_parts(message: Any) -> tuple[str | None, list[Attachment]]:
    """(text, attachments) of the box's value as the page sends it without
    preprocessing: ``{"text": ..., "files": [FileData dicts]}``, or a plain string
    (an API caller's message)."""
    if message is None:
        return None, []
    if not isinstance(message, dict):
        return str(message), []
    text = message.get("text")
    files = []
    for item in message.get("files") or []:
        if isinstance(item, dict) and isinstance(item.get("path"), str):
            files.append(Attachment(item["path"], str(item.get("orig_name") or os.path.basename(item["path"]))))
        elif isinstance(item, str):
            files.append(Attachment(item, os.path.basename(item)))
    return (None if text is None else str(text)), files


def restore(data_urls: list[str]) -> list[str]:
    """The pictures of an undone question written back as uploads, so the box holds
    them again: one new folder in Gradio's upload folder (Gradio then serves them from
    there without a copy), living by an upload's rules: deleted once Send reads them,
    else swept with the unsent attachments."""
    if not data_urls:
        return []
    folder = tempfile.mkdtemp(dir=get_upload_folder())
    paths = []
    for number, data_url in enumerate(data_urls, 1):
        header, _, data = data_url.partition(",")
        mime = header.removeprefix("data:").split(";", 1)[0]
        path = os.path.join(folder, f"picture-{number}.{_EXTENSIONS.get(mime, 'png')}")
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))
        paths.append(path)
    return paths


def box_value(text: str | None, files: list[Attachment]) -> dict:
    """The box's value holding ``text`` and ``files`` (to give a refused message back)."""
    return {"text": text or "", "files": [{"path": f.path, "orig_name": f.name, "meta": {"_type": "gradio.FileData"}}
                                          for f in files if os.path.exists(f.path)]}


def _in_upload_folder(path: str) -> bool:
    folder = os.path.realpath(get_upload_folder())
    real = os.path.realpath(path)
    return os.path.commonpath([folder, real]) == folder and real != folder


def discard(path: str) -> None:
    """Delete an upload that has been read, and the folder Gradio made for it if it is
    now empty. Only ever a file inside Gradio's upload folder (never, say, a sample
    picture of the app's own)."""
    if not _in_upload_folder(path):
        return
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
    parent = os.path.dirname(os.path.realpath(path))
    if _in_upload_folder(parent):
        try:
            os.rmdir(parent)
        except OSError:  # not empty: another upload of the same content lives there
            pass


def read_attachments(attachments: list[Attachment], lang: str) -> tuple[list[PreparedImage | None], list[str]]:
    """Each attachment prepared for sending (None where it is refused) and what is
    wrong with each refused one (named); a refused upload is deleted at once."""
    images: list[PreparedImage | None] = []
    problems: list[str] = []
    for attachment in attachments:
        try:
            images.append(prepare_path(attachment.path, attachment.name))
        except FileNotFoundError:
            images.append(None)
            problems.append(ImageInputError("input_image_gone", attachment.name).problem(lang))
        except InputError as exc:
            images.append(None)
            problems.append(exc.problem(lang))
            discard(attachment.path)
    return images, problems
