import { runCases, type BenchCase, type CaseResult, type RunOptions } from '@dyntel/bench-kit';

/**
 * Runs every case `rounds` times, the rounds one after the other, and keeps for each case the
 * result of its median round: drift on a shared machine (other processes, the JIT, the heap's
 * size) reaches every case in some round instead of whichever ran in a busy stretch.
 */
export async function runRounds(cases: () => readonly BenchCase[], rounds: number, options: RunOptions): Promise<CaseResult[]> {
  const byRound: CaseResult[][] = [];
  for (let round = 0; round < rounds; round++) byRound.push(await runCases(cases(), options));
  return byRound[0]!.map((_, index) => {
    const sorted = byRound.map((results) => results[index]!).sort((a, b) => a.nsPerOp - b.nsPerOp);
    return sorted[Math.floor(sorted.length / 2)]!;
  });
}
