"""Captcha pictures and sounds, made in pure Python (Pillow for the PNG, ``wave`` for the WAV).

The answer uses letters and digits that do not look or sound alike. The PNG draws each
character rotated and shifted, over noise lines and dots, then bends the whole picture. The WAV
spells the same answer in Morse code (a 700 Hz tone, standard timing, with a pause between
characters): a pattern a person can learn and that any decoder reads back, over a little hiss.
Difficulty sets the length and how much noise and bending there is.
"""

from __future__ import annotations

import io
import math
import random
import secrets
import sys
import wave
from array import array
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: characters that a reader or a listener could confuse.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
MORSE = {
    "A": ".-", "C": "-.-.", "D": "-..", "E": ".", "F": "..-.", "G": "--.", "H": "....",
    "J": ".---", "K": "-.-", "M": "--", "N": "-.", "P": ".--.", "Q": "--.-", "R": ".-.",
    "T": "-", "U": "..-", "V": "...-", "W": ".--", "X": "-..-", "Y": "-.--",
    "3": "...--", "4": "....-", "6": "-....", "7": "--...", "9": "----.",
}
SAMPLE_RATE = 8000
TONE_HZ = 700
UNIT_SECONDS = 0.08  # one Morse unit: about 15 words a minute
_STEP = 2 * math.pi * TONE_HZ / SAMPLE_RATE


@dataclass(frozen=True)
class Difficulty:
    length: int
    noise_lines: int
    noise_dots: int
    wave_amplitude: float
    hiss: float  # share of full scale given to random noise in the sound


DIFFICULTIES = {
    "easy": Difficulty(4, 3, 150, 2.0, 0.02),
    "medium": Difficulty(5, 6, 400, 3.5, 0.05),
    "hard": Difficulty(6, 10, 900, 5.0, 0.10),
}


def difficulty(name: str | None) -> Difficulty:
    return DIFFICULTIES.get((name or "medium").lower(), DIFFICULTIES["medium"])


def new_answer(level: Difficulty) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(level.length))


def _rand(low: int, high: int) -> int:
    return low + secrets.randbelow(high - low + 1)


def render_png(answer: str, level: Difficulty) -> bytes:
    # Pillow is imported on the first captcha, not at start: it costs a server ~4 MB of
    # memory that most never use (docs/decisions/0039).
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    width, height = 40 * len(answer) + 30, 80
    image = Image.new("RGB", (width, height), (245, 245, 240))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=44)
    for _ in range(level.noise_lines):
        draw.line([(_rand(0, width), _rand(0, height)), (_rand(0, width), _rand(0, height))],
                  fill=(_rand(60, 180), _rand(60, 180), _rand(60, 180)), width=_rand(1, 3))
    for index, char in enumerate(answer):
        glyph = Image.new("RGBA", (60, 70), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((10, 5), char, font=font,
                                   fill=(_rand(0, 90), _rand(0, 90), _rand(0, 90), 255))
        glyph = glyph.rotate(_rand(-25, 25), resample=Image.Resampling.BICUBIC, expand=False)
        image.paste(glyph, (15 + index * 40 + _rand(-4, 4), _rand(0, 12)), glyph)
    for _ in range(level.noise_dots):
        draw.point((_rand(0, width - 1), _rand(0, height - 1)),
                   fill=(_rand(0, 255), _rand(0, 255), _rand(0, 255)))
    image = _bend(image, level.wave_amplitude).filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _bend(image: Image.Image, amplitude: float) -> Image.Image:
    """Shift each column up or down along a sine wave, so that letters do not sit on a line."""
    from PIL import Image

    width, height = image.size
    phase = secrets.randbelow(628) / 100
    bent = Image.new("RGB", image.size, (245, 245, 240))
    for x in range(width):
        shift = int(amplitude * math.sin(phase + x / 9))
        bent.paste(image.crop((x, 0, x + 1, height)), (x, shift))
    return bent


def morse_units(answer: str) -> list[tuple[bool, int]]:
    """The answer as (tone on?, length in units): dot 1, dash 3, gaps 1 and 3 (7 at the ends)."""
    units: list[tuple[bool, int]] = [(False, 7)]
    for char in answer:
        for index, symbol in enumerate(MORSE[char]):
            if index:
                units.append((False, 1))
            units.append((True, 1 if symbol == "." else 3))
        units.append((False, 3))
    units.append((False, 4))
    return units


def render_wav(answer: str, level: Difficulty) -> bytes:
    unit = int(SAMPLE_RATE * UNIT_SECONDS)
    # The hiss need not be unpredictable, only different each time: a seeded PRNG is enough
    # and far cheaper than a secure random number per sample.
    noise = random.Random(secrets.randbits(64))
    hiss = level.hiss
    samples: list[int] = []
    for tone, length in morse_units(answer):
        start = len(samples)
        for n in range(start, start + length * unit):
            value = 0.6 * math.sin(_STEP * n) if tone else 0.0
            samples.append(int((value + hiss * (noise.random() * 2 - 1)) * 32767))
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        pcm = array("h", samples)
        if sys.byteorder == "big":
            pcm.byteswap()  # WAV samples are little-endian
        wav.writeframes(pcm.tobytes())
    return out.getvalue()
