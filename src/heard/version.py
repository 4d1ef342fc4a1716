"""The package version, apart from the package facade (``heard.assess``) so that any layer can
read it without importing the facade."""

__version__ = "0.1.0"
