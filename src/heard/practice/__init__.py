"""Practice: role-play with simulated customers whose emotions react, and listening drills."""
