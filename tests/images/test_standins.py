"""Images without a registry: the catalog, pull-or-build, the cache, and each stand-in's
contract (CONTRACT.md next to its recipe) checked on the real engine."""

from __future__ import annotations

import dataclasses
import importlib
import shutil

import pytest

from labs.images import (
    ImageUnknown, ProvisionError, canonical, known_images, provision, recipe_hash, status,
)
from labs.images import archive_cache, catalog, docker_cli
from labs.images.failures import DENIED, NETWORK, NOT_FOUND, archive_unreachable, classify_pull_error

from ..neighbours import image_of_its_own
from .conftest import exec_ok, free_port, http, wait_until

provision_module = importlib.import_module("labs.images.provision")  # the module, not the function

# One worker runs these in file order (pytest -n 2 --dist loadgroup).
pytestmark = pytest.mark.xdist_group("images")

EIGHT = {"busybox:latest", "debian:bookworm-slim", "httpd:2.4", "nginx:latest",
         "mariadb:10.11", "wordpress:latest", "registry:2", "redmine:latest"}


# --- catalog -----------------------------------------------------------------------------

def test_catalog_knows_the_eight_images_by_canonical_name():
    assert known_images() == EIGHT
    assert canonical("busybox") == "busybox:latest"
    assert canonical("httpd:2.4") == "httpd:2.4"
    assert canonical("docker.io/library/nginx") == "nginx:latest"
    assert canonical("localhost:5000/myapp") == "localhost:5000/myapp:latest"
    for name in EIGHT:
        entry = catalog.spec(name)
        assert (entry.recipe_dir / "CONTRACT.md").is_file(), f"{name}: CONTRACT.md missing"


def test_unknown_image_is_rejected_with_a_clear_error():
    with pytest.raises(ImageUnknown) as caught:
        provision(["mysql:5.7"])
    message = str(caught.value)
    assert "mysql:5.7" in message and "레시피" in message and "no recipe knows" in message
    assert message.index("레시피") < message.index("no recipe knows")  # Korean first
    with pytest.raises(ImageUnknown):
        status(["postgres"])


def test_recipe_hash_covers_the_recipe_and_its_base(tmp_path, monkeypatch):
    before = {name: recipe_hash(name) for name in EIGHT}
    copy = tmp_path / "recipes"
    shutil.copytree(catalog.RECIPES_DIR, copy)
    monkeypatch.setattr(catalog, "RECIPES_DIR", copy)
    assert {name: recipe_hash(name) for name in EIGHT} == before  # same content, same hash

    (copy / "debian" / "CONTRACT.md").write_text("documentation only\n")
    assert recipe_hash("debian:bookworm-slim") == before["debian:bookworm-slim"]

    with open(copy / "debian" / "mkrootfs.sh", "a") as script:
        script.write("# changed\n")
    assert recipe_hash("debian:bookworm-slim") != before["debian:bookworm-slim"]
    assert recipe_hash("httpd:2.4") != before["httpd:2.4"]          # built FROM debian
    assert recipe_hash("wordpress:latest") != before["wordpress:latest"]
    assert recipe_hash("busybox:latest") == before["busybox:latest"]  # not built on debian


# --- pull failures -----------------------------------------------------------------------

@pytest.mark.parametrize("text, kind", [
    ('Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup '
     'registry-1.docker.io on 10.0.0.2:53: no such host', NETWORK),
    ('Error response from daemon: Get "https://registry-1.docker.io/v2/": net/http: request canceled '
     'while waiting for connection (Client.Timeout exceeded while awaiting headers)', NETWORK),
    ('Error response from daemon: Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: '
     'connection refused', NETWORK),
    ("Error response from daemon: toomanyrequests: You have reached your pull rate limit.", NETWORK),
    ("Error response from daemon: manifest for httpd:2.99 not found: manifest unknown: manifest unknown",
     NOT_FOUND),
    ("Error response from daemon: pull access denied for nosuchimage, repository does not exist or may "
     "require 'docker login': denied: requested access to the resource is denied", NOT_FOUND),
    ("Error response from daemon: Head \"https://registry-1.docker.io/v2/library/x/manifests/y\": "
     "unauthorized: incorrect username or password", DENIED),
])
def test_pull_errors_are_classified(text, kind):
    assert classify_pull_error(text) == kind


def test_a_real_unreachable_registry_is_classified_as_no_network(engine):
    outcome = docker_cli.pull("nonexistent.invalid/imgtest-nothing:1", timeout=120)
    assert outcome.returncode != 0
    assert classify_pull_error(outcome.output) == NETWORK, outcome.output


