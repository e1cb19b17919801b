#!/bin/bash
# Entrypoint of the mariadb:10.11 stand-in.
#
# Re-implements what the official image documents (see CONTRACT.md):
#  - a command starting with "-" is taken as options for mariadbd;
#  - for mariadbd/mysqld, as root: prepare the data directory, then run again as mysql;
#  - on first start (no "mysql" schema in the data directory): initialise it from
#    MARIADB_* variables (MYSQL_* as fallbacks, *_FILE for secrets) with a temporary,
#    socket-only server, run /docker-entrypoint-initdb.d/*, stop the temporary server;
#  - finally exec the command (mariadbd with the given options).
set -eo pipefail
shopt -s nullglob

log() {
	local type="$1"; shift
	printf '%s [%s] [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$type" "$*"
}
note() { log Note "$@"; }
warn() { log Warn "$@" >&2; }
fail() { log ERROR "$@" >&2; exit 1; }

# file_env VAR [DEFAULT]: VAR, or the content of the file named by VAR_FILE, or DEFAULT.
file_env() {
	local var="$1" default="${2:-}"
	local file_var="${var}_FILE"
	if [ -n "${!var:-}" ] && [ -n "${!file_var:-}" ]; then
		fail "Both $var and $file_var are set (but are exclusive)"
	fi
	local value="$default"
	if [ -n "${!var:-}" ]; then
		value="${!var}"
	elif [ -n "${!file_var:-}" ]; then
		value="$(< "${!file_var}")"
	fi
	export "$var"="$value"
	unset "$file_var"
}

# maria_env NAME [DEFAULT]: MARIADB_NAME, falling back to MYSQL_NAME; both end up equal.
maria_env() {
	local name="$1" default="${2:-}"
	local mysql_var="MYSQL_$name" maria_var="MARIADB_$name"
	file_env "$mysql_var" "$default"
	file_env "$maria_var" "${!mysql_var}"
	export "$mysql_var"="${!maria_var}"
}

want_help() {
	local arg
	for arg; do
		case "$arg" in
			-'?'|--help|--print-defaults|-V|--version) return 0 ;;
		esac
	done
	return 1
}

check_config() {
	local errors
	if ! errors="$("$@" --verbose --help 2>&1 >/dev/null)"; then
		fail $'mariadbd failed while attempting to check config\n\tcommand was: '"$* --verbose --help"$'\n\t'"$errors"
	fi
}

# get_config NAME COMMAND...: a value as mariadbd would use it with these options.
get_config() {
	local name="$1"; shift
	"$@" --verbose --help 2>/dev/null \
		| awk -v name="$name" '$1 == name && /^[^ \t]/ { sub(/^[^ \t]+[ \t]+/, ""); print; exit }'
}

setup_env() {
	declare -g DATADIR SOCKET PORT DATABASE_ALREADY_EXISTS
	DATADIR="$(get_config datadir "$@")"
	SOCKET="$(get_config socket "$@")"
	PORT="$(get_config port "$@")"

	maria_env ROOT_HOST '%'
	maria_env DATABASE
	maria_env USER
	maria_env PASSWORD
	maria_env ROOT_PASSWORD
	file_env MARIADB_PASSWORD_HASH
	file_env MARIADB_ROOT_PASSWORD_HASH

	: "${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:=${MYSQL_ALLOW_EMPTY_PASSWORD:-}}"
	export MARIADB_ALLOW_EMPTY_ROOT_PASSWORD MYSQL_ALLOW_EMPTY_PASSWORD="$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD"
	: "${MARIADB_RANDOM_ROOT_PASSWORD:=${MYSQL_RANDOM_ROOT_PASSWORD:-}}"
	export MARIADB_RANDOM_ROOT_PASSWORD MYSQL_RANDOM_ROOT_PASSWORD="$MARIADB_RANDOM_ROOT_PASSWORD"
	: "${MARIADB_INITDB_SKIP_TZINFO:=${MYSQL_INITDB_SKIP_TZINFO:-}}"
	export MARIADB_INITDB_SKIP_TZINFO MYSQL_INITDB_SKIP_TZINFO="$MARIADB_INITDB_SKIP_TZINFO"

	DATABASE_ALREADY_EXISTS=
	if [ -d "$DATADIR/mysql" ]; then
		DATABASE_ALREADY_EXISTS=true
	fi
}

create_dirs() {
	mkdir -p "$DATADIR"
	if [ "$(id -u)" = 0 ]; then
		find "$DATADIR" \! -user mysql -exec chown mysql: '{}' +
		find "${SOCKET%/*}" -maxdepth 0 \! -user mysql -exec chown mysql: '{}' \;
	fi
}

