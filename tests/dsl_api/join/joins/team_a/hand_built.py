# Hand-built Thrift parts: a GroupBy without metaData (left-side dependency rule),
# validate_left_source called directly, shared DataType singletons.
import ai.chronon.api.ttypes as ttypes
import ai.chronon.join as join
from ai.chronon.model import DataType as ModelDataType
from ai.chronon.query import Query, select

gb = ttypes.GroupBy(
    sources=[ttypes.Source(events=ttypes.EventSource(table="ns.hb/p=1", query=Query(selects=select("user", "amt"),
                                                                                    time_column="t")))],
    keyColumns=["user"],
    aggregations=[ttypes.Aggregation(inputColumn="amt", operation=7)],
)
left = ttypes.Source(events=ttypes.EventSource(table="ns.l", query=Query(selects=select("user"), time_column="lt")))
v1 = join.Join(left, [ttypes.JoinPart(groupBy=gb)], lag=2)
v2 = join.Join(left, [ttypes.JoinPart(groupBy=gb, prefix="q")], dependencies=["ns.dep/ds={{ ds }}"],
               start_partition_hint=None)
checks = ttypes.MetaData(dependencies=[
    str(join.validate_left_source(left)),
    str(ModelDataType.INT == join.DataType.INT),
    str(join.DataType.STRING == ttypes.TDataType(kind=7)),
])
same_type = ModelDataType.STRUCT("s", ("a", join.DataType.INT))
derivs = ttypes.Join(derivations=[join.Derivation("n", "e", "d"), join.Derivation(name="n2", expression="e2"),
                                  join.Derivation("n3", "e3", description=None)])
