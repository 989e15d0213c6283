#!/usr/bin/env python3
"""Writes web/media/music-on-hold.wav, the music a held customer hears by default (MOH_FILE unset):
a slow arpeggio over four chords in soft sine tones, 8 kHz mono 16-bit (what G.711 carries), 12 s that
rtpengine repeats. Run it again only to change the music; the file is committed."""
import math
import struct
import wave
from pathlib import Path

RATE = 8000
NOTE_SECONDS = 0.5
# C major, A minor, F major, G major: each chord's notes rising then falling, as frequencies in Hz.
CHORDS = [(261.63, 329.63, 392.00), (220.00, 261.63, 329.63), (174.61, 220.00, 261.63), (196.00, 246.94, 293.66)]


def note(frequency, seconds):
    count = int(seconds * RATE)
    for i in range(count):
        t = i / RATE
        envelope = min(1.0, t / 0.03) * math.exp(-3.0 * t)  # quick attack, soft decay: no clicks
        tone = math.sin(2 * math.pi * frequency * t) + 0.25 * math.sin(4 * math.pi * frequency * t)
        yield 0.35 * envelope * tone / 1.25


def main():
    samples = []
    for chord in CHORDS:
        for frequency in chord + chord[-2::-1] + (chord[1],):  # up, down, and back to the middle: 8 notes
            samples.extend(note(frequency, NOTE_SECONDS))
    target = Path(__file__).resolve().parent.parent / "web" / "media" / "music-on-hold.wav"
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(b"".join(struct.pack("<h", int(32767 * s)) for s in samples))
    print(f"{target}: {len(samples) / RATE:.1f} s")


if __name__ == "__main__":
    main()
