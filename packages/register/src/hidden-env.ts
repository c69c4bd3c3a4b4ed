/**
 * Runs `run` with the named variables absent from `process.env`, then puts them back exactly as
 * they were, before anything else can run. For SDK components that read the environment
 * themselves on top of the values passed to them: headers from the environment cannot be taken
 * away by passing headers, and a refused value would otherwise be read again by looser rules.
 */
export function withoutVariables<T>(names: readonly string[], run: () => T): T {
  const saved = new Map<string, string>();
  for (const name of names) {
    const value = process.env[name];
    if (value === undefined) continue;
    saved.set(name, value);
    delete process.env[name];
  }
  try {
    return run();
  } finally {
    for (const [name, value] of saved) process.env[name] = value;
  }
}
