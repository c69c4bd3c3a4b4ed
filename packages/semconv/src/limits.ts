/** Bounds the contract sets on values taken from user data. */

/** The value recorded in place of names past an attribute's distinct-value cap. */
export const OTHER_VALUE = '_OTHER';

/** Distinct values one metric attribute may take per process before `_OTHER`. */
export const DEFAULT_CARDINALITY_LIMIT = 100;

/** Longest name taken from user data, in characters, on metrics, spans and events alike; longer names are cut. */
export const NAME_LENGTH_LIMIT = 128;
