// The empty application (CommonJS): start-up cost alone.
