#!/usr/bin/env bash
# Builds SeaweedFS's `weed` (the S3 server the tests and docker-compose's
# development setup use) from the Go module proxy into $1. Its go.mod has
# replace directives, which `go install pkg@version` refuses, so the module
# is built in a copy of its own folder, where they apply.
set -euo pipefail
out=$(realpath -m "$1")
version=${WEED_VERSION:-v0.0.0-20261109003541-7506e5f91cd6}
dir=$(go mod download -json "github.com/seaweedfs/seaweedfs@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$dir" ] || { echo "weed.sh: could not download seaweedfs $version" >&2; exit 1; }
src=$(mktemp -d)
trap 'chmod -R u+w "$src"; rm -rf "$src"' EXIT
cp -r "$dir/." "$src"
chmod -R u+w "$src"
mkdir -p "$(dirname "$out")"
echo "building SeaweedFS $version into $out (a few minutes, once)" >&2
(cd "$src" && CGO_ENABLED=0 go build -trimpath -o "$out.tmp" ./weed)
mv "$out.tmp" "$out"
