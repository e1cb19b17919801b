#!/bin/sh
# Entrypoint of the registry:2 stand-in, with the official image's argument rules:
# a configuration file (*.yml/*.yaml) means "registry serve FILE"; a registry
# subcommand or an option is handed to registry; anything else runs as given.
set -e

case "$1" in
	*.yaml|*.yml) set -- registry serve "$@" ;;
	serve|garbage-collect|help|-*) set -- registry "$@" ;;
esac

exec "$@"
