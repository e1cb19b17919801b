"""Recorded output keeps every stable character and names what changes on each run."""

from labs.normalize import normalize

CONTAINER = "1a2b3c4d5e6f" + "7" * 52


def test_known_ids_are_named_and_unknown_hashes_hidden():
    text = f"{CONTAINER}\nsha256:{'b' * 64}\n{'c' * 64}"
    assert normalize(text, {CONTAINER: "컨테이너 ID"}) == "<컨테이너 ID>\nsha256:<다이제스트>\n<ID>"


def test_times_sizes_and_layers():
    text = "Up 3 seconds\n2 minutes ago\n1.98MB\nc2139a157f98: Pushed\nFri Nov 27 23:02:32 UTC 2026"
    assert normalize(text, {}) == "Up <시간>\n<얼마 전>\n<크기>\n<레이어 ID>: Pushed\n<시각>"


def test_plain_text_is_untouched():
    text = "It works!\nlife-demo running\n67108864"
    assert normalize(text, {}) == text


def test_tables_stay_aligned_with_wide_placeholders():
    table = ("REPOSITORY   TAG       IMAGE ID       CREATED          SIZE\n"
             "busybox      latest    d849985ae13a   17 seconds ago   1.98MB")
    header, row = normalize(table, {}).split("\n")
    assert row.split() == ["busybox", "latest", "<이미지", "ID>", "<얼마", "전>", "<크기>"]
    # Hangul takes two terminal columns: SIZE and <크기> start at the same column.
    def column(line, text):
        prefix = line[: line.index(text)]
        return sum(2 if "\uac00" <= char <= "\ud7a3" else 1 for char in prefix)
    assert column(header, "SIZE") == column(row, "<크기>")
    assert column(header, "CREATED") == column(row, "<얼마 전>")