verify_minimum_env() {
	if [ -z "$MARIADB_ROOT_PASSWORD" ] && [ -z "$MARIADB_ROOT_PASSWORD_HASH" ] \
		&& [ -z "$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" ] && [ -z "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
		fail $'Database is uninitialized and password option is not specified\n\tYou need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD'
	fi
	if [ -n "$MARIADB_PASSWORD" ] && [ -n "$MARIADB_PASSWORD_HASH" ]; then
		fail "Cannot specify MARIADB_PASSWORD_HASH and MARIADB_PASSWORD option."
	fi
}

# client [--no-root-password] ARGS...: the mariadb client as root over the socket.
client() {
	local password="$MARIADB_ROOT_PASSWORD"
	if [ "$1" = --no-root-password ]; then
		shift
		password=
	fi
	if [ -n "$MARIADB_DATABASE" ]; then
		set -- --database="$MARIADB_DATABASE" "$@"
	fi
	MYSQL_PWD="$password" mariadb --protocol=socket -uroot -hlocalhost --socket="$SOCKET" "$@"
}

# sql_string VALUE: VALUE escaped for a single-quoted SQL string literal.
sql_string() {
	local value="${1//\\/\\\\}"
	value="${value//$'\n'/\\n}"
	echo "${value//\'/\\\'}"
}

temp_server_start() {
	"$@" --skip-networking --default-time-zone=SYSTEM --socket="$SOCKET" --wsrep_on=OFF \
		--expire-logs-days=0 --loose-innodb_buffer_pool_load_at_startup=0 &
	declare -g MARIADB_PID=$!
	note "Waiting for server startup"
	local extra=()
	if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
		extra=(--no-root-password)
	fi
	local i
	for i in {300..0}; do
		if client "${extra[@]}" --database=mysql <<<'SELECT 1' &>/dev/null; then
			break
		fi
		if ! kill -0 "$MARIADB_PID" 2>/dev/null; then
			fail "Unable to start server."
		fi
		sleep 0.1
	done
	if [ "$i" = 0 ]; then
		fail "Unable to start server."
	fi
}

temp_server_stop() {
	kill "$MARIADB_PID"
	wait "$MARIADB_PID"
}

healthcheck_users() {
	local password
	password="$(pwgen --numerals --capitalize --symbols --remove-chars="=#'\\" -1 32)"
	local escaped
	escaped="$(sql_string "$password")"
	local grant="${MARIADB_HEALTHCHECK_GRANTS:-USAGE}" host
	for host in 127.0.0.1 ::1 localhost; do
		echo "CREATE USER IF NOT EXISTS healthcheck@'$host' IDENTIFIED BY '$escaped';"
		echo "SET PASSWORD FOR healthcheck@'$host' = PASSWORD('$escaped');"
		echo "GRANT $grant ON *.* TO healthcheck@'$host';"
	done
	(
		umask 0077
		printf '[mariadb-client]\nport=%s\nsocket=%s\nuser=healthcheck\npassword=%s\nprotocol=tcp\n' \
			"$PORT" "$SOCKET" "$password" > "$DATADIR/.my-healthcheck.cnf"
	)
}

setup_db() {
	if [ -z "$MARIADB_INITDB_SKIP_TZINFO" ]; then
		mariadb-tzinfo-to-sql --skip-write-binlog /usr/share/zoneinfo \
			| client --no-root-password --database=mysql
	fi
	if [ -n "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
		MARIADB_ROOT_PASSWORD="$(pwgen --numerals --capitalize --symbols --remove-chars="'\\" -1 32)"
		export MARIADB_ROOT_PASSWORD MYSQL_ROOT_PASSWORD="$MARIADB_ROOT_PASSWORD"
		note "GENERATED ROOT PASSWORD: $MARIADB_ROOT_PASSWORD"
	fi

	local root_password root_create= root_localhost=
	root_password="$(sql_string "$MARIADB_ROOT_PASSWORD")"
	if [ -n "$MARIADB_ROOT_HOST" ] && [ "$MARIADB_ROOT_HOST" != localhost ]; then
		local identified="IDENTIFIED BY '$root_password'"
		if [ -n "$MARIADB_ROOT_PASSWORD_HASH" ]; then
			identified="IDENTIFIED BY PASSWORD '$MARIADB_ROOT_PASSWORD_HASH'"
		fi
		root_create="CREATE USER 'root'@'$MARIADB_ROOT_HOST' $identified;
GRANT ALL ON *.* TO 'root'@'$MARIADB_ROOT_HOST' WITH GRANT OPTION;
GRANT PROXY ON ''@'%' TO 'root'@'$MARIADB_ROOT_HOST' WITH GRANT OPTION;"
	fi
	if [ -n "$MARIADB_ROOT_PASSWORD_HASH" ]; then
		root_localhost="SET PASSWORD FOR 'root'@'localhost' = '$MARIADB_ROOT_PASSWORD_HASH';"
	else
		root_localhost="SET PASSWORD FOR 'root'@'localhost' = PASSWORD('$root_password');"
	fi

	local create_database= create_user= user_grants=
	if [ -n "$MARIADB_DATABASE" ]; then
		note "Creating database ${MARIADB_DATABASE}"
		create_database="CREATE DATABASE IF NOT EXISTS \`$MARIADB_DATABASE\`;"
	fi
	if [ -n "$MARIADB_USER" ] && { [ -n "$MARIADB_PASSWORD" ] || [ -n "$MARIADB_PASSWORD_HASH" ]; }; then
		note "Creating user ${MARIADB_USER}"
		if [ -n "$MARIADB_PASSWORD_HASH" ]; then
			create_user="CREATE USER '$MARIADB_USER'@'%' IDENTIFIED BY PASSWORD '$MARIADB_PASSWORD_HASH';"
		else
			create_user="CREATE USER '$MARIADB_USER'@'%' IDENTIFIED BY '$(sql_string "$MARIADB_PASSWORD")';"
		fi
		if [ -n "$MARIADB_DATABASE" ]; then
			note "Giving user ${MARIADB_USER} access to schema ${MARIADB_DATABASE}"
			user_grants="GRANT ALL ON \`${MARIADB_DATABASE//_/\\_}\`.* TO '$MARIADB_USER'@'%';"
		fi
	fi

	note "Securing system users (equivalent to running mysql_secure_installation)"
	client --no-root-password --database=mysql --binary-mode <<-EOSQL
		SET @orig_sql_log_bin= @@SESSION.SQL_LOG_BIN;
		SET @@SESSION.SQL_LOG_BIN=0;
		SET @@SESSION.SQL_MODE=REPLACE(@@SESSION.SQL_MODE, 'NO_BACKSLASH_ESCAPES', '');
		DROP USER IF EXISTS root@'127.0.0.1', root@'::1';
		EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS root@\'', @@hostname,'\'');
		${root_localhost}
		${root_create}
		$(healthcheck_users)
		SET @@SESSION.SQL_LOG_BIN=@orig_sql_log_bin;
		${create_database}
		${create_user}
		${user_grants}
	EOSQL
}

process_init_files() {
	echo
	local f
	for f; do
		case "$f" in
			*.sh)
				if [ -x "$f" ]; then
					note "$0: running $f"
					"$f"
				else
					note "$0: sourcing $f"
					# shellcheck disable=SC1090
					. "$f"
				fi
				;;
			*.sql)    note "$0: running $f"; client < "$f"; echo ;;
			*.sql.gz) note "$0: running $f"; gunzip -c "$f" | client; echo ;;
			*.sql.xz) note "$0: running $f"; xzcat "$f" | client; echo ;;
			*.sql.zst) note "$0: running $f"; zstd -dc "$f" | client; echo ;;
			*)        warn "$0: ignoring $f" ;;
		esac
		echo
	done
}

