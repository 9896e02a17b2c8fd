/** The machine a run was measured on, recorded with every result so runs can be compared fairly. */
import { spawnSync } from 'node:child_process';
import os from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  totalMemoryBytes: number;
  platform: string;
  arch: string;
  osRelease: string;
  nodeVersion: string;
  v8Version: string;
  /** The .NET SDK that ran the reference host, when the azurite backend was measured. */
  dotnetVersion?: string;
}

/** `withDotnet`: also record the .NET SDK's version (`dotnet --version`), when it answers. */
export function machineInfo(withDotnet = false): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    totalMemoryBytes: os.totalmem(),
    platform: os.platform(),
    arch: os.arch(),
    osRelease: os.release(),
    nodeVersion: process.version,
    v8Version: process.versions.v8,
    ...(withDotnet ? dotnetVersion() : {}),
  };
}

function dotnetVersion(): { dotnetVersion?: string } {
  const result = spawnSync('dotnet', ['--version'], {
    encoding: 'utf8',
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
    timeout: 30_000,
  });
  const version = result.status === 0 ? result.stdout.trim() : '';
  return version === '' ? {} : { dotnetVersion: version };
}

/** One line for the README: "AMD EPYC, 2 cores, 23.5 GiB, linux x64, Node v20.20.2, .NET SDK 10.0.401". */
export function describeMachine(machine: MachineInfo): string {
  const gib = (machine.totalMemoryBytes / 2 ** 30).toFixed(1);
  const dotnet = machine.dotnetVersion === undefined ? '' : `, .NET SDK ${machine.dotnetVersion}`;
  return `${machine.cpuModel}, ${machine.cores} cores, ${gib} GiB RAM, ${machine.platform} ${machine.arch}, Node ${machine.nodeVersion}${dotnet}`;
}
