"""svccat: a catalogue compiler for public service items (公共服务事项清单)."""

__version__ = "0.1.0"
