// The attributes int16 of a RecordBatch v2 header.
//
// bits 0-2 compression codec id, bit 3 timestamp type (1 = LogAppendTime), bit 4 transactional,
// bit 5 control batch, bit 6 delete horizon present (KIP-534: baseTimestamp then holds the horizon).
// Bits 7-15 are unused; like Kafka we ignore them (they sit inside the CRC, so corruption is still caught).

export type CompressionType = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
export type TimestampType = 'CreateTime' | 'LogAppendTime';

/** Kafka's codec ids, indexed by id. */
export const COMPRESSION_BY_ID: readonly CompressionType[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export const COMPRESSION_ID: Readonly<Record<CompressionType, number>> = {
  none: 0,
  gzip: 1,
  snappy: 2,
  lz4: 3,
  zstd: 4,
};

export const COMPRESSION_MASK = 0x07;
export const TIMESTAMP_TYPE_MASK = 0x08;
export const TRANSACTIONAL_MASK = 0x10;
export const CONTROL_MASK = 0x20;
export const DELETE_HORIZON_MASK = 0x40;

export interface AttributeFlags {
  readonly compression: CompressionType;
  readonly timestampType: TimestampType;
  readonly isTransactional: boolean;
  readonly isControl: boolean;
}

export function encodeAttributes(flags: AttributeFlags): number {
  return (
    COMPRESSION_ID[flags.compression] |
    (flags.timestampType === 'LogAppendTime' ? TIMESTAMP_TYPE_MASK : 0) |
    (flags.isTransactional ? TRANSACTIONAL_MASK : 0) |
    (flags.isControl ? CONTROL_MASK : 0)
  );
}
