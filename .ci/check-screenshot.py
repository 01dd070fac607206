"""Fails unless a PNG looks like a drawn window: big enough, and its pixel data far from uniform."""
import struct
import sys
import zlib

path = sys.argv[1]
data = open(path, "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
width, height = struct.unpack(">II", data[16:24])
idat = b""
at = 8
while at < len(data):
    length, kind = struct.unpack(">I4s", data[at:at + 8])
    if kind == b"IDAT":
        idat += data[at + 8:at + 8 + length]
    at += 12 + length
pixels = zlib.decompress(idat)
distinct = len(set(pixels))
print(f"{path}: {width}x{height}, {distinct} distinct byte values")
assert width >= 1000 and height >= 700, "the window is too small"
assert distinct > 50, "the screenshot is blank"
