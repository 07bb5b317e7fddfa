"""ASCN Hub: the working platform of the ASEAN Smart Cities Network and its partners."""

__version__ = "0.1.0"
