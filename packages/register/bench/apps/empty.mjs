// The empty application (ESM): start-up cost alone.
