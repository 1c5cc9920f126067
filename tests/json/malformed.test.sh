#!/usr/bin/env bash
# Malformed Chronon JSON: each case must exit 1, print nothing on stdout, and
# print exactly the expected diagnostic (file, JSON path or line:column,
# message) on stderr. A crash (exit >= 128) or a sanitizer report fails too.
set -uo pipefail
tmp=$(mktemp -d "$BUILD/malformed.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0 bad=0

# case NAME TYPE EXPECTED-STDERR [extra chrononc options] <<< JSON
case_() {
    local name=$1 type=$2 want=$3; shift 3
    local f="$tmp/$name.json"
    cat >"$f"
    n=$((n + 1))
    $RUNNER "$BUILD/chrononc" json --type "$type" "$@" "$f" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    local got; got=$(sed "s|$tmp/||" "$tmp/err")
    if [ $rc -ne 1 ] || [ -s "$tmp/out" ] || [ "$got" != "$name.json$want" ]; then
        bad=$((bad + 1))
        echo "FAIL $name (exit $rc)"
        echo "  want: $name.json$want"
        echo "  got:  $got"
        [ -s "$tmp/out" ] && echo "  stdout: $(head -c 200 "$tmp/out")"
    fi
}

# ---- not JSON at all: line and column from the parser (jansson: the last
# character of the offending token, 1-based; column 0 at a line's start) ----
case_ empty GroupBy ":2:0: error: unexpected token near end of file" <<< ''
case_ trailing_comma GroupBy ":1:28: error: string or '}' expected near '}'" <<< '{"keyColumns": ["a", "b"], }'
case_ unterminated_string GroupBy ":2:10: error: unexpected newline near '\"user_id'" <<'EOF_'
{"keyColumns": [
  "user_id
EOF_
case_ nul_in_string GroupBy ":1:32: error: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"a\\u0000b\"'" <<< '{"metaData": {"name": "a\u0000b"}}'
case_ invalid_utf8 GroupBy ":1:24: error: unable to decode byte 0xff near '\"a'" < <(printf '{"metaData": {"name": "a\xffb"}}\n')
case_ huge_integer GroupBy ":1:52: error: too big integer near '99999999999999999999'" <<< '{"aggregations": [{"operation": 99999999999999999999}]}'
case_ real_overflow GroupBy ":1:36: error: real number overflow near '1e999'" <<< '{"metaData": {"samplePercent": 1e999}}'
case_ duplicate_key_strict GroupBy ":1:33: error: duplicate object key near '\"name\"'" --strict <<< '{"metaData": {"name": "a", "name": "b"}}'

# ---- JSON of the wrong shape: the JSON path of the value ----
case_ top_level_array GroupBy ": error: \$: expected object, got array" <<< '[]'
case_ top_level_string StagingQuery ": error: \$: expected object, got string" <<< '"select 1"'
case_ metadata_string GroupBy ": error: \$.metaData: expected object, got string" <<< '{"metaData": "team.gb"}'
case_ name_integer GroupBy ": error: \$.metaData.name: expected string, got integer" <<< '{"metaData": {"name": 7}}'
case_ key_columns_object GroupBy ": error: \$.keyColumns: expected array, got object" <<< '{"keyColumns": {"a": 1}}'
case_ key_column_null GroupBy ": error: \$.keyColumns[1]: expected string, got null" <<< '{"keyColumns": ["a", null]}'
case_ operation_string GroupBy ": error: \$.aggregations[0].operation: expected integer, got string" <<< '{"aggregations": [{"inputColumn": "x", "operation": "SUM"}]}'
case_ issue_example Join ": error: \$.joinParts[2].groupBy.aggregations[0].operation: expected integer, got string" <<'EOF_'
{"joinParts": [{}, {"groupBy": {}}, {"groupBy": {"aggregations": [{"operation": "COUNT"}]}}]}
EOF_
case_ operation_unknown GroupBy ": error: \$.aggregations[0].operation: 99 is not a value of enum Operation" <<< '{"aggregations": [{"operation": 99}]}'
case_ operation_real GroupBy ": error: \$.aggregations[0].operation: expected integer, got real number" <<< '{"aggregations": [{"operation": 7.0}]}'
case_ window_length_range GroupBy ": error: \$.aggregations[0].windows[0].length: integer 3000000000 is out of range for i32" <<< '{"aggregations": [{"windows": [{"length": 3000000000, "timeUnit": 1}]}]}'
case_ time_unit_negative GroupBy ": error: \$.aggregations[0].windows[1].timeUnit: -1 is not a value of enum TimeUnit" <<< '{"aggregations": [{"windows": [{"length": 1, "timeUnit": 1}, {"length": 1, "timeUnit": -1}]}]}'
case_ bool_two GroupBy ": error: \$.metaData.online: integer 2 is not a boolean (0 or 1)" <<< '{"metaData": {"online": 2}}'
case_ bool_string GroupBy ": error: \$.metaData.production: expected boolean, got string" <<< '{"metaData": {"production": "true"}}'
case_ double_string GroupBy ": error: \$.metaData.samplePercent: expected number, got string" <<< '{"metaData": {"samplePercent": "1.0"}}'
case_ map_value_integer GroupBy ": error: \$.metaData.tableProperties.retention: expected string, got integer" <<< '{"metaData": {"tableProperties": {"retention": 30}}}'
case_ map_key_quoted GroupBy ": error: \$.metaData.tableProperties[\"a b\"]: expected string, got array" <<< '{"metaData": {"tableProperties": {"ok": "1", "a b": []}}}'
case_ nested_map GroupBy ": error: \$.metaData.modeToEnvMap.backfill: expected object, got string" <<< '{"metaData": {"modeToEnvMap": {"backfill": "EXECUTOR_MEMORY=4G"}}}'
case_ skew_keys Join ": error: \$.skewKeys.zipcode[1]: expected string, got integer" <<< '{"skewKeys": {"zipcode": ["94107", 78934]}}'
case_ union_two_members Join ": error: \$.left: union Source has 2 members set; at most one is allowed" <<< '{"left": {"events": {"table": "t"}, "entities": {"snapshotTable": "s"}}}'
case_ selects_array GroupBy ": error: \$.sources[0].events.query.selects: expected object, got array" <<< '{"sources": [{"events": {"query": {"selects": ["a"]}}}]}'
case_ deep_join_source GroupBy ": error: \$.sources[0].joinSource.join.left.events.table: expected string, got integer" <<'EOF_'
{"sources": [{"joinSource": {"join": {"joinParts": [], "left": {"events": {"table": 1}}}}}]}
EOF_
case_ staging_setups StagingQuery ": error: \$.setups: expected array, got string" <<< '{"query": "SELECT 1", "setups": "ADD JAR x.jar"}'
case_ label_offset_real Join ": error: \$.labelPart.leftStartOffset: expected integer, got real number" <<< '{"labelPart": {"leftStartOffset": 1.5}}'
case_ bootstrap_key_bool Join ": error: \$.bootstrapParts[0].keyColumns[0]: expected string, got boolean" <<< '{"bootstrapParts": [{"keyColumns": [true]}]}'
case_ derivation_string Join ": error: \$.derivations[0]: expected object, got string" <<< '{"derivations": ["a + b"]}'
case_ data_kind_unknown Join ": error: \$.onlineExternalParts[0].source.keySchema.kind: 42 is not a value of enum DataKind" <<< '{"onlineExternalParts": [{"source": {"keySchema": {"kind": 42}}}]}'
case_ unknown_field_strict GroupBy ": error: \$.metaData.nmae: unknown field of MetaData" --strict <<< '{"metaData": {"nmae": "typo"}}'
case_ list_instead_of_struct Join ": error: \$.joinParts[0]: expected object, got array" <<< '{"joinParts": [["groupBy"]]}'
case_ model_transforms Join ": error: \$.modelTransforms.transforms[0].model.inferenceSpec.modelBackendParams.k: expected string, got boolean" <<< '{"modelTransforms": {"transforms": [{"model": {"inferenceSpec": {"modelBackendParams": {"k": false}}}}]}}'
case_ deeply_nested GroupBy ":1:2063: error: maximum parsing depth reached near '['" < <(printf '{"keyColumns": '; for i in $(seq 3000); do printf '['; done; echo)

# ---- files that cannot be read ----
n=$((n + 1))
$RUNNER "$BUILD/chrononc" json --type GroupBy "$tmp/no-such-file" >"$tmp/out" 2>"$tmp/err"; rc=$?
got=$(sed "s|$tmp/||" "$tmp/err")
[ $rc -eq 1 ] && [ "$got" = "no-such-file: error: cannot read: No such file or directory" ] ||
    { bad=$((bad + 1)); echo "FAIL missing file (exit $rc): $got"; }

# ---- unknown fields are ignored without --strict, as Chronon's JVM side does ----
n=$((n + 1))
echo '{"metaData": {"nmae": "typo", "name": "x"}}' >"$tmp/lenient.json"
out=$($RUNNER "$BUILD/chrononc" json --type GroupBy "$tmp/lenient.json" 2>&1); rc=$?
want=$(printf '{\n  "metaData": {\n    "name": "x"\n  }\n}')
[ $rc -eq 0 ] && [ "$out" = "$want" ] || { bad=$((bad + 1)); echo "FAIL lenient unknown field (exit $rc): $out"; }

# ---- standard input ('-'), from a pipe and from a file: the same bytes; an
# error names '-' ----
n=$((n + 1))
printf '{"metaData": {"name": "x"}}' | $RUNNER "$BUILD/chrononc" json --type GroupBy - >"$tmp/pipe.out" 2>&1; rc=$?
$RUNNER "$BUILD/chrononc" json --type GroupBy - <"$tmp/lenient.json" >"$tmp/redirect.out" 2>&1; rc2=$?
[ $rc -eq 0 ] && [ $rc2 -eq 0 ] && [ "$(cat "$tmp/pipe.out")" = "$want" ] && [ "$(cat "$tmp/redirect.out")" = "$want" ] ||
    { bad=$((bad + 1)); echo "FAIL stdin (exit $rc, $rc2): $(cat "$tmp/pipe.out" "$tmp/redirect.out")"; }
n=$((n + 1))
got=$(printf '{"metaData": {"name": 3}}' | $RUNNER "$BUILD/chrononc" json --type GroupBy - 2>&1); rc=$?
[ $rc -eq 1 ] && [ "$got" = "-: error: \$.metaData.name: expected string, got integer" ] ||
    { bad=$((bad + 1)); echo "FAIL stdin error (exit $rc): $got"; }

# ---- usage errors exit 2 ----
for args in "--type NoSuchType x.json" "--bogus x.json" ""; do
    n=$((n + 1))
    # shellcheck disable=SC2086
    $RUNNER "$BUILD/chrononc" json $args >/dev/null 2>"$tmp/err"; rc=$?
    [ $rc -eq 2 ] || { bad=$((bad + 1)); echo "FAIL usage '$args': exit $rc, want 2"; }
done

echo "malformed: $n cases, $bad failed"
[ "$bad" -eq 0 ]