def test_a_pull_failing_for_a_wrong_tag_is_reported_not_replaced(engine, provisioned, resources, monkeypatch):
    # A real registry (the registry:2 image) answers "manifest unknown" for a tag it lacks.
    port = free_port()
    registry = engine.containers.run("registry:2", name=resources.container("registry-404"), detach=True,
                                     ports={"5000/tcp": ("127.0.0.1", port)})
    wait_until(lambda: http(port, "/v2/").status == 200, 60, "the registry to answer")
    real = docker_cli.pull(f"127.0.0.1:{port}/imgtest-missing:no-such-tag", timeout=120)
    assert real.returncode != 0 and classify_pull_error(real.output) == NOT_FOUND, real.output
    registry.remove(force=True, v=True)

    # provision() given that answer for a catalog image: reported, no stand-in built.
    monkeypatch.setattr(provision_module.docker_cli, "inspect", lambda ref: None)
    monkeypatch.setattr(provision_module.docker_cli, "pull", lambda ref, timeout=0: real)

    def no_build(*args, **kwargs):
        raise AssertionError("a stand-in must not hide a failed pull")

    monkeypatch.setattr(provision_module, "build_stand_in", no_build)
    with pytest.raises(ProvisionError) as caught:
        provision(["httpd:2.4"])
    assert caught.value.kind == "pull-failed"
    assert caught.value.image == "httpd:2.4"
    message = str(caught.value)
    assert "httpd:2.4" in message and "받지 못했습니다" in message
    # the registry's own words: "manifest unknown" (overlay2 store) or "...: not found" (containerd store)
    assert "manifest unknown" in message or ": not found" in message


def test_build_logs_that_cannot_reach_the_archive_are_recognised():
    apt_log = ("Err:1 http://archive.invalid/debian bookworm InRelease\n"
               "  Temporary failure resolving 'archive.invalid'\n"
               "E: Failed to fetch http://archive.invalid/debian/dists/bookworm/InRelease\n")
    assert archive_unreachable(apt_log)
    assert archive_unreachable("E: Failed getting release file http://archive.invalid/dists/bookworm/Release")
    assert not archive_unreachable("E: Unable to locate package nosuchpackage")


# --- provisioning and cache --------------------------------------------------------------

def test_every_image_is_present_with_its_origin(provisioned):
    assert set(provisioned) == EIGHT
    rows = {row.name: row for row in status()}
    assert set(rows) == EIGHT
    for name, row in rows.items():
        assert row.present and row.image_id == provisioned[name].image_id
        assert row.origin == provisioned[name].origin
        if row.origin == "stand-in":
            assert row.recipe_hash == recipe_hash(name) and row.up_to_date
            labels = docker_cli.inspect(name).labels
            assert labels["io.docker-labs.stand-in"] == "true"
            assert labels["io.docker-labs.recipe-hash"] == recipe_hash(name)
        assert row.official_compressed_size == catalog.spec(name).official_compressed_size


def test_a_second_provision_builds_nothing(provisioned):
    again = provision(log=lambda line: None)
    assert {r.name for r in again} == EIGHT
    for result in again:
        assert result.action in ("cached", "present"), result
        assert result.image_id == provisioned[result.name].image_id


@pytest.fixture
def offline_pulls(engine, monkeypatch):
    """Every pull gets the engine's real answer from an unreachable registry (Docker Hub would
    answer "repository does not exist" for the test-only names on a machine with network)."""
    offline = docker_cli.pull("nonexistent.invalid/imgtest-offline:1", timeout=120)
    assert classify_pull_error(offline.output) == NETWORK, offline.output
    pulls: list[str] = []

    def pull(ref, timeout=0):
        pulls.append(ref)
        return offline

    monkeypatch.setattr(provision_module.docker_cli, "pull", pull)
    return pulls


@pytest.fixture
def test_entry(resources, monkeypatch, tmp_path):
    """Adds a catalog entry only these tests use (imgtest-...), so building and rebuilding
    never touches an image that labs running beside them use. By default a Dockerfile on the
    busybox stand-in whose every build differs (a forced rebuild must give a new image)."""
    recipe = tmp_path / "imgtest-recipe"
    recipe.mkdir()
    (recipe / "Dockerfile").write_text("FROM busybox:latest\nRUN date +%s%N > /built\n")

    def register(name, **changes):
        settings = dict(recipe=str(recipe), builder=catalog.DOCKERFILE, base="busybox:latest", archived=True)
        settings.update(changes)
        entry = dataclasses.replace(catalog.spec("busybox"), name=name, official_compressed_size=None,
                                    size_source=None, **settings)
        monkeypatch.setitem(catalog.CATALOG, name, entry)
        resources.image_tag(name)
        return name
    return register


