"""Pure analytics over scored conversations: no I/O, no database, no clock."""
