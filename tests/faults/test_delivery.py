"""Delivery against a gateway that misbehaves for real: a raw-socket HTTP server on
127.0.0.1 that asks for absurd waits, closes mid-answer, trickles its answer a byte
at a time, or answers eSMS with JSON that is not an object (issue 9, items 10-14).

Nothing here mocks requests: every fault is bytes on a real loopback socket.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import socketserver
import sqlite3
import ssl
import stat
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path

import pytest

from toolkit.deliver.phones import mask
from toolkit.deliver.sms import Tally, deliver
from toolkit.project import open_project

Run = Callable[..., tuple[int, str, str]]
TOKEN = "s3cret-token"
TRICKLE_S = 0.05  # between two bytes of a trickled answer: far less than timeout_s
TIMEOUT_S = 0.3  # timeout_s of these projects: a trickle of 60 bytes takes ten times that


# --- a gateway made of raw bytes -----------------------------------------------------

@dataclass
class RawGateway:
    """A gateway scripted request by request; it accepts each key once ("ok")."""

    script: list[str] = field(default_factory=list)
    requests: list[dict[str, str]] = field(default_factory=list)
    delivered: Counter[str] = field(default_factory=Counter)
    esms: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    def next_action(self, headers: dict[str, str], body: dict[str, str]) -> tuple[str, str]:
        """Record a request; return (its key, what to do)."""
        with self.lock:
            key = body.get("RequestId", "") if self.esms else headers.get("idempotency-key", "")
            self.requests.append({**body, **headers, "key": key})
            return key, self.script.pop(0) if self.script else "ok"

    def accept(self, key: str) -> None:
        with self.lock:
            self.delivered[key] += 0 if self.delivered[key] else 1

    def ok_body(self) -> bytes:
        return json.dumps({"CodeResult": "100"} if self.esms else {"ok": True}).encode()


def _read_request(rfile) -> tuple[dict[str, str], dict[str, str]] | None:  # type: ignore[no-untyped-def]
    request_line = rfile.readline()
    if not request_line:
        return None
    headers: dict[str, str] = {}
    while (line := rfile.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    body = rfile.read(int(headers.get("content-length", "0")))
    return headers, json.loads(body or b"{}")


def _answer(status: str, body: bytes, *extra: str) -> bytes:
    head = [f"HTTP/1.1 {status}", "Content-Type: application/json",
            f"Content-Length: {len(body)}", *extra]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def _trickle(sock: socket.socket, data: bytes) -> None:
    for i in range(len(data)):
        sock.sendall(data[i:i + 1])
        time.sleep(TRICKLE_S)


def act(gateway: RawGateway, key: str, action: str, sock: socket.socket) -> bool:
    """Answer one request as scripted; True to keep the connection for the next one."""
    ok = _answer("200 OK", gateway.ok_body())
    if action == "ok":
        gateway.accept(key)
        sock.sendall(ok)
        return True
    if action.startswith("retry-after:"):
        sock.sendall(_answer("429 Too Many Requests", b"{}", f"Retry-After: {action[12:]}"))
        return True
    if action == "cut-chunked":  # a chunk promised and never finished
        sock.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n{\"Code")
    elif action == "cut-length":  # Content-Length says 100, 10 bytes come
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"CodeResu")
    elif action == "close":
        pass
    elif action == "garbage":
        sock.sendall(b"HTTP/1.1 two hundred\r\n\r\n")
    elif action == "huge-header":
        sock.sendall(b"HTTP/1.1 200 OK\r\nX-Pad: " + b"a" * 200_000 + b"\r\n\r\n")
    elif action == "trickle-headers":
        _trickle(sock, ok)
    elif action == "trickle-body":
        head, _, body = ok.partition(b"\r\n\r\n")
        sock.sendall(head + b"\r\n\r\n")
        _trickle(sock, body + b" " * 60)
    elif action == "accept-then-trickle":  # accepted, but the answer is too slow to wait for
        gateway.accept(key)
        _trickle(sock, ok)
    elif action.startswith("json:"):
        gateway.accept(key)
        sock.sendall(_answer("200 OK", action[5:].encode()))
        return True
    else:
        raise AssertionError(f"unknown action {action}")
    return False


def serve(fake: RawGateway, tls: ssl.SSLContext | None = None) -> socketserver.TCPServer:
    """Serve `fake` on 127.0.0.1 (over TLS with `tls`) from a thread; returns the server."""

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            try:
                while (request := _read_request(self.rfile)) is not None:
                    key, action = fake.next_action(*request)
                    if not act(fake, key, action, self.request):
                        return
            except OSError:  # the sender gave up on us: that is the point
                pass

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True

        def get_request(self):  # type: ignore[no-untyped-def]
            sock, address = super().get_request()
            return (tls.wrap_socket(sock, server_side=True) if tls else sock), address

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    fake.port = server.server_address[1]
    return server


@pytest.fixture
def gateway(monkeypatch: pytest.MonkeyPatch) -> Iterator[RawGateway]:
    fake = RawGateway()
    server = serve(fake)
    monkeypatch.setenv("TOOLKIT_SMS_GATEWAY_URL", f"http://127.0.0.1:{fake.port}/sms")
    monkeypatch.setenv("TOOLKIT_SMS_GATEWAY_TOKEN", TOKEN)
    yield fake
    server.shutdown()
    server.server_close()


# --- a project ready to deliver --------------------------------------------------------

def set_delivery(project: Path, **values: object) -> None:
    """Set keys of [delivery] in toolkit.toml ([delivery] is its last section)."""
    toml = project / "toolkit.toml"
    lines = toml.read_text(encoding="utf-8").splitlines()
    for name, value in values.items():
        text = f"{name} = {json.dumps(value)}"
        at = [i for i, line in enumerate(lines) if line.startswith(f"{name} =")]
        if at:
            lines[at[0]] = text
        else:
            lines.append(text)
    toml.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_recipients(folder: Path, numbers: list[str], text: str | None = None) -> Path:
    path = folder / "recipients.csv"
    path.write_text(text if text is not None else "phone\n" + "\n".join(numbers) + "\n",
                    encoding="utf-8")
    return path


@pytest.fixture
def ready(project: Path, run: Run, tmp_path: Path) -> tuple[Path, Path]:
    """Two SMS in the outbox, two recipients, fast pacing and retries, short timeouts."""
    set_delivery(project, per_minute=6000, backoff_s=0.01, timeout_s=TIMEOUT_S, retries=2)
    assert run("build", "--project", str(project), "--channel", "sms",
               "--today", "2021-03-31")[0] == 0
    return project, write_recipients(tmp_path, ["0912345678", "0987654321"])


def deliver_now(ready: tuple[Path, Path], waits: list[float] | None = None,
                log: list[str] | None = None) -> Tally:
    """Deliver in process; waits are recorded, not slept (pacing and retries alike)."""
    project, recipients = ready
    sink = log if log is not None else []
    return deliver(open_project(project), recipients, False, sink.append,
                   (waits if waits is not None else []).append)


def send(run: Run, ready: tuple[Path, Path]) -> tuple[int, str, str]:
    return run("deliver", "sms", "--project", str(ready[0]), "--to", str(ready[1]))


# --- 10: Retry-After ------------------------------------------------------------------

def test_a_retry_after_of_eleven_days_leaves_the_rest_for_later(ready, gateway) -> None:  # type: ignore[no-untyped-def]
    gateway.script = ["ok", "retry-after:999999"]
    waits: list[float] = []
    log: list[str] = []
    tally = deliver_now(ready, waits, log)
    # The default max_wait_s; before: a wait of 999999 s. (Pacing may wait, or not: the
    # first send can take longer than the 10 ms between sends.)
    assert max(waits, default=0) <= 600
    assert (tally.sent, sum(tally.failed.values()), tally.retry_later) == (1, 0, 3)
    assert len(gateway.requests) == 2  # the gateway said stop: the other two are not tried
    summary = tally.summary(False)
    assert summary.startswith("sent 1, already sent 0, failed 0, retry later 3")
    assert "999999" in summary and "max_wait_s" in summary and "only those" in summary
    assert tally.exit_status == 1
    assert any(line.startswith("retry later ") and "to +8498****321: HTTP 429" in line
               for line in log)


def test_a_rerun_after_retry_later_sends_only_those(ready, gateway, run: Run) -> None:  # type: ignore[no-untyped-def]
    gateway.script = ["ok", "retry-after:999999"]
    status, out, err = send(run, ready)
    assert "retry later 3" in out and "Traceback" not in err
    status, out, _ = send(run, ready)
    assert (status, out.strip()) == (0, "sent 3, already sent 1, failed 0")
    assert sorted(gateway.delivered.values()) == [1, 1, 1, 1]


@pytest.mark.parametrize("value", ["inf", "nan", "-5", "-0", "1e3", "3.5", "0x10", " ", "",
                                   "\u0663", "\uff19", "9" * 5000, "99999999999999999999",
                                   "Mon, 99 Foo 2021 99:99:99 GMT", "Tue, 1 Jan 1 00:00:00 GMT"])
def test_a_retry_after_that_is_no_number_means_the_usual_backoff(ready, gateway,  # type: ignore[no-untyped-def]
                                                                 run: Run, value: str) -> None:
    gateway.script = [f"retry-after:{value}"]
    set_delivery(ready[0], backoff_s=0.05)
    waits: list[float] = []
    tally = deliver_now(ready, waits)
    assert tally.sent == 4, tally.summary(False)
    assert all(0 <= w <= 0.1 for w in waits), waits  # backoff with jitter, not the value


def test_retry_after_inf_is_no_traceback_from_the_command(ready, gateway, run: Run) -> None:  # type: ignore[no-untyped-def]
    gateway.script = ["retry-after:inf"]
    status, out, _ = send(run, ready)
    assert (status, out.strip()) == (0, "sent 4, already sent 0, failed 0")


def test_a_retry_after_date_is_honoured_and_a_far_one_is_too_long(ready, gateway) -> None:  # type: ignore[no-untyped-def]
    soon = formatdate(time.time() + 5, usegmt=True)
    far = formatdate(time.time() + 86400 * 30, usegmt=True)
    gateway.script = [f"retry-after:{soon}", f"retry-after:{far}"]
    waits: list[float] = []
    tally = deliver_now(ready, waits)
    assert any(3 <= w <= 5 for w in waits) and max(waits) <= 5
    assert (tally.sent, tally.retry_later) == (0, 4)


def test_the_waits_of_one_message_are_bounded_together(ready, gateway) -> None:  # type: ignore[no-untyped-def]
    set_delivery(ready[0], max_wait_s=100, retries=5)
    gateway.script = ["retry-after:60"] * 3
    waits: list[float] = []
    tally = deliver_now(ready, waits)
    assert sum(w for w in waits if w >= 1) == 60  # one wait of 60; a second would pass 100
    assert tally.retry_later == 4 and tally.sent == 0


def test_the_backoff_of_many_retries_stays_within_max_wait(ready, gateway) -> None:  # type: ignore[no-untyped-def]
    set_delivery(ready[0], max_wait_s=3, retries=20, backoff_s=1.0)
    gateway.script = ["close"] * 3  # the third try comes when no waiting is left
    waits: list[float] = []
    tally = deliver_now(ready, waits)
    assert 2.9 <= sum(w for w in waits if w > 0.02) <= 3 + 1e-9  # before: 1 + 2 + 4 + ...
    assert (tally.sent, tally.retry_later) == (3, 1)


def test_max_wait_must_be_a_sane_number(ready, gateway, run: Run) -> None:  # type: ignore[no-untyped-def]
    set_delivery(ready[0], max_wait_s=-1)
    status, _, err = send(run, ready)
    assert status == 1 and "delivery.max_wait_s" in err and gateway.requests == []


# --- 11: answers cut off, trickled, or not what eSMS sends --------------------------------

@pytest.mark.parametrize("action", ["cut-chunked", "cut-length"])
def test_an_answer_cut_off_after_an_accepting_status_counts_as_sent(ready, gateway,  # type: ignore[no-untyped-def]
                                                                    action: str) -> None:
    gateway.script = [action]  # the JSON adapter's answer is its status: 200 is accepted
    tally = deliver_now(ready)
    assert (tally.sent, sum(tally.failed.values())) == (4, 0)
    assert len(gateway.requests) == 4


@pytest.mark.parametrize("action", ["cut-chunked", "cut-length", "close", "garbage",
                                    "huge-header", "trickle-headers", "trickle-body"])
def test_esms_answers_cut_off_or_trickled_are_retried(ready, gateway, monkeypatch,  # type: ignore[no-untyped-def]
                                                      action: str) -> None:
    use_esms(ready, gateway, monkeypatch)
    gateway.script = [action]
    started = time.monotonic()
    tally = deliver_now(ready)
    assert time.monotonic() - started < 2.5
    assert (tally.sent, sum(tally.failed.values()), tally.retry_later) == (4, 0, 0)
    assert Counter(r["key"] for r in gateway.requests).most_common(1)[0][1] == 2  # one retry
    assert sorted(gateway.delivered.values()) == [1, 1, 1, 1]


@pytest.mark.parametrize("action", ["trickle-headers", "trickle-body"])
def test_a_trickled_answer_cannot_outlast_timeout_s(ready, gateway, monkeypatch,  # type: ignore[no-untyped-def]
                                                   action: str) -> None:
    use_esms(ready, gateway, monkeypatch)
    set_delivery(ready[0], retries=0)
    gateway.script = [action] * 4
    log: list[str] = []
    started = time.monotonic()
    tally = deliver_now(ready, log=log)
    elapsed = time.monotonic() - started
    assert elapsed < 4 * TIMEOUT_S + 1.0, elapsed  # before: about 4 s for each request
    assert (tally.sent, sum(tally.failed.values())) == (0, 4)
    assert f"no full answer within {TIMEOUT_S:g} s" in tally.summary(False)


@pytest.fixture
def tls_gateway(gateway: RawGateway, tmp_path: Path,  # the plain one stays unused
                monkeypatch: pytest.MonkeyPatch) -> Iterator[RawGateway]:
    """The same gateway over HTTPS, with a certificate for 127.0.0.1 the sender trusts."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    fake = RawGateway()
    server = serve(fake, context)
    monkeypatch.setenv("TOOLKIT_SMS_GATEWAY_URL", f"https://127.0.0.1:{fake.port}/sms")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
    yield fake
    server.shutdown()
    server.server_close()


