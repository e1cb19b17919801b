"""The troubleshooting page followed top to bottom, the way a reader copies and pastes it.

From the built page, in page order: every block the copy button would copy. A bash block is
a command: it runs on the real engine, and its exit code and output must be what the page
shows right under it (after the labs' own normalisation and host-fact redaction, compared
by the step's `compare:` mode). A file block (the tabs under "만들 파일") is written the way
a reader would, from the page's text, into a new empty folder, because the lab tells the
reader to make one ("빈 폴더를 하나 만들고 ..."); later commands run in that folder. Blocks
without a copy button (recorded output, and the messages quoted ahead of their labs) are
never run. PowerShell and cmd tabs are not run: the page says the tests run the bash form.

Before anything runs, the page's structure is checked: each bash block must be the next
command of the lab whose section it sits in, and each lab must show all its commands.
Clean-up runs even when a block fails: the clean-up blocks of every lab that started, then
removal by the names those labs declare."""

from __future__ import annotations

import difflib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import pytest
from bs4 import BeautifulSoup, Tag

from labs.compare import mismatches
from labs.engine import client_bin_dir
from labs.host_facts import HostFacts, collect, observe_networks
from labs.loader import Lab, load_labs
from labs.model import Step
from labs.normalize import normalize
from labs.preflight import LabRefused, check
from labs.record_model import StepRecord, Variant, major_release
from labs.records import read_record
from labs.resources import anonymous_volumes, exists, image_tag, remove
from macros.variant_notes import setup_name

pytestmark = pytest.mark.xdist_group("labs")

PAGE = Path("troubleshooting") / "index.html"
BLOCK_TIMEOUT = 300  # seconds; the page's longest wait says "about 30 seconds"
STREAM_TITLES = {"출력": "stdout", "표준 오류(stderr)": "stderr"}
OTHER_SETUP = "에서는 이렇게 나옵니다"
EXIT_CODE = re.compile(r"종료 코드\(exit code\): (-?\d+)")


@dataclass
class Shown:
    """What the page shows under a command: for the primary record, or for another setup."""

    stdout: str = ""
    stderr: str = ""
    exit_code: int = 0


@dataclass
class Block:
    number: int                       # 1-based, among copyable blocks in page order
    lab: Lab
    kind: str                         # "command" or "file"
    text: str
    path: Optional[str] = None        # file blocks
    phase: str = ""                   # command blocks: "steps" or "cleanup"
    index: int = -1
    shown: Shown = field(default_factory=Shown)
    others: dict[str, Shown] = field(default_factory=dict)   # setup name -> what the page shows

    @property
    def step(self) -> Step:
        return getattr(self.lab.definition, self.phase)[self.index]

    def label(self) -> str:
        where = f"{self.lab.id} {'정리' if self.phase == 'cleanup' else '단계'} {self.index + 1}"
        return f"block {self.number} ({where}): {self.text.splitlines()[0][:90]}"


# --- reading the page -----------------------------------------------------------------------

def _classes(tag: Tag) -> set[str]:
    return set(tag.get("class") or [])


def _code_text(block: Tag) -> str:
    return block.find("code").get_text()


def _section_lab(block: Tag, labs: dict[str, Lab]) -> Optional[Lab]:
    heading = block.find_previous(re.compile(r"^h[1-6]$"))
    anchor = (heading.get("id") or "") if heading else ""
    return labs.get(anchor[4:]) if anchor.startswith("lab-") else None


def _tab_label(block: Tag) -> Optional[str]:
    tabbed_block = block.find_parent("div", class_="tabbed-block")
    if tabbed_block is None:
        return None
    tabbed_set = tabbed_block.find_parent("div", class_="tabbed-set")
    blocks = tabbed_set.find("div", class_="tabbed-content").find_all("div", class_="tabbed-block", recursive=False)
    labels = tabbed_set.find("div", class_="tabbed-labels").find_all("label")
    return labels[blocks.index(tabbed_block)].get_text().strip()


