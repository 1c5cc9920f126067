import os
import ai.chronon.group_by as gb, json
from ai.chronon.api import ttypes
from ai.chronon.group_by import (
    Aggregation,
    Operation as Op,
    Window,
)
from . import common
from .sources import purchases as p
from .. import teams
from ...pkg.mod import *
from .... import deep