@pytest.fixture
def scratch_stand_in(test_entry, offline_pulls, tmp_path, monkeypatch):
    # Saved archives of earlier runs would be loaded instead of built: start with none.
    monkeypatch.setattr(archive_cache, "CACHE_DIR", tmp_path / "archives")
    return test_entry("imgtest-standin:latest"), offline_pulls


def test_pull_then_build_then_cache_then_rebuild(scratch_stand_in):
    name, pulls = scratch_stand_in
    quiet = dict(log=lambda line: None)

    def provision_own(**options):  # provisioning also reports the recipe's base (busybox)
        return [result for result in provision([name], **quiet, **options) if result.name == name]

    first = provision_own()
    assert [(r.name, r.origin, r.action) for r in first] == [(name, "stand-in", "built")]
    assert pulls == [name]  # tried the registry first

    second = provision_own()
    assert [(r.action, r.image_id) for r in second] == [("cached", first[0].image_id)]
    assert pulls == [name]  # nothing pulled, nothing built

    forced = provision_own(rebuild=True)
    assert [r.action for r in forced] == ["built"]
    assert forced[0].image_id != first[0].image_id  # built anew, not from the build cache
    assert docker_cli.inspect(first[0].image_id) is None  # the superseded stand-in is gone

    [row] = status([name])
    assert (row.origin, row.image_id, row.up_to_date) == ("stand-in", forced[0].image_id, True)
    assert docker_cli.inspect(name).labels["io.docker-labs.recipe-hash"] == recipe_hash(name)

    # Another engine profile (or a wiped data root) loads the saved archive instead of building.
    assert archive_cache.archive_path(name, recipe_hash(name)).is_file()
    assert docker_cli.remove_image(name).returncode == 0
    loaded = provision_own()
    assert [(r.action, r.origin) for r in loaded] == [("loaded", "stand-in")]
    assert docker_cli.inspect(name).labels["io.docker-labs.recipe-hash"] == recipe_hash(name)


def _failing_recipe(folder, dockerfile):
    folder.mkdir(parents=True)
    (folder / "Dockerfile").write_text(dockerfile)
    return str(folder)  # an absolute recipe path replaces recipes/<name>/


def test_a_build_that_cannot_reach_the_archive_says_so(provisioned, test_entry, offline_pulls, tmp_path):
    # The image's own apt sources, with the archive's host name swapped for one that never resolves.
    recipe = _failing_recipe(tmp_path / "offline", (
        "FROM debian:bookworm-slim\n"
        "RUN sed -i -E 's#//[^/]+/#//archive.invalid/#' /etc/apt/sources.list"
        " && apt-get update --error-on=any\n"))
    name = test_entry("imgtest-no-archive:latest", recipe=recipe, builder=catalog.DOCKERFILE)
    with pytest.raises(ProvisionError) as caught:
        provision([name], log=lambda line: None)
    assert caught.value.kind == "archive-unreachable" and caught.value.image == name
    message = str(caught.value)
    assert message.startswith(f"데비안 패키지 저장소에 닿지 않아 대체 이미지 {name}")
    assert "cannot reach Debian's package archive" in message and "archive.invalid" in message


def test_a_failing_build_reports_the_end_of_its_log(provisioned, test_entry, offline_pulls, tmp_path):
    recipe = _failing_recipe(tmp_path / "broken", "FROM busybox\nRUN echo imgtest-marker-1234 && false\n")
    name = test_entry("imgtest-broken:latest", recipe=recipe, builder=catalog.DOCKERFILE)
    with pytest.raises(ProvisionError) as caught:
        provision([name], log=lambda line: None)
    assert caught.value.kind == "build-failed" and caught.value.image == name
    assert "imgtest-marker-1234" in caught.value.log_tail
    assert name in str(caught.value) and "만들지 못했습니다" in str(caught.value)


# --- contracts ---------------------------------------------------------------------------

