"""What readers type into the search box, and the section each query must bring up.

Written from the reader's side: particles and endings as people speak (볼륨을, 격리되는),
commands pasted from a page, English names from other tutorials, and the spellings in the
glossary's "다른 표기". Each query lists the section(s) that answer it; search passes when one
of them is among the first three results a reader sees. Anchors are heading ids, which stay
put while the prose around them changes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Query:
    text: str
    answers: tuple[str, ...]  # "ch06/#bind-mount": page path and heading id
    kind: str                 # particle, ending, code, english, synonym
    known_miss: str = ""      # why search does not find it yet (the test expects a miss)


def q(text: str, kind: str, *answers: str, known_miss: str = "") -> Query:
    return Query(text, answers, kind, known_miss)


QUERIES: list[Query] = [
    # Korean with particles: the word in the index has a different particle or none.
    q("볼륨을 백업", "particle", "ch06/#volume-backup"),
    q("가상화와 컨테이너의 차이", "particle", "ch01/#docker-vs-vm", "ch01/#virtual-machines"),
    q("도커 허브에서 내려받기가 안 돼요", "particle", "troubleshooting/#pull-limit"),
    q("도커 허브가 뭔가요", "particle", "ch02/#docker-hub"),
    q("이미지를 지우기", "particle", "ch04/#remove-image", "ch04/#lab-image-ls-rm"),
    q("네임스페이스가", "particle", "ch02/#namespaces-cgroups", "ch02/#lab-namespaces-cgroups"),
    q("커널은 누가", "particle", "ch01/#containers-share-kernel"),
    q("환경 변수로 비밀번호", "particle", "ch04/#database-env", "ch04/#lab-mariadb-env"),
    q("태그와 다이제스트", "particle", "ch02/#tags-and-digests"),
    q("레지스트리에 올리기", "particle", "ch06/#registry", "ch06/#lab-private-registry"),
    q("이미지는 빵틀", "particle", "ch02/#image-mould"),
    q("도커의 장점과 단점", "particle", "ch02/#pros-cons", "ch02/#cons", "ch02/#pros"),
    q("컴포즈 파일을 쓰는 법", "particle", "ch07/#compose-file",
      known_miss="쓰는 법 and the heading's 작성법 share no word; the glossary has no 쓰다 = 작성하다"),
    q("컨테이너와 호스트 사이 파일 복사", "particle", "ch06/#docker-cp", "ch06/#lab-docker-cp"),
    # Verb and adjective endings.
    q("격리하는 이유", "ending", "ch01/#why-isolate"),
    q("격리된 컨테이너", "ending", "ch01/#isolated", "ch01/#why-isolate", "ch01/#lab-isolation"),
    q("폴더를 마운트하면", "ending", "ch06/#bind-mount", "ch06/#lab-bind-mount-apache",
      "ch06/#lab-bind-mount-share"),
    q("포트가 이미 쓰이고 있어요", "ending", "troubleshooting/#port-allocated",
      "troubleshooting/#lab-port-conflict"),
    q("데이터베이스가 준비되지 않았을 때", "ending", "troubleshooting/#db-not-ready",
      "troubleshooting/#lab-db-not-ready"),
    q("맥에 설치하려면", "ending", "ch03/#install-macos"),
    q("설치가 잘 됐는지 확인하기", "ending", "ch03/#check-install", "ch03/#lab-check-install"),
    q("도커 엔진에 연결할 수 없습니다", "ending", "troubleshooting/#daemon-not-running",
      "troubleshooting/#lab-engine-not-running"),
    q("실행 중인 컨테이너 안에서 명령 실행", "ending", "ch06/#docker-exec", "ch06/#lab-exec-apache"),
    q("윈도우에서 경로가 안 먹혀요", "ending", "troubleshooting/#windows-paths",
      "troubleshooting/#lab-unexpanded-path"),
    # Commands and options, as copied from a page or remembered.
    q("-p 8080:80", "code", "ch04/#port-mapping", "ch04/#lab-apache-port", "ch04/#run-options"),
    q("docker run -d", "code", "ch04/#run-options"),
    q("docker cp", "code", "ch06/#docker-cp", "ch06/#lab-docker-cp"),
    q("docker login", "code", "ch06/#registry-login", "ch06/#lab-registry-login"),
    q("permission denied docker.sock", "code", "troubleshooting/#socket-permission",
      "troubleshooting/#lab-socket-permission"),
    q("no matching manifest", "code", "troubleshooting/#platform-mismatch", "troubleshooting/#lab-platform-mismatch",
      "troubleshooting/#mysql57-arm"),
    q("docker exec -it", "code", "ch06/#docker-exec", "ch06/#lab-exec-apache", "ch06/#interactive-shell",
      "ch06/#lab-interactive-shell"),
    q("docker compose up -d", "code", "ch07/#run-compose", "ch07/#lab-compose-wordpress", "ch07/#install"),
    q("depends_on", "code", "ch07/#depends-on"),
    q("compose.yaml", "code", "ch07/#compose-file", "ch07/#run-compose"),
    q("docker save", "code", "ch02/#move-images", "ch06/#lab-save-load", "ch06/#image-file"),
    q("docker network create", "code", "ch05/#lab-wordpress-mariadb", "ch05/#wordpress-setup",
      "ch05/#network-basics", "ch05/#lab-network-basics"),
    q("docker commit", "code", "ch06/#commit", "ch02/#commit", "ch06/#lab-commit-apache"),
    q("docker-compose", "code", "troubleshooting/#compose-v1"),
    # English names readers bring from other tutorials.
    q("bind mount", "english", "ch06/#bind-mount", "ch06/#volume-mount", "ch06/#lab-bind-mount-share",
      "ch06/#lab-bind-mount-apache"),
    q("cgroups", "english", "ch02/#namespaces-cgroups", "ch02/#lab-namespaces-cgroups"),
    q("namespaces", "english", "ch02/#namespaces-cgroups", "ch02/#lab-namespaces-cgroups"),
    q("digests", "english", "ch02/#tags-and-digests", "ch06/#pull-by-digest", "ch06/#lab-pull-by-digest"),
    q("port is already allocated", "english", "troubleshooting/#port-allocated",
      "troubleshooting/#lab-port-conflict"),
    q("Dockerfile", "english", "ch06/#dockerfile", "ch06/#lab-dockerfile-build"),
    q("virtualization", "english", "ch01/#docker-vs-vm", "ch01/#virtual-machines"),
    q("environment variables", "english", "ch04/#database-env", "ch04/#lab-mariadb-env"),
    # Korean names for English words and the other way round, from the glossary.
    q("도커파일", "synonym", "ch06/#dockerfile", "ch06/#lab-dockerfile-build"),
    q("바인드 마운트", "synonym", "ch06/#bind-mount", "ch06/#volume-mount", "ch06/#lab-bind-mount-share",
      "ch06/#lab-bind-mount-apache"),
    q("registry", "synonym", "ch06/#registry", "ch06/#lab-private-registry"),
    q("named volume", "synonym", "ch06/#named-volume", "ch06/#lab-named-volume"),
    q("lifecycle", "synonym", "ch02/#lifecycle-and-data", "ch02/#lifecycle", "ch02/#lab-lifecycle"),
    q("compose", "synonym", "ch07/#what-is-compose", "ch07/", "ch07/#install"),
]

# Text readers paste (Ctrl+V) rather than type, and text an input method commits.
PASTED = [
    q("docker run -d -p 8080:80", "code", "ch04/#port-mapping", "ch04/#lab-apache-port", "ch04/#run-options"),
    q("볼륨을 백업", "particle", "ch06/#volume-backup"),
]
COMPOSED = [
    q("바인드 마운트", "synonym", "ch06/#bind-mount", "ch06/#volume-mount", "ch06/#lab-bind-mount-share",
      "ch06/#lab-bind-mount-apache"),
]
