"""nkb: a knowledge base of Russia's mediation between Armenia and Azerbaijan, from articles."""

__version__ = "0.1.0"
