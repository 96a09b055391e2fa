"""svccat diff: semantic differences between catalogues, regions and revisions."""

# The names of svccat.diff.report's reporters, for the command line's help without importing
# the comparison code (a test checks that the two agree).
FORMATS = ("text", "markdown", "json", "html")
