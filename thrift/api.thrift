// Chronon's API, as published by chronon-ai 0.0.115 (ai/chronon/api/ttypes.py).
// Written for this project: ids, names, types, requiredness and defaults follow
// that release field for field; tests/idl/drift_test.py compares the two.
//
// The annotation (c.enum = "X") marks an i32 field that holds enum X. Thrift's
// JSON generator (what codegen/ reads) reports enum-typed fields as plain i32,
// so without the annotation the C type would lose its enum. The test
// tests/idl/enum_annotations.sh checks that every enum-typed field carries it.

namespace py ai.chronon.api
namespace java ai.chronon.api

// ---- Queries and sources -------------------------------------------------

struct Query {
    1: optional map<string, string> selects
    2: optional list<string> wheres
    3: optional string startPartition
    4: optional string endPartition
    5: optional string timeColumn
    6: optional list<string> setups = []
    7: optional string mutationTimeColumn
    8: optional string reversalColumn
    9: optional string partitionColumn
}

// Arbitrary Spark SQL with {{ start_date }} / {{ end_date }} templates, run
// "fill what's missing" from startPartition on.
struct StagingQuery {
    1: optional MetaData metaData
    2: optional string query
    3: optional string startPartition
    4: optional list<string> setups
    5: optional bool createView
}

// Immutable facts: a ds-partitioned table and, for streaming, a topic.
struct EventSource {
    1: optional string table
    2: optional string topic
    3: optional Query query
    4: optional bool isCumulative
}

// Row-level mutable data: a snapshot table plus optional mutation table/topic.
struct EntitySource {
    1: optional string snapshotTable
    2: optional string mutationTable
    3: optional string mutationTopic
    4: optional Query query
}

struct ExternalSourceFactoryConfig {
    1: optional string factoryName
    2: optional map<string, string> factoryParams
}

struct ExternalSource {
    1: optional MetaData metadata
    2: optional TDataType keySchema
    3: optional TDataType valueSchema
    4: optional ExternalSourceFactoryConfig factoryConfig
    5: optional GroupBy offlineGroupBy
}

// The output of a Join used as the input of a GroupBy (chaining).
struct JoinSource {
    1: optional Join join
    2: optional Query query
}

union Source {
    1: EventSource events
    2: EntitySource entities
    3: JoinSource joinSource
}

// ---- Aggregations ----------------------------------------------------------

enum Operation {
    // monoids: no deletes
    MIN = 0
    MAX = 1
    FIRST = 2
    LAST = 3
    UNIQUE_COUNT = 4
    APPROX_UNIQUE_COUNT = 5
    // abelian groups: deletable
    COUNT = 6
    SUM = 7
    AVERAGE = 8
    VARIANCE = 9
    SKEW = 10
    KURTOSIS = 11
    APPROX_PERCENTILE = 12
    LAST_K = 13
    FIRST_K = 14
    TOP_K = 15
    BOTTOM_K = 16
    HISTOGRAM = 17
    APPROX_HISTOGRAM_K = 18
    BOUNDED_UNIQUE_COUNT = 19
}

enum TimeUnit {
    HOURS = 0
    DAYS = 1
}

struct Window {
    1: i32 length
    2: TimeUnit timeUnit (c.enum = "TimeUnit")
}

struct Aggregation {
    1: optional string inputColumn
    2: optional Operation operation (c.enum = "Operation")
    3: optional map<string, string> argMap
    4: optional list<Window> windows
    5: optional list<string> buckets
    6: optional bool elementWise
}

// One output column of an Aggregation: a single window and bucket.
struct AggregationPart {
    1: optional string inputColumn
    2: optional Operation operation (c.enum = "Operation")
    3: optional map<string, string> argMap
    4: optional Window window
    5: optional string bucket
    6: optional bool elementWise
}

enum Accuracy {
    TEMPORAL = 0
    SNAPSHOT = 1
}

