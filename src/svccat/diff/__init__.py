"""svccat diff: semantic differences between catalogues, regions and revisions."""
