"""Write a content unit once; get leaflets, videos, feeds, SMS and bulletins."""

__version__ = "0.4.0"
