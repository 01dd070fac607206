#!/usr/bin/env bash
# The peer benchmark: our DTMF receiver and speech detector against spandsp's dtmf_rx and WebRTC's VAD, on the
# same audio, accuracy and speed side by side in one run. Not part of `cargo test`.
#
#   benches/peer.sh
#
# Needs (installed here when missing and run as root): a C compiler, libspandsp-dev, python3-venv.
# Builds target/peer/spandsp_dtmf and a Python venv with webrtcvad-wheels in target/peer/venv.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/peer
mkdir -p "$out"

need_apt=()
[ -f /usr/include/spandsp.h ] || need_apt+=(libspandsp-dev)
command -v cc >/dev/null || need_apt+=(gcc)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "peer.sh needs: sudo apt-get install ${need_apt[*]}" >&2
    exit 1
  fi
fi

cc -O2 -o "$out/spandsp_dtmf" benches/peer/spandsp_dtmf.c -lspandsp -lm

if [ ! -x "$out/venv/bin/python" ] || ! "$out/venv/bin/python" -c 'import webrtcvad' 2>/dev/null; then
  python3 -m venv "$out/venv"
  "$out/venv/bin/pip" install -q webrtcvad-wheels
fi

PEER_SPANDSP="$PWD/$out/spandsp_dtmf" PEER_PYTHON="$PWD/$out/venv/bin/python" PEER_DIR="$PWD/$out" \
  cargo bench --bench peer
