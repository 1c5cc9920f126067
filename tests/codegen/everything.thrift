// Every feature thrift-cgen supports, for tests/codegen/generate.test.sh:
// the C generated from this file must read and write the same bytes that
// Python's generated code writes through chronon-ai's thrift_simple_json.
//
// Defaults stay inside what both generators keep exactly: no struct-literal
// defaults (Python's generator cannot emit them), doubles of at most six
// significant digits (thrift's JSON generator prints no more), no -0.0
// (thrift's parser drops the sign), sets of at most one element (Python sets
// are unordered).

namespace py everything

// ---- Enums and typedefs -------------------------------------------------------

enum Color {
    RED = 1
    GREEN = 2
    BLUE = 7      // not contiguous
}

/** Values at both ends of i32, and negatives. */
enum Sign {
    LOWEST = -2147483648
    MINUS = -1
    ZERO = 0
    PLUS = 1
    HIGHEST = 2147483647
}

typedef i64 Timestamp
typedef list<string> Names
typedef map<string, Names> Index
typedef Color Paint
typedef Leaf LeafAlias

// ---- Scalars -------------------------------------------------------------------

struct Leaf {
    1: optional string name
    2: optional i32 weight
}

/** One field of every base type, all optional.
 * A second line, with a "*" "/" pair inside: */
struct Scalars {
    1: optional bool flag
    2: optional byte b
    3: optional i8 tiny
    4: optional i16 small
    5: optional i32 medium
    6: optional i64 large
    /** A double, written as Python's repr() writes it. */
    7: optional double real
    8: optional string text
    9: optional binary blob
    10: optional Color color (c.enum = "Color")
    11: optional Sign sign (c.enum = "Sign")
    12: optional Timestamp stamp
    13: optional Paint paint         // no c.enum: to C, a plain i32
    14: optional LeafAlias leaf
}

// ---- Requiredness -----------------------------------------------------------------

struct Requiredness {
    1: required string id
    2: required i32 count
    3: optional string note
    4: i64 plain
    5: required list<string> tags
    6: Leaf leaf
    7: required Leaf must
    8: optional Color maybe (c.enum = "Color")
}

// ---- Defaults of every kind ----------------------------------------------------------

struct Defaults {
    1: optional bool on = true
    2: bool off = false
    3: byte b = -128
    4: i8 tiny = 127
    5: i16 small = -32768
    6: i32 medium = -7
    7: i64 large = 9007199254740993      // 2^53 + 1: would not survive a double
    8: i64 lowest = -9223372036854775808
    9: double real = 2.5
    10: double whole = 3
    11: double tiny_d = 1.5e-7
    12: double huge = 2.5e+300
    13: string greeting = "tab\tquote\"backslash\\ newline\n é ☃ ??= */ 🎉"
    14: string empty = ""
    15: binary blob = "bytes\n"
    16: Color color = Color.BLUE (c.enum = "Color")
    17: Sign sign = Sign.LOWEST (c.enum = "Sign")
    18: list<string> names = ["b", "a"]
    19: set<i32> primes = [2]
    20: map<string, i32> counts = {"y": 2, "x": 1}
    21: list<Color> colors = [Color.BLUE, Color.RED] (c.enum = "Color")
    22: map<string, list<i64>> nested = {"k": [1, 2], "j": []}
    23: optional list<Leaf> leaves = []
    24: optional Names aliased = ["n"]
    25: required i32 must = 5
    26: map<i32, string> byId = {2: "two", 1: "one"}
    27: map<bool, string> byFlag = {true: "yes"}
    28: map<Color, Sign> signs = {Color.GREEN: Sign.MINUS} (c.key_enum = "Color", c.enum = "Sign")
    29: map<i64, double> scaled = {10000000000: 0.5}
    30: list<map<string, set<i32>>> deep = [{"a": [1]}, {}]
    31: Paint paint = Color.RED
    32: set<string> one = ["only"]
    33: list<binary> blobs = ["x", ""]
    34: optional string unset
}

// ---- Map keys ---------------------------------------------------------------------

struct Keys {
    1: optional map<i32, string> byI32
    2: optional map<i64, string> byI64
    3: optional map<string, string> byString
    4: optional map<bool, string> byBool
    5: optional map<Color, string> byColor (c.key_enum = "Color")
    6: optional map<Color, Sign> both (c.key_enum = "Color", c.enum = "Sign")
    7: optional map<i16, Leaf> leaves
    8: optional map<byte, bool> bytes
}

// ---- Containers nested three deep -------------------------------------------------------

struct Nested {
    1: optional list<map<string, set<i32>>> lms
    2: optional map<string, list<map<i32, string>>> mlm
    3: optional set<list<string>> sl
    4: optional list<list<list<Leaf>>> lll
    5: optional map<string, map<string, map<string, double>>> mmm
    6: optional Index index
    7: optional list<set<Color>> colorSets (c.enum = "Color")
    8: optional list<binary> blobs
    9: optional map<Color, list<map<Color, Sign>>> enums (c.key_enum = "Color", c.enum = "Sign")
    10: optional list<Scalars> scalars
}

// ---- Unions and recursion ------------------------------------------------------------

union Choice {
    1: i32 number
    2: string word
    3: Leaf leaf
    4: list<string> words
    5: Color color (c.enum = "Color")
    6: Choice again
}

struct Tree {
    1: optional string label
    2: optional list<Tree> children
    3: optional Tree left
    4: optional map<string, Tree> byName
    5: optional Forest forest
    6: optional Choice choice
}

struct Forest {
    1: optional list<Tree> trees
    2: optional Tree biggest
}

// ---- Field order and C names ---------------------------------------------------------

struct OutOfOrder {
    3: optional string third
    1: optional i32 first
    10: optional bool auto        // a C keyword: the member is auto_
    2: optional double second
    7: optional list<string> signed
    5: optional string int
}

struct Empty {}

exception Failure {
    1: optional string message
    2: optional i32 code
}

// Services are ignored by thrift-cgen.
service Lookup {
    Leaf find(1: string name) throws (1: Failure failure)
}