def test_the_deadline_holds_over_https_too(ready, tls_gateway) -> None:  # type: ignore[no-untyped-def]
    set_delivery(ready[0], retries=1)
    tls_gateway.script = ["trickle-headers", "ok", "trickle-headers"]
    started = time.monotonic()
    tally = deliver_now(ready)
    assert time.monotonic() - started < 2 * TIMEOUT_S + 1.0
    assert (tally.sent, sum(tally.failed.values())) == (4, 0)
    assert sorted(tls_gateway.delivered.values()) == [1, 1, 1, 1]


def test_a_send_whose_answer_timed_out_is_retried_with_the_same_key(ready, gateway,  # type: ignore[no-untyped-def]
                                                                   monkeypatch) -> None:
    use_esms(ready, gateway, monkeypatch)
    gateway.script = ["accept-then-trickle"]
    tally = deliver_now(ready)
    assert tally.sent == 4
    first = gateway.requests[0]["key"]
    assert [r["key"] for r in gateway.requests].count(first) == 2
    assert sorted(gateway.delivered.values()) == [1, 1, 1, 1]  # the retry was not a second SMS


@pytest.mark.parametrize("answer", ['[{"CodeResult": "100"}]', "null", '"100"', "100", "[]",
                                    "[" * 10_000 + "]" * 10_000, "{\"CodeResult\": ",
                                    '{"CodeResult": 100}'])
