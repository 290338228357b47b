"""HTTP only: parse, call one service function, return a schema."""
