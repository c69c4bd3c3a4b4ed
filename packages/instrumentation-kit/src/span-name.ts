/** Builds a span name as the contract spells it: `{operation}` or `{operation} {name}`. */
export function spanName(operation: string, name?: string): string {
  return name ? `${operation} ${name}` : operation;
}
