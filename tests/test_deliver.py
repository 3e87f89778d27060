"""SMS delivery against a local gateway that fails, times out, rate-limits and accepts."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from toolkit import i18n
from toolkit.deliver.phones import mask, normalise
from toolkit.deliver.sms import deliver
from toolkit.project import open_project

Run = Callable[..., tuple[int, str, str]]
TOKEN = "s3cret-token"


@dataclass
class FakeGateway:
    """Answers each request as its script says; accepts an Idempotency-Key once."""

    script: list[str] = field(default_factory=list)
    requests: list[dict[str, str]] = field(default_factory=list)
    delivered: Counter[str] = field(default_factory=Counter)
    esms: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, headers: dict[str, str], body: dict[str, str]) -> tuple[int, dict, float]:
        with self.lock:
            key = body.get("RequestId") if self.esms else headers.get("Idempotency-Key", "")
            self.requests.append({**body, **headers, "key": key or ""})
            action = self.script.pop(0) if self.script else "ok"
        if action == "500":
            return 500, {}, 0
        if action == "429":
            return 429, {"Retry-After": "0"}, 0
        if action == "400":
            return 400, {}, 0
        if action.startswith("sleep"):
            time.sleep(float(action[5:]))
        with self.lock:
            first = self.delivered[key] == 0
            self.delivered[key] += 1 if first else 0
        return 200, {}, 0


@pytest.fixture
def gateway(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGateway]:
    fake = FakeGateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            status, headers, _ = fake.answer(dict(self.headers), body)
            payload = json.dumps({"CodeResult": "100"} if fake.esms and status == 200
                                 else {"ok": status == 200}).encode()
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    monkeypatch.setenv("TOOLKIT_SMS_GATEWAY_URL", f"http://127.0.0.1:{server.server_address[1]}/")
    monkeypatch.setenv("TOOLKIT_SMS_GATEWAY_TOKEN", TOKEN)
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def ready(project: Path, run: Run, tmp_path: Path) -> tuple[Path, Path]:
    """A project with two SMS in its outbox, fast retries, and two recipients."""
    toml = project / "toolkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8")
                    .replace("per_minute = 60", "per_minute = 6000")
                    .replace("backoff_s = 1.0", "backoff_s = 0.01")
                    .replace("timeout_s = 10", "timeout_s = 0.5"), encoding="utf-8")
    assert run("build", "--project", str(project), "--channel", "sms",
               "--today", "2021-03-31")[0] == 0
    recipients = tmp_path / "recipients.csv"
    recipients.write_text("phone,name\n0912345678,An\n+84 98 765 4321,Bình\nabc,Sai\n",
                          encoding="utf-8")
    return project, recipients


def send(run: Run, ready: tuple[Path, Path], *extra: str) -> tuple[int, str, str]:
    return run("deliver", "sms", "--project", str(ready[0]), "--to", str(ready[1]), *extra)


def test_every_message_reaches_every_recipient_once(ready, gateway, run: Run) -> None:  # type: ignore[no-untyped-def]
    status, out, err = send(run, ready)
    assert status == 0
    assert out.strip() == "sent 4, already sent 0, failed 0"
    assert sorted(gateway.delivered.values()) == [1, 1, 1, 1]
    assert {r["to"] for r in gateway.requests} == {"+84912345678", "+84987654321"}
    sender = open_project(ready[0]).settings.sms.sender
    assert all(r["Authorization"] == f"Bearer {TOKEN}" and r["sender"] == sender
               for r in gateway.requests)
    assert "recipients.csv:4: phone: **** is not a Vietnamese mobile number" in err
    assert TOKEN not in out + err and "0912345678" not in err and "+84912345678" not in err
    assert "sent khai-sinh to +8491****678" in err


def test_a_second_run_sends_nothing_again(ready, gateway, run: Run) -> None:  # type: ignore[no-untyped-def]
    send(run, ready)
    before = len(gateway.requests)
    status, out, _ = send(run, ready)
    assert (status, out.strip()) == (0, "sent 0, already sent 4, failed 0")
    assert len(gateway.requests) == before


def test_failures_timeouts_and_rate_limits_are_retried(ready, gateway, run: Run) -> None:  # type: ignore[no-untyped-def]
    gateway.script = ["500", "sleep1.0", "429", "ok", "500", "ok"]
    status, out, _ = send(run, ready)
    assert (status, out.strip()) == (0, "sent 4, already sent 0, failed 0")
    assert sorted(gateway.delivered.values()) == [1, 1, 1, 1]
    keys = Counter(r["key"] for r in gateway.requests)
    assert max(keys.values()) == 4  # the first send: 500, timeout, 429, then accepted


def test_a_refusal_is_not_retried_and_a_rerun_sends_it(ready, gateway, run: Run) -> None:  # type: ignore[no-untyped-def]
    gateway.script = ["400"]
    status, out, _ = send(run, ready)
    assert (status, out.strip()) == (1, "sent 3, already sent 0, failed 1 (1 HTTP 400)")
    assert len(gateway.requests) == 4
    status, out, _ = send(run, ready)
    assert (status, out.strip()) == (0, "sent 1, already sent 3, failed 0")
    assert sorted(gateway.delivered.values()) == [1, 1, 1, 1]


def test_retries_give_up_after_the_configured_number(ready, gateway, run: Run) -> None:  # type: ignore[no-untyped-def]
    gateway.script = ["500"] * 6
    status, out, _ = send(run, ready)
    assert status == 1 and "failed 1 (1 HTTP 500)" in out
    assert Counter(r["key"] for r in gateway.requests).most_common(1)[0][1] == 6


def test_a_killed_run_then_a_rerun_delivers_each_once(ready, gateway, run: Run) -> None:  # type: ignore[no-untyped-def]
    gateway.script = ["ok", "sleep0.4"]  # the second send is accepted as the sender dies
    project, recipients = ready
    code = ("import sys; from toolkit.cli import main; "
            f"sys.exit(main(['deliver', 'sms', '--project', {str(project)!r}, "
            f"'--to', {str(recipients)!r}]))")
    child = subprocess.Popen([sys.executable, "-c", code], env=os.environ.copy(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while len(gateway.requests) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait()
    time.sleep(0.5)  # the gateway finishes the request it was holding
    assert sum(gateway.delivered.values()) == 2
    status, _out, _ = send(run, ready)
    assert status == 0
    assert sorted(gateway.delivered.values()) == [1, 1, 1, 1]  # the resent key was refused


def test_dry_run_sends_nothing(ready, gateway, run: Run) -> None:  # type: ignore[no-untyped-def]
    status, out, _ = send(run, ready, "--dry-run")
    assert (status, out.splitlines()[-1]) == (0, "would send 4, already sent 0 (dry run)")
    assert gateway.requests == []


def test_esms_adapter_speaks_its_form(ready, gateway, run: Run,  # type: ignore[no-untyped-def]
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    gateway.esms = True
    toml = ready[0] / "toolkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('adapter = "json"',
                                                             'adapter = "esms"'),
                    encoding="utf-8")
    monkeypatch.setenv("TOOLKIT_SMS_GATEWAY_TOKEN", "KEY:SECRET")
    status, out, _ = send(run, ready)
    assert (status, out.strip()) == (0, "sent 4, already sent 0, failed 0")
    first = gateway.requests[0]
    assert (first["ApiKey"], first["SecretKey"], first["Brandname"], first["SmsType"],
            first["IsUnicode"]) == ("KEY", "SECRET", open_project(ready[0]).settings.sms.sender,
                                    "2", "0")
    assert first["Phone"] == "0912345678" and len(first["RequestId"]) == 32


def test_recipients_inside_content_are_refused(ready, gateway, run: Run) -> None:  # type: ignore[no-untyped-def]
    inside = ready[0] / "content" / "recipients.csv"
    inside.write_text("phone\n0912345678\n", encoding="utf-8")
    status, _, err = run("deliver", "sms", "--project", str(ready[0]), "--to", str(inside))
    assert status == 1 and "holds personal data" in err
    assert gateway.requests == []


def test_sends_are_paced_to_the_rate(ready, gateway) -> None:  # type: ignore[no-untyped-def]
    project, recipients = ready
    toml = project / "toolkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("per_minute = 6000",
                                                             "per_minute = 60"),
                    encoding="utf-8")
    waits: list[float] = []
    tally = deliver(open_project(project), recipients, False, lambda line: None, waits.append)
    assert tally.sent == 4
    assert len(waits) == 3 and all(0.9 < w <= 1.0 for w in waits)


@pytest.mark.parametrize("raw, expected", [
    ("0912345678", "+84912345678"), ("+84912345678", "+84912345678"),
    ("84912345678", "+84912345678"), ("0912 345 678", "+84912345678"),
    ("091.234.5678", "+84912345678"), ("0084912345678", "+84912345678"),
    ("(+84) 38-123-4567", "+84381234567"),
    ("091234567", None), ("09123456789", None), ("0212345678", None), ("abc", None), ("", None),
])
def test_numbers_are_normalised_to_plus_84(raw: str, expected: str | None) -> None:
    assert normalise(raw) == expected


def test_numbers_are_masked() -> None:
    assert mask("+84912345678") == "+8491****678"


def test_retry_after_may_be_seconds_or_a_date() -> None:
    from email.utils import formatdate

    from toolkit.deliver.gateway import parse_retry_after

    assert parse_retry_after("3") == 3.0 and parse_retry_after(" 120 ") == 120.0
    assert 8 <= parse_retry_after(formatdate(time.time() + 10, usegmt=True)) <= 10  # type: ignore[operator]
    assert parse_retry_after(formatdate(time.time() - 10, usegmt=True)) == 0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "-1", "+1", "1.5", "1e3", "0x1",
                                   "\u0663", "\uff19", "9" * 5000, str(400 * 86400),
                                   "Fri, 31 Dec 9999 23:59:59 GMT",
                                   "Mon, 32 Jan 2021 00:00:00 GMT"])
def test_retry_after_is_read_strictly(value: str) -> None:
    from toolkit.deliver.gateway import parse_retry_after

    assert parse_retry_after(value) is None


# --- recipients as Excel writes them ---------------------------------------------

def read(tmp_path: Path, text: str | bytes) -> tuple[list[str], list[str]]:
    from toolkit.deliver.recipients import read_recipients

    path = tmp_path / "recipients.csv"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    found = read_recipients(path)
    return found.numbers, [str(p) for p in found.problems]


@pytest.mark.parametrize("text", [
    "phone,name\n0912345678,An\n",
    "phone;name\n0912345678;An\n",
    "phone\tname\n0912345678\tAn\n",
    "\ufeffPhone;Họ tên\r\n0912345678;An\r\n",
    '"PHONE";"Họ tên"\r\n"0912345678";"Nguyễn, An"\r\n',
    " phone ;name\n0912345678;An\n",
    "SĐT;Họ và tên\n0912345678;An\n",
    "Số điện thoại,Tên\n0912345678,An\n",
    "Phone_Number:,Tên\n0912345678,An\n",
    "Họ và tên;Số điện thoại;Ghi chú\nAn;0912345678;\"a;b\"\n",
    "sep=;\nphone;name\n0912345678;An\n",
    "\n\nphone;;;\n0912345678;;;\n;;;\n",
    "phone\n0912345678\n",
])
def test_recipients_are_read_with_any_delimiter_and_header(tmp_path: Path, text: str) -> None:
    assert read(tmp_path, text) == (["+84912345678"], [])


def test_recipients_exported_as_unicode_text_are_read(tmp_path: Path) -> None:
    text = "Họ tên\tSĐT\r\nAn\t0912345678\r\n"
    assert read(tmp_path, b"\xff\xfe" + text.encode("utf-16-le")) == (["+84912345678"], [])


@pytest.mark.parametrize("cell, number", [
    ("901234567", "+84901234567"), ("9.01234567E8", "+84901234567"),
    ("9,01234567E+08", "+84901234567"), ("9.01234567e+08", "+84901234567"),
    ("0901234567.0", "+84901234567"), ("901234567,0", "+84901234567"),
    ("901234567.00", "+84901234567"), ("84901234567", "+84901234567"),
    ("8.4901234567E+10", "+84901234567"), ("9.012345670E8", "+84901234567"),
    ("9.0123456701E8", None),
])
def test_numbers_excel_mangled_are_recovered(tmp_path: Path, cell: str,
                                             number: str | None) -> None:
    numbers, problems = read(tmp_path, f"phone;name\n{cell};An\n")
    if number is None:
        assert numbers == [] and len(problems) == 1  # 901234567.01: no integer, no number
    else:
        assert (numbers, problems) == ([number], [])


@pytest.mark.parametrize("cell, problem", [
    ("9.01235E+08", "recipients.csv:3: phone: 9.012****+08 has lost its last digits"),
    ("9,0123457E+08", "recipients.csv:3: phone: 9,012****+08 has lost its last digits"),
    ("901234567,5", "recipients.csv:3: phone: 90123****7,5 is not a Vietnamese mobile"),
    ("212345678", "recipients.csv:3: phone: 21234****678 is not a Vietnamese mobile"),
    ("091234567.0", "recipients.csv:3: phone: 09123****7.0 is not a Vietnamese mobile"),
    ("", "recipients.csv:3: phone: empty is not a Vietnamese mobile number"),
])
def test_numbers_that_cannot_be_read_unambiguously_are_reported_masked(
        tmp_path: Path, cell: str, problem: str) -> None:
    numbers, problems = read(tmp_path, f"phone;name\n0987654321;Binh\n{cell};An\n")
    assert numbers == ["+84987654321"]
    assert len(problems) == 1 and problems[0].startswith(problem), problems


def test_repeated_numbers_are_sent_once_in_file_order(tmp_path: Path) -> None:
    text = "phone\n0912345678\n0987654321\n+84912345678\n901234567\n0901234567\n"
    assert read(tmp_path, text) == (["+84912345678", "+84987654321", "+84901234567"], [])


@pytest.mark.parametrize("text, problem", [
    ("name;email\nAn;a@b\n", "there is no column named phone"),
    ("phone;SĐT\n0912;0912\n", ""),
    ("SĐT;Số điện thoại\n0912;0912\n", "2 columns could be the phone column"),
])
def test_a_file_without_one_phone_column_is_refused(tmp_path: Path, text: str,
                                                    problem: str) -> None:
    from toolkit.problems import ProblemError

    if not problem:  # "phone" itself wins over a second candidate
        read(tmp_path, text)
        return
    with pytest.raises(ProblemError, match=problem):
        read(tmp_path, text)


def test_a_hundred_thousand_recipients_are_read_in_a_few_seconds(tmp_path: Path) -> None:
    rows = "".join(f"09{i:08d};Nguyễn Văn {i}\n" for i in range(100_000))
    started = time.monotonic()
    numbers, problems = read(tmp_path, "SĐT;Họ tên\n" + rows)
    assert len(numbers) == 100_000 and problems == []
    assert time.monotonic() - started < 5  # before: 97 s (a list lookup per row)


# --- what goes to whom: the dry run, and the question before a send ----------------


def with_duplicates(ready: tuple[Path, Path]) -> tuple[Path, Path]:
    """The recipients of `ready`, one of them written twice (in another form)."""
    ready[1].write_text("phone,name\n0912345678,An\n+84 98 765 4321,Bình\n0912 345 678,An\n",
                        encoding="utf-8")
    return ready


def test_a_dry_run_lists_each_message_to_whom_and_what_was_merged(ready, gateway,  # type: ignore[no-untyped-def]
                                                                  run: Run) -> None:
    status, out, err = send(run, with_duplicates(ready), "--dry-run")
    assert status == 0 and gateway.requests == []
    lines = out.splitlines()
    assert lines[0].startswith('tong-dai-1022: "') and "Tong dai 1022" in lines[0]
    assert lines[1] == "  to all 2 recipients listed below"
    assert lines[2].startswith('khai-sinh: "') and "Dang ky khai sinh" in lines[2]
    assert lines[4:] == [
        "2 recipients in recipients.csv:",
        "  +8491****678 (lines 2, 4)",
        "  +8498****321 (line 3)",
        "1 number is written more than once in recipients.csv; it gets each message once:",
        "  +8491****678: lines 2, 4",
        "would send 4, already sent 0 (dry run)",
    ]
    assert "0912345678" not in out + err and "987654321" not in out + err


def test_a_dry_run_after_a_failure_names_who_still_gets_what(ready, gateway,  # type: ignore[no-untyped-def]
                                                             run: Run) -> None:
    gateway.script = ["400"]  # the first send, tong-dai-1022 to +8491****678, is refused
    send(run, ready)
    status, out, _ = send(run, ready, "--dry-run")
    assert status == 0
    lines = out.splitlines()
    assert lines[1] == "  to 1 recipient (the others have it already): +8491****678"
    assert lines[3] == "  sent to every recipient already: nothing to send"
    assert lines[-1] == "would send 1, already sent 3 (dry run)"


def test_a_dry_run_in_vietnamese(ready, gateway, run: Run) -> None:  # type: ignore[no-untyped-def]
    i18n.use("vi")
    status, out, _ = send(run, with_duplicates(ready), "--dry-run")
    assert status == 0
    assert "  tới cả 2 người nhận liệt kê dưới đây" in out.splitlines()
    assert "  +8491****678 (dòng 2, 4)" in out.splitlines()
    assert out.splitlines()[-1] == "sẽ gửi 4, đã gửi từ trước 0 (chạy thử)"


class Terminal(io.StringIO):
    """Standard input as a person at a terminal has it."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def answer(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Run on a terminal; the answer given is the list's first item (set it before the
    command runs), replaced by "asked" once it is asked for."""
    given: list[str] = []
    monkeypatch.setattr(sys, "stdin", Terminal())

    def ask(prompt: str = "") -> str:
        reply = given.pop(0)
        given.append("asked")
        if reply == "EOF":
            raise EOFError
        return reply

    monkeypatch.setattr("builtins.input", ask)
    return given


@pytest.mark.parametrize("reply", ["n", "", "không", "EOF"])
def test_a_send_on_a_terminal_asks_first_and_stops_on_no(ready, gateway, run: Run,  # type: ignore[no-untyped-def]
                                                         answer: list[str], reply: str) -> None:
    answer.append(reply)
    status, out, err = send(run, with_duplicates(ready))
    assert (status, out) == (1, "nothing was sent: sending was not confirmed\n")
    assert gateway.requests == []
    assert answer == ["asked"]
    assert err.endswith("4 SMS in all: 2 messages to 2 recipients\n"
                        "Send them now? Type y to send, anything else to stop: ")
    assert "  +8491****678: lines 2, 4" in err.splitlines()
    assert "tong-dai-1022: " in err and "0912345678" not in err


@pytest.mark.parametrize("reply", ["y", "Yes", " c ", "có"])
def test_a_send_on_a_terminal_goes_once_confirmed(ready, gateway, run: Run,  # type: ignore[no-untyped-def]
                                                  answer: list[str], reply: str) -> None:
    answer.append(reply)
    status, out, _ = send(run, ready)
    assert (status, out) == (0, "sent 4, already sent 0, failed 0\n")
    assert sorted(gateway.delivered.values()) == [1, 1, 1, 1]


def test_yes_sends_without_asking(ready, gateway, run: Run, answer: list[str]) -> None:  # type: ignore[no-untyped-def]
    status, out, _ = send(run, ready, "--yes")
    assert (status, out) == (0, "sent 4, already sent 0, failed 0\n")
    assert answer == []  # never asked


def test_nothing_left_to_send_asks_nothing(ready, gateway, run: Run, answer: list[str]) -> None:  # type: ignore[no-untyped-def]
    send(run, ready, "--yes")
    status, out, _ = send(run, ready)
    assert (status, out) == (0, "sent 0, already sent 4, failed 0\n") and answer == []


def test_not_on_a_terminal_it_sends_without_asking(ready, gateway, run: Run,  # type: ignore[no-untyped-def]
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def never(prompt: str = "") -> str:
        raise AssertionError("asked")

    monkeypatch.setattr("builtins.input", never)
    status, _, err = send(run, with_duplicates(ready))
    assert status == 0 and sorted(gateway.delivered.values()) == [1, 1, 1, 1]
    assert "  +8491****678: lines 2, 4" in err.splitlines()  # the cron log says so too
