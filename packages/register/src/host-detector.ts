import { readFileSync } from 'node:fs';
import { arch, hostname } from 'node:os';
import type { DetectedResource, ResourceDetector } from '@opentelemetry/resources';
import { childProcess } from './lazy';

// Where each platform keeps the machine id, as @opentelemetry/resources 3.1 looks for it.
const LINUX_FILES = ['/etc/machine-id', '/var/lib/dbus/machine-id'];
const BSD_FILE = '/etc/hostid';

/**
 * The host detector of @opentelemetry/resources (`host.name`, `host.arch`, `host.id`), with the
 * machine id read so that nothing of it keeps the event loop alive: the upstream one reads the
 * file asynchronously, which holds a process that has nothing else to do a moment longer (and
 * with it the application's unref()ed timers fire that would not have). Where the id is a file,
 * it is read at once; where it takes a command (macOS, Windows, a BSD without the file), the
 * command runs unreferenced and the attribute follows when it answers, as upstream.
 */
export const hostDetector: ResourceDetector = {
  detect: (): DetectedResource => ({
    attributes: { 'host.name': hostname(), 'host.arch': normalizeArch(arch()), 'host.id': machineId() },
  }),
};

function normalizeArch(nodeArch: string): string {
  return ({ arm: 'arm32', ppc: 'ppc32', x64: 'amd64' } as Record<string, string>)[nodeArch] ?? nodeArch;
}

function machineId(): string | Promise<string | undefined> | undefined {
  switch (process.platform) {
    case 'linux':
      return firstFile(LINUX_FILES);
    case 'freebsd':
      return firstFile([BSD_FILE]) ?? commandOutput('kenv -q smbios.system.uuid', (out) => out.trim());
    case 'darwin':
      return commandOutput('ioreg -rd1 -c "IOPlatformExpertDevice"', (out) => {
        const parts = out.split('\n').find((line) => line.includes('IOPlatformUUID'))?.split('" = "');
        return parts?.length === 2 ? parts[1]!.slice(0, -1) : undefined;
      });
    case 'win32': {
      const reg = '%windir%\\System32\\REG.exe';
      // A 32-bit Node on 64-bit Windows would read the 32-bit registry view without sysnative.
      const command = process.arch === 'ia32' && 'PROCESSOR_ARCHITEW6432' in process.env ? `%windir%\\sysnative\\cmd.exe /c ${reg}` : reg;
      return commandOutput(`${command} QUERY HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography /v MachineGuid`, (out) => {
        const parts = out.split('REG_SZ');
        return parts.length === 2 ? parts[1]!.trim() : undefined;
      });
    }
    default:
      return undefined;
  }
}

function firstFile(paths: readonly string[]): string | undefined {
  for (const path of paths) {
    try {
      return readFileSync(path, 'utf8').trim();
    } catch {
      // Absent or unreadable: the next place, as upstream.
    }
  }
  return undefined;
}

/** The parsed output of a command that keeps nothing alive: neither its process nor its pipes. */
function commandOutput(command: string, parse: (stdout: string) => string | undefined): Promise<string | undefined> {
  return new Promise((resolve) => {
    try {
      const child = childProcess().exec(command, { windowsHide: true }, (error, stdout) => resolve(error ? undefined : parse(String(stdout))));
      child.unref();
      for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as { unref?: () => void } | null)?.unref?.();
    } catch {
      resolve(undefined);
    }
  });
}