def test_esms_json_that_is_no_object_is_a_failure_with_why(ready, gateway, monkeypatch,  # type: ignore[no-untyped-def]
                                                           answer: str) -> None:
    use_esms(ready, gateway, monkeypatch)
    gateway.script = [f"json:{answer}"]
    tally = deliver_now(ready)
    if answer == '{"CodeResult": 100}':  # a number is as good as the string
        assert tally.sent == 4
        return
    assert (tally.sent, sum(tally.failed.values())) == (3, 1), tally.summary(False)
    assert "eSMS" in tally.summary(False)


def test_nothing_a_gateway_answers_aborts_the_command(ready, gateway, run: Run,  # type: ignore[no-untyped-def]
                                                      monkeypatch) -> None:
    use_esms(ready, gateway, monkeypatch)
    gateway.script = ["cut-chunked", "json:[1]", "garbage", "cut-length"]
    _, out, err = send(run, ready)
    assert out.startswith("sent 3, already sent 0, failed 1") and "Traceback" not in err


def use_esms(ready: tuple[Path, Path], gateway: RawGateway,
             monkeypatch: pytest.MonkeyPatch) -> None:
    gateway.esms = True
    set_delivery(ready[0], adapter="esms")
    monkeypatch.setenv("TOOLKIT_SMS_GATEWAY_TOKEN", "KEY:SECRET")


