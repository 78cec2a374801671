#!/usr/bin/env bash
# npm run db:new-migration -- <name>
# Writes prisma/migrations/<timestamp>_<name>/migration.sql from the difference between the committed
# schema (HEAD:prisma/schema.prisma) and the one in the working tree. Offline: no database is opened
# (`prisma migrate dev` does not work with the WASM engine; see docs/decisions/0001-…).
set -euo pipefail
cd "$(dirname "$0")/.."

name="${1:-}"
if [[ ! "$name" =~ ^[a-z0-9_]+$ ]]; then
  echo "usage: npm run db:new-migration -- <name>   (lower-case letters, digits and _)" >&2
  exit 2
fi

previous="$(mktemp --suffix=.prisma)"
scratch="$(mktemp -d)"
trap 'rm -rf "$previous" "$scratch"' EXIT
if git cat-file -e HEAD:prisma/schema.prisma 2>/dev/null; then
  git show HEAD:prisma/schema.prisma > "$previous"
  from=(--from-schema-datamodel "$previous")
else
  from=(--from-empty)
fi

# The CLI connects its adapter even for a datamodel-to-datamodel diff: give it a scratch embedded
# database, so neither ./data nor a PostgreSQL server is touched.
sql="$(env -u DATABASE_URL PGLITE_DATA_DIR="$scratch/pglite" CHECKPOINT_DISABLE=1 npx prisma migrate diff "${from[@]}" --to-schema-datamodel prisma/schema.prisma --script)"
if ! grep -qvE '^\s*(--.*)?$' <<<"$sql"; then
  echo "prisma/schema.prisma does not differ from HEAD: no migration written." >&2
  exit 1
fi

dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
mkdir -p "$dir"
printf '%s\n' "$sql" > "$dir/migration.sql"
echo "Wrote $dir/migration.sql — review it, then commit it with the schema change."
