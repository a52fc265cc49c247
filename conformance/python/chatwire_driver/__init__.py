"""Drivers that replay chatwire conformance fixtures to Python SDKs over the driver protocol
(conformance/driver-protocol.schema.json): `python3 -m chatwire_driver <name>`."""

__version__ = "0.1.0"
