from ai.chronon.group_by import Derivation, TimeUnit, Window, Accuracy
import ai.chronon.api.ttypes as ttypes

w1 = Window(7, TimeUnit.DAYS)
w2 = Window(length=1, timeUnit=TimeUnit.HOURS)
w3 = Window(timeUnit=Accuracy.SNAPSHOT, length=Accuracy.TEMPORAL)
d1 = Derivation("n", "e", "desc")
d2 = Derivation("n", "e", "")
d3 = Derivation("*", "*")
d4 = Derivation(name="a", expression="b", description=None)
d5 = Derivation(expression="x + 1", name="y")
info = ttypes.MetaData(name=str(Accuracy.TEMPORAL) + str(Accuracy.SNAPSHOT) + str(TimeUnit.HOURS) + str(TimeUnit.DAYS))
