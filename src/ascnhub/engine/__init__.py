"""Pure-Python engines (no Django import): matching and scheduling."""
