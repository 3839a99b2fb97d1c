"""GET /user/get_captcha and the captcha check of POST /user/register."""

from __future__ import annotations

import base64
import io
import wave
from datetime import timedelta
from typing import Any

from PIL import Image
from sqlalchemy import update

from moot.db import tables as t
from moot.db.types import utcnow
from moot.media.captcha import MORSE, SAMPLE_RATE, UNIT_SECONDS
from tests.helpers import PASSWORD, ApiClient

_FROM_MORSE = {code: char for char, code in MORSE.items()}


def decode_wav(data: bytes) -> str:
    """Read the Morse code of a captcha WAV back: loud units are tone, quiet ones silence."""
    with wave.open(io.BytesIO(data)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, SAMPLE_RATE)
        raw = wav.readframes(wav.getnframes())
    samples = memoryview(raw).cast("h")
    unit = int(SAMPLE_RATE * UNIT_SECONDS)
    loud = []
    for start in range(0, len(samples) - unit + 1, unit):
        window = samples[start:start + unit]
        loud.append(sum(s * s for s in window) / unit > (0.2 * 32767) ** 2)
    runs: list[tuple[bool, int]] = []
    for value in loud:
        if runs and runs[-1][0] == value:
            runs[-1] = (value, runs[-1][1] + 1)
        else:
            runs.append((value, 1))
    answer, symbol = "", ""
    for tone, length in runs:
        if tone:
            symbol += "." if length == 1 else "-"
        elif length >= 3 and symbol:
            answer, symbol = answer + _FROM_MORSE[symbol], ""
    return answer


def enable_captcha(api: ApiClient, admin: str, difficulty: str = "medium") -> None:
    api.put("/site", {"captcha_enabled": True, "captcha_difficulty": difficulty,
                      "registration_mode": "Open"}, token=admin)


def register(api: ApiClient, name: str, expect: int = 200, **extra: Any) -> Any:
    body = {"username": name, "password": PASSWORD, "password_verify": PASSWORD, **extra}
    return api.post("/user/register", body, expect=expect)


def test_no_captcha_when_disabled(api: ApiClient) -> None:
    assert api.get("/user/get_captcha") == {}
    assert register(api, "nocaptcha")["jwt"]


def test_captcha_png_and_wav_carry_the_answer(api: ApiClient, admin: str) -> None:
    lengths = {}
    for difficulty in ("easy", "medium", "hard"):
        enable_captcha(api, admin, difficulty)
        ok = api.get("/user/get_captcha")["ok"]
        image = Image.open(io.BytesIO(base64.b64decode(ok["png"])))
        assert image.format == "PNG" and image.width > image.height
        wav = base64.b64decode(ok["wav"])
        assert wav[:4] == b"RIFF" and wav[8:12] == b"WAVE"
        answer = decode_wav(wav)
        lengths[difficulty] = len(answer)
        # The answer the WAV spells is the one registration accepts.
        assert register(api, f"cap{difficulty}", captcha_uuid=ok["uuid"],
                        captcha_answer=answer.lower())["jwt"]
    assert lengths == {"easy": 4, "medium": 5, "hard": 6}


def test_registration_needs_the_right_captcha_once(api: ApiClient, admin: str) -> None:
    enable_captcha(api, admin)
    assert api.error("POST", "/user/register", {
        "username": "nocap", "password": PASSWORD, "password_verify": PASSWORD}) == "captcha_incorrect"
    ok = api.get("/user/get_captcha")["ok"]
    answer = decode_wav(base64.b64decode(ok["wav"]))
    wrong = "A" if answer[0] != "A" else "C"
    body = {"username": "capwrong", "password": PASSWORD, "password_verify": PASSWORD,
            "captcha_uuid": ok["uuid"], "captcha_answer": wrong + answer[1:]}
    assert api.error("POST", "/user/register", body) == "captcha_incorrect"
    # A wrong try uses the captcha up: the right answer no longer works either.
    body["captcha_answer"] = answer
    assert api.error("POST", "/user/register", body) == "captcha_incorrect"
    ok = api.get("/user/get_captcha")["ok"]
    answer = decode_wav(base64.b64decode(ok["wav"]))
    assert register(api, "capright", captcha_uuid=ok["uuid"], captcha_answer=f" {answer} ")["jwt"]
    body = {"username": "capagain", "password": PASSWORD, "password_verify": PASSWORD,
            "captcha_uuid": ok["uuid"], "captcha_answer": answer}
    assert api.error("POST", "/user/register", body) == "captcha_incorrect"


def test_captcha_expires_after_ten_minutes(api: ApiClient, admin: str, app: Any) -> None:
    enable_captcha(api, admin)
    ok = api.get("/user/get_captcha")["ok"]
    answer = decode_wav(base64.b64decode(ok["wav"]))
    # Age the stored answer, as eleven minutes of waiting would.
    with app.state.ctx.db.write() as conn:
        conn.execute(update(t.captcha_answer).where(t.captcha_answer.c.uuid == ok["uuid"])
                     .values(published=utcnow() - timedelta(minutes=11)))
    body = {"username": "capold", "password": PASSWORD, "password_verify": PASSWORD,
            "captcha_uuid": ok["uuid"], "captcha_answer": answer}
    assert api.error("POST", "/user/register", body) == "captcha_incorrect"


def test_captchas_are_different(api: ApiClient, admin: str) -> None:
    enable_captcha(api, admin, "hard")
    first, second = (api.get("/user/get_captcha")["ok"] for _ in range(2))
    assert first["uuid"] != second["uuid"]
    assert first["png"] != second["png"]