def _read_outputs(elements: list[Tag]) -> Shown:
    shown, last = Shown(), None
    for element in elements:
        classes = _classes(element)
        if "highlight" in classes and "no-copy" in classes:
            title = element.select_one("span.filename")
            stream = STREAM_TITLES.get(title.get_text().strip()) if title else None
            if stream:
                setattr(shown, stream, _code_text(element).rstrip("\n"))
                last = stream
        elif element.name == "details" and "lab-output-more" in classes and last:
            rest = _code_text(element.select_one("div.highlight")).rstrip("\n")
            setattr(shown, last, getattr(shown, last) + "\n" + rest)
        else:
            found = EXIT_CODE.search(element.get_text()) if element.select_one(".lab-exit-code") or \
                "lab-exit-code" in classes else None
            if found:
                shown.exit_code = int(found.group(1))
    return shown


def _shown_under(block: Tag) -> tuple[Shown, dict[str, Shown]]:
    """The output blocks after a command, up to the next command of the same list item."""
    tabbed_set = block.find_parent("div", class_="tabbed-set")  # bash beside PowerShell and cmd tabs
    start = tabbed_set if tabbed_set is not None else block
    primary: list[Tag] = []
    others: dict[str, Shown] = {}
    for sibling in start.find_next_siblings():
        if sibling.select_one("div.language-bash") or "language-bash" in _classes(sibling):
            break
        summary = sibling.find("summary", recursive=False) if sibling.name == "details" else None
        if summary is not None and summary.get_text().strip().endswith(OTHER_SETUP):
            setup = summary.get_text().strip()[: -len(OTHER_SETUP)]
            others[setup] = _read_outputs([child for child in sibling.children if isinstance(child, Tag)])
        else:
            primary.append(sibling)
    return _read_outputs(primary), others


def read_page(html: str, labs: dict[str, Lab]) -> tuple[list[Block], list[str]]:
    """The copyable blocks in page order, and what is wrong with the page's order."""
    soup = BeautifulSoup(html, "html.parser")
    blocks: list[Block] = []
    problems: list[str] = []
    next_command: dict[str, int] = {}
    for element in soup.select("article div.highlight") or soup.select("div.highlight"):
        classes = _classes(element)
        if "no-copy" in classes:
            continue
        text = _code_text(element).rstrip("\n")
        lab = _section_lab(element, labs)
        number = len(blocks) + 1
        if "language-bash" in classes:
            if lab is None:
                problems.append(f"block {number} is a copyable command outside any lab: {text[:90]!r}")
                continue
            commands = [("steps", i) for i in range(len(lab.definition.steps))] + \
                       [("cleanup", i) for i in range(len(lab.definition.cleanup))]
            position = next_command.get(lab.id, 0)
            if position >= len(commands):
                problems.append(f"block {number} in lab {lab.id} comes after all its commands: {text[:90]!r}")
                continue
            phase, index = commands[position]
            expected = getattr(lab.definition, phase)[index].run
            if text != expected:
                problems.append(f"block {number} in lab {lab.id} is not its next command ({phase} {index + 1}):\n"
                                f"  page shows: {text[:120]!r}\n  next is:    {expected[:120]!r}")
                continue
            next_command[lab.id] = position + 1
            shown, others = _shown_under(element)
            blocks.append(Block(number, lab, "command", text, phase=phase, index=index, shown=shown, others=others))
        elif classes & {"language-powershell", "language-bat"}:
            continue  # the Windows tabs: shown, not run (the page says so)
        else:
            path = _tab_label(element) or (element.select_one("span.filename").get_text().strip()
                                           if element.select_one("span.filename") else None)
            if lab is None or path is None:
                problems.append(f"block {number} is copyable but neither a lab command nor a lab file: {text[:90]!r}")
                continue
            blocks.append(Block(number, lab, "file", _code_text(element), path=path))
    for lab_id, lab in labs.items():
        if soup.find(id=f"lab-{lab_id}") is None:
            continue
        total = len(lab.definition.steps) + len(lab.definition.cleanup)
        if next_command.get(lab_id, 0) != total:
            problems.append(f"lab {lab_id} shows {next_command.get(lab_id, 0)} of its {total} commands")
    return blocks, problems


# --- running like a reader ------------------------------------------------------------------

def _command_env() -> dict[str, str]:
    """As the lab runner runs commands: plain output, and the docker CLI that fits the engine."""
    env = dict(os.environ, LC_ALL="C.UTF-8", TERM="dumb", NO_COLOR="1")
    bin_dir = client_bin_dir()
    if bin_dir is not None:
        env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return env


