"""The drift check: records hold on other machines, real changes fail with a readable diff.

"Another machine" is made on purpose: a real record.json of this repository, with every host
fact it recorded swapped for the facts of a machine that is not this one, in the output and in
the facts alike. That is what a contributor's laptop or a hosted runner produces."""

from __future__ import annotations

import re

import pytest

from labs import drift
from labs.host_facts import HostFacts, facts_in, redact
from labs.loader import find_lab, load_labs
from labs.record_model import Origin, Record, StepRecord, Variant
from labs.records import read_record

from .lab_factory import lab_in

LABS = load_labs()
OTHER_MACHINE = {
    "kernel": "6.8.0-1017-azure", "hostname": "fv-az1234-56", "engine_version": "29.0.2",
    "client_version": "29.0.2", "api_version": "1.52", "client_api_version": "1.52",
    "containerd_version": "v2.1.5", "runc_version": "1.3.3", "go_version": "go1.25.4",
    "compose_version": "5.0.1", "storage_driver": "overlayfs", "os": "Ubuntu 24.04.3 LTS",
    "docker_root": "/var/lib/docker", "container_ip": "172.30.0.7", "subnet": "172.30.0.0/16",
    "gateway": "172.30.0.1",
}


def moved_to_other_machine(original: Variant) -> Variant:
    """The same run as if made on OTHER_MACHINE: every recorded fact value replaced, longest first."""
    swaps = [(value, OTHER_MACHINE[kind]) for value, kind in original.host.pairs() if kind in OTHER_MACHINE]

    def swap(text: str) -> str:
        return _replace(text, swaps)

    facts = HostFacts(values={kind: [OTHER_MACHINE.get(kind, value) for value in values]
                              for kind, values in original.host.values.items()},
                      cpus=8, memory_bytes=16 * 2**30, image_store=original.host.image_store)
    moved = [StepRecord(command=s.command, exit_code=s.exit_code, stdout=swap(s.stdout), stderr=swap(s.stderr))
             for s in original.steps]
    cleanup = [StepRecord(command=s.command, exit_code=s.exit_code, stdout=swap(s.stdout), stderr=swap(s.stderr))
               for s in original.cleanup]
    return original.model_copy(update={"host": facts, "steps": moved, "cleanup": cleanup})


def _replace(text: str, swaps: list[tuple[str, str]]) -> str:
    for old, new in swaps:
        text = re.sub(rf"(?<![\w.+-]){re.escape(old)}(?![\w+-]|\.\d)", new, text)
    return text


HOST_FACT_LABS = ["shared-kernel", "os-around-kernel", "check-install", "namespaces-cgroups",
                  "wordpress-mariadb", "named-volume", "engine-not-running"]


@pytest.mark.parametrize("lab_id", HOST_FACT_LABS)
def test_a_record_holds_on_a_machine_with_other_facts(lab_id):
    lab = find_lab(lab_id, LABS)
    record = read_record(lab)
    for recorded in record.variants:
        fresh = moved_to_other_machine(recorded)
        assert fresh.steps != recorded.steps or lab_id in ("named-volume",), "the swap changed no output"
        assert drift.differences(lab, recorded, fresh) == []


def test_the_swap_really_changes_the_recorded_kernel():
    record = read_record(find_lab("shared-kernel", LABS))
    fresh = moved_to_other_machine(record.primary)
    assert fresh.steps[0].stdout == "6.8.0-1017-azure\n"
    assert record.primary.steps[0].stdout != fresh.steps[0].stdout


def test_redaction_names_each_fact_on_recorded_output():
    record = read_record(find_lab("check-install", LABS))
    primary = record.primary
    info = primary.steps[1].stdout  # server=... storage=... os=linux arch=...
    redacted = redact(info, primary.host)
    assert "server=<엔진 버전>" in redacted and "storage=<저장 드라이버>" in redacted
    assert "arch=<아키텍처>" in redacted and "os=linux" in redacted
    kinds = [kind for kind, _value in facts_in(info, primary.host)]
    assert kinds == ["arch", "engine_version", "storage_driver"]


def test_a_short_host_name_is_redacted_only_as_a_whole_line():
    facts = HostFacts(values={"hostname": ["vm"]})
    assert redact("vm\n", facts) == "<호스트 이름>\n"
    assert redact("vmlinuz uses vm\n", facts) == "vmlinuz uses vm\n"


def test_a_version_is_not_redacted_inside_a_longer_one():
    facts = HostFacts(values={"engine_version": ["26.1"]})
    assert redact("26.1.5 and 26.1\n", facts) == "26.1.5 and <엔진 버전>\n"


def variant_for(lab, outputs, facts=None, origin="stand-in", stderr=None) -> Variant:
    return Variant(
        image_store="containerd", images={"busybox:latest": Origin(origin)}, recorded_at="2026-11-28",
        host=facts or HostFacts(),
        steps=[StepRecord(command=step.run, exit_code=0, stdout=out, stderr=(stderr or {}).get(i, ""))
               for i, (step, out) in enumerate(zip(lab.definition.steps, outputs))],
        cleanup=[])


def test_a_changed_port_shows_as_a_unified_diff(tmp_path):
    lab = lab_in(tmp_path, steps=[{"run": "docker port web", "explain": "x"}])
    recorded = variant_for(lab, ["80/tcp -> 0.0.0.0:8080\n"])
    fresh = variant_for(lab, ["80/tcp -> 0.0.0.0:8079\n"])
    [difference] = drift.differences(lab, recorded, fresh)
    assert "-80/tcp -> 0.0.0.0:8080" in difference and "+80/tcp -> 0.0.0.0:8079" in difference
    assert "record.json" in difference


