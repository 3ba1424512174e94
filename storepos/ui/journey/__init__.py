"""The journey area's screen: customers whose journey is open on another terminal (j on home)."""
