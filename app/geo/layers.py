"""The layers a zone can be in, and which layer's unit answers for a point by default."""

from enum import StrEnum


# a new layer goes here, and into DEFAULT_PRECEDENCE at its rank (tests/test_facts.py checks both)
class Layer(StrEnum):
    """The layer a zone belongs to."""

    site = "site"
    grid = "grid"
    road = "road"
    compound = "compound"
    building = "building"
    frontage = "frontage"


LAYERS: tuple[Layer, ...] = tuple(Layer)
# most specific first: the unit of the first layer a point lies in answers for it (XUNCHA_LAYER_PRECEDENCE)
DEFAULT_PRECEDENCE: tuple[Layer, ...] = (
    Layer.frontage,
    Layer.building,
    Layer.compound,
    Layer.road,
    Layer.site,
    Layer.grid,
)
ROAD_LAYER = Layer.road  # the one layer whose zones may be centre-lines with a width
