"""Saved conversations written straight into a page's localStorage, encrypted as Gradio's
BrowserState writes them, for a page that should open with many of them (bench/search.py):
importing 200 files one by one would send the growing store back and forth 200 times.

Gradio 6.31's BrowserState stores ``base64(iv) + ":" + CryptoJS.AES.encrypt(JSON, passphrase)``
with ``passphrase = sha256_hex(secret)`` (see sfui.conversations.stored_chars). A string key
is a passphrase: CryptoJS derives the AES-256 key and the CBC iv from it and a random 8-byte
salt with OpenSSL's EVP_BytesToKey (MD5, one round) and writes OpenSSL's format, base64 of
``"Salted__" + salt + ciphertext`` (the iv before the colon is not used to decrypt). The key
is derived here; the page encrypts with WebCrypto (AES-CBC pads with PKCS#7, as CryptoJS does).
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

__all__ = ["write_store"]

WRITE_JS = """async ([key, text, keyHex, ivHex, saltHex]) => {
  const bytes = (hex) => new Uint8Array(hex.match(/../g).map((pair) => parseInt(pair, 16)));
  const aes = await crypto.subtle.importKey('raw', bytes(keyHex), 'AES-CBC', false, ['encrypt']);
  const sealed = new Uint8Array(await crypto.subtle.encrypt({name: 'AES-CBC', iv: bytes(ivHex)}, aes,
                                                            new TextEncoder().encode(text)));
  const salted = new Uint8Array(16 + sealed.length);
  salted.set(new TextEncoder().encode('Salted__'), 0);
  salted.set(bytes(saltHex), 8);
  salted.set(sealed, 16);
  const base64 = (array) => {
    let binary = '';
    for (let i = 0; i < array.length; i += 32768) binary += String.fromCharCode(...array.subarray(i, i + 32768));
    return btoa(binary);
  };
  localStorage.setItem(key, base64(crypto.getRandomValues(new Uint8Array(16))) + ':' + base64(salted));
}"""


def _key_and_iv(passphrase: bytes, salt: bytes) -> tuple[bytes, bytes]:
    derived, block = b"", b""
    while len(derived) < 48:
        block = hashlib.md5(block + passphrase + salt).digest()  # noqa: S324 - CryptoJS's own derivation
        derived += block
    return derived[:32], derived[32:48]


def write_store(page: Any, storage_key: str, secret: str, store: dict) -> Any:
    """Write ``store`` under ``storage_key`` as BrowserState(secret=``secret``) would; the page
    reads it on its next load. ``page`` is a sync or an async Playwright page (await the result
    of an async one)."""
    salt = os.urandom(8)
    key, iv = _key_and_iv(hashlib.sha256(secret.encode()).hexdigest().encode(), salt)
    text = json.dumps(store, ensure_ascii=False)
    return page.evaluate(WRITE_JS, [storage_key, text, key.hex(), iv.hex(), salt.hex()])