def test_busybox_runs_its_applets(engine, provisioned, resources):
    output = engine.containers.run("busybox", ["sh", "-c", "id; id nobody; ls -d /tmp; ps"],
                                   name=resources.container("applets"), remove=True).decode()
    assert "uid=0(root)" in output and "uid=65534(nobody)" in output
    assert "/tmp" in output and "PID" in output
    config = engine.images.get("busybox:latest").attrs["Config"]
    assert config["Cmd"] == ["sh"]


def test_busybox_is_the_official_images_release_line_and_platforms(engine, provisioned, resources):
    """BusyBox 1.37 as in the official image; on the containerd store an index listing linux/amd64
    and linux/arm64 with only amd64 present, as a pull leaves it; one platform on overlay2."""
    banner = engine.containers.run("busybox", ["busybox"], name=resources.container("banner"), remove=True).decode().splitlines()[0]
    assert banner.startswith("BusyBox v1.37."), banner
    columns = engine.containers.run("busybox", ["ps"], name=resources.container("ps"), remove=True).decode().splitlines()[0].split()
    assert columns == ["PID", "USER", "COMMAND"], columns  # Debian's build: no TIME column (CONTRACT.md)
    listed = docker_cli.run(["image", "inspect", "--format", "{{.Id}} {{.Os}}/{{.Architecture}}", "busybox"])
    assert listed.returncode == 0 and listed.output.strip().endswith("linux/amd64"), listed.output
    if docker_cli.image_store() != "containerd":
        return
    tree = docker_cli.run(["image", "ls", "--tree", "--all", "busybox"])
    assert tree.returncode == 0, tree.output
    assert "linux/amd64" in tree.output and "linux/arm64" in tree.output, tree.output


def test_httpd_is_a_pulled_multi_platform_index_on_the_containerd_store(engine, provisioned):
    """As `docker pull httpd:2.4` leaves it: linux/amd64 present, linux/arm64/v8 listed without its
    content (recipes/httpd/platforms.txt); one amd64 image on overlay2, where pulls keep one."""
    listed = docker_cli.run(["image", "inspect", "--format", "{{.Os}}/{{.Architecture}}", "httpd:2.4"])
    assert listed.returncode == 0 and listed.output.strip() == "linux/amd64", listed.output
    tree = docker_cli.run(["image", "ls", "--tree", "--all", "httpd:2.4"])
    if docker_cli.image_store() != "containerd":
        return
    assert tree.returncode == 0, tree.output
    rows = {line.split()[1]: line.split()[3] for line in tree.output.splitlines() if "linux/" in line}
    assert set(rows) == {"linux/amd64", "linux/arm64/v8"}, tree.output
    assert rows["linux/arm64/v8"] == "0B" and rows["linux/amd64"] != "0B", f"arm64 content is present:\n{tree.output}"


def test_debian_is_bookworm_with_apt(engine, provisioned, resources):
    output = engine.containers.run("debian:bookworm-slim",
                                   ["bash", "-c", ". /etc/os-release; echo $VERSION_CODENAME; command -v apt-get"],
                                   name=resources.container("os-release"), remove=True).decode()
    assert output.split() == ["bookworm", "/usr/bin/apt-get"]
    assert engine.images.get("debian:bookworm-slim").attrs["Config"]["Cmd"] == ["bash"]


def test_httpd_serves_a_file_copied_into_htdocs(engine, provisioned, resources, tmp_path):
    port = free_port()
    container = engine.containers.run("httpd:2.4", name=resources.container("httpd"), detach=True,
                                      ports={"80/tcp": ("127.0.0.1", port)})
    page = wait_until(lambda: http(port, "/"), 60, "Apache to answer on port 80")
    assert page.status == 200 and "<h1>It works!</h1>" in page.body

    import io
    import tarfile
    archive = io.BytesIO()
    content = b"<h1>imgtest page</h1>\n"
    with tarfile.open(fileobj=archive, mode="w") as tar:
        info = tarfile.TarInfo("hello.html")
        info.size = len(content)
        tar.addfile(info, io.BytesIO(content))
    assert container.put_archive("/usr/local/apache2/htdocs/", archive.getvalue())
    served = http(port, "/hello.html")
    assert served.status == 200 and served.body == content.decode()

    config = engine.images.get("httpd:2.4").attrs["Config"]
    assert config["StopSignal"] == "SIGWINCH" and "80/tcp" in config["ExposedPorts"]
    code, output = exec_ok(container, ["httpd", "-t"])
    assert code == 0, output
    wait_until(lambda: "GET /hello.html" in container.logs().decode(), 10, "the access log on stdout")


