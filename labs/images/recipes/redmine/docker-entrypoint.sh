#!/bin/bash
# Entrypoint of the redmine stand-in. Does what the official image documents:
#  - for rails/rake (or "bundle exec ..."), started as root: fix the ownership of the
#    directories Redmine writes to, then run again as the user redmine (gosu);
#  - when config/database.yml is missing, write it from REDMINE_DB_MYSQL (MySQL or
#    MariaDB server), REDMINE_DB_PORT, REDMINE_DB_USERNAME, REDMINE_DB_PASSWORD,
#    REDMINE_DB_DATABASE, REDMINE_DB_ENCODING (each also as NAME_FILE); without a
#    database variable, SQLite in sqlite/redmine.db;
#  - secret: SECRET_KEY_BASE or REDMINE_SECRET_KEY_BASE, otherwise one generated once;
#  - unless REDMINE_NO_DB_MIGRATE is set, "rake db:migrate" creates or updates the schema;
#  - finally exec the command (rails server by default, in the foreground).
set -Eeo pipefail

# NAME or NAME_FILE (the file's content), not both; DEFAULT otherwise.
from_env_or_file() {
	local name="$1" file_name="${1}_FILE" default="${2:-}"
	if [ -n "${!name:-}" ] && [ -n "${!file_name:-}" ]; then
		echo >&2 "error: both $name and $file_name are set (but are exclusive)"
		exit 1
	fi
	local value="$default"
	if [ -n "${!name:-}" ]; then
		value="${!name}"
	elif [ -n "${!file_name:-}" ]; then
		value="$(< "${!file_name}")"
	fi
	export "$name"="$value"
	unset "$file_name"
}

is_redmine=
case "$1" in
	rails | rake) is_redmine=1 ;;
	bundle) [ "${2:-}" != exec ] || is_redmine=1 ;;
esac

writable_dirs=(/var/lib/redmine /var/log/redmine /var/cache/redmine /etc/redmine/default /home/redmine)

if [ -n "$is_redmine" ] && [ "$(id -u)" = 0 ]; then
	find "${writable_dirs[@]}" \! -user redmine -exec chown redmine:redmine '{}' +
	exec gosu redmine "${BASH_SOURCE[0]}" "$@"
fi

if [ -n "$is_redmine" ]; then
	if [ ! -f config/database.yml ]; then
		for unsupported in REDMINE_DB_POSTGRES REDMINE_DB_SQLSERVER; do
			unsupported_file="${unsupported}_FILE"
			if [ -n "${!unsupported:-}${!unsupported_file:-}" ]; then
				echo >&2 "error: $unsupported is not supported by this local stand-in (MySQL/MariaDB and SQLite only)"
				exit 1
			fi
		done
		from_env_or_file REDMINE_DB_MYSQL
		if [ -n "$REDMINE_DB_MYSQL" ]; then
			adapter=mysql2
			host="$REDMINE_DB_MYSQL"
			from_env_or_file REDMINE_DB_PORT 3306
			from_env_or_file REDMINE_DB_USERNAME root
			from_env_or_file REDMINE_DB_PASSWORD
			from_env_or_file REDMINE_DB_DATABASE redmine
			from_env_or_file REDMINE_DB_ENCODING
		else
			echo >&2
			echo >&2 'warning: missing REDMINE_DB_MYSQL, REDMINE_DB_POSTGRES, or REDMINE_DB_SQLSERVER environment variables'
			echo >&2
			echo >&2 '*** Using sqlite3 as fallback. ***'
			echo >&2
			adapter=sqlite3
			host=localhost
			from_env_or_file REDMINE_DB_PORT
			from_env_or_file REDMINE_DB_USERNAME redmine
			from_env_or_file REDMINE_DB_PASSWORD
			from_env_or_file REDMINE_DB_DATABASE /var/lib/redmine/default/sqlite/redmine.db
			from_env_or_file REDMINE_DB_ENCODING utf8
			mkdir -p "$(dirname "$REDMINE_DB_DATABASE")"
		fi
		{
			echo "$RAILS_ENV:"
			echo "  adapter: $adapter"
			echo "  host: \"$host\""
			for key in port username password database encoding; do
				variable="REDMINE_DB_${key^^}"
				[ -z "${!variable}" ] || echo "  $key: \"${!variable}\""
			done
		} > config/database.yml
	fi

	# The Gemfile picks the database adapter's gem from config/database.yml.
	bundle check > /dev/null 2>&1 || bundle install --local --quiet

	from_env_or_file REDMINE_SECRET_KEY_BASE
	: "${SECRET_KEY_BASE:=${REDMINE_SECRET_KEY_BASE:-}}"
	if [ -n "$SECRET_KEY_BASE" ]; then
		export SECRET_KEY_BASE
	else
		unset SECRET_KEY_BASE
		# Debian's Redmine reads its secret from the instance's secret_key.txt.
		secret_file=/etc/redmine/default/secret_key.txt
		if [ ! -s "$secret_file" ]; then
			echo >&2 "warning: no *SECRET_KEY_BASE set; generating one in $secret_file"
			ruby -rsecurerandom -e 'puts SecureRandom.hex(64)' > "$secret_file"
		fi
	fi

	if [ "$1" != rake ] && [ -z "${REDMINE_NO_DB_MIGRATE:-}" ]; then
		# The schema dump after migrating would write into the read-only application
		# directory (Debian's package migrates the same way).
		SCHEMA=/dev/null rake db:migrate
	fi
	if [ "$1" != rake ] && [ -n "${REDMINE_PLUGINS_MIGRATE:-}" ]; then
		rake redmine:plugins:migrate
	fi

	# A container restarted after a hard stop must not find the old server's PID file.
	rm -f tmp/pids/server.pid
fi

exec "$@"
