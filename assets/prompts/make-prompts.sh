#!/usr/bin/env bash
# Regenerates the shipped prompt WAVs in Graph's format (16 kHz, mono, 16-bit PCM) with espeak-ng and sox.
# The WAVs are committed; this script documents how they were made. Needs: apt-get install espeak-ng sox
set -euo pipefail
cd "$(dirname "$0")"
say() { # say FILE VOICE TEXT
  local tmp; tmp=$(mktemp --suffix=.wav)
  espeak-ng -v "$2" -s 155 -w "$tmp" "$3"
  # Resample to Graph's format, trim espeak's edges, leave 150 ms of air at each end, peak at -3 dBFS.
  sox "$tmp" -r 16000 -c 1 -b 16 -e signed-integer "$1" silence 1 0.01 0.5% reverse silence 1 0.01 0.5% reverse \
    pad 0.15 0.15 gain -n -3
  rm -f "$tmp"
}
say voicemail-greeting.wav en-us "Hello. Please leave your message after the beep. Press pound when you are finished."
say voicemail-thanks.wav en-us "Thank you. Your message has been recorded. Goodbye."
say seed-prompt.wav en-us "Please record your message after the beep."
say survey-welcome.wav en-gb "Welcome to our short survey. It takes less than a minute."
say survey-question.wav en-gb "How was your visit today? Press 1 if you were happy, or 2 if you were not. You can also tell us after the beep."
say survey-sorry.wav en-gb "Sorry, I did not hear you."
say survey-why.wav en-gb "Please tell us what we could do better. Press pound when you are done."
say survey-thanks.wav en-gb "Thank you for your feedback. Goodbye."
