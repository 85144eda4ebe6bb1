"""Fix families that work on text edits of whole statements (one module per family)."""
