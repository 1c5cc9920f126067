/* A C service's view of Chronon: build a GroupBy with the generated types,
 * print the JSON Chronon's compile.py would write for it, read it back.
 *
 *   cc -std=c11 -D_POSIX_C_SOURCE=200809L -Iruntime -Igenerated examples/c-api/purchases_group_by.c \
 *      generated/chronon_api.c build/libtjson.a -ljansson -lm
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chronon_api.h"

/* Every allocation is checked; a real service would return the error. */
static void *must(void *p)
{
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return p;
}

static chronon_Window window(int32_t days)
{
    chronon_Window w = {.has_length = true, .length = days, .has_timeUnit = true,
                        .timeUnit = chronon_TimeUnit_DAYS};
    return w;
}

int main(void)
{
    chronon_GroupBy gb;
    chronon_GroupBy_init(&gb);

    gb.metaData = must(calloc(1, sizeof *gb.metaData));
    chronon_MetaData_init(gb.metaData);
    gb.metaData->name = must(strdup("quickstart.purchases.v1"));
    gb.metaData->team = must(strdup("quickstart"));
    gb.metaData->outputNamespace = must(strdup("data"));

    /* sources: one event source over data.purchases */
    gb.has_sources = true;
    gb.sources.len = 1;
    gb.sources.items = must(calloc(1, sizeof(chronon_Source)));
    chronon_Source *src = &gb.sources.items[0];
    src->events = must(calloc(1, sizeof *src->events));
    chronon_EventSource_init(src->events);
    src->events->table = must(strdup("data.purchases"));
    src->events->query = must(calloc(1, sizeof *src->events->query));
    chronon_Query_init(src->events->query); /* setups = [] by IDL default */
    chronon_Query *q = src->events->query;
    q->has_selects = true;
    q->selects.len = 2;
    q->selects.keys = must(calloc(2, sizeof(char *)));
    q->selects.values = must(calloc(2, sizeof(char *)));
    q->selects.keys[0] = must(strdup("user_id"));
    q->selects.values[0] = must(strdup("user_id"));
    q->selects.keys[1] = must(strdup("purchase_price"));
    q->selects.values[1] = must(strdup("purchase_price"));
    q->timeColumn = must(strdup("ts"));

    gb.has_keyColumns = true;
    gb.keyColumns.len = 1;
    gb.keyColumns.items = must(calloc(1, sizeof(char *)));
    gb.keyColumns.items[0] = must(strdup("user_id"));

    /* SUM(purchase_price) over 3 and 14 days */
    gb.has_aggregations = true;
    gb.aggregations.len = 1;
    gb.aggregations.items = must(calloc(1, sizeof(chronon_Aggregation)));
    chronon_Aggregation *sum = &gb.aggregations.items[0];
    sum->inputColumn = must(strdup("purchase_price"));
    sum->has_operation = true;
    sum->operation = chronon_Operation_SUM;
    sum->has_windows = true;
    sum->windows.len = 2;
    sum->windows.items = must(calloc(2, sizeof(chronon_Window)));
    sum->windows.items[0] = window(3);
    sum->windows.items[1] = window(14);

    tj_error err;
    size_t len;
    char *json = chronon_GroupBy_to_json(&gb, &len, &err);
    if (!json) {
        fprintf(stderr, "error: %s: %s\n", err.path, err.message);
        return 1;
    }
    printf("%s\n", json);

    chronon_GroupBy back;
    if (chronon_GroupBy_from_json(&back, json, len, 0, &err) != TJ_OK) {
        fprintf(stderr, "error: %s: %s\n", err.path, err.message);
        return 1;
    }
    printf("read back: %s, operation %s\n",
           chronon_GroupBy_equal(&gb, &back) ? "equal" : "DIFFERENT",
           tj_enum_name(&chronon_Operation_desc, back.aggregations.items[0].operation));
    free(json);
    chronon_GroupBy_free(&back);
    chronon_GroupBy_free(&gb);
    return 0;
}
