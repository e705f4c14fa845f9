"""SpeakAI acoustic-model training recipe (see models/README.md)."""
