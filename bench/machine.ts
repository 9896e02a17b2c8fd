/** The machine a run was measured on, recorded with every result so runs can be compared fairly. */
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
}

export function machineInfo(): MachineInfo {
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
  };
}

/** One line for the README: "AMD EPYC, 2 cores, 23.5 GiB, linux x64, Node v20.20.2". */
export function describeMachine(machine: MachineInfo): string {
  const gib = (machine.totalMemoryBytes / 2 ** 30).toFixed(1);
  return `${machine.cpuModel}, ${machine.cores} cores, ${gib} GiB RAM, ${machine.platform} ${machine.arch}, Node ${machine.nodeVersion}`;
}