def test_nginx_serves_the_welcome_page(engine, provisioned, resources):
    port = free_port()
    container = engine.containers.run("nginx", name=resources.container("nginx"), detach=True,
                                      ports={"80/tcp": ("127.0.0.1", port)})
    page = wait_until(lambda: http(port, "/"), 60, "nginx to answer on port 80")
    assert page.status == 200 and "<title>Welcome to nginx!</title>" in page.body
    assert http(port, "/no-such-page").status == 404
    code, output = exec_ok(container, ["ls", "/usr/share/nginx/html"])
    assert code == 0 and "index.html" in output and "50x.html" in output
    wait_until(lambda: "GET / HTTP/1.1" in container.logs().decode(), 10, "the access log on stdout")


def _start_mariadb(engine, resources, network, **environment):
    return engine.containers.run(
        "mariadb:10.11", ["--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci"],
        name=resources.container("db"), detach=True, network=network, environment=environment,
    )


def _wait_healthy(container, timeout=120):
    def healthy():
        container.reload()
        if container.status == "exited":
            raise AssertionError("mariadb exited:\n" + container.logs().decode()[-2000:])
        return exec_ok(container, ["healthcheck.sh", "--connect", "--innodb_initialized"])[0] == 0
    wait_until(healthy, timeout, "MariaDB to accept connections (healthcheck.sh)", interval=0.5)


def test_mariadb_initialises_from_variables_and_accepts_a_login_by_name(engine, provisioned, resources):
    network = resources.network("db-net")
    db = _start_mariadb(engine, resources, network,
                        MARIADB_ROOT_PASSWORD="root-secret", MYSQL_DATABASE="labdb",
                        MYSQL_USER="labuser", MARIADB_PASSWORD="it's-a-secret")
    _wait_healthy(db)
    query = ("SELECT CONCAT_WS(',', CURRENT_USER(), DATABASE(), @@character_set_server, "
             "@@collation_server)")
    client = engine.containers.run(
        "mariadb:10.11", ["mariadb", "-h", db.name, "-u", "labuser", "-pit's-a-secret", "labdb",
                          "--batch", "--skip-column-names", "-e", query],
        name=resources.container("client"), network=network, detach=True)
    assert client.wait(timeout=60)["StatusCode"] == 0, client.logs().decode()
    assert client.logs(stderr=False).decode().split() == ["labuser@%,labdb,utf8mb4,utf8mb4_unicode_ci"]

    code, output = exec_ok(db, ["mariadb", "-uroot", "-proot-secret", "-h", "127.0.0.1", "--batch",
                                "--skip-column-names", "-e",
                                "SELECT COUNT(*) FROM mysql.user WHERE user='root' AND host='%'"])
    assert code == 0 and output.strip() == "1", output
    code, output = exec_ok(db, ["mariadb-admin", "ping", "-h", "127.0.0.1", "-uroot", "-proot-secret"])
    assert code == 0 and "alive" in output
    assert engine.images.get("mariadb:10.11").attrs["Config"]["Volumes"] == {"/var/lib/mysql": {}}


def test_mariadb_without_a_password_option_refuses_to_start(engine, provisioned, resources):
    db = engine.containers.run("mariadb:10.11", name=resources.container("db-nopass"), detach=True)
    assert db.wait(timeout=60)["StatusCode"] != 0
    assert "password option is not specified" in db.logs().decode()


def test_wordpress_reaches_its_installer_and_writes_its_tables(engine, provisioned, resources):
    network = resources.network("wp-net")
    db = _start_mariadb(engine, resources, network, MARIADB_ROOT_PASSWORD="root-secret",
                        MARIADB_DATABASE="wordpress", MARIADB_USER="wp", MARIADB_PASSWORD="wp-secret")
    port = free_port()
    engine.containers.run("wordpress", name=resources.container("wp"), detach=True, network=network,
                          ports={"80/tcp": ("127.0.0.1", port)},
                          environment={"WORDPRESS_DB_HOST": f"{db.name}:3306", "WORDPRESS_DB_USER": "wp",
                                       "WORDPRESS_DB_PASSWORD": "wp-secret",
                                       "WORDPRESS_DB_NAME": "wordpress"})
    _wait_healthy(db)

    def installer():
        answer = http(port, "/")
        if answer.status == 302 and "/wp-admin/install.php" in answer.headers.get("location", ""):
            return answer
        return None
    wait_until(installer, 90, "WordPress to redirect to its installer")
    page = http(port, "/wp-admin/install.php")
    assert page.status == 200 and "Installation" in page.body

    done = http(port, "/wp-admin/install.php?step=2", method="POST", timeout=120, form={
        "weblog_title": "imgtest", "user_name": "admin", "admin_password": "Imgtest-pass-2026",
        "admin_password2": "Imgtest-pass-2026", "pw_weak": "1", "admin_email": "admin@example.com",
        "blog_public": "0"})
    assert done.status == 200, done.body[-500:]
    code, output = exec_ok(db, ["mariadb", "-uwp", "-pwp-secret", "wordpress", "--batch", "--skip-column-names",
                                "-e", "SELECT option_value FROM wp_options WHERE option_name='blogname'"])
    assert code == 0 and output.strip() == "imgtest", output
    home = http(port, "/")
    assert home.status == 200 and "imgtest" in home.body


