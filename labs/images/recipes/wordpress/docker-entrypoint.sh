#!/bin/bash
# Entrypoint of the wordpress stand-in, doing what the official image documents:
#  - when the command is Apache (apache2*) and the working directory (/var/www/html)
#    holds no WordPress yet, copy WordPress there from /usr/src/wordpress;
#  - when there is no wp-config.php and any WORDPRESS_* variable is set, write
#    wp-config.php from wp-config-docker.php (settings read from WORDPRESS_* at run
#    time, authentication keys and salts filled with random values);
#  - exec the command.
set -Eeuo pipefail

if [[ "$1" == apache2* ]] || [ "$1" = php-fpm ]; then
	uid="$(id -u)"
	gid="$(id -g)"
	if [ "$uid" = 0 ]; then
		user="${APACHE_RUN_USER:-www-data}"
		group="${APACHE_RUN_GROUP:-www-data}"
		user="${user#'#'}"
		group="${group#'#'}"
	else
		user="$uid"
		group="$gid"
	fi

	if [ ! -e index.php ] && [ ! -e wp-includes/version.php ]; then
		if [ "$uid" = 0 ] && [ "$(stat -c %u .)" = 0 ]; then
			chown "$user:$group" .
		fi
		echo >&2 "WordPress not found in $PWD - copying now..."
		if [ -n "$(find . -mindepth 1 -maxdepth 1 -not -name wp-content)" ]; then
			echo >&2 "WARNING: $PWD is not empty! (copying anyhow)"
		fi
		extract=(--extract --file -)
		if [ "$uid" != 0 ]; then
			extract+=(--no-overwrite-dir)
		fi
		tar --create --file - --directory /usr/src/wordpress --owner "$user" --group "$group" . \
			| tar "${extract[@]}"
		echo >&2 "Complete! WordPress has been successfully copied to $PWD"
	fi

	wp_envs=("${!WORDPRESS_@}")
	if [ ! -s wp-config.php ] && [ "${#wp_envs[@]}" -gt 0 ]; then
		for source in wp-config-docker.php /usr/src/wordpress/wp-config-docker.php; do
			if [ -s "$source" ]; then
				echo >&2 "No 'wp-config.php' found in $PWD, but 'WORDPRESS_...' variables supplied; copying '$source' (${wp_envs[*]})"
				while IFS= read -r line || [ -n "$line" ]; do
					while [[ "$line" == *'put your unique phrase here'* ]]; do
						key="$(head -c 64 /dev/urandom | sha1sum | cut -d' ' -f1)"
						line="${line/put your unique phrase here/$key}"
					done
					printf '%s\n' "$line"
				done < "$source" > wp-config.php
				if [ "$uid" = 0 ]; then
					chown "$user:$group" wp-config.php || true
				fi
				break
			fi
		done
	fi
fi

exec "$@"
