"""What must hold after a step: exit code, output patterns, an HTTP answer on 127.0.0.1."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from typing import Optional

from .model import Expect, HttpCheck


def output_failures(expect: Expect, exit_code: Optional[int], stdout: str, stderr: str,
                    earlier_stdout: dict[str, str]) -> list[str]:
    failures = []
    if exit_code != expect.exit:
        failures.append(f"종료 코드가 {expect.exit}이어야 하는데 {exit_code}입니다 (exit code {exit_code}, expected {expect.exit})")
    if expect.stdout is not None and not re.search(expect.stdout, stdout, re.MULTILINE):
        failures.append(f"표준 출력에 /{expect.stdout}/ 가 없습니다 (stdout does not match)")
    if expect.stdout_not is not None and re.search(expect.stdout_not, stdout, re.MULTILINE):
        failures.append(f"표준 출력에 /{expect.stdout_not}/ 가 있으면 안 됩니다 (stdout must not match)")
    if expect.stderr is not None and not re.search(expect.stderr, stderr, re.MULTILINE):
        failures.append(f"표준 오류에 /{expect.stderr}/ 가 없습니다 (stderr does not match)")
    for stream, text, patterns in (("stdout", stdout, expect.stdout_has), ("stderr", stderr, expect.stderr_has)):
        for pattern in patterns:
            if not re.search(pattern, text, re.MULTILINE):
                failures.append(f"{'표준 출력' if stream == 'stdout' else '표준 오류'}에 /{pattern}/ 가 없습니다 "
                                f"({stream} does not match)")
    if expect.same_stdout_as is not None:
        wanted = earlier_stdout.get(expect.same_stdout_as)
        if wanted is None or wanted.strip() != stdout.strip():
            failures.append(f"출력이 '{expect.same_stdout_as}' 단계의 출력({(wanted or '').strip()!r})과 "
                            f"같아야 합니다 (stdout {stdout.strip()!r} differs)")
    return failures


def http_failures(check: HttpCheck, deadline_cap: Optional[float] = None) -> list[str]:
    """Polls the URL until status and body hold, or the check's timeout passes."""
    deadline = time.monotonic() + check.timeout
    if deadline_cap is not None:
        deadline = min(deadline, deadline_cap)
    last = "응답 없음 (no answer)"
    while True:
        # A slow answer is still an answer: a busy machine can take many seconds to render a
        # PHP page, and a short per-request limit would turn every poll into a timeout.
        status, body, last_error = _get(check.url, max(1.0, min(REQUEST_SECONDS, deadline - time.monotonic())))
        if status is not None:
            last = f"HTTP {status}"
            if status == check.status and (check.body is None or re.search(check.body, body)):
                return []
            if status == check.status:
                last += f", 본문에 /{check.body}/ 없음 (body does not match)"
        else:
            last = last_error
        if time.monotonic() >= deadline:
            return [f"{check.url} 이(가) {check.timeout:g}초 안에 HTTP {check.status}"
                    f"{'와 /' + check.body + '/' if check.body else ''}을(를) 돌려주지 않았습니다; 마지막: {last}"]
        time.sleep(0.3)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


REQUEST_SECONDS = 30
_opener = urllib.request.build_opener(_NoRedirect, urllib.request.ProxyHandler({}))


def _get(url: str, timeout: float) -> tuple[Optional[int], str, str]:
    try:
        with _opener.open(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace"), ""
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace"), ""
    except (urllib.error.URLError, OSError) as error:
        return None, "", f"{error.__class__.__name__}: {getattr(error, 'reason', error)}"
