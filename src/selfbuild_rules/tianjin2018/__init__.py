"""The Tianjin 2018 regulation as a base regulation package: text, parameters and rules.

It plugs into the engine like any other base, through the entry-point group
``selfbuild_rules.regulations``; district modules extend it by its id.

>>> BASE.id, BASE.regulation.title
('tianjin-2018', '天津市人民政府领导班子关于加强自身建设的规定')
"""

from selfbuild_rules.plugins.base import Base
from selfbuild_rules.tianjin2018 import members, team
from selfbuild_rules.tianjin2018.parameters import PARAMETERS
from selfbuild_rules.tianjin2018.provisions import TIANJIN_2018

__all__ = ["BASE", "PARAMETERS", "TIANJIN_2018"]

#: The base regulation: what ``--regulation tianjin-2018`` (the default) evaluates.
BASE = Base(TIANJIN_2018, PARAMETERS, members.RULES | team.RULES, version="2018.1")
