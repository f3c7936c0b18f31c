"""Codecs with the JVM's language-neutral ids (docs/LAYOUT.md, "Codec ids").

A codec is anything with ``id``, ``encode(obj) -> bytes`` and ``decode(bytes) -> obj``; the
built-ins are named by id: ``"bytes"``, ``"utf8"``, ``"int32"``, ``"int64"``, ``"float64"``,
``"json"`` (and ``"json:<name>"``).
"""

import json
import re
import struct

from ._layout import Codec as _C

_JSON_NAME = re.compile(r"[!-~]{1,27}")


class _Codec:
    def __init__(self, codec_id, encode, decode):
        self.id = codec_id
        self.encode = encode
        self.decode = decode

    def accepts(self, stored):
        """Whether a channel created with ``stored`` carries this codec's messages."""
        if stored == self.id:
            return True
        family = _C.JSON_LEGACY_PREFIX
        if (self.id == _C.JSON or self.id.startswith(family)) and (stored == _C.JSON or stored.startswith(family)):
            # One family: a name is checked only when both sides have one.
            return self.id == _C.JSON or stored == _C.JSON
        return False

    def __repr__(self):
        return "codec(%r)" % self.id


def _fixed(fmt, name):
    size = struct.calcsize(fmt)

    def decode(data):
        if len(data) != size:
            raise ValueError("%s message must be %d bytes, got %d" % (name, size, len(data)))
        return struct.unpack(fmt, data)[0]

    return lambda v: struct.pack(fmt, v), decode


def _json_decode(data):
    value = json.loads(bytes(data).decode("utf-8"))
    if value is None:
        raise ValueError("JSON null is not a message")
    return value


def _json_encode(value):
    if value is None:
        raise ValueError("None (JSON null) is not a message")
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def _bytes_encode(value):
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise TypeError("the bytes codec carries bytes, not %s" % type(value).__name__)
    return bytes(value)


_BUILTIN = {
    _C.BYTES: (_bytes_encode, bytes),
    _C.UTF8: (lambda s: s.encode("utf-8"), lambda b: bytes(b).decode("utf-8")),
    _C.INT32: _fixed("<i", "int32"),
    _C.INT64: _fixed("<q", "int64"),
    _C.FLOAT64: _fixed("<d", "float64"),
    _C.JSON: (_json_encode, _json_decode),
}


def codec(spec):
    """A codec from its id (or a codec object, returned as it is)."""
    if not isinstance(spec, str):
        for attr in ("id", "encode", "decode"):
            if not hasattr(spec, attr):
                raise TypeError("a codec needs id, encode and decode: %r" % (spec,))
        if not hasattr(spec, "accepts"):
            spec.accepts = lambda stored, _id=spec.id: stored == _id
        return spec
    if spec in _BUILTIN:
        return _Codec(spec, *_BUILTIN[spec])
    if spec.startswith(_C.JSON_LEGACY_PREFIX) and _JSON_NAME.fullmatch(spec[len(_C.JSON_LEGACY_PREFIX):]):
        return _Codec(spec, _json_encode, _json_decode)
    raise NotImplementedError("procsync Python client: codec %r is not available; use one of %s or json:<name>"
                              % (spec, ", ".join(sorted(_BUILTIN))))