def _bash(command: str, cwd: Path, timeout: float = BLOCK_TIMEOUT) -> tuple[Optional[int], str, str]:
    process = subprocess.Popen(["bash", "-c", command], cwd=cwd, env=_command_env(), text=True,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
        return process.returncode, stdout, stderr
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        return None, stdout, stderr + f"\n(timed out after {timeout} s)"


def _setup_key(labs: list[Lab], facts: HostFacts) -> dict[str, tuple]:
    from labs.images import status

    keys = {}
    for lab in labs:
        images = status(lab.definition.images) if lab.definition.images else []
        keys[lab.id] = (facts.image_store, tuple(sorted((row.name, row.origin) for row in images)))
    return keys


def _without_tabs(text: str) -> str:
    """Markdown turns tabs in the page into spaces; compare such lines by their words."""
    return "\n".join(re.sub(r"[ \t]+", " ", line).rstrip() for line in text.split("\n"))


class Walk:
    def __init__(self, engine, blocks: list[Block], variants: dict[str, tuple[Variant, bool]]):
        self.engine = engine
        self.blocks = blocks
        self.variants = variants          # lab id -> (recorded variant of this setup, is the page's primary)
        self.base = Path(tempfile.mkdtemp(prefix="lab-troubleshooting-walk-", dir="/tmp"))
        self.cwd = self.base
        self.folders: dict[str, Path] = {}
        self.started: dict[str, Lab] = {}
        self.done: set[tuple[str, str, int]] = set()
        self.known_ids: dict[str, str] = {}
        self.anonymous: dict[str, set[str]] = {}
        self.facts = collect(engine, self._docker_output)
        self.log: list[str] = []

    def _docker_output(self, args: list[str]) -> Optional[str]:
        completed = subprocess.run(["docker", *args], env=_command_env(), capture_output=True, text=True)
        return completed.stdout.strip() if completed.returncode == 0 else None

    def write_file(self, block: Block) -> None:
        folder = self.folders.get(block.lab.id)
        if folder is None:
            # "빈 폴더를 하나 만들고, 그 안에 아래 파일을 만든 뒤 그 폴더에서 명령을 실행합니다."
            folder = Path(tempfile.mkdtemp(prefix=f"lab-{block.lab.id}-", dir="/tmp"))
            self.folders[block.lab.id] = folder
        target = folder / block.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(block.text, encoding="utf-8")
        self.cwd = folder

    def run(self, block: Block) -> list[str]:
        self.started.setdefault(block.lab.id, block.lab)
        started = time.monotonic()
        exit_code, stdout, stderr = _bash(block.text, self.cwd)
        self.done.add((block.lab.id, block.phase, block.index))
        self._observe(block.lab)
        self.log.append(f"{time.monotonic() - started:5.1f}s  {block.label()}")
        return self._differences(block, exit_code, stdout, stderr)

    def _observe(self, lab: Lab) -> None:
        creates = lab.definition.creates
        for name in creates.containers:
            try:
                self.known_ids[self.engine.containers.get(name).id] = "컨테이너 ID"
            except Exception:
                continue
            self.anonymous.setdefault(lab.id, set()).update(anonymous_volumes(self.engine, name))
        for name in [*lab.definition.images, *creates.images]:
            try:
                self.known_ids[self.engine.images.get(image_tag(name)).id.split(":", 1)[-1]] = "이미지 ID"
            except Exception:
                continue
        observe_networks(self.engine, self.facts, creates.containers, creates.networks)

    def _differences(self, block: Block, exit_code, stdout: str, stderr: str) -> list[str]:
        variant, primary = self.variants[block.lab.id]
        shown = block.shown
        setup = setup_name(variant)
        if not primary and setup in block.others:
            shown = block.others[setup]
        # The facts of the machine whose output the page shows under this block.
        record = read_record(block.lab)
        shown_facts = variant.host if shown is not block.shown else record.primary.host
        page = StepRecord(command=block.text, exit_code=shown.exit_code, stdout=shown.stdout, stderr=shown.stderr)
        fresh = StepRecord(command=block.text, exit_code=exit_code,
                           stdout=normalize(stdout, self.known_ids).rstrip("\n"),
                           stderr=normalize(stderr, self.known_ids).rstrip("\n"))
        if "\t" in fresh.stdout + fresh.stderr:
            page = page.model_copy(update={"stdout": _without_tabs(page.stdout), "stderr": _without_tabs(page.stderr)})
            fresh = fresh.model_copy(update={"stdout": _without_tabs(fresh.stdout),
                                             "stderr": _without_tabs(fresh.stderr)})
        found = []
        if exit_code != shown.exit_code:
            found.append(f"exit code: the page shows {shown.exit_code}, this run gave {exit_code}")
        step = block.step
        for stream, old, new in mismatches(step.compare, page, shown_facts, fresh, self.facts):
            diff = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="",
                                        fromfile=f"page {stream} ({step.compare.mode})", tofile=f"this run {stream}")
            found.append("\n".join(diff))
        if found:
            found.append(f"this run printed:\n--- stdout\n{stdout[-1500:]}\n--- stderr\n{stderr[-1500:]}")
        return found

    def clean_up(self) -> list[str]:
        """Clean-up blocks of every lab that started and did not finish, then removal by the names
        those labs declare; returns what was still there after the page's own clean-up."""
        for block in self.blocks:
            if block.kind == "command" and block.phase == "cleanup" and block.lab.id in self.started \
                    and (block.lab.id, block.phase, block.index) not in self.done:
                _bash(block.text, self.folders.get(block.lab.id, self.base), timeout=120)
                self.done.add((block.lab.id, block.phase, block.index))
        leftovers = []
        for lab in self.started.values():
            creates = lab.definition.creates
            plan = [("containers", creates.containers), ("networks", creates.networks),
                    ("volumes", [*creates.volumes, *sorted(self.anonymous.get(lab.id, set()))]),
                    ("images", [image_tag(name) for name in creates.images])]
            for kind, names in plan:
                for name in names:
                    if exists(self.engine, kind, name):
                        leftovers.append(f"{lab.id}: {kind[:-1]} {name}")
                        try:
                            remove(self.engine, kind, name)
                        except Exception as error:  # noqa: BLE001 - report, keep cleaning
                            leftovers.append(f"  could not remove it: {error}")
        for folder in [self.base, *self.folders.values()]:
            shutil.rmtree(folder, ignore_errors=True)
        return leftovers


