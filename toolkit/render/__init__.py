"""Shared drawing: fonts, colours, the body's Markdown as blocks. Used by print (and video)."""
