"""`python -m labs new CHAPTER/ID`: a new lab folder that loads, passes `labs check`, and says
what to fill in. It runs nothing; record it with `python -m labs record ID` when it is written."""

from __future__ import annotations

import re
from pathlib import Path

from .loader import DEFINITION, LABS_ROOT
from .model import LAB_ID
from .schema import schema_line_for

TEMPLATE = """{schema_line}
id: {lab_id}
title: 새 실습의 제목 (이 실습에서 독자가 하는 일)
purpose: >
  이 실습이 무엇을 보여 주는지 한두 문장으로 적습니다.
chapter: {chapter}
section: 이 실습이 속한 절의 제목
images: [busybox]
creates:
  containers: [{lab_id}-box]
steps:
  - run: docker run -d --name {lab_id}-box busybox sleep 300
    explain: >
      `{lab_id}-box`라는 컨테이너를 뒤에서 실행합니다. 명령마다 무엇을 하는지 합니다체로 적습니다.
    expect:
      stdout: '^[0-9a-f]{{64}}$'
  - run: docker exec {lab_id}-box echo hello
    explain: 컨테이너 안에서 명령을 실행합니다.
    expect:
      stdout: '^hello$'
cleanup:
  - run: docker rm -f {lab_id}-box
    explain: 실습이 만든 컨테이너를 지웁니다.
"""


class ScaffoldError(Exception):
    pass


def new_lab(target: str, root: Path = LABS_ROOT) -> Path:
    chapter, _, lab_id = target.partition("/")
    if not re.fullmatch(r"ch\d\d|troubleshooting", chapter) or not re.fullmatch(LAB_ID.strip("^$"), lab_id):
        raise ScaffoldError(f"{target!r}: CHAPTER/ID 꼴로 주세요, 예: ch04/my-first-lab "
                            "(chapter ch01..ch99 or troubleshooting; id in lower-case words joined by -)")
    folder = root / chapter / lab_id
    if folder.exists():
        raise ScaffoldError(f"{folder}이(가) 이미 있습니다 (already exists); 아무것도 바꾸지 않았습니다.")
    if any(path.parent.name == lab_id for path in root.glob(f"*/*/{DEFINITION}")):
        raise ScaffoldError(f"'{lab_id}' 실습이 다른 장에 이미 있습니다 (a lab with this id exists).")
    folder.mkdir(parents=True)
    (folder / DEFINITION).write_text(TEMPLATE.format(schema_line=schema_line_for(folder, root), lab_id=lab_id,
                                                     chapter=chapter), encoding="utf-8")
    return folder / DEFINITION