def test_wordpress_without_a_database_says_so(engine, provisioned, resources):
    port = free_port()
    engine.containers.run("wordpress", name=resources.container("wp-nodb"), detach=True,
                          ports={"80/tcp": ("127.0.0.1", port)},
                          environment={"WORDPRESS_DB_HOST": "imgtest-no-such-host", "WORDPRESS_DB_USER": "wp",
                                       "WORDPRESS_DB_PASSWORD": "x"})
    page = wait_until(lambda: http(port, "/"), 60, "Apache to answer on port 80")
    assert "Error establishing a database connection" in page.body


def test_redmine_writes_its_schema_and_answers_on_port_3000(engine, provisioned, resources):
    network = resources.network("rm-net")
    db = _start_mariadb(engine, resources, network, MYSQL_ROOT_PASSWORD="root-secret",
                        MYSQL_DATABASE="redminedb", MYSQL_USER="rm", MYSQL_PASSWORD="rm-secret")
    _wait_healthy(db)
    port = free_port()
    app = engine.containers.run("redmine:latest", name=resources.container("redmine"), detach=True,
                                network=network, ports={"3000/tcp": ("127.0.0.1", port)},
                                environment={"REDMINE_DB_MYSQL": db.name, "REDMINE_DB_DATABASE": "redminedb",
                                             "REDMINE_DB_USERNAME": "rm", "REDMINE_DB_PASSWORD": "rm-secret"})

    def home():
        app.reload()
        if app.status == "exited":
            raise AssertionError("redmine exited:\n" + app.logs().decode()[-2000:])
        answer = http(port, "/")
        return answer if answer.status == 200 else None
    page = wait_until(home, 180, "Redmine to migrate its schema and answer on port 3000", interval=1)
    assert "<title>Redmine</title>" in page.body
    code, output = exec_ok(db, ["mariadb", "-urm", "-prm-secret", "redminedb", "--batch", "--skip-column-names",
                                "-e", "SELECT login FROM users WHERE admin = 1"])
    assert code == 0 and output.split() == ["admin"], output
    code, output = exec_ok(app, ["cat", "/proc/1/cmdline"])
    assert code == 0 and ("puma" in output or "rails" in output), output  # the server itself is PID 1
    config = engine.images.get("redmine:latest").attrs["Config"]
    assert config["Volumes"] == {"/usr/src/redmine/files": {}}
    assert "3000/tcp" in config["ExposedPorts"] and config["WorkingDir"] == "/usr/src/redmine"


def test_registry_push_then_pull_gives_the_same_image(engine, provisioned, resources):
    port = free_port()
    engine.containers.run("registry:2", name=resources.container("registry"), detach=True,
                          ports={"5000/tcp": ("127.0.0.1", port)})
    wait_until(lambda: http(port, "/v2/").status == 200, 60, "the registry to answer on port 5000")

    # An image of the test's own: a tag on busybox would show in a lab's `RepoDigests` output.
    image_of_its_own(engine, "imgtest-push-source", "1")
    original = engine.images.get(resources.image_tag("imgtest-push-source:1"))
    ref = resources.image_tag(f"localhost:{port}/imgtest-busybox:1")
    original.tag(ref)
    pushed = docker_cli.run(["push", ref], timeout=300)
    assert pushed.returncode == 0, pushed.output
    engine.images.remove(ref)
    pulled = docker_cli.run(["pull", ref], timeout=300)
    assert pulled.returncode == 0, pulled.output
    assert engine.images.get(ref).id == original.id
    catalog_answer = http(port, "/v2/_catalog")
    assert "imgtest-busybox" in catalog_answer.body
