"""`python -m labs ...`: list, show, run, clean, record, images, doctor, engine, isolated
(benchmarks: ./dev bench)."""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import Optional

from docker.errors import DockerException
from requests.exceptions import RequestException

from . import engine as engine_module
from . import journal, records
from .errors import EngineUnavailable
from .kinds import Origin
from .loader import Lab, LabFormatError, find_lab, load_labs
from .preflight import LabRefused
from .runner import LabRunner, RunResult, StepResult

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_REFUSED, EXIT_NO_ENGINE, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130


def main(argv: Optional[list[str]] = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.handler(args)
    except LabFormatError as error:
        print(f"실습 정의가 잘못되었습니다 (malformed lab): {error}", file=sys.stderr)
        return EXIT_USAGE
    except EngineUnavailable as error:
        print(error, file=sys.stderr)
        return EXIT_NO_ENGINE
    except (DockerException, RequestException) as error:
        if engine_module.answers():
            raise
        print(f"{engine_module.NOT_RUNNING}\n({error.__class__.__name__})", file=sys.stderr)
        return EXIT_NO_ENGINE
    except LabRefused as error:
        print("실습을 시작하지 않았습니다. 아무것도 만들거나 지우지 않았습니다 (lab refused; nothing touched):",
              file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m labs",
        description="도커 실습을 진짜 도커 엔진에서 실행하고 확인합니다 (run the site's Docker labs on a real engine).",
    )
    commands = parser.add_subparsers(title="명령 (commands)", metavar="COMMAND")

    def command(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    command("list", _list, "실습 목록을 보여 줍니다 (list the labs)")
    show = command("show", _show, "실습의 목적, 명령, 정리 방법을 보여 줍니다 (show one lab)")
    show.add_argument("lab_id", metavar="ID")
    run = command("run", _run, "실습을 실행하고 단계마다 확인한 뒤 정리합니다 (run one lab, check each step, clean up)")
    run.add_argument("lab_id", metavar="ID")
    run.add_argument("--step", action="store_true",
                     help="단계마다 멈춰서 둘러볼 수 있게 합니다 (pause after each step)")
    clean = command("clean", _clean,
                    "중간에 멈춘 실습이 만든 것을 지웁니다; 실습이 만들지 않은 것은 건드리지 않습니다 "
                    "(remove what an interrupted run of this lab made, nothing else)")
    clean.add_argument("lab_id", metavar="ID")
    record = command("record", _record,
                     "실습을 실행하고 실제 출력을 저장소에 기록합니다 (run labs and store their real output)")
    record.add_argument("lab_ids", metavar="ID", nargs="*", help="없으면 모든 실습 (all labs when omitted)")
    images = command("images", _images,
                     "실습에 필요한 이미지를 받거나 대체 이미지를 만듭니다 (pull or build every lab image)")
    images.add_argument("names", nargs="*", help="이미지 이름; 없으면 전부 (image names; all when omitted)")
    images.add_argument("--rebuild", action="store_true", help="대체 이미지를 다시 만듭니다 (rebuild stand-ins)")
    images.add_argument("--status", action="store_true", help="준비하지 않고 상태만 보여 줍니다 (show state only)")
    command("check", _check, "엔진 없이 실습 정의를 검사합니다: 선언, 명령 설명, 셸 형태, 스키마 줄 "
                              "(check every lab without an engine)")
    new = command("new", _new, "새 실습 폴더를 만듭니다 (scaffold a lab): python -m labs new ch04/my-lab")
    new.add_argument("target", metavar="CHAPTER/ID")
    command("schema", _schema, "labs/lab.schema.json을 다시 씁니다 (write the JSON Schema of lab.yaml)")
    command("doctor", _doctor, "엔진, Compose, buildx, 이미지 상태를 보여 줍니다 (engine and image report)")
    engine = command("engine", _engine, "도커 엔진을 켜거나 끕니다 (start or stop the engine)")
    engine.add_argument("action", choices=["up", "down", "env", "switchable", "available"],
                        help="up: 켜기, down: 여기서 켠 엔진만 끄기, env: 엔진과 짝이 맞는 docker CLI를 PATH에 넣는 "
                             "셸 줄, switchable: 프로필을 바꿀 수 있으면 종료 코드 0 (no other engine answers), "
                             "available: 이 컴퓨터에서 그 프로필을 돌릴 수 있으면 0, 아니면 까닭을 한 줄로 (exit 1)")
    engine.add_argument("--profile", choices=sorted(engine_module.PROFILES),
                        help="up, available: 엔진 프로필 (engine profile; default: upstream where it is "
                             "available, otherwise current)")
    isolated = command("isolated", _isolated,
                       "그 프로필의 엔진을 자기만의 네트워크와 /run에서 켜고 명령을 그 곁에서 실행합니다 "
                       "(run a command beside the profile's engine in namespaces of their own): "
                       "python -m labs isolated classic -- python -m pytest tests/test_labs.py")
    isolated.add_argument("profile", choices=sorted(engine_module.PROFILES))
    isolated.add_argument("command", nargs=argparse.REMAINDER, help="-- 뒤에 실행할 명령 (the command, after --)")
    return parser


def _isolated(args) -> int:
    from . import isolation

    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        print("실행할 명령이 없습니다 (no command): python -m labs isolated PROFILE -- COMMAND...", file=sys.stderr)
        return EXIT_USAGE
    return isolation.run(args.profile, command)


def _list(_args) -> int:
    for lab in load_labs():
        definition = lab.definition
        print(f"{lab.id:28} {definition.chapter}  {definition.title}")
    return EXIT_OK


def _show(args) -> int:
    lab = _lab(args.lab_id)
    definition = lab.definition
    print(f"{definition.title}  [{lab.id}, {definition.chapter}]")
    print(textwrap.fill(definition.purpose, 88))
    if definition.images:
        print(f"\n이미지 (images): {', '.join(definition.images)}")
    for name, content in lab.files.items():
        print(f"\n--- 파일 (file) {name} ---\n{content.rstrip()}")
    for title, steps in (("단계 (steps)", definition.steps), ("정리 (clean-up)", definition.cleanup)):
        print(f"\n{title}:")
        for index, step in enumerate(steps, 1):
            print(f"  {index}. {step.explain.strip()}")
            print(textwrap.indent(step.run, "       "))
    return EXIT_OK


def _run(args) -> int:
    lab = _lab(args.lab_id)
    engine = engine_module.client()
    pause = _pause_for_reader if args.step else None
    result = LabRunner(lab, engine, pause=pause).run()
    records.save_run(result)
    return _report(result)


def _pause_for_reader(step: StepResult) -> None:
    if step.stdout.strip():
        print(textwrap.indent(step.stdout.rstrip(), "    | "))
    try:
        input("    Enter를 누르면 다음 단계로 갑니다 (press Enter for the next step) ")
    except EOFError:
        pass


def _report(result: RunResult) -> int:
    if result.engine_lost:
        print(f"도커 엔진이 실습 도중에 응답하지 않게 되었습니다. 정리하지 못한 것은 기록해 두었습니다.\n"
              f"엔진을 다시 켠 뒤 다음 두 명령으로 정리를 마치세요:\n"
              f"    python -m labs engine up      (Docker Desktop이라면 Docker Desktop을 다시 실행)\n"
              f"    python -m labs clean {result.lab_id}\n"
              f"The Docker engine stopped answering during the lab; what it made is in the journal. "
              f"Start the engine again, then run the two commands above. ({result.engine_lost})",
              file=sys.stderr)
        return EXIT_NO_ENGINE
    if result.interrupted:
        print(f"중단되어 정리했습니다 (interrupted: {result.interrupted}; cleaned up).")
        return EXIT_INTERRUPTED
    if not result.ok:
        failed = result.failed_step
        print(f"실패한 단계 (failed step): {failed.command if failed else '?'}", file=sys.stderr)
        if failed and failed.stderr.strip():
            print(textwrap.indent(failed.stderr.rstrip(), "    ! "), file=sys.stderr)
        return EXIT_FAILED
    for problem in result.problems():
        # The steps held; these concern the lab's declarations (checked strictly by record and the tests).
        print(f"  주의 (warning): {problem}", file=sys.stderr)
    print(f"모든 단계가 통과했습니다: {len(result.steps)}단계, {result.seconds:.1f}초 "
          f"(all {len(result.steps)} steps passed).")
    return EXIT_OK


def _clean(args) -> int:
    lab = _lab(args.lab_id)
    report = journal.clean(engine_module.client(), lab.id, log=print)
    if not report.had_journal:
        print("지울 것이 없습니다: 중간에 멈춘 실행 기록이 없거나 이미 정리되었습니다 (nothing to clean).")
    elif not report.removed and not report.failed:
        print("실행 기록은 있었지만 남은 것이 없습니다 (journal found; nothing was left).")
    for item in report.left_alone:
        print(f"그대로 둡니다 (left alone): {item}")
    for item in report.failed:
        print(f"지우지 못했습니다 (could not remove): {item}", file=sys.stderr)
    if report.failed:
        print(f"기록은 남겨 두었습니다. 까닭을 해결한 뒤 다시 실행하세요: python -m labs clean {lab.id} "
              f"(the journal is kept; run clean again)", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _record(args) -> int:
    labs = load_labs()
    chosen = [find_lab(lab_id, labs) for lab_id in args.lab_ids] if args.lab_ids else labs
    engine = engine_module.client()
    status = EXIT_OK
    for lab in chosen:
        print(f"== {lab.id}")
        result = LabRunner(lab, engine).run()
        records.save_run(result)
        if result.verified:
            print(f"기록했습니다 (recorded): {records.write_record(lab, result)}")
        else:
            status = EXIT_FAILED
            _report(result)
            print("확인되지 않은 실행이라 기록하지 않았습니다 (not recorded: the run was not verified).")
    return status


def _images(args) -> int:
    from .images import LabsImageError, provision

    try:
        if args.status:
            from .images import status

            for row in status(args.names or None):
                size = "-" if row.size_bytes is None else f"{row.size_bytes / 1e6:.1f} MB"
                print(f"{row.name:22} {row.origin:9} {size:>10}")
            return EXIT_OK
        provision(args.names or None, rebuild=args.rebuild)
    except EngineUnavailable:
        raise
    except LabsImageError as error:
        print(error, file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _check(_args) -> int:
    from .check import check

    labs = load_labs()
    problems = check(labs)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"문제 {len(problems)}개 (problems: {len(problems)})", file=sys.stderr)
        return EXIT_FAILED
    print(f"실습 {len(labs)}개를 검사했습니다. 문제가 없습니다 (checked {len(labs)} labs; no problems).")
    return EXIT_OK


def _new(args) -> int:
    from .scaffold import ScaffoldError, new_lab

    try:
        path = new_lab(args.target)
    except ScaffoldError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    lab_id = path.parent.name
    print(f"만들었습니다 (created): {path}\n"
          f"다음 순서로 채웁니다 (next):\n"
          f"  1. {path}의 명령과 설명을 고칩니다 (편집기가 labs/lab.schema.json으로 항목을 알려 줍니다)\n"
          f"  2. python -m labs check\n"
          f"  3. python -m labs run {lab_id}  →  python -m labs record {lab_id}\n"
          f"  4. docs/{path.parent.parent.name}/index.md에 다음 줄을 넣습니다: {{{{ lab(\"{lab_id}\") }}}}")
    return EXIT_OK


def _schema(_args) -> int:
    from .schema import write

    print(f"썼습니다 (written): {write()}")
    return EXIT_OK


def _doctor(_args) -> int:
    from .images import status

    details = engine_module.info()
    print(f"엔진 (engine):       {details.version} (API {details.api_version})")
    print(f"docker CLI:          {details.client_version or '없음 (missing)'}")
    print(f"저장 드라이버:       {details.storage_driver} (storage driver)")
    print(f"이미지 스토어:       {details.image_store} (image store)")
    print(f"프로필 (profile):    {details.profile or '-'}")
    print(f"Compose:             {details.compose or '없음 (missing)'}")
    print(f"buildx:              {details.buildx or '없음 (missing)'}")
    print(f"이 프로젝트가 켠 엔진: {'예 (yes)' if details.started_here else '아니요 (no)'}")
    print("돌릴 수 있는 프로필 (profiles this machine can run):")
    for profile in engine_module.PROFILES.values():
        why_not = engine_module.available(profile)
        print(f"  {profile.name:9} {'예 (yes)' if why_not is None else why_not}")
    print("이미지 (images):")
    for image in status():
        origin = f"{Origin(image.origin).korean} ({image.origin})"
        print(f"  {image.name:24} {origin}")
    return EXIT_OK


def _engine(args) -> int:
    if args.action == "up":
        details = engine_module.up(args.profile)
        print(f"엔진 {details.version} (API {details.api_version}, {details.image_store} 이미지 스토어)이 "
              f"응답합니다 (engine answering).")
    elif args.action == "switchable":
        return EXIT_OK if engine_module.switchable() else EXIT_FAILED
    elif args.action == "available":
        why_not = engine_module.available(engine_module.profile_named(args.profile))
        if why_not:
            print(why_not)
            return EXIT_FAILED

    elif args.action == "env":
        bin_dir = engine_module.client_bin_dir()
        if bin_dir is not None:
            print(f'export PATH="{bin_dir}:$PATH"')
    else:
        engine_module.down()
    return EXIT_OK


def _lab(lab_id: str) -> Lab:
    labs = load_labs()
    try:
        return find_lab(lab_id, labs)
    except KeyError:
        print(f"'{lab_id}' 실습이 없습니다 (no such lab). python -m labs list 로 목록을 보세요.", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)
