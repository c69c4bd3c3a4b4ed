// Preloaded first in every measured process: its peak resident set size, on stderr at exit.
process.on('exit', () => process.stderr.write(`\nDYNTEL_BENCH_PEAK_RSS_KIB ${process.resourceUsage().maxRSS}\n`));