def test_a_changed_message_fails_even_where_host_facts_differ(tmp_path):
    lab = lab_in(tmp_path, steps=[{"run": "uname -r; echo hello", "explain": "x"}])
    recorded = variant_for(lab, ["6.18.44-fc-v669\nhello\n"], HostFacts(values={"kernel": ["6.18.44-fc-v669"]}))
    fresh = variant_for(lab, ["6.8.0-1017-azure\nhallo\n"], HostFacts(values={"kernel": ["6.8.0-1017-azure"]}))
    [difference] = drift.differences(lab, recorded, fresh)
    assert "-hello" in difference and "+hallo" in difference
    assert "<커널 버전>" in difference


def test_unordered_steps_accept_the_same_lines_in_another_order(tmp_path):
    lab = lab_in(tmp_path, steps=[{"run": "compose", "explain": "x", "compare": "unordered"}])
    recorded, fresh = variant_for(lab, ["a\nb\n"]), variant_for(lab, ["b\na\n"])
    assert drift.differences(lab, recorded, fresh) == []
    assert drift.differences(lab, recorded, variant_for(lab, ["a\nc\n"]))


def test_lines_steps_need_each_pattern_in_order_and_take_brackets_literally(tmp_path):
    lab = lab_in(tmp_path, steps=[{"run": "build", "explain": "x",
                                     "compare": {"mode": "lines", "lines": ["#* [2/2] COPY *", "*naming to demo*"]}}])
    recorded = variant_for(lab, ["#6 [2/2] COPY a b\n#6 DONE 0.0s\n#7 naming to demo done\n"])
    fresh = variant_for(lab, ["#5 [2/2] COPY a b\n#5 DONE 0.3s\n#7 naming to demo:latest done\n"])
    assert drift.differences(lab, recorded, fresh) == []
    broken = variant_for(lab, ["#7 naming to demo done\n#5 [2/2] COPY a b\n"])
    [difference] = drift.differences(lab, recorded, broken)
    assert "pattern not matched in this run: *naming to demo*" in difference


def test_exit_code_steps_need_a_reason_and_still_compare_the_exit_code(tmp_path):
    with pytest.raises(Exception, match="reason"):
        lab_in(tmp_path / "a", steps=[{"run": "date", "explain": "x", "compare": "exit-code"}])
    lab = lab_in(tmp_path / "b", steps=[{"run": "date", "explain": "x",
                                           "compare": {"mode": "exit-code", "reason": "시각이 바뀝니다"}}])
    recorded, fresh = variant_for(lab, ["Mon\n"]), variant_for(lab, ["Tue\n"])
    assert drift.differences(lab, recorded, fresh) == []
    fresh.steps[0].exit_code = 1
    assert "exit code 0 recorded, 1 now" in drift.differences(lab, recorded, fresh)[0]


def test_other_image_origins_have_no_counterpart_and_say_why(tmp_path):
    lab = lab_in(tmp_path, steps=[{"run": "echo hi", "explain": "x"}])
    record = Record(lab=lab.id, variants=[variant_for(lab, ["hi\n"])])
    fresh = variant_for(lab, ["hi\n"], origin="official")
    assert drift.counterpart(record, fresh) is None
    reason = drift.not_compared_reason(record, fresh)
    assert "official" in reason and "python -m labs record" in reason
    assert drift.counterpart(record, variant_for(lab, ["hi\n"])) is not None


def test_a_run_is_compared_with_the_record_of_the_nearest_engine_release(tmp_path):
    lab = lab_in(tmp_path, steps=[{"run": "echo hi", "explain": "x"}])

    def on(version: str) -> Variant:
        return variant_for(lab, ["hi\n"], HostFacts(values={"engine_version": [version]}))

    record = Record(lab=lab.id, variants=[on("28.5.2+dfsg4"), on("29.7.2")])
    assert drift.counterpart(record, on("29.0.2")).engine_version == "29.7.2"
    assert drift.counterpart(record, on("28.1.1")).engine_version == "28.5.2+dfsg4"
    assert drift.counterpart(record, on("27.5.1")).engine_version == "28.5.2+dfsg4"
    assert drift.counterpart(record, on("30.0.0")).engine_version == "29.7.2"
    assert record.primary.engine_version == "29.7.2", "a page shows the newest engine's output first"
    # Recording on 29 again replaces the 29 variant and keeps 28's.
    again = record.with_variant(on("29.9.0"))
    assert sorted(variant.engine_version for variant in again.variants) == ["28.5.2+dfsg4", "29.9.0"]


# classic (Debian 13's 26.1, overlay2), current (Debian unstable's 28.5) and upstream (29.7.2).
EVERY_PROFILE = [("classic", 26), ("containerd", 28), ("containerd", 29)]


def test_every_record_names_its_engine_setup_and_host_facts():
    for lab in LABS:
        record = read_record(lab)
        assert record is not None, lab.id
        setups = sorted((variant.image_store, variant.engine_major) for variant in record.variants)
        assert setups == EVERY_PROFILE, (
            f"{lab.id}: recorded on {setups}; record it on every engine profile (docs/contributing.md)")
        for recorded in record.variants:
            assert recorded.image_store in ("containerd", "classic"), lab.id
            assert recorded.engine_version != "?" and recorded.fact("kernel") != "?", lab.id


def test_few_steps_compare_the_exit_code_only():
    only_exit = [f"{lab.id}: {step.run}" for lab in LABS for step in lab.definition.steps + lab.definition.cleanup
                 if step.compare.mode == "exit-code"]
    assert len(only_exit) <= 5, only_exit
