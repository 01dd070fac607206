"""Reference harness: WebRTC's VAD (PyPI webrtcvad-wheels) over raw audio, every mode, 10 ms frames.

Usage: webrtc_vad.py AUDIO.s16 RATE
Input: signed 16-bit little-endian mono samples at RATE (8000 or 16000).
Output (stdout, JSON): {"modes": {"0": "0110...", ...}, "seconds": {"0": 1.23, ...}}: one character per
10 ms frame (1 = speech), and the time each mode took (the loop as called from Python).
"""
import json
import sys
import time

import webrtcvad


def main():
    path, rate = sys.argv[1], int(sys.argv[2])
    with open(path, "rb") as f:
        data = f.read()
    frame_bytes = rate // 100 * 2
    frames = [data[i:i + frame_bytes] for i in range(0, len(data) - frame_bytes + 1, frame_bytes)]
    out = {"modes": {}, "seconds": {}}
    for mode in range(4):
        vad = webrtcvad.Vad(mode)
        start = time.perf_counter()
        decisions = "".join("1" if vad.is_speech(f, rate) else "0" for f in frames)
        out["seconds"][str(mode)] = time.perf_counter() - start
        out["modes"][str(mode)] = decisions
    print(json.dumps(out))


if __name__ == "__main__":
    main()