# --- the test -------------------------------------------------------------------------------

def test_troubleshooting_page_followed_top_to_bottom(built_site, engine):
    folder, _ = built_site
    labs = {lab.id: lab for lab in load_labs()}
    blocks, problems = read_page((folder / PAGE).read_text(encoding="utf-8"), labs)
    assert not problems, "the page cannot be followed top to bottom:\n" + "\n".join(problems)
    assert any(block.kind == "command" for block in blocks), "no copyable command on the page"

    on_page = list({block.lab.id: block.lab for block in blocks}.values())
    walk = Walk(engine, blocks, {})
    keys = _setup_key(on_page, walk.facts)
    for lab in on_page:
        record = read_record(lab)
        variant = record.matching(keys[lab.id], major_release(walk.facts.values.get("engine_version", ["?"])[0])) \
            if record is not None else None
        if variant is None:
            shutil.rmtree(walk.base, ignore_errors=True)
            pytest.skip(f"{lab.id} has no record for this engine setup {keys[lab.id]}: the page shows no output "
                        f"for it (record one with: python -m labs record {lab.id})")
        walk.variants[lab.id] = (variant, variant is record.primary)
    refused = []
    for lab in on_page:
        try:
            check(lab, engine)
        except LabRefused as refusal:
            refused += [f"{lab.id}: {problem}" for problem in refusal.problems]
    if refused:
        shutil.rmtree(walk.base, ignore_errors=True)
        pytest.fail("the walk did not start (nothing was touched):\n" + "\n".join(refused), pytrace=False)

    failure: list[str] = []
    try:
        for block in blocks:
            if block.kind == "file":
                walk.write_file(block)
                continue
            found = walk.run(block)
            if found:
                failure = [f"{block.label()}\n  does not behave as the page shows:", *found]
                break
    finally:
        leftovers = walk.clean_up()
        print("\n".join(walk.log))
    assert not failure, "\n".join(failure) + "\n\nblocks run before it:\n" + "\n".join(walk.log)
    assert not leftovers, "the page's clean-up blocks left these behind (removed now):\n" + "\n".join(leftovers)
