#!/bin/bash
# healthcheck.sh of the mariadb:10.11 stand-in (same call as the official image's):
#
#   healthcheck.sh [--defaults-file=FILE | --no-defaults] [--su-mysql] TEST...
#
# Tests, run in order, all must pass:
#   --connect                    the server accepts a TCP connection and a query
#   --innodb_initialized         the InnoDB engine is initialised
#   --innodb_buffer_pool_loaded  the InnoDB buffer pool finished loading
# Credentials come from /var/lib/mysql/.my-healthcheck.cnf, written on first start
# for the healthcheck@localhost / 127.0.0.1 / ::1 users (as the official image does).
set -eo pipefail

defaults=(--defaults-extra-file=/var/lib/mysql/.my-healthcheck.cnf)
tests=()

query() {
	mariadb "${defaults[@]}" --skip-column-names --batch -e "$1"
}

for arg; do
	case "$arg" in
		--defaults-file=*|--defaults-extra-file=*) defaults=("$arg") ;;
		--no-defaults) defaults=(--no-defaults) ;;
		--su-mysql|--su=mysql|--su=*) ;;  # the stand-in connects over TCP with a password: no user switch needed
		--connect|--innodb_initialized|--innodb_buffer_pool_loaded) tests+=("${arg#--}") ;;
		*)
			echo "healthcheck.sh: unknown option or test: $arg" >&2
			exit 1
			;;
	esac
done

if [ "${#tests[@]}" -eq 0 ]; then
	echo "healthcheck.sh: no test given (use --connect, --innodb_initialized, --innodb_buffer_pool_loaded)" >&2
	exit 1
fi

for test in "${tests[@]}"; do
	case "$test" in
		connect)
			if ! query 'SELECT 1' > /dev/null; then
				echo "healthcheck connect failed" >&2
				exit 1
			fi
			;;
		innodb_initialized)
			if [ "$(query "SELECT 1 FROM information_schema.ENGINES WHERE engine='innodb' AND support IN ('YES', 'DEFAULT', 'ENABLED')")" != 1 ]; then
				echo "healthcheck innodb_initialized failed" >&2
				exit 1
			fi
			;;
		innodb_buffer_pool_loaded)
			status="$(query "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='Innodb_buffer_pool_load_status'")"
			if [[ "$status" != "Buffer pool(s) load completed"* ]] && [[ "$status" != "Loading of buffer pool not started"* ]]; then
				echo "healthcheck innodb_buffer_pool_loaded failed" >&2
				exit 1
			fi
			;;
	esac
done
