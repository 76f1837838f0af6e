"""Minimal RIFF/WAVE reader and writer (numpy only), with the `smpl` chunk.

read_wav(path) -> (samples float64 array shaped (frames, channels), rate, info)
    PCM 8/16/24/32-bit and IEEE float 32/64, plain or WAVE_FORMAT_EXTENSIBLE. PCM is scaled to
    [-1, 1) by 2**(bits-1). info has 'format' ('pcm'|'float'), 'bits', and 'loops' (list of
    (start, end) frames from a smpl chunk, end inclusive as the chunk stores it) when there is one.
write_wav(path, samples, rate, bits=24, loops=None, unity_note=60)
    PCM 16/24-bit or 32-bit float (bits=32). loops: list of (start, end_inclusive) frames written
    to a `smpl` chunk (type 0 = forward).
"""
from __future__ import annotations

import struct

import numpy as np

WAVE_FORMAT_PCM = 1
WAVE_FORMAT_IEEE_FLOAT = 3
WAVE_FORMAT_EXTENSIBLE = 0xFFFE


def _chunks(data: bytes):
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError("not a RIFF/WAVE file")
    pos = 12
    while pos + 8 <= len(data):
        cid = data[pos:pos + 4]
        size = struct.unpack_from("<I", data, pos + 4)[0]
        body = data[pos + 8:pos + 8 + size]
        yield cid, body
        pos += 8 + size + (size & 1)


def read_wav(path: str):
    with open(path, "rb") as f:
        data = f.read()
    fmt = None
    pcm = None
    loops = []
    for cid, body in _chunks(data):
        if cid == b"fmt ":
            tag, ch, rate, _, align, bits = struct.unpack_from("<HHIIHH", body, 0)
            if tag == WAVE_FORMAT_EXTENSIBLE and len(body) >= 40:
                tag = struct.unpack_from("<H", body, 24)[0]
            fmt = (tag, ch, rate, align, bits)
        elif cid == b"data":
            pcm = body
        elif cid == b"smpl" and len(body) >= 36:
            n_loops = struct.unpack_from("<I", body, 28)[0]
            for i in range(n_loops):
                off = 36 + 24 * i
                if off + 24 <= len(body):
                    _, _, start, end, _, _ = struct.unpack_from("<IIIIII", body, off)
                    loops.append((start, end))
    if fmt is None or pcm is None:
        raise ValueError(f"{path}: no fmt or data chunk")
    tag, ch, rate, align, bits = fmt
    n = len(pcm) // align
    pcm = pcm[:n * align]
    if tag == WAVE_FORMAT_IEEE_FLOAT:
        dt = {32: "<f4", 64: "<f8"}[bits]
        x = np.frombuffer(pcm, dtype=dt).astype(np.float64)
        kind = "float"
    elif tag == WAVE_FORMAT_PCM:
        kind = "pcm"
        if bits == 8:
            x = (np.frombuffer(pcm, dtype=np.uint8).astype(np.float64) - 128.0) / 128.0
        elif bits == 16:
            x = np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0
        elif bits == 24:
            b = np.frombuffer(pcm, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
            v = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
            v = np.where(v >= 1 << 23, v - (1 << 24), v)
            x = v.astype(np.float64) / float(1 << 23)
        elif bits == 32:
            x = np.frombuffer(pcm, dtype="<i4").astype(np.float64) / float(1 << 31)
        else:
            raise ValueError(f"{path}: {bits}-bit PCM not supported")
    else:
        raise ValueError(f"{path}: format tag {tag:#x} not supported")
    return x.reshape(-1, ch), rate, {"format": kind, "bits": bits, "loops": loops}


def smpl_chunk(rate: int, loops=None, unity_note: int = 60) -> bytes:
    loops = loops or []
    period_ns = int(round(1e9 / rate))
    head = struct.pack("<IIIIIIIII", 0, 0, period_ns, unity_note, 0, 0, 0, len(loops), 0)
    body = head + b"".join(struct.pack("<IIIIII", i, 0, int(s), int(e), 0, 0)
                           for i, (s, e) in enumerate(loops))
    return b"smpl" + struct.pack("<I", len(body)) + body


def write_wav(path: str, samples, rate: int, bits: int = 24, loops=None, unity_note: int = 60) -> str:
    x = np.asarray(samples, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    ch = x.shape[1]
    if bits == 32:
        tag, payload = WAVE_FORMAT_IEEE_FLOAT, x.astype("<f4").tobytes()
    elif bits in (16, 24):
        tag = WAVE_FORMAT_PCM
        full = float(1 << (bits - 1))
        v = np.clip(np.round(x * full), -full, full - 1).astype(np.int64).reshape(-1)
        if bits == 16:
            payload = v.astype("<i2").tobytes()
        else:
            u = (v & 0xFFFFFF).astype(np.uint32)
            payload = np.stack([(u & 0xFF), (u >> 8) & 0xFF, (u >> 16) & 0xFF], axis=1).astype(np.uint8).tobytes()
    else:
        raise ValueError("bits must be 16, 24 or 32 (float)")
    align = ch * bits // 8
    fmt = struct.pack("<HHIIHH", tag, ch, rate, rate * align, align, bits)
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt
    if loops is not None:
        chunks += smpl_chunk(rate, loops, unity_note)
    chunks += b"data" + struct.pack("<I", len(payload)) + payload
    if len(payload) & 1:
        chunks += b"\0"
    with open(path, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks)
    return path
