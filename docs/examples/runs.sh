#!/bin/sh
# grokscope over plain HTTP with curl: start a small run, follow it live over Server-Sent Events, then read its
# stored history and list runs with a filter. Needs only curl (and sed).
#   GROKSCOPE_URL=http://127.0.0.1:4000/graphql sh docs/examples/runs.sh
set -eu
URL="${GROKSCOPE_URL:-http://127.0.0.1:4000/graphql}"

# POST one GraphQL request: $1 the query (no double quotes inside; pass strings as variables), $2 the variables.
# Newlines become spaces, since a JSON string may not contain one.
gql() {
  printf '{"query": "%s", "variables": %s}' "$1" "$2" | tr '\n' ' ' |
    curl -sS --fail-with-body "$URL" -H 'content-type: application/json' --data-binary @-
}

echo '--- start a run'
started=$(gql 'mutation($input: StartRunInput!) { startRun(input: $input) { id name status } }' \
  '{"input": {"name": "curl-example", "config": {"p": 11, "steps": 20, "backend": "cpu",
    "model": {"kind": "MLP", "embedDim": 8, "hiddenDim": 16}}}}')
echo "$started"
id=$(printf '%s' "$started" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')

echo '--- follow it over SSE (one "event: next" per step; the stream ends after the terminal status)'
printf '{"query": "%s", "variables": {"id": "%s"}}' \
  'subscription($id: ID!) { runProgress(runId: $id) { step status scalars { name value } } }' "$id" |
  curl -sS -N "$URL" -H 'content-type: application/json' -H 'accept: text/event-stream' --data-binary @-

echo '--- read the stored history (downsampled to at most 5 points per series)'
gql 'query($id: ID!, $names: [String!]!) { run(id: $id) { status stepsDone
      series(names: $names, maxPoints: 5) { name steps values } } }' \
  "{\"id\": \"$id\", \"names\": [\"train_loss\", \"test_acc\"]}"
echo

echo '--- read every stored train_loss point, 8 per page (seriesPage: lossless, keyset pages by step)'
after=null
while :; do
  page=$(gql 'query($id: ID!, $name: String!, $after: Int) { run(id: $id) {
        seriesPage(name: $name, afterStep: $after, first: 8) { steps values endStep hasMore } } }' \
    "{\"id\": \"$id\", \"name\": \"train_loss\", \"after\": $after}")
  echo "$page"
  case "$page" in *'"hasMore":true'*) ;; *) break ;; esac
  after=$(printf '%s' "$page" | sed -n 's/.*"endStep":\([0-9]*\).*/\1/p')
done

echo '--- compare runs: the same measures of several runs in one request'
gql 'query($ids: [ID!]!, $names: [String!]!) { compare(runIds: $ids, names: $names, maxPoints: 5) {
      runId run { name } series { name steps values bucketSize } } }' \
  "{\"ids\": [\"$id\"], \"names\": [\"train_loss\", \"test_acc\"]}"
echo

echo '--- list finished MLP runs, best final test accuracy first'
gql 'query($filter: RunFilter, $orderBy: RunOrderBy) { runs(first: 5, filter: $filter, orderBy: $orderBy) {
      totalCount edges { node { id name status } } pageInfo { hasNextPage endCursor } } }' \
  '{"filter": {"status": ["COMPLETED"], "modelKind": ["MLP"]},
    "orderBy": {"field": "FINAL_SCALAR", "measure": "test_acc", "direction": "DESC"}}'
echo
