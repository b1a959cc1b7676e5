#!/bin/sh
# Posts a Markdown file as a note on the current GitLab merge request (no-op outside an MR, or
# when GITLAB_API_TOKEN is not set).
# Usage: ci/scripts/gitlab-mr-note.sh reports/gate.md
set -eu
file="${1:?usage: gitlab-mr-note.sh FILE}"
if [ -z "${CI_MERGE_REQUEST_IID:-}" ] || [ -z "${GITLAB_API_TOKEN:-}" ]; then
  echo "gitlab-mr-note: not a merge request pipeline or no GITLAB_API_TOKEN; skipping" >&2
  exit 0
fi
if [ ! -f "$file" ]; then
  echo "gitlab-mr-note: $file does not exist (the gate did not get far enough to write it)" >&2
  exit 0
fi
body=$(node -e 'process.stdout.write(JSON.stringify({ body: require("fs").readFileSync(process.argv[1], "utf8") }))' "$file")
curl -sf -X POST -H "PRIVATE-TOKEN: $GITLAB_API_TOKEN" -H 'Content-Type: application/json' \
  --data "$body" \
  "$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/notes" > /dev/null
echo "gitlab-mr-note: posted $file"
