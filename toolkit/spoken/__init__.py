"""The spoken register: scripts as an announcer reads them, and their voices."""