// ---- Metadata, GroupBy, Join -----------------------------------------------

struct MetaData {
    1: optional string name
    2: optional bool online
    3: optional bool production
    4: optional string customJson
    5: optional list<string> dependencies
    6: optional map<string, string> tableProperties
    7: optional string outputNamespace
    8: optional string team
    // mode (backfill, upload, streaming, ...) -> environment variables
    9: optional map<string, map<string, string>> modeToEnvMap
    10: optional bool consistencyCheck
    11: optional double samplePercent
    12: optional string offlineSchedule
    13: optional double consistencySamplePercent
    14: optional bool historicalBackfill
    15: optional string deprecationDate
    16: optional string description
}

struct GroupBy {
    1: optional MetaData metaData
    2: optional list<Source> sources
    3: optional list<string> keyColumns
    4: optional list<Aggregation> aggregations
    5: optional Accuracy accuracy (c.enum = "Accuracy")
    6: optional string backfillStartDate
    7: optional list<Derivation> derivations
    8: optional bool isIncremental
}

// Field 3 (selectors) was removed from the API; its id stays unused.
struct JoinPart {
    1: optional GroupBy groupBy
    2: optional map<string, string> keyMapping
    4: optional string prefix
}

struct ExternalPart {
    1: optional ExternalSource source
    2: optional map<string, string> keyMapping
    3: optional string prefix
}

struct Derivation {
    1: optional string name
    2: optional string expression
    3: optional MetaData metaData
}

// A point-in-time join of group_bys onto the rows of `left`.
struct Join {
    1: optional MetaData metaData
    2: optional Source left
    3: list<JoinPart> joinParts
    // left key column -> values to exclude from the output
    4: optional map<string, list<string>> skewKeys
    5: optional list<ExternalPart> onlineExternalParts
    6: optional LabelPart labelPart
    7: optional list<BootstrapPart> bootstrapParts
    8: optional list<string> rowIds
    9: optional list<Derivation> derivations
    10: optional ModelTransforms modelTransforms
}

struct BootstrapPart {
    1: optional MetaData metaData
    2: optional string table
    3: optional Query query
    4: optional list<string> keyColumns
}

struct LabelPart {
    1: optional list<JoinPart> labels
    2: optional i32 leftStartOffset
    3: optional i32 leftEndOffset
    4: optional MetaData metaData
}

// Written by the batch upload into the KV store; read by streaming and fetching.
struct GroupByServingInfo {
    1: optional GroupBy groupBy
    2: optional string inputAvroSchema
    3: optional string selectedAvroSchema
    4: optional string keyAvroSchema
    5: optional string batchEndDate
    6: optional string dateFormat
}

// ---- Types ---------------------------------------------------------------

enum DataKind {
    BOOLEAN = 0
    BYTE = 1
    SHORT = 2
    INT = 3
    LONG = 4
    FLOAT = 5
    DOUBLE = 6
    STRING = 7
    BINARY = 8
    DATE = 9
    TIMESTAMP = 10
    MAP = 11
    LIST = 12
    STRUCT = 13
}

struct DataField {
    1: optional string name
    2: optional TDataType dataType
}

struct TDataType {
    1: DataKind kind (c.enum = "DataKind")
    2: optional list<DataField> params
    3: optional string name
}

// ---- Models ----------------------------------------------------------------

struct InferenceSpec {
    1: optional string modelBackend
    2: optional map<string, string> modelBackendParams
}

struct Model {
    1: optional MetaData metaData
    2: optional InferenceSpec inferenceSpec
    3: optional TDataType inputSchema
    4: optional TDataType outputSchema
}

struct ModelTransform {
    1: optional Model model
    2: optional map<string, string> inputMappings
    3: optional map<string, string> outputMappings
    4: optional string prefix
}

struct ModelTransforms {
    1: optional list<ModelTransform> transforms
    2: optional list<string> passthroughFields
}
