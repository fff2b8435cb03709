// Hardware profiles: a network and a disk that go together, by name, for scenarios.
//
// - lan-nvme: one rack, 10 GbE, NVMe SSDs (the default).
// - cloud: instances in one availability zone with EBS gp3 volumes (slower fsync, 125 MiB/s).
// - linkedin-2014: the machines of LinkedIn's 2014 Kafka benchmark: 1 GbE and 7200 rpm disks.

import { DISK_PROFILES, type DiskProfile } from './disk-model.ts';
import { NETWORK_PROFILES, type NetworkProfile } from './network-profile.ts';

export interface HardwareProfile {
  readonly network: NetworkProfile;
  readonly disk: DiskProfile;
}

export const HARDWARE_PROFILES = {
  'lan-nvme': { network: NETWORK_PROFILES['lan-10g'], disk: DISK_PROFILES['nvme-ssd'] },
  cloud: { network: NETWORK_PROFILES['cloud-az'], disk: DISK_PROFILES['cloud-ebs-gp3'] },
  'linkedin-2014': { network: NETWORK_PROFILES['lan-1g'], disk: DISK_PROFILES['hdd-7200'] },
} as const satisfies Record<string, HardwareProfile>;

export type HardwareProfileName = keyof typeof HARDWARE_PROFILES;

export const DEFAULT_HARDWARE: HardwareProfileName = 'lan-nvme';