# --- 12: the ledger at rest ---------------------------------------------------------

def unkeyed(message_id: str, text: str, number: str) -> str:
    """The key of the old version: sha256 of message, text and number, unkeyed."""
    return hashlib.sha256(f"{message_id}\0{text}\0{number}".encode()).hexdigest()[:32]


def messages_of(project: Path) -> dict[str, str]:
    from toolkit.channels.sms import read_messages

    return dict(read_messages(project / "outbox") or [])


def guess_numbers(ledger: Path, texts: dict[str, str]) -> list[str]:
    """The attack of the issue: guess the four hidden digits of each masked number."""
    rows = sqlite3.connect(ledger).execute("SELECT key, message, masked FROM sends").fetchall()
    found = []
    for key, message_id, masked in rows:
        head, tail = masked.split("****")
        for hidden in range(10_000):
            number = f"{head}{hidden:04d}{tail}"
            if unkeyed(message_id, texts[message_id], number) == key:
                found.append(number)
                break
    return found


def test_the_ledger_gives_no_number_away_to_guessing(ready, gateway, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project, _ = ready
    numbers = [f"09{i:02d}12{i:02d}78" for i in range(20)]
    recipients = write_recipients(tmp_path, numbers)
    tally = deliver_now((project, recipients))
    assert tally.sent == 40
    ledger = project / ".toolkit-ledger.sqlite"
    started = time.monotonic()
    assert guess_numbers(ledger, messages_of(project)) == []  # before: all 20, in about 1 s
    assert time.monotonic() - started < 10
    data = ledger.read_bytes()
    assert not any(n[1:].encode() in data for n in numbers)


def test_the_ledger_key_is_private_and_outside_what_is_published(ready, gateway) -> None:  # type: ignore[no-untyped-def]
    project, _ = ready
    deliver_now(ready)
    key = project / ".toolkit-ledger.key"
    assert len(key.read_bytes()) == 32
    if os.name == "posix":
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert not list((project / "outbox").rglob("*.key")) and not list(
        (project / "content").rglob("*.key"))


def old_ledger(project: Path, rows: list[tuple[str, str, str]]) -> list[str]:
    """A ledger as the old version wrote it: (message id, text, number) per row."""
    connection = sqlite3.connect(project / ".toolkit-ledger.sqlite")
    connection.execute("CREATE TABLE sends (key TEXT PRIMARY KEY, message TEXT, "
                       "masked TEXT, answer TEXT, at TEXT DEFAULT CURRENT_TIMESTAMP)")
    keys = [unkeyed(*row) for row in rows]
    with connection:
        connection.executemany("INSERT INTO sends (key, message, masked, answer) "
                               "VALUES (?, ?, ?, 'HTTP 200')",
                               [(k, r[0], mask(r[2])) for k, r in zip(keys, rows, strict=False)])
    connection.close()
    return keys


def test_an_old_ledger_is_honoured_and_its_keys_rewritten(ready, gateway) -> None:  # type: ignore[no-untyped-def]
    project, _ = ready
    texts = messages_of(project)
    keys = old_ledger(project, [("khai-sinh", texts["khai-sinh"], "+84912345678"),
                                ("gone", "a message no longer in the outbox", "+84912345678")])
    tally = deliver_now(ready)
    assert (tally.sent, tally.already) == (3, 1)  # no second SMS for the recorded send
    assert "+84912345678" not in {r["to"] for r in gateway.requests
                                  if r["text"] == texts["khai-sinh"]}
    data = (project / ".toolkit-ledger.sqlite").read_bytes()
    assert not any(key.encode() in data for key in keys)  # no unkeyed hash is left at rest
    assert guess_numbers(project / ".toolkit-ledger.sqlite", {**texts, "gone": ""}) == []
    again = deliver_now(ready)
    assert (again.sent, again.already) == (0, 4)
    assert len(gateway.requests) == 3


def test_a_missing_key_is_refused_not_replaced(ready, gateway, run: Run) -> None:  # type: ignore[no-untyped-def]
    project, _ = ready
    assert send(run, ready)[0] == 0
    (project / ".toolkit-ledger.key").unlink()
    before = len(gateway.requests)
    status, _, err = send(run, ready)
    assert status == 1 and len(gateway.requests) == before
    assert ".toolkit-ledger.key" in err and "backup" in err and "Traceback" not in err
    assert not (project / ".toolkit-ledger.key").exists()


def test_a_wrong_key_is_refused(ready, gateway, run: Run) -> None:  # type: ignore[no-untyped-def]
    project, _ = ready
    assert send(run, ready)[0] == 0
    (project / ".toolkit-ledger.key").write_bytes(os.urandom(32))
    before = len(gateway.requests)
    status, _, err = send(run, ready)
    assert status == 1 and len(gateway.requests) == before
    assert "does not match" in err and ".toolkit-ledger.key" in err


# --- 13: the gateway's address is never printed ---------------------------------------

@pytest.mark.parametrize("url", ["secret-gw.invalid/sms?token=SECRET",
                                 "ftp://secret-gw.invalid/sms?token=SECRET",
                                 "http:///sms?token=SECRET", "https://", "SECRET",
                                 "http://[::1/sms?token=SECRET",
                                 "http://secret-gw.invalid:99999/sms?token=SECRET",
                                 "http://secret-gw.invalid/ sms?token=SECRET"])
def test_a_bad_gateway_url_is_named_not_printed(ready, gateway, run: Run, url: str,  # type: ignore[no-untyped-def]
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOOLKIT_SMS_GATEWAY_URL", url)
    status, out, err = send(run, ready)
    assert status == 1 and "TOOLKIT_SMS_GATEWAY_URL" in err
    assert "SECRET" not in out + err and "secret-gw.invalid" not in out + err


def test_transport_errors_say_no_more_than_scheme_and_host(ready, gateway, run: Run,  # type: ignore[no-untyped-def]
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as unused:  # a port nobody listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    monkeypatch.setenv("TOOLKIT_SMS_GATEWAY_URL",
                       f"http://user:PASSWORD@127.0.0.1:{port}/sms/SECRET?token=SECRET")
    set_delivery(ready[0], retries=0)
    status, out, err = send(run, ready)
    assert status == 1 and "failed 4" in out
    assert "SECRET" not in out + err and "PASSWORD" not in out + err


# --- 14: recipients as Excel writes them ------------------------------------------

def test_a_semicolon_file_from_a_vietnamese_excel_is_delivered(ready, gateway, tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = ("\ufeffSĐT;Họ và tên;Ghi chú\r\n901234567;Nguyễn An;\"a; b\"\r\n"
            "9,01234568E+08;Trần Bình;\r\n0901234569.0;Lê Chi;\r\n9,01235E+08;Phạm Dũng;\r\n")
    recipients = tmp_path / "recipients.csv"
    recipients.write_bytes(text.encode("utf-8"))
    tally = deliver_now((ready[0], recipients))
    assert tally.sent == 6
    assert {r["to"] for r in gateway.requests} == {"+84901234567", "+84901234568",
                                                   "+84901234569"}
    assert [str(p) for p in tally.problems] == [
        ("recipients.csv:5: phone: 9,012****+08 has lost its last digits in Excel "
         "(shown in scientific notation) -> in Excel, format the column as Text, "
         "type the numbers again, and save as CSV UTF-8")]
