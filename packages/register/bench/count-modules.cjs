// Preloaded first: how many CommonJS modules the process loaded, on stderr at exit.
process.on('exit', () => process.stderr.write(`\nDYNTEL_BENCH_MODULES ${Object.keys(require.cache).length}\n`));