init_database() {
	ls /docker-entrypoint-initdb.d/ > /dev/null

	note "Initializing database files"
	mariadb-install-db --datadir="$DATADIR" --rpm --auth-root-authentication-method=normal "${@:2}" \
		--skip-test-db --old-mode='UTF8_IS_UTF8MB3' --default-time-zone=SYSTEM \
		--enforce-storage-engine= --skip-log-bin --expire-logs-days=0 \
		--loose-innodb_buffer_pool_load_at_startup=0 --loose-innodb_buffer_pool_dump_at_shutdown=0
	note "Database files initialized"

	note "Starting temporary server"
	temp_server_start "$@"
	note "Temporary server started."

	setup_db
	process_init_files /docker-entrypoint-initdb.d/*

	note "Stopping temporary server"
	temp_server_stop
	note "Temporary server stopped"
	echo
	note "MariaDB init process done. Ready for start up."
	echo
}

main() {
	if [ "${1:0:1}" = '-' ]; then
		set -- mariadbd "$@"
	fi

	if { [ "$1" = mariadbd ] || [ "$1" = mysqld ]; } && ! want_help "$@"; then
		: "${MARIADB_VERSION:=$(dpkg-query -W -f='${Version}' mariadb-server 2>/dev/null || true)}"
		export MARIADB_VERSION
		note "Entrypoint script for MariaDB Server ${MARIADB_VERSION} started."

		check_config "$@"
		setup_env "$@"
		create_dirs

		if [ "$(id -u)" = 0 ]; then
			note "Switching to dedicated user 'mysql'"
			exec gosu mysql "${BASH_SOURCE[0]}" "$@"
		fi

		if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
			verify_minimum_env
			init_database "$@"
		fi
	fi
	exec "$@"
}

main "$@"
