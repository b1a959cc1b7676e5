#!/bin/sh
# Waits until a URL answers (any HTTP status), for up to $2 seconds (default 30).
# Usage: ci/scripts/wait-for-url.sh http://127.0.0.1:8080/health [seconds]
set -eu
url="$1"
deadline=$(( $(date +%s) + ${2:-30} ))
until curl -s -o /dev/null "$url"; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "wait-for-url: $url did not answer within ${2:-30}s" >&2
    exit 1
  fi
  sleep 0.5
done
echo "wait-for-url: $url is up"
