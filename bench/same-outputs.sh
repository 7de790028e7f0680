#!/usr/bin/env bash
# Records what a rubric binary prints and writes for a fixed set of commands, so that a
# refactoring can be shown to change nothing a user sees:
#
#   bash bench/same-outputs.sh OLD_BINARY old-dir
#   bash bench/same-outputs.sh target/release/rubric new-dir
#   diff -r old-dir new-dir && echo identical
#
# Covers every command and output format on the shipped samples, the office fixtures, the
# bad-rubric fixtures (messages and exit codes), eval and suggest on the marked fixture, and
# `mark` on a generated corpus of N answers (N=10000 unless given as CORPUS=N; the corpus is
# generated once under target/same-outputs, deterministically, seed 7, by the `corpus` example).
# Each command's standard output, standard error and exit code go to one file per command.
set -uo pipefail
bin=$(realpath "$1")
out=$(realpath -m "$2")
cd "$(dirname "$0")/.."
N=${CORPUS:-10000}
work=target/same-outputs
mkdir -p "$work" "$out"
rm -rf "${out:?}"/*

if [ ! -d "$work/corpus-$N" ]; then
  cargo build --release --quiet --example corpus
  target/release/examples/corpus answers "$N" "$work/corpus-$N" --words 80-120 --seed 7 >/dev/null
fi

# run NAME ARGS...: the binary's stdout, stderr and exit code into $out/NAME
run() {
  local name=$1
  shift
  (cd "$tmp" && NO_COLOR=1 RUBRIC_NO_PROGRESS=1 "$bin" "$@" >"$out/$name.out" 2>"$out/$name.err" </dev/null)
  echo $? >"$out/$name.code"
}

# Work in a scratch copy so that relative paths (which reports show) are the same for both runs.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r samples rubrics tests/fixtures "$tmp/"
ln -s "$(realpath "$work/corpus-$N")" "$tmp/corpus"
R=rubrics/stalin-rise.toml

for f in samples/stalin/*.txt samples/stalin/*.md fixtures/office/answer.*; do
  b=$(basename "$f")
  for fmt in human json line github junit sarif; do
    run "check-$b-$fmt" check -r $R --format $fmt "$f"
  done
  run "check-$b-explain" check -r $R --explain "$f"
done
run check-folder check -r $R samples/stalin
run check-folder-json check -r $R --format json samples/stalin
run check-stdin-missing check -r $R -
run check-no-file check -r $R does/not/exist.txt
run check-min-score check -r $R --min-score 8 samples/stalin/weak.txt
for f in fixtures/cli/bad/*.toml; do
  run "lint-bad-$(basename "$f")" lint "$f"
done
for f in rubrics/*.toml rubrics/asap-sas/*.toml fixtures/cli/*.toml; do
  run "lint-$(basename "$(dirname "$f")")-$(basename "$f")" lint "$f"
  run "test-$(basename "$(dirname "$f")")-$(basename "$f")" test "$f"
done
run eval eval -r $R fixtures/eval/stalin-marks.csv
run eval-json eval -r $R --format json fixtures/eval/stalin-marks.csv
run suggest suggest -r $R fixtures/eval/stalin-marks.csv
for fmt in human json github junit sarif line; do
  run "mark-samples-$fmt" mark -r $R --format $fmt samples/stalin
done
mkdir -p "$tmp/o"
run mark-samples-files mark -r $R --csv o/s.csv --json o/s.jsonl --html o/s.html --feedback-dir o/fb samples/stalin
run mark-corpus mark -r $R --csv o/c.csv --json o/c.jsonl --html o/c.html --format json corpus
cp -r "$tmp/o" "$out/files"
# The class summary's JSON and human forms carry the elapsed time: blank it.
sed -i -E 's/"(elapsed|seconds|elapsed_ms|ms)": *[0-9.e+-]+/"\1": 0/g; s/in [0-9.]+ ?(s|ms)\b/in T/g' "$out"/*.out "$out"/*.err
find "$out/files" -type f -name '*.html' -exec sed -i -E 's/in [0-9.]+ ?(s|ms)\b/in T/g' {} +
echo "recorded $(ls "$out" | wc -l) results in $out"
